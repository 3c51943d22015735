"""Calendar feeds over HTTP: find what the feed covers, answer a conditional request from one
aggregate query, and only then build the calendar (``calendars.ical``) when it has changed.

:func:`calendar_response` is the piece every feed uses, the personal one included
(:func:`personal_calendar_response` adds what a secret-token address needs).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from calendars import ical, selectors
from calendars.feed_cache import cached_row, cached_state, known, remember
from core.responses import private

CONTENT_TYPE = "text/calendar; charset=utf-8"
# Part of every ETag: raise it when the bytes written for the same data change.
RENDER_VERSION = "1"
PUBLIC_CACHE_CONTROL = "public, max-age=60"
PRIVATE_CACHE_CONTROL = "private, max-age=0"
SINGLE_SESSION_GRACE = timedelta(days=365 * 100)


@dataclass(frozen=True)
class FeedState:
    """What changes whenever a feed's bytes do: its strong ETag and Last-Modified."""

    etag: str
    last_modified: datetime | None


def refresh_interval() -> timedelta:
    return timedelta(minutes=settings.CALENDAR_REFRESH_MINUTES)


def cancelled_grace() -> timedelta:
    return timedelta(days=settings.CALENDAR_CANCELLED_GRACE_DAYS)


def make_state(*parts, last_modified: datetime | None) -> FeedState:
    """A FeedState from any values that together determine the feed's bytes."""
    key = repr(
        (
            RENDER_VERSION,
            settings.SITE_URL,
            settings.CALENDAR_REFRESH_MINUTES,
            settings.CALENDAR_CANCELLED_GRACE_DAYS,
            translation.get_language(),
            *parts,
        )
    )
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return FeedState(etag=f'"{digest}"', last_modified=last_modified)


def state_from_aggregate(kind: str, key: str, aggregate: dict, *extra) -> FeedState:
    """A FeedState from :func:`calendars.selectors.feed_state`."""
    moments = [
        moment
        for moment in (aggregate["latest"], aggregate["latest_event"], aggregate["left_at"])
        if moment is not None
    ]
    return make_state(
        kind,
        key,
        aggregate["count"],
        aggregate["ids"],
        aggregate["sequences"],
        aggregate["latest"],
        aggregate["latest_event"],
        aggregate["left_at"],
        *extra,
        last_modified=max(moments) if moments else None,
    )


def calendar_response(
    request: HttpRequest,
    *,
    state: FeedState,
    build: Callable[[], bytes],
    filename: str,
    cache_control: str = PUBLIC_CACHE_CONTROL,
) -> HttpResponse:
    """200 with the calendar ``build()`` returns, or 304/412 when the request's
    conditions say so (then ``build`` is not called). HEAD is answered like GET."""
    last_modified = int(state.last_modified.timestamp()) if state.last_modified else None
    response = get_conditional_response(request, etag=state.etag, last_modified=last_modified)
    if response is None:
        response = HttpResponse(build(), content_type=CONTENT_TYPE)
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = state.etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = cache_control
    patch_vary_headers(response, ["Accept-Language"])
    return response


def personal_calendar_response(
    request: HttpRequest,
    *,
    state: FeedState | None,
    build: Callable[[], bytes],
    filename: str = "meridian.ics",
) -> HttpResponse:
    """A personal feed: like :func:`calendar_response`, private; ``state`` None (an unknown
    or rotated token) is a 404 that carries the same private headers."""
    if state is None:
        return private(
            HttpResponse(_("Not found."), status=404, content_type="text/plain"),
            cache_control=PRIVATE_CACHE_CONTROL,
        )
    response = calendar_response(
        request, state=state, build=build, filename=filename, cache_control=PRIVATE_CACHE_CONTROL
    )
    return private(response, cache_control=PRIVATE_CACHE_CONTROL)


