"""The feed routes: what they list, their HTTP conditions, and what readers make of them."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date

from calendars import feed_cache
from calendars.feed_cache import forget_feed_states
from calendars.feeds import FeedState, personal_calendar_response
from events import services
from events.models import Event, Session

from .ical_readers import READERS, expected_events

SESSIONS = [
    # (zone, wall-clock start, fold, minutes, title, regions)
    ("America/New_York", datetime(2026, 11, 1, 1, 30), 0, 45, "اجتماع الفجر", ["north-america"]),
    ("America/New_York", datetime(2026, 11, 1, 1, 30), 1, 45, "年中会议 🎉", ["north-america"]),
    ("America/New_York", datetime(2026, 3, 8, 3, 0), None, 60, "Весна", ["north-america"]),
    ("Europe/Amsterdam", datetime(2026, 10, 25, 2, 30), 1, 30, "Nacht; laat, \\ 🌙", ["europe"]),
    ("Europe/Amsterdam", datetime(2026, 4, 28, 14, 0), None, 90, "Plenary", ["europe", "africa"]),
    ("Australia/Lord_Howe", datetime(2026, 4, 5, 1, 45), 0, 60, "Lord Howe", ["asia-oceania"]),
    ("Pacific/Chatham", datetime(2026, 9, 27, 4, 0), None, 60, "Chatham", ["asia-oceania"]),
    ("Asia/Kathmandu", datetime(2026, 6, 1, 8, 15), None, 60, "काठमाडौं", ["asia-oceania"]),
    ("America/Sao_Paulo", datetime(2026, 12, 31, 23, 30), None, 60, "Réveillon", []),
    ("Africa/Casablanca", datetime(2027, 2, 10, 9, 0), None, 60, "Casablanca", ["africa"]),
    ("UTC", datetime(2026, 7, 1, 0, 0), None, 60, "UTC midnight", ["europe"]),
]


@pytest.fixture
def long_event(section):
    event = services.create_event(
        section=section,
        slug="year",
        title="A year of sessions",
        timezone="Europe/Amsterdam",
        start_date=date(2026, 3, 1),
        end_date=date(2027, 2, 27),
    )
    event = services.publish_event(event=event)
    for zone, local, fold, minutes, title, regions in SESSIONS:
        services.create_session(
            event=event,
            title=title,
            timezone=zone,
            local_start=local,
            fold=fold,
            duration_minutes=minutes,
            regions=regions,
            join_url="https://meet.example.org/j/secret",
        )
    return event


def _sessions(**filters) -> list[Session]:
    return list(Session.objects.filter(**filters).order_by("starts_at", "id"))


@pytest.mark.parametrize("reader", list(READERS))
def test_event_feed_readers_agree_with_the_database(api, long_event, reader):
    response = api.get("/events/year/calendar.ics")
    assert response.status_code == 200
    assert READERS[reader](response.content) == expected_events(_sessions(event=long_event))


@pytest.mark.parametrize("reader", list(READERS))
def test_region_feed_lists_sessions_aimed_at_the_region(api, long_event, reader):
    response = api.get("/regions/asia-oceania/calendar.ics")
    assert response.status_code == 200
    assert READERS[reader](response.content) == expected_events(
        _sessions(regions__code="asia-oceania")
    )
    assert len(READERS[reader](response.content)) == 3


def test_feed_headers_and_public_content(api, long_event):
    response = api.get("/events/year/calendar.ics")
    assert (response["Content-Type"], response["Cache-Control"]) == (
        "text/calendar; charset=utf-8",
        "public, max-age=60",
    )
    assert response["ETag"].startswith('"') and len(response["ETag"]) == 34
    latest = max(session.updated_at for session in _sessions())
    assert response["Last-Modified"] == latest.strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert b"meet.example.org" not in response.content
    assert b"NAME:A year of sessions\r\n" in response.content


def test_conditional_requests_are_answered_without_building(
    api, long_event, django_assert_max_num_queries
):
    first = api.get("/events/year/calendar.ics")
    with django_assert_max_num_queries(2):
        by_etag = api.get("/events/year/calendar.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    with django_assert_max_num_queries(2):
        by_date = api.get(
            "/events/year/calendar.ics", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
        )
    region = api.get("/regions/europe/calendar.ics")
    with django_assert_max_num_queries(2):
        region_again = api.get("/regions/europe/calendar.ics", HTTP_IF_NONE_MATCH=region["ETag"])
    assert [by_etag.status_code, by_date.status_code, region_again.status_code] == [304, 304, 304]
    assert by_etag.content == b""
    assert by_etag["ETag"] == first["ETag"]


def test_full_feed_query_count_is_flat(api, long_event):
    # Event, state, render keys, and the rows of the sessions not rendered before.
    with CaptureQueriesContext(connection) as few:
        api.get("/events/year/calendar.ics")
    for day in (2, 3, 4):
        services.create_session(
            event=long_event,
            title=f"More {day}",
            starts_at=datetime(2026, 5, day, 9, tzinfo=UTC),
            duration_minutes=30,
        )
    with CaptureQueriesContext(connection) as more:
        response = api.get("/events/year/calendar.ics")
    assert (response.content.count(b"BEGIN:VEVENT"), len(few), len(more)) == (
        len(SESSIONS) + 3,
        4,
        4,
    )


def test_head_answers_like_get_without_a_body(api, long_event):
    get = api.get("/events/year/calendar.ics")
    head = api.head("/events/year/calendar.ics")
    assert (head.status_code, head["ETag"], head["Content-Type"], head.content) == (
        200,
        get["ETag"],
        "text/calendar; charset=utf-8",
        b"",
    )


def test_reschedule_raises_sequence_and_changes_the_etag(api, long_event):
    before = api.get("/events/year/calendar.ics")
    session = _sessions(title="Plenary")[0]
    services.update_session(session=session, starts_at=session.starts_at + timedelta(hours=2))
    after = api.get("/events/year/calendar.ics", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    moved = [
        event for event in READERS["ical.js"](after.content) if event["uid"] == str(session.uid)
    ]
    assert moved == expected_events(_sessions(pk=session.pk))
    assert moved[0]["sequence"] == 1


def test_cancelled_session_stays_during_grace_then_leaves(api, long_event):
    session = _sessions(title="Plenary")[0]
    services.cancel_session(session=session)
    listed = api.get("/events/year/calendar.ics")
    statuses = {event["uid"]: event["status"] for event in READERS["vobject"](listed.content)}
    assert (statuses[str(session.uid)], len(statuses)) == ("CANCELLED", len(SESSIONS))

    # As if it had been cancelled 31 days ago and nothing had changed since.
    month_ago = timezone.now() - timedelta(days=31)
    Session.objects.update(updated_at=month_ago - timedelta(days=9))
    Event.objects.update(updated_at=month_ago - timedelta(days=9))
    Session.objects.filter(pk=session.pk).update(cancelled_at=month_ago)
    forget_feed_states()  # QuerySet.update() sends no signal
    gone = api.get("/events/year/calendar.ics", HTTP_IF_NONE_MATCH=listed["ETag"])
    assert gone.status_code == 200
    assert str(session.uid) not in {event["uid"] for event in READERS["ical"](gone.content)}
    # It left when its grace ended: that is the feed's last modification.
    assert gone["Last-Modified"] == http_date(int((month_ago + timedelta(days=30)).timestamp()))
    with override_settings(CALENDAR_CANCELLED_GRACE_DAYS=60):
        back = api.get("/events/year/calendar.ics")
    assert str(session.uid) in back.content.decode()


def test_session_feed_and_unknown_or_draft_ones(api, long_event, section):
    session = _sessions(title="Chatham")[0]
    response = api.get(f"/sessions/{session.pk}.ics")
    assert READERS["ical.js"](response.content) == expected_events([session])
    again = api.get(f"/sessions/{session.pk}.ics", HTTP_IF_NONE_MATCH=response["ETag"])
    draft = services.create_event(
        section=section,
        slug="draft",
        title="Draft",
        timezone="UTC",
        start_date=date(2026, 5, 1),
        end_date=date(2026, 5, 2),
    )
    hidden = services.create_session(
        event=draft,
        title="Hidden",
        starts_at=datetime(2026, 5, 1, 9, tzinfo=UTC),
        duration_minutes=30,
    )
    assert [
        again.status_code,
        api.get("/events/draft/calendar.ics").status_code,
        api.get(f"/sessions/{hidden.pk}.ics").status_code,
        api.get("/sessions/999999.ics").status_code,
        api.get("/regions/atlantis/calendar.ics").status_code,
        api.post("/events/year/calendar.ics").status_code,
    ] == [304, 404, 404, 404, 404, 405]


def test_personal_response_is_private_and_unknown_tokens_404(rf):
    state = FeedState(etag='"abc"', last_modified=datetime(2026, 1, 1, tzinfo=UTC))
    built = []

    def build() -> bytes:
        built.append(1)
        return b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"

    found = personal_calendar_response(rf.get("/calendars/t.ics"), state=state, build=build)
    cached = personal_calendar_response(
        rf.get("/calendars/t.ics", HTTP_IF_NONE_MATCH='"abc"'), state=state, build=build
    )
    missing = personal_calendar_response(rf.get("/calendars/x.ics"), state=None, build=build)
    for response, status in ((found, 200), (cached, 304), (missing, 404)):
        assert (
            response.status_code,
            response["Cache-Control"],
            response["X-Robots-Tag"],
            response["Referrer-Policy"],
        ) == (status, "private, max-age=0", "noindex, nofollow", "no-referrer")
    assert built == [1]


def test_api_exposes_calendar_links(api, long_event):
    with CaptureQueriesContext(connection) as few:
        api.get("/api/events/year/sessions/")
    for day in (2, 3, 4):
        services.create_session(
            event=long_event,
            title=f"More {day}",
            starts_at=datetime(2026, 5, day, 9, tzinfo=UTC),
            duration_minutes=30,
            regions=["europe"],
        )
    with CaptureQueriesContext(connection) as more:
        sessions = api.get("/api/events/year/sessions/").json()["results"]
    assert (len(sessions), len(more.captured_queries)) == (
        len(SESSIONS) + 3,
        len(few.captured_queries),
    )
    session = _sessions(title="Plenary")[0]
    links = next(item for item in sessions if item["id"] == session.pk)["calendar_links"]
    assert links["ics"] == f"http://127.0.0.1:8000/sessions/{session.pk}.ics"
    assert links["webcal"] == f"webcal://127.0.0.1:8000/sessions/{session.pk}.ics"
    assert links["google"].startswith(
        "https://calendar.google.com/calendar/render?action=TEMPLATE&text=Plenary"
        "&dates=20260428T120000Z%2F20260428T133000Z"
    )
    assert "meet.example.org" not in str([item["calendar_links"] for item in sessions])
    event = api.get("/api/events/year/").json()
    assert event["calendar_links"] == {
        "ics": "http://127.0.0.1:8000/events/year/calendar.ics",
        "webcal": "webcal://127.0.0.1:8000/events/year/calendar.ics",
        "google": "https://calendar.google.com/calendar/render?cid="
        "webcal%3A%2F%2F127.0.0.1%3A8000%2Fevents%2Fyear%2Fcalendar.ics",
        "outlook": "https://outlook.live.com/calendar/0/addfromweb?url="
        "http%3A%2F%2F127.0.0.1%3A8000%2Fevents%2Fyear%2Fcalendar.ics&name=A+year+of+sessions",
    }
    region = api.get("/api/regions/").json()[0]
    assert region["calendar_links"]["ics"] == "http://127.0.0.1:8000/regions/africa/calendar.ics"


def _written_by_another_process(session: Session) -> None:
    """A change made elsewhere: rows updated without this process's signals, and the shared
    generation replaced as that process's forget_feed_states would."""
    Session.objects.filter(pk=session.pk).update(title="Moved elsewhere", sequence=9)
    cache.set(feed_cache.GENERATION_KEY, "another-process", None)


