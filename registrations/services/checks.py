"""Rules checked before any seat is touched: is the event open, are the sessions asked for
real, of this event, not cancelled, and at most one edition of each. Refusing on these
reveals nothing about anyone's earlier registrations."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from django.db.models import Max
from django.utils.translation import gettext as _

from core.languages import LANGUAGE_CODES
from core.time_rules import day_starts_at
from events.enums import EventStatus, SessionStatus
from events.models import Event, Session
from registrations import window
from registrations.errors import RegistrationsError
from registrations.services.seats import lock_sessions

SUPPORTED_LANGUAGES = LANGUAGE_CODES
MAX_SESSIONS_PER_CALL = 50


def check_event_open(event: Event, now: datetime) -> None:
    if event.status == EventStatus.CANCELLED:
        raise RegistrationsError(_("This event is cancelled; it takes no registrations."))
    if event.status != EventStatus.PUBLISHED:
        raise RegistrationsError(_("This event is not open for registration yet."))
    if event.registration_opens_at and now < event.registration_opens_at:
        raise RegistrationsError(
            _("Registration for this event opens at %(when)s UTC.")
            % {"when": event.registration_opens_at.astimezone(UTC).isoformat()}
        )
    if event.registration_closes_at and now >= event.registration_closes_at:
        raise RegistrationsError(_("Registration for this event has closed."))
    if event.registration_closes_at is None and _is_over(event, now):
        raise RegistrationsError(_("This event is over; it takes no more registrations."))


def registration_refusal(event: Event, now: datetime) -> str | None:
    """Why the event takes no registration now (the message a page shows instead of its
    form), or None when it does: what a page offers must be possible."""
    try:
        check_event_open(event, now)
    except RegistrationsError as error:
        return str(error.message)
    return None


def _is_over(event: Event, now: datetime) -> bool:
    """Whether an event without an explicit closing time has stopped taking registrations.
    Its sessions lie within its days, so before the first day starts none of them has
    ended: most registrations come then and cost no query here."""
    if now < day_starts_at(event.start_date, event.timezone):
        return False
    last_end = Session.objects.filter(event=event, status=SessionStatus.SCHEDULED).aggregate(
        last=Max("ends_at")
    )["last"]
    closes_at = window.registration_closes_at(
        closes_at=None,
        last_session_ends_at=last_end,
        end_date=event.end_date,
        timezone=event.timezone,
    )
    return now >= closes_at


def session_ids_asked(session_ids: Iterable[Any]) -> list[int]:
    """The session ids asked for, in the order asked, without repeats (no query)."""
    ids: list[int] = []
    for value in session_ids or ():
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**63:
            raise RegistrationsError(
                _("Sessions are given by their numeric ids."), field="sessions"
            )
        if value not in ids:
            ids.append(value)
    if len(ids) > MAX_SESSIONS_PER_CALL:
        raise RegistrationsError(
            _("Choose at most %(max)d sessions at a time.") % {"max": MAX_SESSIONS_PER_CALL},
            field="sessions",
        )
    return ids


def sessions_asked(
    event: Event | None, session_ids: Iterable[Any], *, lock: bool = False
) -> list[Session]:
    """The sessions asked for, in the order asked, checked against the rules that do not
    depend on anyone's earlier registrations (so refusing them reveals nothing).

    ``lock`` (only with an ``event``): read the rows locked, in id order as
    :func:`.seats.lock_sessions` does, so that the caller can place seats without reading
    them again. Every session returned then carries ``event`` without a join.
    """
    ids = session_ids_asked(session_ids)
    if lock:
        if event is None:
            raise ValueError("A locking read needs the event the sessions belong to.")
        found = lock_sessions(ids)
        for session in found.values():
            if session.event_id == event.pk:
                session.event = event
    else:
        found = Session.objects.select_related("event").in_bulk(ids)
    missing = [value for value in ids if value not in found]
    if missing:
        raise RegistrationsError(
            _("Unknown session: %(ids)s.") % {"ids": ", ".join(map(str, missing))},
            field="sessions",
        )
    sessions = [found[value] for value in ids]
    roots: dict[int, Session] = {}
    for session in sessions:
        if event is not None and session.event_id != event.pk:
            raise RegistrationsError(
                _("“%(title)s” belongs to another event.") % {"title": session.title},
                field="sessions",
            )
        if session.is_cancelled:
            raise RegistrationsError(
                _("“%(title)s” is cancelled; it takes no registrations.")
                % {"title": session.title},
                field="sessions",
            )
        root = session.edition_root_id
        if root in roots:
            raise RegistrationsError(
                _("“%(first)s” and “%(second)s” are editions of the same session; choose one.")
                % {"first": roots[root].title, "second": session.title},
                field="sessions",
            )
        roots[root] = session
    return sessions
