"""The planner's API faces, with the database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events import services
from events.models import Session

pytestmark = pytest.mark.django_db

FIVE = "europe,africa,middle-east-north-africa,asia-oceania,north-america"


def make_session(event, **values) -> Session:
    return services.create_session(
        event=event,
        title=values.pop("title", "Working group"),
        starts_at=values.pop("starts_at", datetime(2026, 4, 28, 10, tzinfo=UTC)),
        duration_minutes=values.pop("duration_minutes", 90),
        **values,
    )


def test_planner_ranks_starts_for_europe_africa_mena(api):
    response = api.get(
        "/api/planner/",
        {
            "regions": "europe,africa,middle-east-north-africa",
            "date": "2026-04-28",
            "duration": 90,
            "limit": 1,
        },
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    slot = body["slots"][0]
    assert (body["single_slot"], body["candidates"], slot["starts_at"], slot["score"]) == (
        True,
        91,
        "2026-04-28T08:00:00Z",
        1.0,
    )
    assert slot["regions"][1] == {
        "region": "europe",
        "score": 1.0,
        "comfortable": True,
        "minutes_away": 0.0,
        "zone": "Europe/London",
        "local_start": "2026-04-28T09:00:00+01:00",
        "local_end": "2026-04-28T10:30:00+01:00",
        "zones": [
            {
                "zone": zone,
                "share": 0.3333,
                "local_start": start,
                "local_end": end,
                "comfortable": True,
            }
            for zone, start, end in (
                ("Europe/London", "2026-04-28T09:00:00+01:00", "2026-04-28T10:30:00+01:00"),
                ("Europe/Berlin", "2026-04-28T10:00:00+02:00", "2026-04-28T11:30:00+02:00"),
                ("Europe/Moscow", "2026-04-28T11:00:00+03:00", "2026-04-28T12:30:00+03:00"),
            )
        ],
    }


def test_planner_all_six_regions_have_no_single_slot(api):
    response = api.get("/api/planner/", {"date": "2026-04-28", "duration": 90, "limit": 3})
    body = response.json()
    assert (response.status_code, body["single_slot"], len(body["slots"])) == (200, False, 3)


def test_planner_uses_the_events_zone_for_its_days(api, event):
    response = api.get(
        "/api/planner/",
        {"regions": "europe", "date": "2026-04-28", "duration": 60, "event": event.slug},
    )
    body = response.json()
    # Amsterdam's 28 April runs from 22:00 UTC the day before; 60 minutes fit 93 times.
    assert (response.status_code, body["candidates"], body["slots"][0]["starts_at"]) == (
        200,
        93,
        "2026-04-28T07:00:00Z",
    )


@pytest.mark.parametrize(
    ("params", "errors"),
    [
        ({}, {"date": ["This field is required."]}),
        (
            {"date": "2026-04-28", "regions": "europe,mars"},
            {
                "regions": [
                    "Unknown region: mars. Choose from: africa, asia-oceania, europe, "
                    "latin-america-caribbean, middle-east-north-africa, north-america."
                ]
            },
        ),
        (
            {"date": "2026-04-28", "hours": "nine-five"},
            {"hours": ["Give the comfortable hours as two whole hours, e.g. 8-21."]},
        ),
        (
            {"date": "2026-04-28", "tz": "UTC+3"},
            {
                "tz": [
                    "“UTC+3” is a fixed offset, not a time zone: it ignores daylight saving "
                    "time. Give the place instead, for example America/New_York or Asia/Kolkata."
                ]
            },
        ),
        (
            {"date": "2026-04-28", "date_to": "2026-04-01"},
            {"date_to": ["date_to cannot come before date."]},
        ),
        (
            {"date": "2026-04-28", "date_to": "2026-07-01"},
            {"date_to": ["Plan at most 31 days at once."]},
        ),
        (
            {"date": "2026-04-28", "duration": "0"},
            {"duration": ["Ensure this value is greater than or equal to 1."]},
        ),
    ],
)
def test_planner_refuses_bad_input(api, params, errors):
    response = api.get("/api/planner/", params)
    assert (response.status_code, response.json()) == (400, errors)


def test_planner_unknown_event_is_404(api):
    response = api.get("/api/planner/", {"date": "2026-04-28", "event": "nope"})
    assert response.status_code == 404


def test_planner_series_rotates(api):
    response = api.get(
        "/api/planner/series/", {"date": "2027-02-10", "count": 6, "every": 14, "duration": 60}
    )
    body = response.json()
    assert (response.status_code, body["spread"], body["uncomfortable"]["europe"]) == (200, 3, 0)
    assert [session["starts_at"][11:16] for session in body["sessions"]] == [
        "16:00",
        "08:00",
        "16:00",
        "08:00",
        "15:00",
        "08:00",
    ]


def test_coverage_of_an_event(api, event):
    root = make_session(event, regions=["europe", "africa"])
    make_session(
        event,
        starts_at=datetime(2026, 4, 28, 3, tzinfo=UTC),
        regions=["asia-oceania"],
        edition_of=root,
    )
    plenary = make_session(event, title="Plenary", starts_at=datetime(2026, 4, 29, 22, tzinfo=UTC))
    response = api.get(f"/api/events/{event.slug}/coverage/", {"regions": "europe,north-america"})
    assert response.status_code == 200
    assert response.json() == {
        "event_zone": "Europe/Amsterdam",
        "regions": [
            {
                "region": "europe",
                "zone": "Europe/London",
                "sessions": 3,
                "comfortable_sessions": 1,
                "groups": 2,
                "comfortable_groups": 1,
                "night_only": [
                    {
                        "group": plenary.pk,
                        "title": "Plenary",
                        "starts_at": "2026-04-29T22:00:00Z",
                        "local_start": "2026-04-29T23:00:00+01:00",
                        "minutes_away": 270.0,
                    }
                ],
                "offset_changes": [],
            },
            {
                "region": "north-america",
                "zone": "America/Los_Angeles",
                "sessions": 1,
                "comfortable_sessions": 1,
                "groups": 1,
                "comfortable_groups": 1,
                "night_only": [],
                "offset_changes": [],
            },
        ],
    }


def test_coverage_query_count_does_not_grow_with_sessions(api, event):
    for hour in range(3):
        make_session(
            event, starts_at=datetime(2026, 4, 28, 6 + hour, tzinfo=UTC), regions=["europe"]
        )
    with CaptureQueriesContext(connection) as few:
        api.get(f"/api/events/{event.slug}/coverage/")
    for hour in range(12):
        make_session(
            event, starts_at=datetime(2026, 4, 29, 6 + hour, tzinfo=UTC), regions=["africa"]
        )
    with CaptureQueriesContext(connection) as many:
        response = api.get(f"/api/events/{event.slug}/coverage/")
    assert (response.status_code, len(few), len(many)) == (200, 4, 4)


def test_coverage_of_a_draft_is_hidden_from_the_public(api, section):
    services.create_event(
        section=section,
        slug="draft",
        title="Draft",
        timezone="UTC",
        start_date=datetime(2026, 5, 1).date(),
        end_date=datetime(2026, 5, 1).date(),
    )
    assert api.get("/api/events/draft/coverage/").status_code == 404


def test_editions_get_proposes_for_a_session(api, event):
    root = make_session(event, regions=["europe", "africa", "middle-east-north-africa"])
    response = api.get(
        f"/api/events/{event.slug}/editions/",
        {"session": root.pk, "regions": FIVE, "date": "2026-04-28"},
    )
    body = response.json()
    assert (response.status_code, body["new_editions"]) == (200, 2)
    assert [
        (edition["slot"]["starts_at"], edition["serves"], edition["existing"])
        for edition in body["options"][0]["editions"]
    ] == [
        ("2026-04-28T10:00:00Z", ["africa", "europe", "middle-east-north-africa"], True),
        ("2026-04-28T09:30:00Z", ["asia-oceania"], False),
        ("2026-04-28T15:00:00Z", ["north-america"], False),
    ]


def test_editions_post_creates_them_in_one_step(organiser, event):
    root = make_session(event, regions=["europe", "africa", "middle-east-north-africa"])
    payload = {"session": root.pk, "regions": FIVE.split(","), "date": "2026-04-28"}
    response = organiser.post(f"/api/events/{event.slug}/editions/", payload, format="json")
    assert response.status_code == 201, response.json()
    created = [
        (item["starts_at"], item["timezone"], item["regions"], item["edition_of"], item["title"])
        for item in response.json()
    ]
    assert created == [
        (
            "2026-04-28T09:30:00Z",
            "Asia/Kolkata",
            ["asia-oceania"],
            root.pk,
            "Working group (Asia and Oceania edition)",
        ),
        (
            "2026-04-28T15:00:00Z",
            "America/Los_Angeles",
            ["north-america"],
            root.pk,
            "Working group (North America edition)",
        ),
    ]
    assert Session.objects.filter(edition_of=root).count() == 2
    again = organiser.post(f"/api/events/{event.slug}/editions/", payload, format="json")
    assert (again.status_code, again.json()) == (
        400,
        {"session": ["“Working group” already has a comfortable edition for every chosen region."]},
    )


def test_editions_post_needs_an_organiser_of_the_section(api, make_organiser, event):
    root = make_session(event)
    other, _section = make_organiser("intruder", "other-section")
    url = f"/api/events/{event.slug}/editions/"
    anonymous = api.post(url, {"session": root.pk}, format="json")
    intruder = other.post(url, {"session": root.pk}, format="json")
    assert (anonymous.status_code, intruder.status_code) == (401, 403)
    assert Session.objects.count() == 1


def test_editions_post_refuses_days_outside_the_event(organiser, event):
    root = make_session(event)
    response = organiser.post(
        f"/api/events/{event.slug}/editions/",
        {"session": root.pk, "date": "2026-05-02"},
        format="json",
    )
    assert (response.status_code, response.json()) == (
        400,
        {"date": ["Editions must fall within the event's dates, 2026-04-28 to 2026-04-30."]},
    )
    assert Session.objects.count() == 1


def test_editions_of_a_session_of_another_event_is_404(organiser, event, section):
    other = services.create_event(
        section=section,
        slug="other",
        title="Other",
        timezone="UTC",
        start_date=event.start_date,
        end_date=event.end_date,
    )
    foreign = make_session(other)
    response = organiser.get(f"/api/events/{event.slug}/editions/", {"session": foreign.pk})
    assert response.status_code == 404


def test_admin_planner_page_shows_heat_map_slots_and_coverage(client, organiser, event):
    make_session(event, title="Plenary", starts_at=datetime(2026, 4, 29, 22, tzinfo=UTC))
    client.force_login(organiser.user)
    response = client.get(
        "/admin/planner/", {"date": "2026-04-28", "duration": 90, "event": event.pk}
    )
    page = response.content.decode()
    rows = response.context["rows"]
    assert (response.status_code, len(rows), len(rows[0][1].cells)) == (200, 6, 24)
    assert [
        fragment in page
        for fragment in (
            'class="heat"',
            "/admin/events/session/add/?local_start=2026-04-28T17%3A00"
            "&amp;timezone=Europe%2FAmsterdam&amp;duration_minutes=90",
            "Plenary (Wed 23:00 Europe/London)",
        )
    ] == [True, True, True]


def test_admin_planner_page_is_for_staff_only(client):
    response = client.get("/admin/planner/", {"date": "2026-04-28"})
    assert (response.status_code, response.url.split("?")[0]) == (302, "/admin/login/")


def test_admin_action_proposes_and_creates_editions(client, organiser, event):
    root = make_session(event, regions=["europe", "asia-oceania"])
    client.force_login(organiser.user)
    response = client.post(
        "/admin/events/session/",
        {"action": "propose_and_create_editions", "_selected_action": [root.pk]},
        follow=True,
    )
    editions = list(
        Session.objects.filter(edition_of=root).values_list("starts_at", "regions__code")
    )
    assert (response.status_code, editions) == (
        200,
        [(datetime(2026, 4, 28, 9, 30, tzinfo=UTC), "asia-oceania")],
    )
    assert [str(message) for message in response.context["messages"]] == [
        "Working group: created 1 edition: Working group (Asia and Oceania edition) at "
        "Tue 28 Apr, 15:00 in Kolkata (Tue 28 Apr, 11:30 in Amsterdam)."
    ]


def test_planner_weighs_regions_by_the_event_registrants(api, section):
    from registrations import services as registrations

    event = services.create_event(
        section=section,
        slug="tokyo-heavy",
        title="Tokyo heavy",
        timezone="UTC",
        start_date=datetime(2027, 4, 27).date(),
        end_date=datetime(2027, 4, 29).date(),
        registration_closes_at=datetime(2100, 1, 1, tzinfo=UTC),
    )
    services.publish_event(event=event)
    query = {
        "event": "tokyo-heavy",
        "regions": "north-america,asia-oceania",
        "date": "2027-04-28",
        "duration": 60,
        "limit": 3,
    }

    def ranking() -> tuple[bool, list[tuple[str, float]]]:
        body = api.get("/api/planner/", query).json()
        return body["single_slot"], [(slot["starts_at"], slot["score"]) for slot in body["slots"]]

    # Nobody registered: Asia-Oceania is its representative zones, Kolkata to Sydney.
    before = ranking()
    for name in ("aiko", "daichi", "emi"):
        registrations.register_participant(
            event=event,
            email=f"{name}@example.org",
            name=name,
            country="JP",
            timezone="Asia/Tokyo",
        )
    assert (before, ranking()) == (
        (
            False,
            [
                ("2027-04-28T00:00:00Z", 0.875),
                ("2027-04-28T23:00:00Z", 0.75),
                ("2027-04-28T00:45:00Z", 0.75),
            ],
        ),
        (
            True,
            [
                ("2027-04-28T00:00:00Z", 1.0),
                ("2027-04-28T23:00:00Z", 1.0),
                ("2027-04-28T00:15:00Z", 0.875),
            ],
        ),
    )
