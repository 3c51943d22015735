"""Personal join links: whether a seat's link opens the meeting now, and attendance.

The meeting URL of a session is the organisers' secret. A participant reaches it only
through the personal link of a confirmed seat (:func:`registrations.services.links.join_token`),
which opens it from ``JOIN_OPENS_MINUTES_BEFORE`` minutes before the start until the end.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F, Value
from django.db.models.functions import Coalesce

from registrations.enums import SeatStatus
from registrations.models import SessionRegistration


class JoinState:
    OPEN = "open"
    EARLY = "early"
    OVER = "over"
    WAITLISTED = "waitlisted"
    RELEASED = "released"
    SESSION_CANCELLED = "session_cancelled"
    NO_MEETING = "no_meeting"


def opens_at(seat: SessionRegistration) -> datetime:
    return seat.session.starts_at - timedelta(minutes=settings.JOIN_OPENS_MINUTES_BEFORE)


def join_state(seat: SessionRegistration, *, now: datetime) -> str:
    """What the seat's link does at ``now`` (one of :class:`JoinState`)."""
    session = seat.session
    if session.is_cancelled:
        return JoinState.SESSION_CANCELLED
    if seat.status == SeatStatus.WAITLISTED:
        return JoinState.WAITLISTED
    if seat.status != SeatStatus.CONFIRMED:
        return JoinState.RELEASED
    if now >= session.ends_at:
        return JoinState.OVER
    if now < opens_at(seat):
        return JoinState.EARLY
    if not session.join_url:
        return JoinState.NO_MEETING
    return JoinState.OPEN


def record_join(*, seat: SessionRegistration, now: datetime) -> None:
    """Attendance: one UPDATE of the participant's own seat row (no row that every join
    waits on). ``updated_at`` is left alone: joining changes no calendar."""
    SessionRegistration.objects.filter(pk=seat.pk).update(
        first_joined_at=Coalesce(F("first_joined_at"), Value(now)), last_joined_at=now
    )