class RenderCache:
    """VEVENTs rendered for public feeds in this process, keyed by what decides their text:
    ``(session id, updated_at, sequence, event updated_at, language, SITE_URL)``. Bounded:
    when full, the oldest half is dropped."""

    def __init__(self, size: int = 50_000):
        self.size = size
        self.items: dict[tuple, ical.RenderedEvent] = {}

    def render(self, keys: list[tuple], *, language: str) -> list[ical.RenderedEvent]:
        """The rendered VEVENTs for ``keys`` (rows of ``feed_render_keys``), in order; the
        sessions not rendered yet are read in one query."""
        tag = (language, settings.SITE_URL)
        found = {key[0]: self.items.get((*key, *tag)) for key in keys}
        missing = [pk for pk, rendered in found.items() if rendered is None]
        if missing:
            for row in selectors.feed_entries_values(missing):
                entry = ical.entry_from_values(row, site_url=settings.SITE_URL)
                rendered = ical.render_event(entry, language=language)
                key = (row["id"], row["updated_at"], row["sequence"], row["event__updated_at"])
                self.remember((*key, *tag), rendered)
                found[row["id"]] = rendered
        return [found[key[0]] for key in keys if found.get(key[0]) is not None]

    def remember(self, key: tuple, rendered: ical.RenderedEvent) -> None:
        if len(self.items) >= self.size:
            for old in list(self.items)[: self.size // 2]:
                del self.items[old]
        self.items[key] = rendered


render_cache = RenderCache()


def _feed(
    request: HttpRequest,
    *,
    kind: str,
    key: str,
    sessions,
    options,
    filename: str,
    version: object,
    answer_key: str = "",
):
    """``sessions`` returns the feed's sessions queryset (called only when the state is not
    cached or the feed is built); ``version`` is what the cache key needs beyond the
    sessions (the event's or events' last change), read with the feed's own row."""
    now = timezone.now()
    grace = options.grace
    aggregate = cached_state(
        f"{kind}:{key}:{int(grace.total_seconds())}:{version}",
        lambda: selectors.feed_state(sessions(), now=now, grace=grace),
        expires_at=lambda state: state["next_leave_at"],
    )
    state = state_from_aggregate(kind, key, aggregate, options)
    if answer_key:
        remember(answer_key, state, expires_at=aggregate["next_leave_at"])

    def build() -> bytes:
        keys = list(selectors.feed_render_keys(sessions(), now=now, grace=grace))
        rendered = render_cache.render(keys, language=options.language)
        return ical.assemble_feed(rendered, options=options)

    return calendar_response(request, state=state, build=build, filename=filename)


def answer_known(request: HttpRequest, answer_key: str) -> HttpResponse | None:
    """A 304 (or 412) straight from a FeedState kept for this generation, or None."""
    if not (request.headers.get("If-None-Match") or request.headers.get("If-Modified-Since")):
        return None
    state = known(answer_key)
    if state is None:
        return None
    last_modified = int(state.last_modified.timestamp()) if state.last_modified else None
    response = get_conditional_response(request, etag=state.etag, last_modified=last_modified)
    if response is None:
        return None
    response["ETag"] = state.etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = PUBLIC_CACHE_CONTROL
    patch_vary_headers(response, ["Accept-Language"])
    return response


@require_safe
def event_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """``/events/{slug}/calendar.ics``: every session of a published or cancelled event."""
    answer_key = (
        f"event:{slug}:{translation.get_language()}:{settings.CALENDAR_CANCELLED_GRACE_DAYS}:"
        f"{settings.CALENDAR_REFRESH_MINUTES}"
    )
    answered = answer_known(request, answer_key)
    if answered is not None:
        return answered
    event = cached_row(f"event:{slug}", lambda: selectors.feed_event(slug=slug))
    if event is None:
        raise Http404
    options = ical.FeedOptions(
        name=event["title"],
        description=event["description"],
        refresh=refresh_interval(),
        grace=cancelled_grace(),
        language=translation.get_language() or "en",
    )
    return _feed(
        request,
        kind="event",
        key=slug,
        sessions=lambda: selectors.event_feed_sessions(event=event["id"]),
        options=options,
        filename=f"{slug}.ics",
        version=(event["updated_at"].isoformat(), event["status"]),
        answer_key=answer_key,
    )


@require_safe
def region_calendar(request: HttpRequest, code: str) -> HttpResponse:
    """``/regions/{code}/calendar.ics``: sessions aimed at a region, across events."""
    region = selectors.feed_region(code=code)
    if region is None:
        raise Http404
    options = ical.FeedOptions(
        name=_("Meridian: %(region)s") % {"region": region.display_name},
        refresh=refresh_interval(),
        grace=cancelled_grace(),
        language=translation.get_language() or "en",
    )
    return _feed(
        request,
        kind="region",
        key=region.code,
        sessions=lambda: selectors.region_feed_sessions(region=region),
        options=options,
        filename=f"{region.code}.ics",
        version=region.events_changed_at.isoformat() if region.events_changed_at else "",
    )


@require_safe
def session_calendar(request: HttpRequest, session_id: int) -> HttpResponse:
    """``/sessions/{id}.ics``: one session; a cancelled one stays readable as cancelled."""
    session = selectors.feed_session(session_id=session_id)
    if session is None:
        raise Http404
    entry = ical.entry_from_session(session, site_url=settings.SITE_URL)
    options = ical.FeedOptions(
        name=session.title,
        refresh=refresh_interval(),
        grace=SINGLE_SESSION_GRACE,
        language=translation.get_language() or "en",
    )
    event = session.event
    state = make_state(
        "session",
        entry,
        options,
        event.updated_at,
        last_modified=max(session.updated_at, event.updated_at),
    )
    return calendar_response(
        request,
        state=state,
        build=lambda: ical.build_feed([entry], options=options, now=timezone.now()),
        filename=f"session-{session.pk}.ics",
    )
