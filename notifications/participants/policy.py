"""The participant emails planned as outbox rows, one function per moment of the
registrations and events hooks (``registrations.hooks``, ``events.hooks``).

Every function runs inside the transaction of the change that causes it (the hooks are called
there), so the rows commit or roll back with the change. Rows say *what* an email is about;
renderers build it from current data at send time and skip what is no longer true.

Keys (``dedupe_key``) and what they make idempotent:
- reminder ``reminder:{participant}:{session}:{offset}`` (a ``:{start}`` suffix only when that
  key was used by a reminder already handed to SMTP for another start instant);
- change notice ``session-changed:{participant}:{session}:{sequence}``; at most one is pending
  per (participant, session): a new edit pushes its due time (the debounce);
- cancellation ``session-cancelled:{participant}:{session}:{sequence}``;
- promotion ``waitlist-promoted:{place}:{confirmed instant}``; recording ``recording:…``;
- a seat given up ``session-dropped:{participant}:{session}:{released instant}`` (a newer
  drop of the same session cancels the pending one);
- confirmation ``registration-confirmed:{registration}:{digest of the places and their
  update instants}``: a repeated identical registration sends nothing new;
- request ``registration-requested:{participant}:{event}:{due instant}``: at most one email
  about an event per address per ``REGISTRATION_REQUEST_EMAIL_MINUTES`` (see
  :func:`plan_registration_request`).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from events.enums import SessionStatus
from events.models import Event, Session
from notifications.enums import MessageKind, OutboxState
from notifications.models import OutboxMessage
from notifications.outbox import queue
from notifications.participants import reminders
from registrations.enums import RegistrationStatus, SeatStatus
from registrations.models import ACTIVE_SEAT_STATUSES, Participant, Registration
from registrations.models import SessionRegistration as Place
from registrations.selectors import held_session_ids

# Fields whose change participants are told about (a title or zone alone raises SEQUENCE for
# calendars, but the instant and the link are what a participant acts on).
NOTICE_FIELDS = frozenset({"starts_at", "ends_at", "status"})
TIME_FIELDS = frozenset({"starts_at", "ends_at", "status"})
# What is cancelled with a participant's place in a session (confirmations are per
# registration and render only the places still held).
PLACE_KINDS = (
    MessageKind.SESSION_REMINDER,
    MessageKind.SESSION_CHANGED,
    MessageKind.SESSION_CANCELLED,
    MessageKind.WAITLIST_PROMOTED,
    MessageKind.RECORDING_AVAILABLE,
    MessageKind.SESSION_DROPPED,
    MessageKind.CALENDAR_UPDATE,
)
NEVER_SENT = (OutboxState.CANCELLED, OutboxState.SKIPPED)


def _zone(participant: Participant, session: Session) -> str:
    return participant.timezone or session.timezone


def _about(participant: Participant, session: Session | None = None, **extra: Any) -> dict:
    about = {
        "recipient": participant.email,
        "language": participant.language,
        "timezone_name": participant.timezone or (session.timezone if session else "UTC"),
        "participant_id": participant.pk,
        **extra,
    }
    if session is not None:
        about["session"] = session
        about["event_id"] = session.event_id
    return about


def _write(rows: list[dict]) -> int:
    """Enqueue rows (keys already used are no-ops) and wake a worker for those due now."""
    if not rows:
        return 0
    queue.enqueue_many(rows)
    now = timezone.now()
    if any((row.get("due_at") or now) <= now for row in rows):
        queue.wake_after_commit()
    return len(rows)


def _cancel(**about: Any) -> int:
    return queue.cancel_pending(**about)


# ---------------------------------------------------------------------------- reminders


def _reminder_key(participant_id: int, session_id: int, offset: int) -> str:
    return f"reminder:{participant_id}:{session_id}:{offset}"


def _reminder_row(
    participant: Participant, session: Session, *, key: str, due: datetime, payload: dict
) -> dict:
    return {
        "kind": MessageKind.SESSION_REMINDER,
        "dedupe_key": key,
        "due_at": due,
        "payload": payload,
        **_about(participant, session),
    }


def _first_reminders(*, session: Session, participant: Participant, now: datetime) -> list[dict]:
    """The reminder rows of a participant who has none of this session yet (what
    :func:`schedule_reminders` plans when it finds no rows), to be written by the caller."""
    if session.is_cancelled:
        return []
    zone, start = _zone(participant, session), session.starts_at.isoformat()
    rows = []
    for offset in sorted(set(session.event.reminder_offsets or ()), reverse=True):
        due = reminders.planned_due(session.starts_at, offset_minutes=offset, zone=zone, now=now)
        if due is not None:
            key = _reminder_key(participant.pk, session.pk, offset)
            payload = {"offset": offset, "starts_at": start}
            rows.append(_reminder_row(participant, session, key=key, due=due, payload=payload))
    return rows


def schedule_reminders(
    *,
    session: Session,
    participants: Sequence[Participant],
    now: datetime | None = None,
    fresh: bool = False,
) -> int:
    """Make each participant's reminders of ``session`` match its current start: one row per
    offset of the event (due per :func:`notifications.participants.reminders.planned_due`).

    Pending rows move to the new due time; rows never handed to SMTP (cancelled, skipped) come
    back; a reminder already sent (or being sent) for this very start is not planned again.
    Reminders whose time has passed, of a cancelled session, or at an offset the event no
    longer has, are cancelled. ``fresh``: the participants are new (no rows to look up).
    Returns how many rows were written or moved.
    """
    if not participants:
        return 0
    now = now or timezone.now()
    if fresh:
        new = [
            row
            for participant in participants
            for row in _first_reminders(session=session, participant=participant, now=now)
        ]
        queue.enqueue_many(new)
        return len(new)
    offsets = sorted(set(session.event.reminder_offsets or ()), reverse=True)
    start = session.starts_at.isoformat()
    existing: dict[tuple[int, int], list[OutboxMessage]] = defaultdict(list)
    rows = (
        OutboxMessage.objects.select_for_update()
        .filter(
            kind=MessageKind.SESSION_REMINDER,
            session=session,
            participant_id__in=[participant.pk for participant in participants],
        )
        .only("id", "state", "payload", "dedupe_key", "participant_id")
        .order_by("id")
    )
    for row in rows:
        existing[(row.participant_id, row.payload.get("offset"))].append(row)
    new: list[dict] = []
    updates: dict[tuple, list[int]] = defaultdict(list)
    cancelled: list[int] = []
    for (_participant_id, offset), rows in existing.items():
        if offset not in offsets:  # the organiser dropped this offset
            cancelled += [row.pk for row in rows if row.state == OutboxState.PENDING]
    for participant in participants:
        zone = _zone(participant, session)
        for offset in offsets:
            rows = existing.get((participant.pk, offset), [])
            pending = [row.pk for row in rows if row.state == OutboxState.PENDING]
            due = (
                None
                if session.is_cancelled
                else reminders.planned_due(
                    session.starts_at, offset_minutes=offset, zone=zone, now=now
                )
            )
            handed = any(
                row.state not in (*NEVER_SENT, OutboxState.PENDING)
                and row.payload.get("starts_at") == start
                for row in rows
            )
            if due is None or handed:
                cancelled += pending
                continue
            payload = {"offset": offset, "starts_at": start}
            revivable = [row.pk for row in rows if row.state in NEVER_SENT]
            keep = (pending or revivable or [None])[0]
            cancelled += [pk for pk in pending if pk != keep]
            if keep is not None:
                updates[(due, offset, zone, participant.language)].append(keep)
                continue
            key = _reminder_key(participant.pk, session.pk, offset)
            if any(row.dedupe_key == key for row in rows):
                key = f"{key}:{int(session.starts_at.timestamp())}"
            new.append(_reminder_row(participant, session, key=key, due=due, payload=payload))
    if cancelled:
        _cancel(pk__in=cancelled)
    revive = (OutboxState.PENDING, *NEVER_SENT)
    for (due, offset, zone, language), pks in updates.items():
        # One UPDATE per distinct due time (recipients in one zone share it).
        OutboxMessage.objects.filter(pk__in=pks, state__in=revive).update(
            state=OutboxState.PENDING,
            due_at=due,
            next_attempt_at=due,
            attempts=0,
            last_error="",
            payload={"offset": offset, "starts_at": start},
            timezone=zone,
            language=language,
            updated_at=now,
        )
    queue.enqueue_many(new)
    return len(new) + sum(len(pks) for pks in updates.values())


def _confirmed_participants(
    session: Session, statuses: Sequence[str] = (SeatStatus.CONFIRMED,)
) -> list[Participant]:
    places = Place.objects.filter(session=session, status__in=statuses).select_related(
        "participant"
    )
    return [place.participant for place in places.order_by("participant_id")]


# ------------------------------------------------------------------------- registrations


def _calendar_rows(places: Sequence[Place], *, method: str) -> list[dict]:
    """One calendar-only message per seat (``REQUEST`` or ``CANCEL``), for an action that
    touched several seats at once: their UIDs may not share one iMIP message."""
    return [
        {
            "kind": MessageKind.CALENDAR_UPDATE,
            "dedupe_key": f"calendar:{method}:{place.pk}:"
            f"{(place.cancelled_at or place.updated_at or timezone.now()).isoformat()}",
            "payload": {"method": method},
            **_about(place.participant, place.session),
        }
        for place in places
    ]


def _confirmation_row(
    registration: Registration, places: Sequence[Place], *, calendar_separately: bool = False
) -> dict:
    stamp = ",".join(
        f"{place.pk}@{place.updated_at.isoformat() if place.updated_at else ''}"
        for place in sorted(places, key=lambda item: item.pk)
    )
    digest = hashlib.sha256(f"{stamp}|{registration.updated_at.isoformat()}".encode()).hexdigest()[
        :20
    ]
    participant = registration.participant
    return {
        "kind": MessageKind.REGISTRATION_CONFIRMED,
        "dedupe_key": f"registration-confirmed:{registration.pk}:{digest}",
        "payload": {
            "sessions": [place.session_id for place in places],
            "calendar_separately": calendar_separately,
        },
        **_about(participant, event_id=registration.event_id),
    }


@transaction.atomic(savepoint=False)
def plan_registration_emails(
    *, registration: Registration, places: Sequence[Place], fresh: bool = False
) -> None:
    """A registration went through (or sessions were added): a confirmation of the places
    asked for, and the reminders of the confirmed ones. ``fresh``: a new participant, who
    has no rows yet: the confirmation and every reminder go in one statement."""
    participant, event = registration.participant, registration.event
    now = timezone.now()
    confirmed = [place for place in places if place.status == SeatStatus.CONFIRMED]
    for place in confirmed:
        place.participant = participant
    several = len(confirmed) > 1
    rows = [_confirmation_row(registration, places, calendar_separately=several)]
    if several:
        rows += _calendar_rows(confirmed, method="REQUEST")
    for place in places:
        if place.status != SeatStatus.CONFIRMED:
            continue
        if place.session.event_id == event.pk:
            place.session.event = event  # one event for all: no query per session
        if fresh:
            rows += _first_reminders(session=place.session, participant=participant, now=now)
        else:
            schedule_reminders(session=place.session, participants=[participant], now=now)
    _write(rows)


# The emails about an event that public registration requests cause, spaced out per address.
REQUEST_KINDS = (MessageKind.REGISTRATION_CONFIRMED, MessageKind.REGISTRATION_REQUESTED)


@transaction.atomic(savepoint=False)
def plan_registration_request(*, registration: Registration, sessions: Sequence[int]) -> None:
    """Someone asked, by the public registration, for sessions of an event this address is
    already registered for. Nothing was changed; its owner is told what was asked, with a
    link that applies it.

    However many requests arrive, the address gets at most one email about the event per
    ``REGISTRATION_REQUEST_EMAIL_MINUTES`` (its confirmation included): a request within
    that time is folded into the email planned for the end of it (its sessions added to
    that email's), or adds nothing when it asks for nothing the registration lacks. The
    caller holds the registration's row lock, so requests for one address take turns.
    """
    participant = registration.participant
    now = timezone.now()
    interval = timedelta(minutes=settings.REGISTRATION_REQUEST_EMAIL_MINUTES)
    latest = (
        OutboxMessage.objects.filter(
            participant_id=participant.pk, event_id=registration.event_id, kind__in=REQUEST_KINDS
        )
        .exclude(state__in=NEVER_SENT)
        .order_by("-due_at")
        .only("pk", "kind", "state", "due_at", "payload")
        .first()
    )
    asked = list(dict.fromkeys(sessions))
    if latest is not None and latest.due_at + interval > now:
        if registration.status == RegistrationStatus.REGISTERED and held_session_ids(
            registration
        ).issuperset(asked):
            return  # a recent email told them; this request asks for nothing new
        if latest.kind == MessageKind.REGISTRATION_REQUESTED and latest.due_at > now:
            merged = list(dict.fromkeys([*latest.payload.get("sessions", []), *asked]))
            folded = OutboxMessage.objects.filter(
                pk=latest.pk, state=OutboxState.PENDING, next_attempt_at__gt=now
            ).update(payload={**latest.payload, "sessions": merged}, updated_at=now)
            if folded:
                return
    due = now if latest is None else max(now, latest.due_at + interval)
    _write(
        [
            {
                "kind": MessageKind.REGISTRATION_REQUESTED,
                "dedupe_key": f"registration-requested:{participant.pk}:"
                f"{registration.event_id}:{due.isoformat()}",
                "due_at": due,
                "payload": {"sessions": asked},
                **_about(participant, event_id=registration.event_id),
            }
        ]
    )


@transaction.atomic(savepoint=False)
def plan_waitlist_promotion(*, place: Place) -> None:
    """A waitlisted participant got a seat: tell them (with the invitation) and plan its
    reminders."""
    participant, session = place.participant, place.session
    confirmed = (place.confirmed_at or timezone.now()).isoformat()
    _write(
        [
            {
                "kind": MessageKind.WAITLIST_PROMOTED,
                "dedupe_key": f"waitlist-promoted:{place.pk}:{confirmed}",
                **_about(participant, session),
            }
        ]
    )
    schedule_reminders(session=session, participants=[participant])


def _dropped_key(place: Place) -> str:
    released = (place.cancelled_at or timezone.now()).isoformat()
    return f"session-dropped:{place.participant_id}:{place.session_id}:{released}"


@transaction.atomic(savepoint=False)
def drop_place_emails(*, places: Iterable[Place]) -> int:
    """Places were given up: their pending reminders and notices are cancelled, and each
    seat given up (a place that was confirmed, hence in the participant's calendar) gets a
    short email with the iMIP ``CANCEL`` that takes the session out of that calendar.
    Returns how many pending rows were cancelled."""
    places = list(places)
    by_participant: dict[int, list[int]] = defaultdict(list)
    for place in places:
        by_participant[place.participant_id].append(place.session_id)
    cancelled = sum(
        _cancel(participant_id=participant_id, session_id__in=sessions, kind__in=PLACE_KINDS)
        for participant_id, sessions in by_participant.items()
    )
    # A waitlist place was never in a calendar: only seats given up are told about.
    seats: dict[tuple[int, int], list[Place]] = defaultdict(list)
    for place in places:
        if place.confirmed_at is not None:
            seats[(place.participant_id, place.session.event_id)].append(place)
    rows = []
    for given_up in seats.values():
        if len(given_up) == 1:
            [place] = given_up
            rows.append(
                {
                    "kind": MessageKind.SESSION_DROPPED,
                    "dedupe_key": _dropped_key(place),
                    **_about(place.participant, place.session),
                }
            )
            continue
        # One action, several seats: one email that lists them, and a calendar-only
        # CANCEL per seat.
        first = given_up[0]
        rows.append(
            {
                "kind": MessageKind.SESSION_DROPPED,
                "dedupe_key": f"sessions-dropped:{first.participant_id}:"
                + hashlib.sha256(
                    ",".join(_dropped_key(place) for place in given_up).encode()
                ).hexdigest()[:24],
                "payload": {"sessions": [place.session_id for place in given_up]},
                **_about(first.participant, event_id=first.session.event_id),
            }
        )
        rows += _calendar_rows(given_up, method="CANCEL")
    _write(rows)
    return cancelled


@transaction.atomic(savepoint=False)
def follow_participant_preferences(*, participant: Participant) -> int:
    """A participant changed their preferences: their pending emails take the current
    language and zone, and the reminders planned in another zone are planned again (the
    night rule depends on the zone). Returns how many sessions' reminders were re-planned."""
    pending = OutboxMessage.objects.filter(participant_id=participant.pk, state=OutboxState.PENDING)
    moved = {
        session.pk: session
        for row in pending.filter(kind=MessageKind.SESSION_REMINDER).select_related(
            "session__event"
        )
        if (session := row.session) is not None and row.timezone != _zone(participant, session)
    }
    now = timezone.now()
    for session in moved.values():
        schedule_reminders(session=session, participants=[participant], now=now)
    pending.exclude(language=participant.language).update(
        language=participant.language, updated_at=now
    )
    if participant.timezone:
        pending.exclude(timezone=participant.timezone).update(
            timezone=participant.timezone, updated_at=now
        )
    return len(moved)


@transaction.atomic(savepoint=False)
def forget_participant_emails(*, participant: Participant) -> int:
    """A participant was erased: nothing more is sent to them, and their address leaves the
    outbox (every row of theirs now names the anonymised address)."""
    cancelled = _cancel(participant_id=participant.pk)
    OutboxMessage.objects.filter(participant_id=participant.pk).update(
        recipient=participant.email, updated_at=timezone.now()
    )
    return cancelled


# ----------------------------------------------------------------------------- sessions


def _serialisable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


@transaction.atomic(savepoint=False)
def plan_change_notices(*, session: Session, changed: Sequence[str], previous: dict) -> int:
    """A session's time, link or status changed: reminders follow the new start, and each
    confirmed participant gets one change notice, debounced: an edit within
    ``NOTIFICATIONS_CHANGE_DEBOUNCE_SECONDS`` of a pending notice pushes that notice back
    instead of adding one (the notice renders the session as it is when sent). Returns how
    many participants were told."""
    changed_fields = set(changed)
    if not changed_fields & NOTICE_FIELDS:
        return 0
    now = timezone.now()
    participants = _confirmed_participants(session)
    if changed_fields & TIME_FIELDS:
        schedule_reminders(session=session, participants=participants, now=now)
    if "status" in changed_fields:  # restored: a cancellation not yet sent is now untrue
        _cancel(session=session, kind=MessageKind.SESSION_CANCELLED)
    due = now + timedelta(seconds=settings.NOTIFICATIONS_CHANGE_DEBOUNCE_SECONDS)
    previous = {field: _serialisable(value) for field, value in previous.items()}
    pending = list(
        OutboxMessage.objects.select_for_update()
        .filter(kind=MessageKind.SESSION_CHANGED, session=session, state=OutboxState.PENDING)
        .only("id", "participant_id", "payload")
    )
    waiting = {row.participant_id for row in pending}
    groups: dict[str, tuple[dict, list[int]]] = {}
    for row in pending:
        # The first edit's "before" values stay: the notice compares with what was announced.
        payload = {"previous": {**previous, **row.payload.get("previous", {})}}
        groups.setdefault(json.dumps(payload, sort_keys=True), (payload, []))[1].append(row.pk)
    for payload, pks in groups.values():
        OutboxMessage.objects.filter(pk__in=pks, state=OutboxState.PENDING).update(
            due_at=due, next_attempt_at=due, payload=payload, updated_at=now
        )
    _write(
        [
            {
                "kind": MessageKind.SESSION_CHANGED,
                "dedupe_key": f"session-changed:{participant.pk}:{session.pk}:{session.sequence}",
                "due_at": due,
                "payload": {"previous": previous},
                **_about(participant, session),
            }
            for participant in participants
            if participant.pk not in waiting
        ]
    )
    return len(participants)


@transaction.atomic(savepoint=False)
def plan_cancellation_notices(*, session: Session) -> int:
    """A session was cancelled: its pending reminders, change notices and promotions are
    cancelled, and everyone holding a place (seat or waitlist) gets one cancellation."""
    _cancel(
        session=session,
        kind__in=(
            MessageKind.SESSION_REMINDER,
            MessageKind.SESSION_CHANGED,
            MessageKind.WAITLIST_PROMOTED,
        ),
    )
    participants = _confirmed_participants(session, ACTIVE_SEAT_STATUSES)
    return _write(
        [
            {
                "kind": MessageKind.SESSION_CANCELLED,
                "dedupe_key": (
                    f"session-cancelled:{participant.pk}:{session.pk}:{session.sequence}"
                ),
                **_about(participant, session),
            }
            for participant in participants
        ]
    )


@transaction.atomic(savepoint=False)
def replan_event_reminders(*, event: Event) -> int:
    """An event's reminder offsets changed: the reminders of each of its scheduled sessions
    that has not started follow the new offsets (new offsets planned, dropped ones
    cancelled). Returns how many sessions were re-planned."""
    now = timezone.now()
    sessions = list(
        Session.objects.filter(event=event, status=SessionStatus.SCHEDULED, starts_at__gt=now)
        .filter(registrations__status=SeatStatus.CONFIRMED)
        .distinct()
        .order_by("starts_at", "pk")
    )
    for session in sessions:
        session.event = event  # the offsets just saved, and no query per session
        schedule_reminders(session=session, participants=_confirmed_participants(session), now=now)
    return len(sessions)


@transaction.atomic(savepoint=False)
def plan_recording_notices(*, session: Session) -> int:
    """A session's recording was published: everyone who held a place hears of it once."""
    participants = _confirmed_participants(session, ACTIVE_SEAT_STATUSES)
    return _write(
        [
            {
                "kind": MessageKind.RECORDING_AVAILABLE,
                "dedupe_key": f"recording:{participant.pk}:{session.pk}",
                **_about(participant, session),
            }
            for participant in participants
        ]
    )
