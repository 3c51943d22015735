"""Someone types an address that is already registered for the event into the public form:
nothing changes, and its owner reads (from a real SMTP server on loopback) what was asked,
with a link that applies it; however many requests come, one email an hour at most."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from events import services as event_services
from notifications.models import OutboxMessage
from notifications.outbox import dispatch
from registrations import services as registration_services
from registrations.models import Registration, SessionRegistration

pytestmark = pytest.mark.django_db

REQUEST = "registration_requested"
CONFIRMED = "registration_confirmed"


@pytest.fixture
def workshop(autumn_event):
    """Wednesday 30 October 2030, 15:00–16:00 UTC."""
    return event_services.create_session(
        event=autumn_event,
        title="Metadata workshop",
        starts_at=datetime(2030, 10, 30, 15, 0, tzinfo=UTC),
        duration_minutes=60,
        join_url="https://meet.example/workshop",
    )


def rows() -> list[tuple[str, list[int]]]:
    """The confirmation and request rows, oldest first: (kind, sessions asked)."""
    return [
        (row.kind, row.payload["sessions"])
        for row in OutboxMessage.objects.filter(kind__in=[CONFIRMED, REQUEST]).order_by(
            "due_at", "pk"
        )
    ]


def send_due_now() -> None:
    OutboxMessage.objects.filter(state="pending").update(
        due_at=timezone.now(), next_attempt_at=timezone.now()
    )
    dispatch.drain()


def body(message, content_type: str) -> str:
    [part] = [part for part in message.walk() if part.get_content_type() == content_type]
    return part.get_content()


def test_the_owner_reads_what_was_asked_and_adds_it_with_one_click(
    register, plenary, workshop, autumn_event, smtp_sink, site, client
):
    ana = register("ana@example.org", [plenary], timezone="Asia/Tokyo").participant
    send_due_now()  # the confirmation
    stranger = register("ANA@example.org", [workshop, plenary], name="Mallory")
    assert (stranger.requested, stranger.session_registrations) == (True, [])
    confirmation, request = OutboxMessage.objects.filter(kind__in=[CONFIRMED, REQUEST]).order_by(
        "due_at"
    )
    # One email an hour about the event: the request waits an hour after the confirmation.
    assert request.due_at - confirmation.due_at == timedelta(minutes=60)
    send_due_now()
    message = smtp_sink.messages[-1]
    assert str(message["Subject"]) == "Someone asked to register you: Autumn meeting"
    assert str(message["To"]) == "ana@example.org"
    assert [part.get_content_type() for part in message.walk() if not part.is_multipart()] == [
        "text/plain",
        "text/html",
    ]
    text = body(message, "text/plain")
    apply = (
        f"https://meridian.example/registrations/{ana.token}/?add={workshop.pk}"
        f"#event-{autumn_event.pk}"
    )
    assert [line.strip() for line in text.splitlines() if line.strip()][:8] == [
        "Hello Ana,",
        "Someone, perhaps you, used this address on the registration form of Autumn meeting. "
        "You are already registered for it, so nothing was changed.",
        "These sessions were asked for (times are in Tokyo (Japan Standard Time)):",
        "* Metadata workshop (Autumn meeting)",
        "Thursday, 31 October 2030, 00:00–01:00 (Tokyo, UTC+09:00)",
        "Session's own time: Wednesday, 30 October 2030, 16:00–17:00 (Amsterdam, UTC+01:00)",
        "https://meridian.example/events/autumn/",
        f"To add them, open this link and confirm on the page: {apply}",
    ]
    assert "Join" not in text and "meet.example" not in str(message)
    assert f'href="{apply}"' in body(message, "text/html").replace("&amp;", "&")
    # The link chooses the workshop on the manage page; the owner's click adds it.
    page = client.get(apply.removeprefix("https://meridian.example").split("#")[0])
    html = page.content.decode()
    assert page.status_code == 200
    assert "Someone asked for the sessions chosen below with your address." in html
    assert re.search(
        rf'<input type="radio" name="session-{workshop.pk}" value="{workshop.pk}"[^>]*checked', html
    )
    assert SessionRegistration.objects.filter(session=workshop).count() == 0
    added = client.post(
        f"/registrations/{ana.token}/sessions/",
        {"event": "autumn", f"session-{workshop.pk}": str(workshop.pk)},
    )
    assert added.status_code == 303
    assert list(
        SessionRegistration.objects.filter(participant=ana)
        .order_by("session__starts_at")
        .values_list("session_id", "status")
    ) == [(plenary.pk, "confirmed"), (workshop.pk, "confirmed")]


def test_a_thousand_requests_make_one_email_an_hour_with_everything_asked(
    register, plenary, workshop, smtp_sink, site
):
    ana = register("ana@example.org", [plenary]).participant
    for number in range(1000):
        asked = [workshop] if number % 2 else [plenary]
        register("ana@example.org", asked, name=f"Mallory {number}", language="de")
    # The plenary is held: asking for it adds nothing; the workshop asked 500 times is one row.
    assert rows() == [(CONFIRMED, [plenary.pk]), (REQUEST, [workshop.pk])]
    # Nothing of the registration moved: no new seat, no new name or language.
    ana.refresh_from_db()
    assert (ana.name, ana.language) == ("Ana", "en")
    assert list(ana.session_registrations.values_list("session_id", flat=True)) == [plenary.pk]
    # The request went out; asking again within the hour waits for the hour after it.
    send_due_now()
    sent = OutboxMessage.objects.get(kind=REQUEST)
    register("ana@example.org", [workshop])
    later = OutboxMessage.objects.filter(kind=REQUEST).exclude(pk=sent.pk).get()
    assert later.due_at - sent.due_at == timedelta(minutes=60)
    sent = OutboxMessage.objects.filter(state="sent", kind__in=[CONFIRMED, REQUEST])
    assert sorted(sent.values_list("kind", flat=True)) == [CONFIRMED, REQUEST]


def test_asking_within_the_hour_for_what_is_held_adds_no_email(register, plenary):
    register("ana@example.org", [plenary])
    register("ana@example.org", [plenary])
    register("ana@example.org", [])
    assert rows() == [(CONFIRMED, [plenary.pk])]
    # An hour later, the same request is answered with the owner's links (a lost link).
    OutboxMessage.objects.update(due_at=timezone.now() - timedelta(minutes=61))
    register("ana@example.org", [plenary])
    request = OutboxMessage.objects.get(kind=REQUEST)
    assert (request.payload, abs(request.due_at - timezone.now()) < timedelta(minutes=1)) == (
        {"sessions": [plenary.pk]},
        True,
    )


def test_a_request_for_held_sessions_sends_the_links_only(register, plenary, smtp_sink, site):
    ana = register("ana@example.org", [plenary]).participant
    OutboxMessage.objects.update(state="cancelled")
    register("ana@example.org", [plenary])
    send_due_now()
    [message] = smtp_sink.messages
    text = body(message, "text/plain")
    assert "You already hold every session that was asked for." in text
    assert "?add=" not in text
    assert f"https://meridian.example/registrations/{ana.token}/" in text


def test_a_cancelled_registration_is_not_revived_but_its_owner_can_register_again(
    register, plenary, workshop, smtp_sink, site, client
):
    ana = register("ana@example.org", [plenary]).participant
    registration_services.cancel_registration(participant=ana)
    OutboxMessage.objects.update(state="cancelled")
    assert register("ana@example.org", [workshop]).requested is True
    assert Registration.objects.get(participant=ana).status == "cancelled"
    send_due_now()
    [message] = smtp_sink.messages
    text = body(message, "text/plain")
    assert "Your registration for it is cancelled and stays so unless you register again." in text
    link = re.search(r"To add them.*: https://meridian\.example(\S+)", text).group(1)
    assert link == f"/registrations/{ana.token}/?add={workshop.pk}#event-{workshop.event_id}"
    html = client.get(link.split("#")[0]).content.decode()
    assert "This registration is cancelled. Choose sessions below to register again." in html
    assert "Register again for the chosen sessions" in html
    answer = client.post(
        f"/registrations/{ana.token}/sessions/",
        {"event": "autumn", f"session-{workshop.pk}": str(workshop.pk)},
    )
    assert answer.status_code == 303
    assert Registration.objects.get(participant=ana).status == "registered"
    assert list(
        ana.session_registrations.filter(status="confirmed").values_list("session_id", flat=True)
    ) == [workshop.pk]


def test_the_request_email_is_skipped_once_the_owner_erased_their_data(
    register, plenary, workshop, smtp_sink
):
    ana = register("ana@example.org", [plenary]).participant
    OutboxMessage.objects.update(state="cancelled")
    register("ana@example.org", [workshop])
    registration_services.erase_participant(participant=ana)
    send_due_now()
    assert smtp_sink.messages == []
