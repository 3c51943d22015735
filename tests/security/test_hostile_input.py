"""Hostile input gets a clear 4xx, never a 500: control characters in query strings, years a
session can't hold, an oversized description; drafts and cancelled events take no
registration and answer it as unknown ones."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from events import services
from events.models import Session

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/api/events/?section=%00",
        "/api/events/midterm/sessions/?tz=Europe%2FBer%00lin",
        "/api/events/?%01=x",
        "/events/midterm/?tz=%1F",
        "/?q=%7F",
    ],
)
def test_control_characters_in_a_query_string_are_a_400(api, event, url):
    answer = api.get(url, HTTP_ACCEPT_LANGUAGE="en")
    message = "The address contains control characters: remove them and try again."
    body = answer.json()["detail"] if url.startswith("/api/") else answer.content.decode()
    assert (answer.status_code, body) == (400, message)


def test_the_control_character_message_is_translated(api, event):
    answer = api.get("/api/events/?section=%00", HTTP_ACCEPT_LANGUAGE="de")
    assert (answer.status_code, answer.json()["detail"].startswith("Die Adresse")) == (400, True)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"starts_at": "9999-12-31T23:30:00-05:00"}, "starts_at"),
        ({"starts_at": "0001-01-01T00:30:00+09:00"}, "starts_at"),
        ({"local_start": "0001-01-01T00:30:00", "timezone": "Asia/Tokyo"}, "local_start"),
        ({"local_start": "9999-12-31T23:59:00", "timezone": "Pacific/Kiritimati"}, "local_start"),
    ],
)
def test_years_a_session_cannot_hold_are_a_400_that_says_so(organiser, event, values, field):
    answer = organiser.post(
        f"/api/events/{event.slug}/sessions/",
        {"title": "Far away", "duration_minutes": 60, **values},
        format="json",
    )
    assert (answer.status_code, answer.json(), Session.objects.count()) == (
        400,
        {field: ["Give a day between 1973-01-01 and 2199-12-31."]},
        0,
    )


def test_a_description_over_the_maximum_is_refused_and_nothing_is_written(organiser, event):
    base = {"title": "Long", "starts_at": "2026-04-28T10:00:00Z", "duration_minutes": 60}
    too_long = organiser.post(
        f"/api/events/{event.slug}/sessions/",
        {**base, "description": "x" * 20_001},
        format="json",
    )
    at_most = organiser.post(
        f"/api/events/{event.slug}/sessions/", {**base, "description": "x" * 20_000}, format="json"
    )
    event_answer = organiser.patch(
        f"/api/events/{event.slug}/", {"description": "y" * 20_001}, format="json"
    )
    assert (
        too_long.status_code,
        too_long.json(),
        at_most.status_code,
        event_answer.status_code,
        Session.objects.count(),
    ) == (
        400,
        {"description": ["Ensure this field has no more than 20000 characters."]},
        201,
        400,
        1,
    )


def test_a_draft_or_cancelled_event_answers_a_registration_as_an_unknown_one(api, section):
    answers = {}
    for slug, status in (("draft", "draft"), ("gone", "cancelled")):
        event = services.create_event(
            section=section,
            slug=slug,
            title=f"Secret {slug}",
            timezone="UTC",
            start_date=date(2030, 1, 1),
            end_date=date(2030, 1, 2),
        )
        session = services.create_session(
            event=event,
            title="S",
            starts_at=datetime(2030, 1, 1, 12, tzinfo=UTC),
            duration_minutes=60,
        )
        if status == "cancelled":
            services.publish_event(event=event)
            services.cancel_event(event=event)
        answer = api.post(
            f"/api/events/{slug}/registrations/",
            {"email": "a@example.org", "name": "A", "sessions": [session.pk]},
            format="json",
        )
        answers[slug] = (answer.status_code, answer.json())
    unknown = api.post("/api/events/nope/registrations/", {"email": "a@example.org"}, format="json")
    assert answers == {
        "draft": (404, unknown.json()),
        "gone": (404, unknown.json()),
    }
    assert unknown.status_code == 404
