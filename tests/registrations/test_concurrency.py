"""On PostgreSQL, concurrent registrations for one session never oversell it.

Threads each hold their own database connection and start together; the session row lock in
``registrations.services`` is what keeps the count right (without it this test fails with
more than 50 confirmed and duplicate waitlist positions).
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime

import pytest
from django.db import connection

from events import services as event_services
from events.organisers import create_organiser
from registrations import services
from registrations.models import SessionRegistration

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REGISTRATIONS = 200
SEATS = 50
# PostgreSQL here allows 100 connections shared by several suites: 40 at a time, all at once.
THREADS = 40


def test_concurrent_registrations_never_oversell():
    _user, section, _token = create_organiser(username="concurrency", section_slug="load")
    event = event_services.publish_event(
        event=event_services.create_event(
            section=section,
            slug="load",
            title="Load",
            timezone="UTC",
            start_date=date(2027, 5, 1),
            end_date=date(2027, 5, 1),
        )
    )
    session = event_services.create_session(
        event=event,
        title="Popular",
        starts_at=datetime(2027, 5, 1, 12, tzinfo=UTC),
        duration_minutes=60,
        capacity=SEATS,
    )
    start = threading.Barrier(THREADS)

    def register_batch(batch: int) -> list[str]:
        start.wait(timeout=60)
        try:
            outcomes = []
            for number in range(batch, REGISTRATIONS, THREADS):
                result = services.register_participant(
                    event=event,
                    email=f"p{number}@example.org",
                    name=f"Participant {number}",
                    sessions=[session.pk],
                )
                outcomes.append(result.session_registrations[0].status)
            return outcomes
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        outcomes = [
            status for batch in pool.map(register_batch, range(THREADS)) for status in batch
        ]

    rows = list(
        SessionRegistration.objects.filter(session=session).values_list(
            "participant_id", "status", "waitlist_position"
        )
    )
    confirmed = [row for row in rows if row[1] == "confirmed"]
    waitlisted = sorted(row[2] for row in rows if row[1] == "waitlisted")
    assert (len(outcomes), len(rows), len({row[0] for row in rows})) == (200, 200, 200)
    assert (len(confirmed), waitlisted) == (SEATS, list(range(1, REGISTRATIONS - SEATS + 1)))
    assert sorted(outcomes) == ["confirmed"] * SEATS + ["waitlisted"] * (REGISTRATIONS - SEATS)