@override_settings(CALENDAR_STATE_MEMO_SECONDS=30)
def test_a_known_answer_is_memoised_in_the_process_for_its_seconds(api, long_event, monkeypatch):
    first = api.get("/events/year/calendar.ics")
    etag = first["ETag"]
    assert api.get("/events/year/calendar.ics", HTTP_IF_NONE_MATCH=etag).status_code == 304
    _written_by_another_process(Session.objects.filter(event=long_event).first())
    within = api.get("/events/year/calendar.ics", HTTP_IF_NONE_MATCH=etag).status_code
    later = time.monotonic() + 31
    monkeypatch.setattr(feed_cache.time, "monotonic", lambda: later)
    after = api.get("/events/year/calendar.ics", HTTP_IF_NONE_MATCH=etag)
    assert (within, after.status_code, "Moved elsewhere" in after.content.decode()) == (
        304,
        200,
        True,
    )


@override_settings(CALENDAR_STATE_MEMO_SECONDS=30)
def test_a_write_in_this_process_forgets_the_memo_at_once(api, long_event):
    etag = api.get("/events/year/calendar.ics")["ETag"]
    assert api.get("/events/year/calendar.ics", HTTP_IF_NONE_MATCH=etag).status_code == 304
    session = Session.objects.filter(event=long_event).first()
    services.update_session(session=session, title="Renamed here")
    assert api.get("/events/year/calendar.ics", HTTP_IF_NONE_MATCH=etag).status_code == 200


@override_settings(CALENDAR_STATE_MEMO_SECONDS=0)
def test_without_a_memo_another_process_change_is_seen_at_once(api, long_event):
    etag = api.get("/events/year/calendar.ics")["ETag"]
    assert api.get("/events/year/calendar.ics", HTTP_IF_NONE_MATCH=etag).status_code == 304
    _written_by_another_process(Session.objects.filter(event=long_event).first())
    assert api.get("/events/year/calendar.ics", HTTP_IF_NONE_MATCH=etag).status_code == 200
