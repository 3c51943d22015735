"""The participant emails as they reach a real SMTP server on loopback: languages, zones,
headers, the iMIP parts parsed back with icalendar, and the rows skipped at send time."""

from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from django.conf import settings
from django.utils import timezone

from events import services as event_services
from notifications.models import OutboxMessage
from notifications.outbox import dispatch
from notifications.participants.renderers import reminders_off_url
from registrations import services as registration_services
from registrations.enums import SeatStatus
from registrations.models import SessionRegistration
from registrations.services.links import personal_join_url

pytestmark = pytest.mark.django_db


def send(kind=None):
    """Make the rows of ``kind`` due now and drain the outbox."""
    rows = OutboxMessage.objects.filter(state="pending")
    if kind:
        rows = rows.filter(kind=kind)
    rows.update(due_at=timezone.now(), next_attempt_at=timezone.now())
    return dispatch.drain()


def parts(message):
    """Content type (with its method) → decoded content, for every leaf part."""
    found = {}
    for part in message.walk():
        if part.is_multipart():
            continue
        key = part.get_content_type()
        if part.get_param("method"):
            key += f";method={part.get_param('method')}"
        if part.get_filename():
            key += f";{part.get_filename()}"
        found[key] = part.get_content()
    return found


def calendar_facts(data):
    calendar = icalendar.Calendar.from_ical(data)
    [event] = calendar.walk("VEVENT")
    return (
        str(calendar["METHOD"]),
        str(event["UID"]),
        int(event["SEQUENCE"]),
        str(event["STATUS"]),
        str(event["ATTENDEE"]),
    )


def feed_facts(api, session):
    calendar = icalendar.Calendar.from_ical(api.get(f"/sessions/{session.pk}.ics").content)
    [event] = calendar.walk("VEVENT")
    return str(event["UID"]), int(event["SEQUENCE"])


def test_confirmation_in_french_for_tokyo_with_invitation_and_links(
    register, plenary, smtp_sink, site, api
):
    ana = register("ana@example.org", [plenary], timezone="Asia/Tokyo", language="fr").participant
    send("registration_confirmed")
    [message] = smtp_sink.messages
    found = parts(message)
    text = found["text/plain"]
    assert message["Subject"] == "Votre inscription à Autumn meeting"
    [seat] = SessionRegistration.objects.filter(participant=ana)
    join = personal_join_url(seat.pk, ana.token)
    assert [line.strip() for line in text.splitlines()[4:8]] == [
        "* Opening plenary (Autumn meeting)",
        "mardi 29 octobre 2030, 22:00–23:30 (Tokyo, UTC+09:00)",
        "Horaire dans le fuseau de la séance : mardi 29 octobre 2030, 14:00–15:30 "
        "(Amsterdam, UTC+01:00)",
        f"Rejoindre : {join}",
    ]
    # The meeting's own URL never leaves the organisers: not in any part, the invitation too.
    assert [key for key, body in found.items() if "meet.example" in str(body)] == []
    assert join.startswith("https://meridian.example/join/")
    assert f"https://meridian.example/registrations/{ana.token}/" in text
    assert f"https://meridian.example/calendars/{ana.token}.ics" in text
    assert '<html lang="fr" dir="ltr">' in found["text/html"]
    request = found["text/calendar;method=REQUEST"]
    attachment = found[f"application/ics;session-{plenary.pk}.ics"]
    uid, sequence = feed_facts(api, plenary)
    assert calendar_facts(request) == calendar_facts(attachment)
    assert calendar_facts(request) == (
        "REQUEST",
        uid,
        sequence,
        "CONFIRMED",
        "mailto:ana@example.org",
    )


def test_confirmation_lists_a_waitlist_place_without_inviting_to_it(
    register, plenary, smtp_sink, site
):
    register("ana@example.org", [plenary])
    register("ben@example.org", [plenary])
    register("carla@example.org", [plenary], timezone="Europe/Madrid", language="es")
    OutboxMessage.objects.exclude(recipient="carla@example.org").update(state="cancelled")
    send()
    [message] = smtp_sink.messages
    found = parts(message)
    assert sorted(found) == ["text/html", "text/plain"]
    assert "En lista de espera (posición 1)" in found["text/plain"]
    assert "martes, 29 de octubre de 2030, 14:00–15:30 (Madrid, UTC+01:00)" in (found["text/plain"])


