"""``/join/{token}/``: a confirmed seat's personal join link.

It redirects to the meeting while the seat is confirmed and the session open for joining
(``JOIN_OPENS_MINUTES_BEFORE`` minutes before the start until the end) and records the use
as attendance. Otherwise it says why, in the visitor's zone and language: too early (with
the opening time and a countdown), over (with the recording when there is one), waitlisted,
released, cancelled. A wrong, forged or rotated token is a 404 page. Every answer is private:
no-store, and no Referer, so that the meeting's host never learns the link.

The redirect costs two queries: the seat with its session and participant, and the
attendance UPDATE of that seat's own row.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from core import display
from core.responses import private
from pages.viewer import active_language, resolve_viewer_zone
from registrations import selectors as registration_selectors
from registrations.services import attendance
from registrations.services.attendance import JoinState


@require_safe
def join(request: HttpRequest, token: str) -> HttpResponse:
    seat = registration_selectors.seat_for_join_token(token)
    if seat is None:
        return private(render(request, "pages/manage_missing.html", status=404))
    now = timezone.now()
    state = attendance.join_state(seat, now=now)
    if state == JoinState.OPEN:
        attendance.record_join(seat=seat, now=now)
        return private(HttpResponseRedirect(seat.session.join_url))
    session = seat.session
    language = active_language()
    viewer = resolve_viewer_zone(request, default=seat.participant.timezone or session.timezone)
    opens_at = attendance.opens_at(seat)
    context = {
        "state": state,
        "session": session,
        "event": session.event,
        "times": display.format_span(
            session.starts_at, session.ends_at, zone=viewer.zone, language=language
        ),
        "zone_name": display.zone_long_name(viewer.zone, language, session.starts_at),
        "opens": display.format_datetime(opens_at, viewer.zone, language),
        "opens_at": opens_at,
        "seconds_left": max(int((opens_at - now).total_seconds()), 0),
    }
    return private(render(request, "pages/join.html", context))
