"""Links to a feed or a session for calendar applications, built from ``SITE_URL``.

``ics`` downloads, ``webcal`` subscribes (most desktop and phone calendars), ``google`` and
``outlook`` open those services: to subscribe for a feed, to add one event for a session.
Public links never carry a session's join link.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote, urlencode

from core.text import clean_line, clean_text

GOOGLE_RENDER = "https://calendar.google.com/calendar/render"
OUTLOOK_COMPOSE = "https://outlook.live.com/calendar/0/deeplink/compose"
OUTLOOK_SUBSCRIBE = "https://outlook.live.com/calendar/0/addfromweb"
MAX_DETAILS = 1000


def webcal_url(url: str) -> str:
    """The ``webcal://`` form of an http(s) feed address."""
    for scheme in ("https://", "http://"):
        if url.startswith(scheme):
            return "webcal://" + url[len(scheme) :]
    return url


def feed_links(*, site_url: str, path: str, name: str) -> dict[str, str]:
    """Links to subscribe to the feed at ``path`` (which starts with ``/``)."""
    url = f"{site_url.rstrip('/')}{path}"
    webcal = webcal_url(url)
    return {
        "ics": url,
        "webcal": webcal,
        "google": f"{GOOGLE_RENDER}?{urlencode({'cid': webcal})}",
        "outlook": f"{OUTLOOK_SUBSCRIBE}?{urlencode({'url': url, 'name': clean_line(name)})}",
    }


def event_links(*, site_url: str, slug: str, title: str) -> dict[str, str]:
    """Subscribe links for an event's public feed."""
    return feed_links(site_url=site_url, path=f"/events/{quote(slug)}/calendar.ics", name=title)


def region_links(*, site_url: str, code: str, name: str) -> dict[str, str]:
    """Subscribe links for a region's feed."""
    return feed_links(site_url=site_url, path=f"/regions/{quote(code)}/calendar.ics", name=name)


def _google_dates(starts_at: datetime, ends_at: datetime) -> str:
    def stamp(value: datetime) -> str:
        return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")

    return f"{stamp(starts_at)}/{stamp(ends_at)}"


def _outlook_instant(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def session_links(
    *,
    site_url: str,
    session_id: int,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    timezone: str,
    description: str = "",
    page_url: str = "",
) -> dict[str, str]:
    """Links to download or subscribe to one session, or add it to Google or Outlook."""
    url = f"{site_url.rstrip('/')}/sessions/{session_id}.ics"
    details = clean_text(description).strip()
    if len(details) > MAX_DETAILS:
        details = details[: MAX_DETAILS - 1].rstrip() + "…"
    if page_url:
        details = f"{details}\n\n{page_url}" if details else page_url
    summary = clean_line(title)
    google = {
        "action": "TEMPLATE",
        "text": summary,
        "dates": _google_dates(starts_at, ends_at),
        "details": details,
        "ctz": timezone,
    }
    outlook = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": summary,
        "startdt": _outlook_instant(starts_at),
        "enddt": _outlook_instant(ends_at),
        "body": details,
    }
    return {
        "ics": url,
        "webcal": webcal_url(url),
        "google": f"{GOOGLE_RENDER}?{urlencode(google)}",
        "outlook": f"{OUTLOOK_COMPOSE}?{urlencode(outlook)}",
    }
