"""A database made by the migrations of an earlier release, with data in it, migrates forward
to today's without losing a row.

``RELEASED`` names the last migration of each app at the structure change (commit 56511ba);
the test builds a database there through the historical models, migrates to the leaves and
reads the rows back through today's models and services. A new migration that drops or
mangles data fails it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from events.models import Event, Session
from notifications.models import OutboxMessage
from registrations import selectors as registration_selectors
from registrations.models import Participant, SessionRegistration

RELEASED = [
    ("events", "0002_load_regions"),
    ("registrations", "0004_lean_indexes"),
    ("notifications", "0004_lean_indexes"),
]
START = datetime(2027, 4, 28, 13, tzinfo=UTC)


def _fill(apps) -> None:
    Section = apps.get_model("events", "Section")
    Event = apps.get_model("events", "Event")
    Session = apps.get_model("events", "Session")
    Region = apps.get_model("events", "Region")
    Participant = apps.get_model("registrations", "Participant")
    Registration = apps.get_model("registrations", "Registration")
    Place = apps.get_model("registrations", "SessionRegistration")
    Outbox = apps.get_model("notifications", "OutboxMessage")
    section = Section.objects.create(slug="mlas", name="MLAS")
    event = Event.objects.create(
        section=section,
        slug="midterm",
        title="Midterm meeting",
        timezone="America/New_York",
        start_date=START.date(),
        end_date=START.date() + timedelta(days=2),
        status="published",
        languages=["en", "fr"],
        reminder_offsets=[1440, 60],
    )
    session = Session.objects.create(
        event=event,
        title="Opening",
        description="",
        starts_at=START,
        ends_at=START + timedelta(hours=1),
        timezone="America/New_York",
        capacity=10,
        join_url="https://meet.example.org/opening",
    )
    session.regions.add(Region.objects.get(code="europe"))
    participant = Participant.objects.create(
        email="ana@example.org",
        name="Ana",
        timezone="Europe/Lisbon",
        language="fr",
        token="t" * 43,
        token_hash="h" * 64,
        privacy_consented_at=START - timedelta(days=30),
    )
    registration = Registration.objects.create(participant=participant, event=event)
    Place.objects.create(
        registration=registration,
        participant=participant,
        session=session,
        status="confirmed",
        confirmed_at=START - timedelta(days=30),
    )
    Outbox.objects.create(
        kind="session_reminder",
        recipient="ana@example.org",
        dedupe_key="reminder:1",
        message_id="<reminder-1@example.org>",
        due_at=START - timedelta(hours=1),
        next_attempt_at=START - timedelta(hours=1),
        language="fr",
        timezone="Europe/Lisbon",
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_released_database_with_data_migrates_forward_without_loss():
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate(RELEASED)
    try:
        _fill(MigrationExecutor(connection).loader.project_state(RELEASED).apps)
        MigrationExecutor(connection).migrate(leaves)
    finally:
        MigrationExecutor(connection).migrate(leaves)
    event = Event.objects.get(slug="midterm")
    session = Session.objects.get(event=event)
    participant = Participant.objects.get(email="ana@example.org")
    [place] = SessionRegistration.objects.filter(participant=participant)
    assert (
        event.languages,
        event.reminder_offsets,
        session.join_url,
        [region.code for region in session.regions.all()],
        participant.language,
        place.status,
        [item.pk for item in registration_selectors.sessions_for_participant(participant)],
    ) == (
        ["en", "fr"],
        [1440, 60],
        "https://meet.example.org/opening",
        ["europe"],
        "fr",
        "confirmed",
        [session.pk],
    )
    assert list(OutboxMessage.objects.values_list("dedupe_key", "state")) == [
        ("reminder:1", "pending")
    ]
