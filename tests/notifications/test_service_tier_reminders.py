"""Reminders with real parts: PostgreSQL, Redis, a Celery worker and beat as processes, and
an SMTP server on loopback counting messages by Message-ID."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from core import display
from events import services as event_services
from notifications.models import OutboxMessage

from .bulk import LANGUAGES, seat_participants

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def make_session(*, starts_in: timedelta, offsets: list[int]):
    today = timezone.now().date()
    section = event_services.ensure_section(slug="mlas")
    event = event_services.create_event(
        section=section,
        slug="now",
        title="Meeting",
        timezone="UTC",
        start_date=today - timedelta(days=1),
        end_date=today + timedelta(days=10),
        reminder_offsets=offsets,
    )
    event_services.publish_event(event=event)
    start = (timezone.now() + starts_in).replace(microsecond=0)
    return event_services.create_session(
        event=event, title="Working group", starts_at=start, duration_minutes=60
    )


def reminder_ids(session) -> set[str]:
    return set(
        OutboxMessage.objects.filter(kind="session_reminder", session=session).values_list(
            "message_id", flat=True
        )
    )


def make_due_now(**about) -> None:
    now = timezone.now()
    OutboxMessage.objects.filter(**about).update(due_at=now, next_attempt_at=now)


def outbox_settled(_sink) -> bool:
    return not OutboxMessage.objects.filter(state__in=["pending", "sending"]).exists()


def test_ten_thousand_reminders_are_delivered_none_missing_none_doubled(sink, stack):
    session = make_session(starts_in=timedelta(days=3), offsets=[24 * 60, 60])
    seat_participants(session, 5000)
    expected = reminder_ids(session)
    make_due_now(kind="session_reminder")
    stack.start_worker()
    stack.start_beat()
    # Count first (cheap), then compare the Message-IDs once.
    assert sink.wait_for(lambda s: len(s.handler.messages) >= 10_000, timeout=150), stack.logs()
    assert sink.wait_for(outbox_settled, timeout=30)
    counts = sink.counts()
    by_language = {}
    for message in sink.messages:
        html = message.get_body(("html",)).get_content()
        language = html.split('lang="', 1)[1].split('"', 1)[0]
        by_language[language] = by_language.get(language, 0) + 1
    assert (len(expected), set(counts), max(counts.values())) == (10_000, expected, 1)
    assert OutboxMessage.objects.exclude(state="sent").count() == 0
    assert sorted(by_language.items()) == sorted(
        (language, sum(2 for index in range(5000) if LANGUAGES[index % 7] == language))
        for language in LANGUAGES
    )


def test_a_session_moved_after_its_reminders_were_planned_is_reminded_at_its_new_time_only(
    sink, stack, settings
):
    settings.NOTIFICATIONS_CHANGE_DEBOUNCE_SECONDS = 3600  # the change notices wait
    session = make_session(starts_in=timedelta(hours=3), offsets=[60])
    participants = seat_participants(session, 20)
    planned = reminder_ids(session)
    moved = event_services.update_session(
        session=session, starts_at=timezone.now() + timedelta(minutes=60, seconds=8)
    )
    new_due = moved.starts_at - timedelta(minutes=60)
    stack.start_worker()
    stack.start_beat()
    assert sink.wait_for(lambda s: set(s.counts()) >= planned, timeout=90), stack.logs()
    assert sink.wait_for(
        lambda s: (
            not OutboxMessage.objects.filter(
                kind="session_reminder", state__in=["pending", "sending"]
            ).exists()
        ),
        timeout=30,
    )
    rows = OutboxMessage.objects.filter(kind="session_reminder")
    counts = sink.counts()
    assert (set(counts), max(counts.values()), rows.count()) == (planned, 1, 20)
    assert all(row.sent_at >= new_due == row.due_at for row in rows)
    texts = {m["To"]: m.get_body(("plain",)).get_content() for m in sink.messages}
    assert all(
        display.format_span(
            moved.starts_at, moved.ends_at, zone=person.timezone, language=person.language
        )
        in texts[person.email]
        for person in participants
    )


def test_a_cancelled_session_gets_one_cancellation_and_no_reminder(sink, stack):
    session = make_session(starts_in=timedelta(hours=30), offsets=[24 * 60, 60])
    seat_participants(session, 20)
    make_due_now(kind="session_reminder")
    event_services.cancel_session(session=session)
    expected = set(
        OutboxMessage.objects.filter(kind="session_cancelled").values_list("message_id", flat=True)
    )
    stack.start_worker()
    stack.start_beat()
    assert sink.wait_for(lambda s: set(s.counts()) >= expected, timeout=90), stack.logs()
    assert sink.wait_for(outbox_settled, timeout=30)
    counts = sink.counts()
    assert (len(expected), set(counts), max(counts.values())) == (20, expected, 1)
    assert sorted(OutboxMessage.objects.values_list("kind", "state").distinct()) == [
        ("session_cancelled", "sent"),
        ("session_reminder", "cancelled"),
    ]
