"""On PostgreSQL, many requests at once for one address neither change its registration nor
make more than one email: the registration's row lock makes them take turns."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime

import pytest
from django.db import connection

from events import services as event_services
from events.organisers import create_organiser
from notifications.models import OutboxMessage
from registrations import services
from registrations.models import Registration, SessionRegistration

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# PostgreSQL here allows 100 connections shared by several suites.
THREADS = 20
KINDS = ("registration_confirmed", "registration_requested")


def _event():
    _user, section, _token = create_organiser(username="requests", section_slug="requests")
    event = event_services.publish_event(
        event=event_services.create_event(
            section=section,
            slug="requests",
            title="Requests",
            timezone="UTC",
            start_date=date(2031, 5, 1),
            end_date=date(2031, 5, 1),
        )
    )
    sessions = [
        event_services.create_session(
            event=event,
            title=title,
            starts_at=datetime(2031, 5, 1, hour, tzinfo=UTC),
            duration_minutes=60,
            capacity=5,
        )
        for title, hour in (("Plenary", 9), ("Workshop", 14))
    ]
    return event, sessions


def _at_once(call) -> list:
    start = threading.Barrier(THREADS)

    def run(number: int):
        start.wait(timeout=60)
        try:
            return call(number)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(run, range(THREADS)))


def _emails(email: str) -> list[tuple[str, list[int]]]:
    rows = OutboxMessage.objects.filter(recipient=email, kind__in=KINDS).order_by("due_at", "pk")
    return [(kind, payload["sessions"]) for kind, payload in rows.values_list("kind", "payload")]


def test_concurrent_requests_for_a_registered_address_change_nothing_and_make_one_email():
    event, (plenary, workshop) = _event()
    owner = services.register_participant(
        event=event, email="ana@example.org", name="Ana", sessions=[plenary.pk]
    )
    services.cancel_registration(participant=owner.participant)
    results = _at_once(
        lambda number: services.register_participant(
            event=event,
            email="ana@example.org",
            name=f"Mallory {number}",
            sessions=[workshop.pk, plenary.pk],
        )
    )
    assert [result.requested for result in results] == [True] * THREADS
    registration = Registration.objects.get(participant=owner.participant)
    assert (registration.status, registration.participant.name) == ("cancelled", "Ana")
    assert list(
        SessionRegistration.objects.filter(participant=owner.participant).values_list(
            "session_id", "status"
        )
    ) == [(plenary.pk, "cancelled")]
    assert _emails("ana@example.org") == [
        ("registration_confirmed", [plenary.pk]),
        ("registration_requested", [workshop.pk, plenary.pk]),
    ]


def test_concurrent_first_registrations_of_one_address_make_one_registration_and_email():
    event, (plenary, _workshop) = _event()
    results = _at_once(
        lambda number: services.register_participant(
            event=event, email="new@example.org", name=f"Name {number}", sessions=[plenary.pk]
        )
    )
    assert sorted(result.created for result in results) == [False] * (THREADS - 1) + [True]
    assert Registration.objects.filter(participant__email="new@example.org").count() == 1
    assert list(
        SessionRegistration.objects.filter(participant__email="new@example.org").values_list(
            "status", flat=True
        )
    ) == ["confirmed"]
    assert _emails("new@example.org") == [("registration_confirmed", [plenary.pk])]