def test_reminder_in_arabic_with_one_click_off_that_stops_the_next_one(
    register, plenary, smtp_sink, site, client
):
    ana = register("ana@example.org", [plenary], timezone="Asia/Dubai", language="ar").participant
    OutboxMessage.objects.exclude(kind="session_reminder").update(state="cancelled")
    first, second = OutboxMessage.objects.filter(kind="session_reminder").order_by("due_at")
    OutboxMessage.objects.filter(pk=second.pk).update(state="cancelled")
    send()
    [message] = smtp_sink.messages
    url = str(message["List-Unsubscribe"]).strip().strip("<>")
    assert (message["Message-ID"], message["List-Unsubscribe-Post"]) == (
        first.message_id,
        "List-Unsubscribe=One-Click",
    )
    assert url.startswith("https://meridian.example/reminders/")
    found = parts(message)
    assert '<html lang="ar" dir="rtl">' in found["text/html"]
    assert "الثلاثاء، 29 أكتوبر 2030" in found["text/plain"]
    assert "(دبي، UTC+04:00)" in found["text/plain"]
    # English titles keep their order inside the Arabic text (Unicode isolates) and HTML.
    assert "\u2068Opening plenary\u2069 (\u2068Autumn meeting\u2069)" in found["text/plain"]
    assert "<bdi>Opening plenary</bdi>" in found["text/html"]
    assert client.post(url.removeprefix("https://meridian.example")).status_code == 200
    ana.refresh_from_db()
    OutboxMessage.objects.filter(pk=second.pk).update(state="pending")
    result = send()
    second.refresh_from_db()
    assert (ana.reminders, result.skipped, len(smtp_sink.messages)) == (False, 1, 1)
    assert (second.state, second.last_error) == (
        "skipped",
        "the participant switched reminders off",
    )


def test_reminders_off_link_refuses_a_forged_token(client):
    assert client.post("/reminders/1:forged/off/").status_code == 404


def test_rotating_the_token_retires_the_reminders_off_link(register, plenary, client):
    ana = register("ana@example.org", [plenary]).participant
    old = reminders_off_url(ana).removeprefix(settings.SITE_URL)
    registration_services.rotate_token(participant=ana)
    ana.refresh_from_db()
    new = reminders_off_url(ana).removeprefix(settings.SITE_URL)
    answers = (client.post(old).status_code, client.post(new).status_code)
    ana.refresh_from_db()
    assert (answers, ana.reminders) == ((404, 200), False)


def test_two_edits_make_one_change_notice_with_the_updated_invitation(
    register, plenary, smtp_sink, site, api
):
    register("ana@example.org", [plenary], timezone="America/New_York", language="de")
    OutboxMessage.objects.update(state="cancelled")
    moved = event_services.update_session(
        session=plenary, starts_at=datetime(2030, 11, 5, 15, 0, tzinfo=UTC)
    )
    event_services.update_session(session=moved, duration_minutes=60)
    send("session_changed")
    [message] = smtp_sink.messages
    found = parts(message)
    text = found["text/plain"]
    [seat] = SessionRegistration.objects.filter(session=plenary)
    assert message["Subject"] == "Geändert: Opening plenary"
    assert (
        "Dienstag, 5. November 2030, 10:00–11:00 (New York, UTC-05:00)" in text,
        "Bisher: Dienstag, 29. Oktober 2030, 09:00–10:30 (New York, UTC-04:00)" in text,
        f"Teilnehmen: {personal_join_url(seat.pk, seat.participant.token)}" in text,
        "meet.example" in text,
    ) == (True, True, True, False)
    uid, sequence = feed_facts(api, plenary)
    assert calendar_facts(found["text/calendar;method=REQUEST"]) == (
        "REQUEST",
        uid,
        sequence,
        "CONFIRMED",
        "mailto:ana@example.org",
    )
    assert sequence == 2  # two edits of the time, one notice


