"""``/join/{token}/``: a confirmed seat's personal join link, attendance, and what it says
otherwise. The meeting URL is the organisers' secret: never in a public answer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from events import services as event_services
from registrations import services as registration_services
from registrations.models import SessionRegistration
from registrations.services.links import join_token

MEETING = "https://meet.example.org/wg-secret"
START = datetime(2026, 4, 28, 12, 0, tzinfo=UTC)


@pytest.fixture
def seats(event):
    """A session with one seat: Ana holds it, Ben waits."""
    session = event_services.create_session(
        event=event,
        title="Working group",
        starts_at=START,
        duration_minutes=60,
        timezone="Europe/Amsterdam",
        capacity=1,
        join_url=MEETING,
        recording_url="https://video.example.org/wg",
    )
    ana = registration_services.register_participant(
        event=event, email="ana@example.org", name="Ana", sessions=[session.pk]
    )
    ben = registration_services.register_participant(
        event=event, email="ben@example.org", name="Ben", sessions=[session.pk]
    )
    return session, ana.session_registrations[0], ben.session_registrations[0]


def path(seat: SessionRegistration) -> str:
    return f"/join/{join_token(seat.pk, seat.participant.token)}/"


def at(monkeypatch, instant: datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: instant)


def test_an_open_session_redirects_a_seat_and_records_attendance(client, seats, monkeypatch):
    _session, seat, _waiting = seats
    at(monkeypatch, START - timedelta(minutes=10))
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql.split()[0])
        return execute(sql, params, many, context)

    link = path(seat)
    with connection.execute_wrapper(record):
        first = client.get(link)
    at(monkeypatch, START + timedelta(minutes=20))
    again = client.get(path(seat))
    seat.refresh_from_db()
    assert (
        first.status_code,
        first["Location"],
        first["Referrer-Policy"],
        first["Cache-Control"],
        again.status_code,
        seat.first_joined_at,
        seat.last_joined_at,
    ) == (
        302,
        MEETING,
        "no-referrer",
        "no-store",
        302,
        START - timedelta(minutes=10),
        START + timedelta(minutes=20),
    )
    # The seat with its session and participant, then the attendance UPDATE: no more.
    assert statements == ["SELECT", "UPDATE"]


def test_before_the_opening_the_page_gives_the_time_and_a_countdown(client, seats, monkeypatch):
    _session, seat, _waiting = seats
    at(monkeypatch, START - timedelta(hours=2))
    response = client.get(path(seat), {"tz": "Asia/Kathmandu"}, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    seat.refresh_from_db()
    assert (
        response.status_code,
        'data-countdown="6300"' in html,  # 1 h 45 min until 15 minutes before the start
        "17:45" in html,  # 12:00 UTC is 17:45 in Kathmandu
        MEETING in html,
        seat.first_joined_at,
    ) == (200, True, True, False, None)


def test_after_the_end_the_page_says_so_and_offers_the_recording(client, seats, monkeypatch):
    _session, seat, _waiting = seats
    at(monkeypatch, START + timedelta(hours=2))
    response = client.get(path(seat), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert (response.status_code, "This session is over." in html, MEETING in html) == (
        200,
        True,
        False,
    )
    assert 'href="https://video.example.org/wg"' in html


def test_a_waitlisted_or_released_seat_or_a_cancelled_session_gets_no_meeting(
    client, seats, monkeypatch
):
    session, seat, waiting = seats
    at(monkeypatch, START)
    waitlisted = client.get(path(waiting), HTTP_ACCEPT_LANGUAGE="en")
    registration_services.drop_session(participant=seat.participant, session=session.pk)
    released = client.get(path(seat), HTTP_ACCEPT_LANGUAGE="en")
    event_services.cancel_session(session=session)
    cancelled = client.get(path(waiting), HTTP_ACCEPT_LANGUAGE="en")
    assert [
        (answer.status_code, answer.has_header("Location"), MEETING in answer.content.decode())
        for answer in (waitlisted, released, cancelled)
    ] == [(200, False, False)] * 3
    assert "waitlist" in waitlisted.content.decode()
    assert "This session was cancelled." in cancelled.content.decode()


@pytest.mark.parametrize(
    "token",
    ["1-" + "0" * 32, "1", "x-" + "a" * 32, "9" * 40 + "-" + "a" * 32, "1-" + "a" * 31],
)
def test_a_forged_or_malformed_token_is_a_404(client, seats, token):
    response = client.get(f"/join/{token}/")
    assert (response.status_code, response["Cache-Control"]) == (404, "no-store")


def test_rotating_the_participants_token_retires_their_join_links(client, seats, monkeypatch):
    _session, seat, _waiting = seats
    at(monkeypatch, START)
    old = path(seat)
    registration_services.rotate_token(participant=seat.participant)
    seat.participant.refresh_from_db()
    assert (client.get(old).status_code, client.get(path(seat)).status_code) == (404, 302)


def test_the_meeting_url_is_in_no_public_answer_only_the_organisers(api, organiser, seats, event):
    session, _seat, _waiting = seats
    public = [
        api.get(f"/api/sessions/{session.pk}/"),
        api.get(f"/api/events/{event.slug}/sessions/"),
        api.get(f"/api/events/{event.slug}/sessions/?tz=Asia/Tokyo"),
        api.get(f"/events/{event.slug}/"),
        api.get(f"/sessions/{session.pk}/"),
        api.get(f"/sessions/{session.pk}.ics"),
        api.get(f"/events/{event.slug}/calendar.ics"),
    ]
    assert [(answer.status_code, MEETING in answer.content.decode()) for answer in public] == [
        (200, False)
    ] * len(public)
    own = organiser.get(f"/api/sessions/{session.pk}/").json()
    listed = organiser.get(f"/api/events/{event.slug}/sessions/").json()
    assert (own["join_url"], [item["join_url"] for item in listed["results"]]) == (
        MEETING,
        [MEETING],
    )


def test_organisers_see_attendance_in_the_api(organiser, client, seats, event, monkeypatch):
    _session, seat, _waiting = seats
    at(monkeypatch, START)
    client.get(path(seat))
    monkeypatch.undo()
    body = organiser.get(f"/api/events/{event.slug}/registrations/").json()
    joined = {
        row["email"]: [item["first_joined_at"] for item in row["sessions"]]
        for row in body["results"]
    }
    assert joined == {"ana@example.org": ["2026-04-28T12:00:00Z"], "ben@example.org": [None]}
