"""The public pages rendered by the server: zones, languages, seats, links, hostile text."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from core import calendar_links
from events import services
from registrations.services import register_participant

from .html import texts

pytestmark = pytest.mark.django_db

HOSTILE = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">'


def make_session(event, **values):
    values.setdefault("title", "Working group")
    values.setdefault("starts_at", datetime(2026, 4, 28, 12, 0, tzinfo=UTC))
    values.setdefault("duration_minutes", 90)
    values.setdefault("timezone", "Europe/Berlin")
    return services.create_session(event=event, **values)


@pytest.fixture
def schedule(event):
    """Three editions of one working group and a panel with ten seats."""
    root = make_session(event, title="WG Asia", starts_at=datetime(2026, 4, 28, 3, 0, tzinfo=UTC))
    make_session(event, title="WG Europe", edition_of=root)
    make_session(
        event,
        title="WG Americas",
        starts_at=datetime(2026, 4, 28, 18, 0, tzinfo=UTC),
        timezone="America/New_York",
        edition_of=root,
    )
    panel = make_session(
        event, title="Panel", starts_at=datetime(2026, 4, 29, 13, 30, tzinfo=UTC), capacity=10
    )
    return event, root, panel


def test_home_lists_upcoming_and_recent_published_events(client, section, event):
    past = services.create_event(
        section=section,
        slug="old",
        title="Old meeting",
        timezone="UTC",
        start_date=date(2020, 1, 1),
        end_date=date(2020, 1, 2),
    )
    services.publish_event(event=past)
    services.create_event(
        section=section,
        slug="draft",
        title="Draft meeting",
        timezone="UTC",
        start_date=date(2030, 1, 1),
        end_date=date(2030, 1, 2),
    )
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert texts(response.content.decode(), "event-item") == [
        # CLDR 48 (Babel ≥ 2.19) puts thin spaces around the dash of a range (spaces here).
        "Midterm meeting 28 – 30 Apr 2026 · Mlas",
        "Old meeting 1 – 2 Jan 2020 · Mlas",
    ]


def test_event_page_renders_in_the_zone_asked_and_remembers_it(client, schedule):
    response = client.get("/events/midterm/?tz=Asia/Tokyo", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert response.cookies["meridian_tz"].value == "Asia/Tokyo"
    assert texts(html, "day")[0].startswith("Tuesday, 28 April 2026")
    assert texts(html, "session-time") == ["12:00–13:30", "22:30–00:00"]
    assert texts(html, "time-pair") == [
        "05:00 in Berlin · 12:00 your time",
        "15:30 in Berlin · 22:30 your time",
    ]
    assert texts(html, "also-at") == ["Also at 21:00 and Wed 29 Apr 03:00 your time"]
    assert texts(html, "badge-uncomfortable") == ["☾ Outside 08:00–21:00 your time"]
    assert texts(html, "seats") == ["10 seats left"]
    assert texts(html, "zone-summary") == ["Times are shown for Tokyo (Japan Standard Time)."]


def test_the_zone_is_named_as_it_is_on_the_days_shown_not_today(client, schedule):
    # The sessions are in April (summer time in Paris), whatever today's date.
    html = client.get("/events/midterm/?tz=Europe/Paris", HTTP_ACCEPT_LANGUAGE="en").content
    assert texts(html.decode(), "zone-summary") == [
        "Times are shown for Paris (Central European Summer Time)."
    ]


def test_a_legacy_zone_spelling_from_a_browser_is_shown_by_its_current_name(client, schedule):
    response = client.get("/events/midterm/?tz=Asia/Katmandu", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert (response.status_code, response.cookies["meridian_tz"].value) == (
        200,
        "Asia/Kathmandu",
    )
    assert texts(html, "zone-summary") == ["Times are shown for Kathmandu (Nepal Time)."]


def test_event_page_uses_the_cookie_then_the_events_zone(client, schedule):
    client.cookies["meridian_tz"] = "America/Los_Angeles"
    remembered = client.get("/events/midterm/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.cookies.pop("meridian_tz")
    default = client.get("/events/midterm/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert (texts(remembered, "session-time"), texts(default, "session-time")) == (
        ["11:00–12:30", "06:30–08:00"],
        ["14:00–15:30", "15:30–17:00"],
    )


def test_event_page_refuses_a_bad_zone_in_place(client, schedule):
    response = client.get("/events/midterm/?tz=UTC%2B3", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 400
    assert "meridian_tz" not in response.cookies
    assert texts(html, "field-error") == [
        "“UTC+3” is a fixed offset, not a time zone: it ignores daylight saving time. "
        "Give the place instead, for example America/New_York or Asia/Kolkata."
    ]
    assert 'aria-invalid="true"' in html
    assert texts(html, "session-time") == ["14:00–15:30", "15:30–17:00"]


def test_event_page_counts_seats_from_registrations(client, schedule):
    _event, _root, panel = schedule
    services.update_session(session=panel, capacity=2)
    for number in range(2):
        register_participant(
            event=panel.event, email=f"p{number}@example.org", name="P", sessions=[panel.pk]
        )
    html = client.get("/events/midterm/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert texts(html, "seats") == ["Full: new registrations join the waitlist"]


def test_event_page_query_count_does_not_grow_with_sessions(client, schedule):
    event, _root, panel = schedule
    register_participant(event=event, email="p@example.org", name="P", sessions=[panel.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/events/midterm/").status_code == 200
        return len(captured.captured_queries)

    before = queries()
    for hour in (6, 7, 8, 9):
        make_session(
            event,
            title=f"Extra {hour}",
            capacity=5,
            starts_at=datetime(2026, 4, 30, hour, 0, tzinfo=UTC),
        )
    assert queries() == before


def test_event_page_links_calendars_and_the_feed(client, schedule):
    _event, root, panel = schedule
    html = client.get("/events/midterm/").content.decode()
    session_links = calendar_links.session_links(
        site_url="http://testserver",
        session_id=panel.pk,
        title=panel.title,
        starts_at=panel.starts_at,
        ends_at=panel.ends_at,
        timezone=panel.timezone,
        description=panel.description,
        page_url=f"http://testserver/sessions/{panel.pk}/",
    )
    feed = calendar_links.event_links(
        site_url="http://testserver", slug="midterm", title="Midterm meeting"
    )
    assert f'href="http://testserver/sessions/{root.pk + 1}.ics"' in html
    assert (
        f'href="/sessions/{root.pk}/"><time datetime="2026-04-28T03:00:00+00:00">05:00</time>'
        in html
    )
    assert [
        f'href="{escape(session_links[kind])}"' in html for kind in ("ics", "google", "outlook")
    ] == [True, True, True]
    assert [f'href="{escape(feed[kind])}"' in html for kind in ("webcal", "ics", "google")] == [
        True,
        True,
        True,
    ]
    assert feed["webcal"] == "webcal://testserver/events/midterm/calendar.ics"


def test_event_page_shows_cancelled_sessions_as_cancelled(client, schedule):
    _event, _root, panel = schedule
    services.cancel_session(session=panel)
    html = client.get("/events/midterm/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert texts(html, "badge-cancelled") == ["Cancelled"]
    assert f'href="http://testserver/sessions/{panel.pk}.ics"' not in html


def test_event_page_hides_drafts_and_unknown_slugs(client, section):
    services.create_event(
        section=section,
        slug="draft",
        title="Draft",
        timezone="UTC",
        start_date=date(2030, 1, 1),
        end_date=date(2030, 1, 1),
    )
    assert [client.get(url).status_code for url in ("/events/draft/", "/events/nope/")] == [
        404,
        404,
    ]


def test_event_page_in_arabic_is_right_to_left(client, schedule):
    html = client.get("/events/midterm/?tz=Asia/Tokyo", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert texts(html, "session-time") == ["12:00 م–1:30 م", "10:30 م–12:00 ص"]


def test_language_switch_is_remembered(client, schedule):
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/events/midterm/"})
    html = client.get(response["Location"]).content.decode()
    assert (response.status_code, '<html lang="zh-hans" dir="ltr">' in html) == (302, True)
    assert texts(html, "day")[0].startswith("2026年4月28日星期二")


def test_hostile_titles_show_as_text(client, section, event):
    services.update_event(event=event, title=HOSTILE, description=HOSTILE)
    session = make_session(event, title=HOSTILE, speakers=[HOSTILE])
    pages = [
        client.get(url).content.decode()
        for url in ("/", "/events/midterm/", f"/sessions/{session.pk}/")
    ]
    assert ["<script>window.pwned" in html or "<img src=x" in html for html in pages] == [
        False,
        False,
        False,
    ]
    assert [
        "&lt;script&gt;window.pwned=1&lt;/script&gt;"
        "&lt;img src=x onerror=&quot;window.pwned=2&quot;&gt;" in html
        for html in pages
    ] == [True, True, True]


def test_session_page_says_what_time_it_is_for_you(client, schedule):
    _event, root, _panel = schedule
    response = client.get(f"/sessions/{root.pk}/?tz=America/Los_Angeles", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert texts(html, "for-you-when") == ["Monday, 27 April 2026, 20:00–21:30"]
    assert texts(html, "time-pair") == ["Tue 28 Apr 05:00 in Berlin · Mon 27 Apr 20:00 your time"]
    assert texts(html, "own-when") == [
        "Scheduled on Tuesday, 28 April 2026, Central European Summer Time."
    ]
    assert texts(html, "editions") == ["Tue 28 Apr 05:00 Tue 28 Apr 11:00"]


def test_session_page_of_a_draft_event_is_hidden(client, section):
    draft = services.create_event(
        section=section,
        slug="draft",
        title="Draft",
        timezone="UTC",
        start_date=date(2030, 1, 1),
        end_date=date(2030, 1, 1),
    )
    session = make_session(draft, starts_at=datetime(2030, 1, 1, 12, 0, tzinfo=UTC))
    assert client.get(f"/sessions/{session.pk}/").status_code == 404


def test_a_finished_event_says_so_offers_its_recordings_and_no_form(client, section):
    from datetime import timedelta as delta

    from django.utils import timezone as tz

    today = tz.localdate()
    event = services.create_event(
        section=section,
        slug="held",
        title="Held meeting",
        timezone="Europe/Amsterdam",
        start_date=today - delta(days=10),
        end_date=today - delta(days=10),
    )
    services.create_session(
        event=event,
        title="Open session",
        local_start=datetime.combine(today - delta(days=10), datetime.min.time()).replace(hour=14),
        timezone="Europe/Amsterdam",
        duration_minutes=60,
        capacity=100,
        recording_url="https://media.example.org/open-1",
    )
    services.publish_event(event=event)
    page = client.get("/events/held/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    register = client.get("/events/held/register/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert texts(page, "notice-over") == [
        "This event is over. Its recordings are below, with the sessions."
    ]
    assert (texts(page, "badge-ended"), texts(page, "recording"), texts(page, "seats")) == (
        ["This session has ended."],
        ["Watch the recording: Open session"],
        [],
    )
    assert "register-link" not in page and 'href="https://media.example.org/open-1"' in page
    assert texts(register, "notice-cancelled") == [
        "This event is over; it takes no more registrations."
    ]
    assert 'id="register-form"' not in register


def test_user_content_is_direction_isolated_in_an_arabic_page(client, schedule):
    html = client.get("/events/midterm/?tz=Asia/Tokyo", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="ar" dir="rtl"' in html
    assert '<h1 id="event-title" dir="auto">Midterm meeting</h1>' in html
    titles = re.findall(r'<h4 class="session-title"><a [^>]*>(.*?)</a></h4>', html)
    assert titles and all(
        title.startswith("<bdi>") and title.endswith("</bdi>") for title in titles
    )