def test_edits_undone_before_the_notice_is_due_send_nothing(register, plenary, smtp_sink, site):
    register("ana@example.org", [plenary])
    OutboxMessage.objects.update(state="cancelled")
    starts = plenary.starts_at
    moved = event_services.update_session(session=plenary, starts_at=starts + timedelta(hours=1))
    event_services.update_session(session=moved, starts_at=starts)
    result = send("session_changed")
    assert (result.sent, result.skipped, smtp_sink.messages) == (0, 1, [])


def test_a_new_meeting_url_sends_no_email_the_personal_links_follow(
    register, plenary, smtp_sink, site, client
):
    ana = register("ana@example.org", [plenary]).participant
    OutboxMessage.objects.update(state="cancelled")
    sequence = plenary.sequence
    moved = event_services.update_session(session=plenary, join_url="https://meet.example/room-b")
    [seat] = SessionRegistration.objects.filter(participant=ana)
    assert (
        moved.sequence,
        OutboxMessage.objects.filter(kind="session_changed").count(),
        SeatStatus.CONFIRMED,
    ) == (sequence, 0, seat.status)


def test_cancellation_carries_cancel_for_a_seat_and_none_for_a_waitlist_place(
    register, plenary, smtp_sink, site, api
):
    register("ana@example.org", [plenary], language="ru", timezone="Europe/Moscow")
    register("ben@example.org", [plenary])
    register("carla@example.org", [plenary])
    OutboxMessage.objects.update(state="cancelled")
    event_services.cancel_session(session=plenary)
    send()
    received = {message["To"]: parts(message) for message in smtp_sink.messages}
    uid, sequence = feed_facts(api, plenary)
    assert {to: sorted(found) for to, found in received.items()} == {
        "ana@example.org": [
            f"application/ics;session-{plenary.pk}.ics",
            "text/calendar;method=CANCEL",
            "text/html",
            "text/plain",
        ],
        "ben@example.org": [
            f"application/ics;session-{plenary.pk}.ics",
            "text/calendar;method=CANCEL",
            "text/html",
            "text/plain",
        ],
        "carla@example.org": ["text/html", "text/plain"],
    }
    assert calendar_facts(received["ana@example.org"]["text/calendar;method=CANCEL"]) == (
        "CANCEL",
        uid,
        sequence,
        "CANCELLED",
        "mailto:ana@example.org",
    )
    assert "вторник, 29 октября 2030" in received["ana@example.org"]["text/plain"]
    assert (
        sorted(OutboxMessage.objects.filter(kind="session_reminder").values_list("state"))
        == [("cancelled",)] * 4
    )


def test_promotion_and_recording_emails(register, plenary, smtp_sink, site):
    ana = register("ana@example.org", [plenary]).participant
    register("ben@example.org", [plenary])
    register("carla@example.org", [plenary], language="zh-hans", timezone="Asia/Shanghai")
    registration_services.drop_session(participant=ana, session=plenary)
    event_services.update_session(session=plenary, recording_url="https://video.example/1")
    OutboxMessage.objects.exclude(kind__in=["waitlist_promoted", "recording_available"]).update(
        state="cancelled"
    )
    send()
    received = sorted((message["To"], message["Subject"]) for message in smtp_sink.messages)
    assert received == [
        ("ben@example.org", "Recording available: Opening plenary"),
        ("carla@example.org", "录像可供观看：Opening plenary"),
        ("carla@example.org", "您已获得席位：Opening plenary"),
    ]
    promoted = next(m for m in smtp_sink.messages if m["Subject"].startswith("您已获得席位"))
    found = parts(promoted)
    assert "2030年10月29日星期二 21:00–22:30（上海，UTC+08:00）" in found["text/plain"]
    assert calendar_facts(found["text/calendar;method=REQUEST"])[0] == "REQUEST"


