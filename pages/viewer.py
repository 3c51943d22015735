"""Whose clock the page speaks: the viewer's zone from ``?tz=``, the cookie, or a default.

``?tz=`` is what the zone form sends (and what a shared link may carry); the cookie is what
the browser remembers (the script sets it from the detected zone or the viewer's choice, and a
page asked with a good ``?tz=`` sets it too, so the choice is remembered without script).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from babel import dates as babel_dates
from django.conf import settings
from django.http import Http404
from django.utils.translation import get_language

from core import display, time_rules
from pages import selectors

ZONE_PARAM = "tz"
ZONE_COOKIE = "meridian_tz"
ZONE_COOKIE_MAX_AGE = 365 * 24 * 3600


@dataclass(frozen=True)
class ViewerZone:
    zone: str
    source: str  # "query", "cookie" or "default"
    error: str = ""  # why the ?tz= asked for was refused (the page answers 400)
    asked: str = ""  # the refused value, to show it back in the form


def _valid(name: str) -> bool:
    try:
        time_rules.get_zone(name, field=ZONE_PARAM)
    except time_rules.TimeRuleError:
        return False
    return True


def resolve_viewer_zone(request, *, default: str) -> ViewerZone:
    """The zone to render in. A refused ``?tz=`` falls back to the cookie or default, with why."""
    asked = request.GET.get(ZONE_PARAM, "").strip()
    error = ""
    if asked:
        try:
            zone = time_rules.current_zone_name(asked, field=ZONE_PARAM)
        except time_rules.TimeRuleError as refused:
            error = str(refused.message)
        else:
            return ViewerZone(zone=zone, source="query")
    remembered = request.COOKIES.get(ZONE_COOKIE, "").strip()
    if remembered and _valid(remembered):
        return ViewerZone(
            zone=time_rules.current_zone_name(remembered),
            source="cookie",
            error=error,
            asked=asked[:64],
        )
    return ViewerZone(zone=default, source="default", error=error, asked=asked[:64])


def remember_zone(response, viewer: ViewerZone) -> None:
    """Keep a zone asked for with ``?tz=`` in the cookie, so the next page uses it."""
    if viewer.source == "query":
        response.set_cookie(
            ZONE_COOKIE, viewer.zone, max_age=ZONE_COOKIE_MAX_AGE, samesite="Lax", path="/"
        )


@lru_cache(maxsize=16)
def zone_choices(language: str) -> tuple[tuple[str, str], ...]:
    """Every place zone with its localized location ("Japan Time"), sorted by zone name."""
    locale = display.babel_locale(language)
    return tuple(
        (name, babel_dates.get_timezone_location(name, locale=locale))
        for name in sorted(time_rules.place_zone_names())
    )


def site_url(request) -> str:
    """``scheme://host`` the viewer reached us at (a host Django's ALLOWED_HOSTS accepted), so
    the pages' absolute links work on whatever address serves them."""
    return request.build_absolute_uri("/").rstrip("/")


def comfortable_window() -> dict[str, str]:
    """The configured comfortable hours as the templates print them ("08:00", "21:00")."""
    start, end = settings.COMFORTABLE_HOURS
    return {"comfortable_from": f"{start:02d}:00", "comfortable_until": f"{end:02d}:00"}


def follow_zone_data(viewer: ViewerZone) -> dict:
    """What the script needs to re-ask a form page in the browser's zone on a first visit."""
    return {
        "zone": viewer.zone,
        "source": viewer.source,
        "param": ZONE_PARAM,
        "cookie": ZONE_COOKIE,
        "maxAge": ZONE_COOKIE_MAX_AGE,
    }


def active_language() -> str:
    """The language this request is answered in."""
    return get_language() or settings.LANGUAGE_CODE


@dataclass(frozen=True)
class EventInView:
    """A visible event with what its pages show: its sessions, their taken seats, and the
    viewer's language and zone."""

    event: object
    language: str
    viewer: ViewerZone
    sessions: list
    taken: dict


def event_in_view(request, slug: str) -> EventInView:
    """The event a page shows, read once for the schedule and the registration form; 404 when
    the viewer may not see it."""
    event = selectors.event_for_page(user=request.user, slug=slug)
    if event is None:
        raise Http404
    sessions = selectors.sessions_for_page(event=event)
    return EventInView(
        event=event,
        language=active_language(),
        viewer=resolve_viewer_zone(request, default=event.timezone),
        sessions=sessions,
        taken=selectors.seats_taken(sessions=sessions),
    )
