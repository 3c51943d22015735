"""The events API: public reads, organiser writes, time rules at the edge, filters and errors."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from events import services
from events.enums import EventStatus, SessionStatus
from events.models import Event, Session

pytestmark = pytest.mark.django_db


def make_session(event, **values):
    values.setdefault("title", "Working group")
    values.setdefault("starts_at", datetime(2026, 4, 28, 12, 0, tzinfo=UTC))
    values.setdefault("duration_minutes", 90)
    return services.create_session(event=event, **values)


def test_regions_list_has_the_six_regions(api):
    response = api.get("/api/regions/")
    assert response.status_code == 200
    assert [region["code"] for region in response.json()] == [
        "africa",
        "asia-oceania",
        "europe",
        "latin-america-caribbean",
        "middle-east-north-africa",
        "north-america",
    ]
    europe = response.json()[2]
    assert europe["name"] == "Europe"
    assert europe["zones"] == ["Europe/London", "Europe/Berlin", "Europe/Moscow"]
    assert "FR" in europe["countries"]


def test_regions_names_are_translated(api):
    response = api.get("/api/regions/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.json()[2]["name"] == "Europe"
    assert response.json()[3]["name"] == "Amérique latine et Caraïbes"


def test_event_create_by_organiser(organiser):
    response = organiser.post(
        "/api/events/",
        {
            "section": "mlas",
            "slug": "midterm-2026",
            "title": "Midterm",
            "timezone": "Europe/Amsterdam",
            "start_date": "2026-04-28",
            "end_date": "2026-04-30",
            "languages": ["en", "ar"],
            "reminder_offsets": [60, 1440],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {key: body[key] for key in ("slug", "section", "status", "reminder_offsets")} == {
        "slug": "midterm-2026",
        "section": "mlas",
        "status": "draft",
        "reminder_offsets": [1440, 60],
    }


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"timezone": "UTC+2"}, "timezone", "is a fixed offset, not a time zone"),
        ({"timezone": "Moon/Base"}, "timezone", "is not a known time zone"),
        ({"end_date": "2026-04-01"}, "end_date", "cannot come before the first day"),
        ({"languages": ["pt"]}, "languages", "is not a valid choice"),
        ({"reminder_offsets": [0]}, "reminder_offsets", "greater than or equal to 1"),
        ({"section": "nope"}, "section", "No section has this slug."),
    ],
)
def test_event_create_refuses_bad_input(organiser, changes, field, message):
    payload = {
        "section": "mlas",
        "slug": "bad",
        "title": "Bad",
        "timezone": "Europe/Amsterdam",
        "start_date": "2026-04-28",
        "end_date": "2026-04-30",
        **changes,
    }
    response = organiser.post("/api/events/", payload, format="json")
    assert response.status_code == 400
    assert message in str(response.json()[field])
    assert not Event.objects.filter(slug="bad").exists()


def test_event_create_anonymous_is_401(api, section):
    response = api.post("/api/events/", {"section": "mlas"}, format="json")
    assert response.status_code == 401


def test_organiser_cannot_touch_another_sections_event(make_organiser, event):
    other, _section = make_organiser("intruder", "other-section")
    create = other.post(
        "/api/events/",
        {
            "section": "mlas",
            "slug": "hijack",
            "title": "x",
            "timezone": "UTC",
            "start_date": "2026-01-01",
            "end_date": "2026-01-01",
        },
        format="json",
    )
    patch = other.patch(f"/api/events/{event.slug}/", {"title": "Hijacked"}, format="json")
    delete = other.delete(f"/api/events/{event.slug}/")
    session = make_session(event)
    add = other.post(
        f"/api/events/{event.slug}/sessions/",
        {"title": "x", "starts_at": "2026-04-28T10:00:00Z", "duration_minutes": 30},
        format="json",
    )
    patch_session = other.patch(f"/api/sessions/{session.pk}/", {"title": "x"}, format="json")
    delete_session = other.delete(f"/api/sessions/{session.pk}/")
    assert [
        response.status_code
        for response in (create, patch, delete, add, patch_session, delete_session)
    ] == [403] * 6
    event.refresh_from_db()
    session.refresh_from_db()
    assert (event.title, event.status, session.title, session.status) == (
        "Midterm meeting",
        "published",
        "Working group",
        "scheduled",
    )
    assert not Event.objects.filter(slug="hijack").exists()


def test_superuser_can_write_anywhere(event, django_user_model, api):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    api.force_authenticate(admin)
    response = api.patch(f"/api/events/{event.slug}/", {"title": "Renamed"}, format="json")
    assert (response.status_code, response.json()["title"]) == (200, "Renamed")


def test_drafts_are_hidden_from_the_public(api, organiser, section):
    services.create_event(
        section=section,
        slug="draft",
        title="Draft",
        timezone="UTC",
        start_date=date(2026, 5, 1),
        end_date=date(2026, 5, 1),
    )
    assert api.get("/api/events/draft/").status_code == 404
    assert api.get("/api/events/").json()["results"] == []
    assert [e["slug"] for e in organiser.get("/api/events/").json()["results"]] == ["draft"]


def test_session_create_with_local_time(organiser, event):
    response = organiser.post(
        f"/api/events/{event.slug}/sessions/",
        {
            "title": "Asia–Oceania edition",
            "local_start": "2026-04-28T12:00",
            "timezone": "Asia/Tokyo",
            "duration_minutes": 90,
            "regions": ["asia-oceania"],
            "language": "en",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {
        key: body[key]
        for key in (
            "starts_at",
            "ends_at",
            "timezone",
            "local_start",
            "duration_minutes",
            "regions",
            "sequence",
            "status",
        )
    } == {
        "starts_at": "2026-04-28T03:00:00Z",
        "ends_at": "2026-04-28T04:30:00Z",
        "timezone": "Asia/Tokyo",
        "local_start": "2026-04-28T12:00:00",
        "duration_minutes": 90,
        "regions": ["asia-oceania"],
        "sequence": 0,
        "status": "scheduled",
    }


def test_session_create_with_offset_instant(organiser, event):
    response = organiser.post(
        f"/api/events/{event.slug}/sessions/",
        {
            "title": "Europe edition",
            "starts_at": "2026-04-28T14:00:00+02:00",
            "ends_at": "2026-04-28T15:30:00+02:00",
            "timezone": "Europe/Berlin",
        },
        format="json",
    )
    assert response.status_code == 201
    assert (response.json()["starts_at"], response.json()["local_start"]) == (
        "2026-04-28T12:00:00Z",
        "2026-04-28T14:00:00",
    )


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        (
            {"local_start": "2026-03-29T02:30", "timezone": "Europe/Amsterdam"},
            "local_start",
            "does not exist in Europe/Amsterdam: on that day the clocks jump from 02:00 to 03:00",
        ),
        (
            {"starts_at": "2026-04-28T12:00:00"},
            "starts_at",
            "has no UTC offset",
        ),
        (
            {"local_start": "2026-04-28T12:00", "timezone": "GMT+3"},
            "timezone",
            "is a fixed offset",
        ),
        (
            {"starts_at": "2026-05-02T12:00:00Z"},
            "starts_at",
            "within the event's dates",
        ),
        (
            {"starts_at": "2026-04-28T12:00:00Z", "ends_at": "2026-04-28T11:00:00Z"},
            "ends_at",
            "must end after it starts",
        ),
        (
            {"starts_at": "2026-04-28T12:00:00Z", "duration_minutes": 0},
            "duration_minutes",
            "greater than or equal to 1",
        ),
        (
            {"starts_at": "not a date"},
            "starts_at",
            "is not an ISO 8601 date and time",
        ),
        (
            {"starts_at": "2026-04-28T12:00:00Z", "regions": ["atlantis"]},
            "regions",
            "Unknown region: atlantis.",
        ),
    ],
)
def test_session_create_refuses_bad_times(organiser, event, payload, field, message):
    payload = {"title": "x", "duration_minutes": 60, **payload}
    if "ends_at" in payload:
        payload.pop("duration_minutes")
    response = organiser.post(f"/api/events/{event.slug}/sessions/", payload, format="json")
    assert response.status_code == 400
    assert message in " ".join(response.json()[field]), response.json()
    assert Session.objects.count() == 0


def test_session_ambiguous_time_needs_fold(organiser, section):
    event = services.publish_event(
        event=services.create_event(
            section=section,
            slug="autumn",
            title="Autumn",
            timezone="Europe/London",
            start_date=date(2026, 10, 25),
            end_date=date(2026, 10, 25),
        )
    )
    url = f"/api/events/{event.slug}/sessions/"
    payload = {
        "title": "Night owls",
        "local_start": "2026-10-25T01:30",
        "timezone": "Europe/London",
        "duration_minutes": 20,
    }
    refused = organiser.post(url, payload, format="json")
    assert refused.status_code == 400
    assert refused.json() == {
        "local_start": [
            "2026-10-25 01:30 happens twice in Europe/London because the clocks go back: first "
            "at 2026-10-25 00:30 UTC (UTC+01:00), then at 2026-10-25 01:30 UTC (UTC+00:00). "
            "Say which with fold: 0 for the first, 1 for the second."
        ]
    }
    accepted = organiser.post(url, {**payload, "fold": 1}, format="json")
    assert (accepted.status_code, accepted.json()["starts_at"]) == (201, "2026-10-25T01:30:00Z")


def test_session_read_with_viewer_zone(api, event):
    session = make_session(event, timezone="Europe/Berlin")
    response = api.get(f"/api/sessions/{session.pk}/?tz=America/Los_Angeles")
    assert response.json()["local"] == {
        "start": "2026-04-28T05:00:00-07:00",
        "end": "2026-04-28T06:30:00-07:00",
        "timezone": "America/Los_Angeles",
        "utc_offset": "-07:00",
        "comfortable": False,
    }
    listed = api.get(f"/api/events/{event.slug}/sessions/?tz=Asia/Kolkata").json()["results"]
    assert listed[0]["local"] == {
        "start": "2026-04-28T17:30:00+05:30",
        "end": "2026-04-28T19:00:00+05:30",
        "timezone": "Asia/Kolkata",
        "utc_offset": "+05:30",
        "comfortable": True,
    }
    assert "local" not in api.get(f"/api/sessions/{session.pk}/").json()


def test_session_read_with_bad_viewer_zone_is_400(api, event):
    session = make_session(event)
    response = api.get(f"/api/sessions/{session.pk}/?tz=Not/AZone")
    assert response.status_code == 400
    assert "is not a known time zone" in response.json()["tz"][0]


def test_session_patch_raises_sequence_only_for_calendar_changes(organiser, event):
    session = make_session(event)
    url = f"/api/sessions/{session.pk}/"
    description = organiser.patch(url, {"description": "More words"}, format="json").json()
    moved = organiser.patch(
        url, {"local_start": "2026-04-29T10:00", "timezone": "Europe/Paris"}, format="json"
    ).json()
    assert (description["sequence"], moved["sequence"]) == (0, 1)
    assert (moved["starts_at"], moved["ends_at"], moved["duration_minutes"]) == (
        "2026-04-29T08:00:00Z",
        "2026-04-29T09:30:00Z",
        90,
    )
    longer = organiser.patch(url, {"duration_minutes": 120}, format="json").json()
    assert (longer["sequence"], longer["ends_at"]) == (2, "2026-04-29T10:00:00Z")


def test_session_delete_in_published_event_cancels(organiser, event):
    session = make_session(event)
    response = organiser.delete(f"/api/sessions/{session.pk}/")
    session.refresh_from_db()
    assert (response.status_code, session.status, session.sequence) == (
        204,
        SessionStatus.CANCELLED,
        1,
    )
    assert session.cancelled_at is not None


def test_event_delete_of_published_cancels_sessions(organiser, event):
    session = make_session(event)
    response = organiser.delete(f"/api/events/{event.slug}/")
    event.refresh_from_db()
    session.refresh_from_db()
    assert (response.status_code, event.status, session.status) == (
        204,
        EventStatus.CANCELLED,
        SessionStatus.CANCELLED,
    )


def test_event_dates_cannot_shrink_below_sessions(organiser, event):
    make_session(event, starts_at=datetime(2026, 4, 30, 12, 0, tzinfo=UTC))
    response = organiser.patch(
        f"/api/events/{event.slug}/", {"end_date": "2026-04-29"}, format="json"
    )
    assert response.status_code == 400
    assert "within the event's dates" in response.json()["starts_at"][0]
    event.refresh_from_db()
    assert event.end_date == date(2026, 4, 30)


def test_editions_share_one_root(organiser, event):
    root = make_session(event, title="WG")
    second = organiser.post(
        f"/api/events/{event.slug}/sessions/",
        {
            "title": "WG (Americas)",
            "starts_at": "2026-04-28T18:00:00Z",
            "duration_minutes": 90,
            "edition_of": root.pk,
        },
        format="json",
    ).json()
    third = organiser.post(
        f"/api/events/{event.slug}/sessions/",
        {
            "title": "WG (Asia)",
            "starts_at": "2026-04-29T03:00:00Z",
            "duration_minutes": 90,
            "edition_of": second["id"],
        },
        format="json",
    ).json()
    assert (second["edition_of"], third["edition_of"]) == (root.pk, root.pk)


def test_session_filters(api, event):
    make_session(event, title="A", language="en", regions=["europe"])
    make_session(event, title="B", language="fr", regions=["africa"], format="panel")
    titles = lambda query: [  # noqa: E731
        s["title"] for s in api.get(f"/api/events/{event.slug}/sessions/?{query}").json()["results"]
    ]
    assert (titles("language=fr"), titles("region=europe"), titles("format=panel")) == (
        ["B"],
        ["A"],
        ["B"],
    )
    bad = api.get(f"/api/events/{event.slug}/sessions/?region=atlantis")
    assert bad.status_code == 400 and "Choose one of" in bad.json()["region"][0]


def test_event_filters(api, section, event):
    later = services.create_event(
        section=section,
        slug="later",
        title="Later",
        timezone="UTC",
        start_date=date(2099, 1, 1),
        end_date=date(2099, 1, 2),
        languages=["es"],
        format="hybrid",
    )
    services.publish_event(event=later)
    slugs = lambda query: [e["slug"] for e in api.get(f"/api/events/?{query}").json()["results"]]  # noqa: E731
    assert (slugs("upcoming=true"), slugs("language=es"), slugs("format=hybrid"), slugs("")) == (
        ["later"],
        ["later"],
        ["later"],
        ["midterm", "later"],
    )
    assert api.get("/api/events/?upcoming=maybe").status_code == 400


def test_pagination(api, event):
    for hour in range(6):
        make_session(event, title=f"S{hour}", starts_at=datetime(2026, 4, 28, hour, tzinfo=UTC))
    page = api.get(f"/api/events/{event.slug}/sessions/?page_size=4&page=2").json()
    assert (page["count"], [s["title"] for s in page["results"]]) == (6, ["S4", "S5"])


def test_session_list_query_count_does_not_grow(api, event, django_assert_max_num_queries):
    for hour in range(20):
        make_session(
            event,
            title=f"S{hour}",
            starts_at=datetime(2026, 4, 28, hour, tzinfo=UTC),
            regions=["europe", "africa"],
        )
    with django_assert_max_num_queries(5):
        response = api.get(f"/api/events/{event.slug}/sessions/?tz=Asia/Tokyo")
    assert len(response.json()["results"]) == 20


def test_malformed_json_is_400(organiser, event):
    response = organiser.generic(
        "POST", f"/api/events/{event.slug}/sessions/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_unknown_session_is_404(api):
    assert api.get("/api/sessions/999999/").status_code == 404


def test_organisers_choose_the_missed_you_note_per_event(event, organiser, api):
    url = f"/api/events/{event.slug}/"
    assert api.get(url).json()["missed_you_note"] is False
    on = organiser.patch(url, {"missed_you_note": True}, format="json")
    refused = organiser.patch(url, {"missed_you_note": "maybe"}, format="json")
    event.refresh_from_db()
    assert (on.status_code, on.json()["missed_you_note"], event.missed_you_note) == (
        200,
        True,
        True,
    )
    assert (refused.status_code, refused.json()["missed_you_note"]) == (
        400,
        ["Must be a valid boolean."],
    )
