"""The rows the registrations and events hooks write: what each moment plans, moves, pushes
back or cancels (the database, no SMTP)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from events import services as event_services
from notifications.models import OutboxMessage
from notifications.participants import policy as planning
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
        {"sessions": [plenary.pk], "calendar_separately": False},
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


def test_a_new_participants_reminders_are_the_ones_schedule_reminders_plans(register, plenary):
    def reminders() -> list[dict]:
        found = OutboxMessage.objects.filter(kind="session_reminder").order_by("dedupe_key")
        return [
            {
                key: value
                for key, value in row.items()
                if key not in ("id", "created_at", "updated_at")
            }
            for row in found.values()
        ]

    participant = register("ana@example.org", [plenary], timezone="Asia/Tokyo").participant
    written = reminders()
    OutboxMessage.objects.filter(kind="session_reminder").delete()
    planning.schedule_reminders(session=plenary, participants=[participant])
    assert (len(written), reminders()) == (2, written)


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
    second = event_services.update_session(session=first, duration_minutes=90)
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
    event_services.update_session(session=plenary, starts_at=plenary.starts_at + timedelta(hours=1))
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


def reminder_facts(session):
    return list(
        OutboxMessage.objects.filter(kind="session_reminder", session=session)
        .order_by("recipient", "payload__offset", "id")
        .values_list("recipient", "state", "due_at", "timezone", "language", "payload__offset")
    )


def test_changing_time_zone_replans_pending_reminders_with_the_night_rule(register, plenary, api):
    ana = register("ana@example.org", [plenary], timezone="Europe/Paris").participant
    before = sorted(OutboxMessage.objects.values_list("pk", flat=True))
    response = api.patch(
        f"/api/registrations/{ana.token}/",
        {"timezone": "Asia/Tokyo", "language": "fr"},
        format="json",
    )
    assert response.status_code == 200
    # 24 h before is 22:00 in Tokyo: moved to 20:00 there (11:00 UTC); 1 h before stays.
    assert reminder_facts(plenary) == [
        ("ana@example.org", "pending", at(2030, 10, 29, 12, 0), "Asia/Tokyo", "fr", 60),
        ("ana@example.org", "pending", at(2030, 10, 28, 11, 0), "Asia/Tokyo", "fr", 1440),
    ]
    assert sorted(OutboxMessage.objects.values_list("pk", flat=True)) == before


def test_changing_time_zone_back_moves_the_reminder_back(register, plenary):
    ana = register("ana@example.org", [plenary], timezone="Asia/Tokyo").participant
    registration_services.change_registration(participant=ana, timezone="Europe/Paris")
    assert reminder_facts(plenary) == [
        ("ana@example.org", "pending", at(2030, 10, 29, 12, 0), "Europe/Paris", "en", 60),
        ("ana@example.org", "pending", at(2030, 10, 28, 13, 0), "Europe/Paris", "en", 1440),
    ]


def test_a_preference_change_that_leaves_the_zone_moves_no_reminder(register, plenary):
    ana = register("ana@example.org", [plenary], timezone="Asia/Tokyo").participant
    OutboxMessage.objects.filter(kind="session_reminder", payload__offset=60).update(state="sent")
    before = reminder_facts(plenary)
    registration_services.change_registration(participant=ana, name="Ana María")
    assert reminder_facts(plenary) == before
    registration_services.change_registration(participant=ana, timezone="Europe/Paris")
    # A reminder already sent is history: only the pending one moves.
    assert reminder_facts(plenary) == [
        ("ana@example.org", "sent", at(2030, 10, 29, 12, 0), "Asia/Tokyo", "en", 60),
        ("ana@example.org", "pending", at(2030, 10, 28, 13, 0), "Europe/Paris", "en", 1440),
    ]


def test_changing_reminder_offsets_replans_the_pending_reminders_of_each_session(
    register, plenary, autumn_event, organiser
):
    register("ana@example.org", [plenary], timezone="Europe/Paris")
    register("ben@example.org", [plenary], timezone="Asia/Tokyo")
    response = organiser.patch(
        f"/api/events/{autumn_event.slug}/", {"reminder_offsets": [180, 60]}, format="json"
    )
    assert response.status_code == 200
    assert [row[:3] + row[5:] for row in reminder_facts(plenary)] == [
        ("ana@example.org", "pending", at(2030, 10, 29, 12, 0), 60),
        ("ana@example.org", "pending", at(2030, 10, 29, 10, 0), 180),
        ("ana@example.org", "cancelled", at(2030, 10, 28, 13, 0), 1440),
        ("ben@example.org", "pending", at(2030, 10, 29, 12, 0), 60),
        ("ben@example.org", "pending", at(2030, 10, 29, 10, 0), 180),
        ("ben@example.org", "cancelled", at(2030, 10, 28, 11, 0), 1440),
    ]
    # Back to the default: the 24 h reminders come back (same rows), the 3 h ones go.
    event_services.update_event(event=autumn_event, reminder_offsets=[1440, 60])
    assert [row[:3] + row[5:] for row in reminder_facts(plenary)] == [
        ("ana@example.org", "pending", at(2030, 10, 29, 12, 0), 60),
        ("ana@example.org", "cancelled", at(2030, 10, 29, 10, 0), 180),
        ("ana@example.org", "pending", at(2030, 10, 28, 13, 0), 1440),
        ("ben@example.org", "pending", at(2030, 10, 29, 12, 0), 60),
        ("ben@example.org", "cancelled", at(2030, 10, 29, 10, 0), 180),
        ("ben@example.org", "pending", at(2030, 10, 28, 11, 0), 1440),
    ]
    assert OutboxMessage.objects.filter(kind="session_reminder").count() == 6


def test_an_event_change_that_keeps_the_offsets_replans_nothing(register, plenary, autumn_event):
    register("ana@example.org", [plenary], timezone="Europe/Paris")
    OutboxMessage.objects.filter(kind="session_reminder").update(due_at=at(2030, 1, 1, 0, 0))
    event_services.update_event(event=autumn_event, title="Autumn meeting 2030")
    assert {row[2] for row in reminder_facts(plenary)} == {at(2030, 1, 1, 0, 0)}


def test_dropping_a_seat_plans_one_cancel_email_and_cancels_its_reminders(register, plenary):
    ana = register("ana@example.org", [plenary]).participant
    register("ben@example.org", [plenary])
    carla = register("carla@example.org", [plenary]).participant  # waitlisted
    registration_services.drop_session(participant=carla, session=plenary)
    registration_services.drop_session(participant=ana, session=plenary)
    assert sorted(
        OutboxMessage.objects.filter(participant_id__in=[ana.pk, carla.pk])
        .exclude(kind="registration_confirmed")
        .values_list("recipient", "kind", "state")
    ) == [
        ("ana@example.org", "session_dropped", "pending"),
        ("ana@example.org", "session_reminder", "cancelled"),
        ("ana@example.org", "session_reminder", "cancelled"),
    ]


def test_cancelling_a_registration_plans_one_email_and_a_calendar_cancel_per_seat(
    register, plenary, autumn_event
):
    workshop = event_services.create_session(
        event=autumn_event,
        title="Workshop",
        starts_at=at(2030, 10, 30, 13, 0),
        duration_minutes=60,
    )
    ana = register("ana@example.org", [plenary, workshop]).participant
    registration_services.cancel_registration(participant=ana)
    planned = OutboxMessage.objects.filter(kind__in=["session_dropped", "calendar_update"])
    assert sorted(
        (row.kind, row.session.title if row.session else None, row.payload, row.state)
        for row in planned.select_related("session")
        if row.kind == "session_dropped" or row.payload["method"] == "CANCEL"
    ) == [
        ("calendar_update", "Opening plenary", {"method": "CANCEL"}, "pending"),
        ("calendar_update", "Workshop", {"method": "CANCEL"}, "pending"),
        ("session_dropped", None, {"sessions": [plenary.pk, workshop.pk]}, "pending"),
    ]
    # The invitations planned when she registered for both went out of date with her seats.
    assert list(planned.filter(payload__method="REQUEST").values_list("state", flat=True)) == [
        "cancelled",
        "cancelled",
    ]


def test_dropping_two_seats_in_one_change_plans_one_email(register, plenary, autumn_event):
    workshop = event_services.create_session(
        event=autumn_event,
        title="Workshop",
        starts_at=at(2030, 10, 30, 13, 0),
        duration_minutes=60,
    )
    ana = register("ana@example.org", [plenary, workshop]).participant
    registration_services.change_registration(participant=ana, drop=[plenary.pk, workshop.pk])
    assert list(
        OutboxMessage.objects.filter(kind="session_dropped").values_list("session", "payload")
    ) == [(None, {"sessions": [plenary.pk, workshop.pk]})]
    assert (
        OutboxMessage.objects.filter(kind="calendar_update", payload__method="CANCEL").count() == 2
    )
