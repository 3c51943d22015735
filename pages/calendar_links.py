"""Where a viewer gets a session or an event into their calendar: the one place the pages ask.

The calendars app builds the real link functions (the ``.ics`` files, Google and Outlook
links); until it merges these return the plain ``.ics`` addresses of the public contract and no
Google/Outlook links, and the templates show only what is given.
"""

from __future__ import annotations

from dataclasses import dataclass

from events.models import Event, Session


@dataclass(frozen=True)
class SessionCalendarLinks:
    ics: str
    google: str = ""
    outlook: str = ""


@dataclass(frozen=True)
class FeedLinks:
    https: str
    webcal: str


def session_calendar_links(session: Session) -> SessionCalendarLinks:
    return SessionCalendarLinks(ics=f"/sessions/{session.pk}.ics")


def event_feed_links(event: Event, *, base_url: str) -> FeedLinks:
    """The event's public feed; ``base_url`` is the site's ``https://host`` (no slash)."""
    https = f"{base_url.rstrip('/')}/events/{event.slug}/calendar.ics"
    return FeedLinks(https=https, webcal="webcal://" + https.split("://", 1)[1])