def test_rows_no_longer_true_are_skipped_with_their_reason(register, plenary, smtp_sink, site):
    ana = register("ana@example.org", [plenary]).participant
    ben = register("ben@example.org", [plenary]).participant
    reminder = OutboxMessage.objects.filter(kind="session_reminder", participant_id=ana.pk)
    reminder.update(payload={"offset": 60, "starts_at": "2030-10-28T13:00:00+00:00"})
    registration_services.cancel_registration(participant=ben)
    OutboxMessage.objects.filter(participant_id=ben.pk).update(state="pending")
    send()
    assert sorted(
        OutboxMessage.objects.filter(state="skipped").values_list("recipient", "kind", "last_error")
    ) == [
        (
            "ana@example.org",
            "session_reminder",
            "the session moved since this reminder was planned",
        ),
        (
            "ana@example.org",
            "session_reminder",
            "the session moved since this reminder was planned",
        ),
        ("ben@example.org", "registration_confirmed", "the registration was cancelled"),
        ("ben@example.org", "session_reminder", "the participant has no seat in the session"),
        ("ben@example.org", "session_reminder", "the participant has no seat in the session"),
    ]
    # Ben's calendar still hears that his seat is gone (the iMIP CANCEL).
    assert sorted((message["To"], message["Subject"]) for message in smtp_sink.messages) == [
        ("ana@example.org", "Your registration for Autumn meeting"),
        ("ben@example.org", "Place given up: Opening plenary"),
    ]


def test_a_seat_given_up_gets_a_short_email_whose_cancel_removes_it_from_the_calendar(
    register, plenary, smtp_sink, site, api
):
    ana = register("ana@example.org", [plenary], timezone="Europe/Berlin", language="de")
    OutboxMessage.objects.update(state="cancelled")
    api.patch(
        f"/api/registrations/{ana.participant.token}/",
        {"drop_sessions": [plenary.pk]},
        format="json",
    )
    result = send()
    [message] = smtp_sink.messages
    found = parts(message)
    uid, sequence = feed_facts(api, plenary)
    assert (result.sent, message["To"], message["Subject"]) == (
        1,
        "ana@example.org",
        "Platz freigegeben: Opening plenary",
    )
    assert sorted(found) == [
        f"application/ics;session-{plenary.pk}.ics",
        "text/calendar;method=CANCEL",
        "text/html",
        "text/plain",
    ]
    assert calendar_facts(found["text/calendar;method=CANCEL"]) == (
        "CANCEL",
        uid,
        sequence,
        "CANCELLED",
        "mailto:ana@example.org",
    )
    text = found["text/plain"]
    assert (
        "Dienstag, 29. Oktober 2030, 14:00–15:30 (Berlin, UTC+01:00)" in text,
        "https://meet.example/plenary" in text,
        f"https://meridian.example/registrations/{ana.participant.token}/" in text,
    ) == (True, False, True)


def test_a_seat_taken_again_before_the_email_goes_sends_no_cancel(
    register, plenary, smtp_sink, site
):
    ana = register("ana@example.org", [plenary]).participant
    OutboxMessage.objects.update(state="cancelled")
    registration_services.drop_session(participant=ana, session=plenary)
    registration_services.add_sessions(participant=ana, sessions=[plenary.pk])
    OutboxMessage.objects.exclude(kind="session_dropped").update(state="cancelled")
    result = send()
    assert (result.sent, result.skipped, smtp_sink.messages) == (0, 1, [])
    assert list(
        OutboxMessage.objects.filter(kind="session_dropped").values_list("state", "last_error")
    ) == [("skipped", "the participant holds a place in the session again")]


def test_subjects_are_plain_text_not_html_escaped(register, plenary, autumn_event, smtp_sink):
    event_services.update_event(event=autumn_event, title="Communities' R&D <meeting>")
    register("ana@example.org", [plenary], timezone="Asia/Tokyo")
    send("registration_confirmed")
    [message] = smtp_sink.messages
    html = parts(message)["text/html"]
    assert message["Subject"] == "Your registration for Communities' R&D <meeting>"
    # The HTML part stays escaped, and the title is isolated from the text around it.
    assert "<bdi>Communities&#x27; R&amp;D &lt;meeting&gt;</bdi>" in html


