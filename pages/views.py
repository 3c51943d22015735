"""The public pages: home, an event's schedule, one session. Thin: read, shape, render."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from core import calendar_links, display
from events.enums import EventStatus, SessionStatus
from pages import selectors
from pages.schedule import alternative, build_schedule, view_session
from pages.viewer import (
    ViewerZone,
    active_language,
    event_in_view,
    follow_zone_data,
    remember_zone,
    resolve_viewer_zone,
    site_url,
    zone_choices,
)
from registrations.services import registration_refusal


def _zone_context(viewer: ViewerZone, language: str, instants: list) -> dict:
    """What the zone form, the script and the "outside comfortable hours" mark need; the
    zone is named as it is at the ``instants`` shown (summer or winter time, or both)."""
    start, end = settings.COMFORTABLE_HOURS
    return {
        "viewer": viewer,
        "viewer_city": display.zone_city(viewer.zone, language),
        "viewer_zone_name": display.zone_names_at(viewer.zone, language, instants),
        "zone_choices": zone_choices(language),
        "zone_data": follow_zone_data(viewer),
        "comfortable_from": f"{start:02d}:00",
        "comfortable_until": f"{end:02d}:00",
    }


def _render_in_zone(
    request: HttpRequest, template: str, context: dict, viewer: ViewerZone
) -> HttpResponse:
    response = render(request, template, context, status=400 if viewer.error else 200)
    remember_zone(response, viewer)
    return response


@require_safe  # read-only pages: a write method is a 405
def home(request: HttpRequest) -> HttpResponse:
    language = active_language()
    today = timezone.now().date()

    def listed(events):
        return [
            {
                "event": event,
                "dates": display.format_date_range(event.start_date, event.end_date, language),
            }
            for event in events
        ]

    return render(
        request,
        "pages/home.html",
        {
            "upcoming": listed(selectors.upcoming_events(user=request.user, today=today)),
            "recent": listed(selectors.recent_events(user=request.user, today=today)),
            "regions": selectors.regions(),
        },
    )


@require_safe  # read-only pages: a write method is a 405
def event_page(request: HttpRequest, slug: str) -> HttpResponse:
    shown = event_in_view(request, slug)
    event, language, viewer = shown.event, shown.language, shown.viewer
    now = timezone.now()
    # What the page offers must be possible: no Register button, no seats, when it would refuse.
    refusal = registration_refusal(event, now) if event.status == EventStatus.PUBLISHED else None
    days = build_schedule(
        shown.sessions,
        viewer_zone=viewer.zone,
        language=language,
        hours=settings.COMFORTABLE_HOURS,
        taken=shown.taken,
        offers_seats=refusal is None,
    )
    scheduled = [session for session in shown.sessions if session.status == SessionStatus.SCHEDULED]
    context = {
        "event": event,
        "dates": display.format_date_range(event.start_date, event.end_date, language),
        "days": days,
        "registration_refusal": refusal,
        "over": bool(scheduled) and all(session.ends_at <= now for session in scheduled),
        "recordings": any(session.recording_url for session in shown.sessions),
        "feed": calendar_links.event_links(
            site_url=site_url(request), slug=event.slug, title=event.title
        ),
        **_zone_context(viewer, language, [session.starts_at for session in shown.sessions]),
    }
    return _render_in_zone(request, "pages/event.html", context, viewer)


@require_safe  # read-only pages: a write method is a 405
def session_page(request: HttpRequest, session_id: int) -> HttpResponse:
    session = selectors.session_for_page(user=request.user, session_id=session_id)
    if session is None:
        raise Http404
    language = active_language()
    viewer = resolve_viewer_zone(request, default=session.timezone)
    editions = selectors.editions_of(session=session)
    taken = selectors.seats_taken(sessions=editions)
    views = {
        edition.pk: view_session(
            edition,
            viewer_zone=viewer.zone,
            language=language,
            hours=settings.COMFORTABLE_HOURS,
            taken=taken,
        )
        for edition in editions
    }
    shown = views[session.pk]
    context = {
        "event": session.event,
        "view": shown,
        "session": session,
        "viewer_day": display.format_day(session.starts_at, viewer.zone, language),
        "own_day": display.format_day(session.starts_at, session.timezone, language),
        "own_zone_name": display.zone_long_name(session.timezone, language, session.starts_at),
        "for_you_zone_name": display.zone_long_name(viewer.zone, language, session.starts_at),
        "alternatives": [
            alternative(view, shown, viewer_zone=viewer.zone, language=language)
            for pk, view in views.items()
            if pk != session.pk and not view.cancelled
        ],
        **_zone_context(viewer, language, [session.starts_at]),
    }
    return _render_in_zone(request, "pages/session.html", context, viewer)
