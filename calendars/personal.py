"""``/calendars/{token}.ics``: a participant's personal calendar feed.

It lists the sessions they hold a place in, across events: a confirmed seat as CONFIRMED
with the join link (CONFERENCE, URL, LOCATION, DESCRIPTION) and, when they want reminders,
one alarm per reminder offset of the session's event; a waitlist place as TENTATIVE,
without link or alarm, so the calendar shows what they wait for and turns it into a seat
when they are promoted. Sessions cancelled by organisers stay as CANCELLED for the grace
period, like in the public feeds; places the participant gave up leave the feed. The
calendar's name and fixed texts are in the participant's language.

The ETag follows everything the bytes depend on: the participant row (language, reminder
setting, token: every change saves ``updated_at``), their places (added, dropped, promoted)
and their sessions and events. A conditional request costs two queries: the token lookup
and one aggregate.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from calendars import ical
from calendars import selectors as feed_selectors
from calendars.feeds import (
    FeedState,
    cancelled_grace,
    make_state,
    personal_calendar_response,
    refresh_interval,
)
from registrations import selectors
from registrations.enums import SeatStatus
from registrations.models import Participant
from registrations.services.links import personal_join_url


def personal_feed_state(participant: Participant, *, now: datetime, grace: timedelta) -> FeedState:
    """The ETag and Last-Modified of the participant's feed (one query)."""
    aggregate = feed_selectors.personal_feed_state(participant, now=now, grace=grace)
    moments = [
        moment
        for moment in (
            participant.updated_at,
            aggregate["latest"],
            aggregate["latest_event"],
            aggregate["latest_place"],
            aggregate["left_at"],
        )
        if moment is not None
    ]
    return make_state(
        "personal",
        participant.pk,
        participant.token_hash,
        participant.updated_at,
        participant.language,
        participant.reminders,
        *(aggregate[key] for key in sorted(aggregate) if key != "next_leave_at"),
        last_modified=max(moments),
    )


def personal_entries(participant: Participant) -> list[ical.CalendarEntry]:
    """The participant's sessions as calendar entries, with their place and reminders."""
    entries = []
    for session in selectors.sessions_for_participant(participant):
        entry = ical.entry_from_session(session, site_url=settings.SITE_URL)
        place_updated_at = session.place_updated_at or session.updated_at
        entries.append(
            replace(
                entry,
                updated_at=max(entry.updated_at, place_updated_at),
                waitlisted=session.registration_status == SeatStatus.WAITLISTED,
                # The seat's personal link, never the meeting's own URL.
                join_url=(
                    personal_join_url(session.seat_id, participant.token)
                    if session.registration_status == SeatStatus.CONFIRMED
                    else ""
                ),
                reminders=tuple(session.event.reminder_offsets) if participant.reminders else (),
            )
        )
    return entries


def build_personal_calendar(participant: Participant, *, now: datetime, grace: timedelta) -> bytes:
    """The participant's feed; call with their language active (the calendar's name)."""
    return ical.build_personal_feed(
        personal_entries(participant),
        participant=ical.Participant(
            email=participant.email, name=participant.name, language=participant.language
        ),
        name=_("Meridian: my sessions"),
        now=now,
        refresh=refresh_interval(),
        grace=grace,
    )


@require_safe
def personal_calendar(request: HttpRequest, token: str) -> HttpResponse:
    """``/calendars/{token}.ics``: 404 for an unknown, rotated or erased participant's token."""
    participant = selectors.participant_by_token(token)
    if participant is None:
        return personal_calendar_response(request, state=None, build=bytes)
    with translation.override(participant.language or settings.LANGUAGE_CODE):
        now, grace = timezone.now(), cancelled_grace()
        return personal_calendar_response(
            request,
            state=personal_feed_state(participant, now=now, grace=grace),
            build=lambda: build_personal_calendar(participant, now=now, grace=grace),
        )