def test_several_seats_in_one_action_make_one_email_and_one_imip_message_per_uid(
    register, plenary, autumn_event, smtp_sink, site, api
):
    workshop = event_services.create_session(
        event=autumn_event,
        title="Workshop",
        starts_at=datetime(2030, 10, 30, 13, tzinfo=UTC),
        duration_minutes=60,
    )
    ana = register("ana@example.org", [plenary, workshop], timezone="Europe/Berlin").participant
    send()
    joined = sorted(smtp_sink.messages, key=lambda message: message["Subject"])
    invitations = {}
    for message in joined:
        found = parts(message)
        if "text/calendar;method=REQUEST" in found:
            invitations[message["Subject"]] = calendar_facts(found["text/calendar;method=REQUEST"])
            assert found["text/plain"].strip() in (
                "This message adds “Opening plenary” to your calendar.",
                "This message adds “Workshop” to your calendar.",
            )
    [confirmation] = [m for m in joined if m["Subject"].startswith("Your registration")]
    confirmation_parts = parts(confirmation)
    assert sorted(confirmation_parts) == ["text/html", "text/plain"]
    assert "Opening plenary" in confirmation_parts["text/plain"]
    assert "Workshop" in confirmation_parts["text/plain"]
    assert "follows in a message of its own" in confirmation_parts["text/plain"]
    assert invitations == {
        "Calendar: Opening plenary": (
            "REQUEST",
            *feed_facts(api, plenary),
            "CONFIRMED",
            "mailto:ana@example.org",
        ),
        "Calendar: Workshop": (
            "REQUEST",
            *feed_facts(api, workshop),
            "CONFIRMED",
            "mailto:ana@example.org",
        ),
    }
    before = len(smtp_sink.messages)
    registration_services.cancel_registration(participant=ana)
    send()
    left = sorted(smtp_sink.messages[before:], key=lambda message: message["Subject"])
    assert [message["Subject"] for message in left] == [
        "Calendar: Opening plenary removed",
        "Calendar: Workshop removed",
        "Places given up: Autumn meeting",
    ]
    cancels = [calendar_facts(parts(m)["text/calendar;method=CANCEL"]) for m in left[:2]]
    assert [(method, uid, status) for method, uid, _seq, status, _who in cancels] == [
        ("CANCEL", feed_facts(api, plenary)[0], "CANCELLED"),
        ("CANCEL", feed_facts(api, workshop)[0], "CANCELLED"),
    ]
    summary = parts(left[2])
    assert sorted(summary) == ["text/html", "text/plain"]
    assert "Opening plenary" in summary["text/plain"] and "Workshop" in summary["text/plain"]


@pytest.mark.parametrize("note", [True, False], ids=["note on", "note off"])
def test_the_recording_email_tells_a_confirmed_no_show_they_were_missed_if_the_event_says_so(
    register, plenary, autumn_event, smtp_sink, site, note
):
    event_services.update_event(event=autumn_event, missed_you_note=note)
    ana = register("ana@example.org", [plenary]).participant
    register("ben@example.org", [plenary])
    register("carla@example.org", [plenary])  # waitlisted: not a no-show
    SessionRegistration.objects.filter(participant=ana).update(
        first_joined_at=plenary.starts_at, last_joined_at=plenary.starts_at
    )
    event_services.update_session(session=plenary, recording_url="https://video.example/1")
    OutboxMessage.objects.exclude(kind="recording_available").update(state="cancelled")
    send()
    missed = "We are sorry we missed you at this session. Its recording lets you catch up:"
    available = "The recording of this session is available:"
    seen = sorted(
        (
            str(message["To"]),
            missed in parts(message)["text/plain"],
            missed in parts(message)["text/html"],
            available in parts(message)["text/plain"],
        )
        for message in smtp_sink.messages
    )
    assert seen == [
        ("ana@example.org", False, False, True),
        ("ben@example.org", note, note, not note),
        ("carla@example.org", False, False, True),
    ]
