"""iCalendar for Meridian: pure builders (no database, no request) that views, emails and
tasks wrap. See :mod:`calendars.ical.builder` for the rules they keep."""

from calendars.ical.builder import (
    DEFAULT_GRACE,
    DEFAULT_REFRESH,
    FeedOptions,
    RenderedEvent,
    assemble_feed,
    build_cancel,
    build_feed,
    build_personal_feed,
    build_request,
    is_listed,
    listed_until,
    render_event,
    writes_in_utc,
)
from calendars.ical.entries import CalendarEntry, Participant, entry_from_session, entry_from_values
from core.calendar_links import event_links, feed_links, region_links, session_links

__all__ = [
    "DEFAULT_GRACE",
    "DEFAULT_REFRESH",
    "CalendarEntry",
    "FeedOptions",
    "Participant",
    "RenderedEvent",
    "assemble_feed",
    "build_cancel",
    "build_feed",
    "build_personal_feed",
    "build_request",
    "entry_from_session",
    "entry_from_values",
    "event_links",
    "feed_links",
    "is_listed",
    "listed_until",
    "region_links",
    "render_event",
    "session_links",
    "writes_in_utc",
]
