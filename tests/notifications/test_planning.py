"""The rows the registrations and events hooks write: what each moment plans, moves, pushes
back or cancels (the database, no SMTP)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from events import services as event_services
from notifications.models import OutboxMessage
from registrations import services as registration_services

pytestmark = pytest.mark.django_db


def rows(**about):
    return list(
        OutboxMessage.objects.filter(**about)
        .order_by("kind", "recipient", "due_at", "id")
        .values_list("kind", "recipient", "state", "due_at", "payload")
    )


def reminders_of(session):
    return rows(kind="session_reminder", session=session)


def at(*parts):
    return datetime(*parts, tzinfo=UTC)


def test_registration_plans_a_confirmation_and_reminders_with_the_night_rule(register, plenary):
    register("ana@example.org", [plenary], timezone="Asia/Tokyo", language="fr")
    start = plenary.starts_at.isoformat()
    confirmation = OutboxMessage.objects.get(kind="registration_confirmed")
    assert (confirmation.recipient, confirmation.language, confirmation.payload) == (
        "ana@example.org",
        "fr",
        {"sessions": [plenary.pk]},
    )
    assert confirmation.due_at <= timezone.now()
    # 24 h before is 22:00 in Tokyo: moved to 20:00 there (11:00 UTC); 1 h before stays.
    assert reminders_of(plenary) == [
        (
            "session_reminder",
            "ana@example.org",
            "pending",
            at(2030, 10, 28, 11, 0),
            {"offset": 1440, "starts_at": start},
        ),
        (
            "session_reminder",
            "ana@example.org",
            "pending",
            at(2030, 10, 29, 12, 0),
            {"offset": 60, "starts_at": start},
        ),
    ]


def test_registering_again_the_same_way_plans_nothing_more(register, plenary):
    register("ana@example.org", [plenary], timezone="Europe/Paris")
    register("ana@example.org", [plenary], timezone="Europe/Paris")
    assert OutboxMessage.objects.values_list("kind").order_by("kind").count() == 3


def test_waitlisted_places_get_no_reminders_until_promoted(register, plenary):
    register("ana@example.org", [plenary], timezone="Europe/Paris")
    register("ben@example.org", [plenary], timezone="Europe/Paris")
    carla = register("carla@example.org", [plenary], timezone="America/New_York").participant
    assert {row[1] for row in reminders_of(plenary)} == {"ana@example.org", "ben@example.org"}
    registration_services.drop_session(participant=carla, session=plenary)  # waitlisted: nothing
    ana = registration_services.drop_session(
        participant=register("ana@example.org").participant, session=plenary
    )
    assert ana.status == "cancelled"
    assert [(row[1], row[2]) for row in rows(kind="waitlist_promoted")] == []
    assert [(row[1], row[2]) for row in reminders_of(plenary)] == [
        ("ana@example.org", "cancelled"),
        ("ana@example.org", "cancelled"),
        ("ben@example.org", "pending"),
        ("ben@example.org", "pending"),
    ]


def test_a_released_seat_promotes_the_waitlist_with_a_notice_and_reminders(register, plenary):
    ana = register("ana@example.org", [plenary], timezone="Europe/Paris").participant
    register("ben@example.org", [plenary], timezone="Europe/Paris")
    register("carla@example.org", [plenary], timezone="America/New_York", language="es")
    registration_services.drop_session(participant=ana, session=plenary)
    assert [(row[1], row[2]) for row in rows(kind="waitlist_promoted")] == [
        ("carla@example.org", "pending")
    ]
    assert [(row[1], row[2], row[3]) for row in reminders_of(plenary) if row[2] == "pending"] == [
        ("ben@example.org", "pending", at(2030, 10, 28, 13, 0)),
        ("ben@example.org", "pending", at(2030, 10, 29, 12, 0)),
        # 24 h before is 09:00 in New York (still summer time there until 3 November).
        ("carla@example.org", "pending", at(2030, 10, 28, 13, 0)),
        ("carla@example.org", "pending", at(2030, 10, 29, 12, 0)),
    ]


def test_rescheduling_moves_pending_reminders_and_plans_one_debounced_notice(
    register, plenary, settings
):
    settings.NOTIFICATIONS_CHANGE_DEBOUNCE_SECONDS = 300
    register("ana@example.org", [plenary], timezone="Europe/Paris")
    before = set(OutboxMessage.objects.filter(kind="session_reminder").values_list("pk", flat=True))
    first = event_services.update_session(
        session=plenary, starts_at=at(2030, 10, 30, 9, 0), duration_minutes=60
    )
    notice = OutboxMessage.objects.get(kind="session_changed")
    first_due = notice.due_at
    second = event_services.update_session(session=first, join_url="https://meet.example/new")
    notice.refresh_from_db()
    start = second.starts_at.isoformat()
    assert (
        set(
            OutboxMessage.objects.filter(kind="session_reminder", state="pending").values_list(
                "pk", flat=True
            )
        )
        == before
    )
    assert [(row[2], row[3], row[4]) for row in reminders_of(plenary)] == [
        ("pending", at(2030, 10, 29, 9, 0), {"offset": 1440, "starts_at": start}),
        ("pending", at(2030, 10, 30, 8, 0), {"offset": 60, "starts_at": start}),
    ]
    assert OutboxMessage.objects.filter(kind="session_changed").count() == 1
    assert (notice.state, notice.due_at > first_due, notice.payload) == (
        "pending",
        True,
        {
            "previous": {
                "starts_at": "2030-10-29T13:00:00+00:00",
                "ends_at": "2030-10-29T14:30:00+00:00",
                "join_url": "https://meet.example/plenary",
            }
        },
    )
    assert timedelta(seconds=299) < notice.due_at - timezone.now() <= timedelta(seconds=300)


def test_a_title_change_alone_tells_no_one(register, plenary):
    register("ana@example.org", [plenary])
    event_services.update_session(session=plenary, title="Opening plenary (room 2)")
    assert rows(kind="session_changed") == []


def test_cancelling_cancels_pending_reminders_and_notices_and_plans_one_cancellation_each(
    register, plenary
):
    register("ana@example.org", [plenary])
    register("ben@example.org", [plenary])
    register("carla@example.org", [plenary])  # waitlisted: told too
    event_services.update_session(session=plenary, join_url="https://meet.example/other")
    event_services.cancel_session(session=plenary)
    event_services.cancel_session(session=plenary)  # twice: nothing more
    assert {
        kind: sorted(OutboxMessage.objects.filter(kind=kind).values_list("recipient", "state"))
        for kind in ("session_reminder", "session_changed", "session_cancelled")
    } == {
        "session_reminder": [("ana@example.org", "cancelled")] * 2
        + [("ben@example.org", "cancelled")] * 2,
        "session_changed": [("ana@example.org", "cancelled"), ("ben@example.org", "cancelled")],
        "session_cancelled": [
            ("ana@example.org", "pending"),
            ("ben@example.org", "pending"),
            ("carla@example.org", "pending"),
        ],
    }


def test_restoring_a_cancelled_session_revives_its_reminders_and_drops_the_cancellation(
    register, plenary
):
    register("ana@example.org", [plenary])
    reminder_ids = sorted(
        OutboxMessage.objects.filter(kind="session_reminder").values_list("pk", flat=True)
    )
    event_services.cancel_session(session=plenary)
    event_services.update_session(session=plenary, status="scheduled")
    assert (
        sorted(
            OutboxMessage.objects.filter(kind="session_reminder", state="pending").values_list(
                "pk", flat=True
            )
        )
        == reminder_ids
    )
    assert sorted(OutboxMessage.objects.values_list("kind", "state")) == [
        ("registration_confirmed", "pending"),
        ("session_cancelled", "cancelled"),
        ("session_changed", "pending"),
        ("session_reminder", "pending"),
        ("session_reminder", "pending"),
    ]


def test_a_reminder_sent_for_the_old_time_is_planned_anew_for_the_new_one(register, plenary):
    ana = register("ana@example.org", [plenary]).participant
    OutboxMessage.objects.filter(kind="session_reminder").update(state="sent")
    moved = at(2030, 11, 4, 13, 0)
    event_services.update_session(session=plenary, starts_at=moved)
    event_services.update_session(session=plenary, starts_at=moved)
    key = f"reminder:{ana.pk}:{plenary.pk}"
    assert sorted(
        OutboxMessage.objects.filter(kind="session_reminder").values_list(
            "state", "dedupe_key", "due_at"
        )
    ) == [
        ("pending", f"{key}:1440:{int(moved.timestamp())}", at(2030, 11, 3, 13, 0)),
        ("pending", f"{key}:60:{int(moved.timestamp())}", at(2030, 11, 4, 12, 0)),
        ("sent", f"{key}:1440", at(2030, 10, 28, 13, 0)),
        ("sent", f"{key}:60", at(2030, 10, 29, 12, 0)),
    ]


def test_erasing_a_participant_cancels_their_emails_and_removes_their_address(register, plenary):
    ana = register("ana@example.org", [plenary]).participant
    OutboxMessage.objects.filter(kind="registration_confirmed").update(state="sent")
    registration_services.erase_participant(participant=ana)
    assert sorted(OutboxMessage.objects.values_list("kind", "recipient", "state")) == [
        ("registration_confirmed", f"erased-{ana.pk}@erased.invalid", "sent"),
        ("session_reminder", f"erased-{ana.pk}@erased.invalid", "cancelled"),
        ("session_reminder", f"erased-{ana.pk}@erased.invalid", "cancelled"),
    ]


def test_publishing_a_recording_tells_each_participant_once(register, plenary):
    register("ana@example.org", [plenary])
    event_services.update_session(session=plenary, recording_url="https://video.example/1")
    event_services.update_session(session=plenary, recording_url="https://video.example/2")
    assert [(row[1], row[2]) for row in rows(kind="recording_available")] == [
        ("ana@example.org", "pending")
    ]


def test_a_failing_change_rolls_its_rows_back(register, plenary):
    register("ana@example.org", [plenary])
    before = rows()
    with pytest.raises(Exception, match="within the event's dates"):
        event_services.update_session(session=plenary, starts_at=at(2031, 1, 1, 12, 0))
    assert rows() == before
