"""Writes for participants, registrations and seats. Every seat and waitlist rule lives here.

Functions are keyword-only and atomic and raise :class:`RegistrationsError` with a message a
person can act on. Seats: a session's row is locked (``select_for_update``) before its places
are counted, so concurrent registrations on PostgreSQL can never oversell it; a released seat
goes to the first on the waitlist in the same transaction, and waitlist positions stay 1..n.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone as django_timezone
from django.utils.translation import gettext as _

from events.enums import EventStatus, SessionStatus
from events.models import Event, Region, Session
from events.regions import region_for_country
from events.scheduling import day_starts_at

from . import cleaning, hooks, window
from .enums import RegistrationSource, RegistrationStatus, SeatStatus
from .errors import RegistrationsError
from .models import ACTIVE_SEAT_STATUSES, Participant, Registration, SessionRegistration

SUPPORTED_LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
MAX_SESSIONS_PER_CALL = 50


def hash_token(token: str) -> str:
    """The indexed form of a token: lookups compare digests, never the secret itself."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def manage_url(token: str) -> str:
    return f"{settings.SITE_URL}/registrations/{token}/"


def calendar_url(token: str) -> str:
    return f"{settings.SITE_URL}/calendars/{token}.ics"


@dataclass
class RegistrationResult:
    """What :func:`register_participant` did. Only when ``created`` may the caller be shown
    the participant's links: otherwise the caller merely knows an email address."""

    participant: Participant
    registration: Registration
    session_registrations: list[SessionRegistration]
    created: bool


# ---------------------------------------------------------------------------- checks


def _check_event_open(event: Event, now: datetime) -> None:
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


def _sessions_asked(event: Event | None, session_ids: Iterable[Any]) -> list[Session]:
    """The sessions asked for, in the order asked, checked against the rules that do not
    depend on anyone's earlier registrations (so refusing them reveals nothing)."""
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


# ----------------------------------------------------------------------------- seats


def _lock_sessions(session_ids: Iterable[int]) -> dict[int, Session]:
    """Lock the sessions' rows in id order (one order for everyone: no deadlocks)."""
    ids = sorted(set(session_ids))
    if not ids:
        return {}
    return {s.pk: s for s in Session.objects.select_for_update().filter(pk__in=ids).order_by("pk")}


def _occupancy(session: Session) -> tuple[int, int]:
    """(confirmed, waitlisted) for a session; call with the session row locked (a new
    statement, so it sees every place committed before the lock was granted).

    Both read the (session, status, waitlist_position) index: the confirmed rows (at most
    the capacity) and the last waitlist position, which is the waitlist's length because
    positions run 1..n. So the cost does not grow with the waitlist.
    """
    places = SessionRegistration.objects.filter(session_id=OuterRef("pk")).order_by()
    confirmed = (
        places.filter(status=SeatStatus.CONFIRMED)
        .values("session_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    last = (
        places.filter(status=SeatStatus.WAITLISTED)
        .order_by("-waitlist_position")
        .values("waitlist_position")[:1]
    )
    row = (
        Session.objects.filter(pk=session.pk)
        .annotate(
            confirmed=Coalesce(Subquery(confirmed), 0), waitlisted=Coalesce(Subquery(last), 0)
        )
        .values("confirmed", "waitlisted")
        .get()
    )
    return row["confirmed"], row["waitlisted"]


def _fill_free_seats(session: Session, now: datetime) -> list[SessionRegistration]:
    """Give free seats to the first on the waitlist, keeping positions 1..n. Session locked."""
    if session.is_cancelled:
        return []
    confirmed, waitlisted = _occupancy(session)
    if not waitlisted:
        return []
    free = waitlisted if session.capacity is None else session.capacity - confirmed
    if free <= 0:
        return []
    promoted = list(
        SessionRegistration.objects.filter(session_id=session.pk, status=SeatStatus.WAITLISTED)
        .select_related("participant", "registration", "session")
        .order_by("waitlist_position")[:free]
    )
    for place in promoted:
        place.status = SeatStatus.CONFIRMED
        place.waitlist_position = None
        place.confirmed_at = now
        place.save(update_fields=["status", "waitlist_position", "confirmed_at", "updated_at"])
    SessionRegistration.objects.filter(session_id=session.pk, status=SeatStatus.WAITLISTED).update(
        waitlist_position=F("waitlist_position") - len(promoted)
    )
    for place in promoted:
        hooks.seat_confirmed_from_waitlist(session_registration=place)
    return promoted


def _release(place: SessionRegistration, session: Session, now: datetime) -> None:
    """Cancel one place; its seat or waitlist slot passes on. The session row is locked."""
    was, position = place.status, place.waitlist_position
    place.status = SeatStatus.CANCELLED
    place.waitlist_position = None
    place.cancelled_at = now
    place.save(update_fields=["status", "waitlist_position", "cancelled_at", "updated_at"])
    if was == SeatStatus.WAITLISTED:
        SessionRegistration.objects.filter(
            session_id=session.pk, status=SeatStatus.WAITLISTED, waitlist_position__gt=position
        ).update(waitlist_position=F("waitlist_position") - 1)
    elif was == SeatStatus.CONFIRMED:
        _fill_free_seats(session, now)


def _place(
    *,
    registration: Registration,
    sessions: Sequence[Session],
    now: datetime,
    skip_conflicts: bool,
    holds_nothing: bool = False,
) -> list[SessionRegistration]:
    """Give the registration a place in each session: a seat while there are free ones and
    nobody waits, else the next waitlist position. Places already held are kept as they are.

    Another edition of a session already held is refused (``skip_conflicts=False``) or
    passed over without a word (``True``: the caller may not learn what is held).
    ``holds_nothing``: the participant was created in this transaction (skips a lookup).
    """
    if not sessions:
        return []
    locked = _lock_sessions(session.pk for session in sessions)
    participant = registration.participant
    held = (
        {}
        if holds_nothing
        else {
            place.session_id: place
            for place in SessionRegistration.objects.filter(
                participant=participant, session__event_id=registration.event_id
            ).select_related("session")
        }
    )
    held_roots = {
        place.session.edition_root_id: place.session_id
        for place in held.values()
        if place.is_active
    }
    placed: list[SessionRegistration] = []
    for asked in sessions:
        session = locked[asked.pk]
        if session.is_cancelled:
            raise RegistrationsError(
                _("“%(title)s” is cancelled; it takes no registrations.")
                % {"title": session.title},
                field="sessions",
            )
        place = held.get(session.pk)
        if place is not None and place.is_active:
            placed.append(place)
            continue
        root = session.edition_root_id
        if held_roots.get(root, session.pk) != session.pk:
            if skip_conflicts:
                continue
            raise RegistrationsError(
                _("You already have a place in another edition of “%(title)s”; drop it first.")
                % {"title": session.title},
                field="sessions",
            )
        confirmed, waitlisted = _occupancy(session)
        if waitlisted and (session.capacity is None or confirmed < session.capacity):
            _fill_free_seats(session, now)
            confirmed, waitlisted = _occupancy(session)
        if session.capacity is None or confirmed < session.capacity:
            status, position, confirmed_at = SeatStatus.CONFIRMED, None, now
        else:
            status, position, confirmed_at = SeatStatus.WAITLISTED, waitlisted + 1, None
        if place is None:
            place = SessionRegistration.objects.create(
                registration=registration,
                participant=participant,
                session=session,
                status=status,
                waitlist_position=position,
                confirmed_at=confirmed_at,
            )
        else:
            place.registration = registration
            place.status, place.waitlist_position = status, position
            place.confirmed_at, place.cancelled_at = confirmed_at, None
            place.save()
        place.session = session
        held_roots[root] = session.pk
        placed.append(place)
    return placed


# ------------------------------------------------------------------------ registering


def _participant_for_email(
    *, email: str, defaults: dict[str, Any], now: datetime
) -> tuple[Participant, bool]:
    token = cleaning.new_token()
    return Participant.objects.get_or_create(
        email=email,
        defaults={
            **defaults,
            "token": token,
            "token_hash": hash_token(token),
            "privacy_consented_at": now,
        },
    )


@transaction.atomic
def register_participant(
    *,
    event: Event,
    email: str,
    name: str,
    organisation: str = "",
    country: str = "",
    timezone: str = "",
    language: str = "",
    sessions: Iterable[int] = (),
    answers: dict[str, Any] | None = None,
    digest: bool = False,
    source: str = RegistrationSource.API,
) -> RegistrationResult:
    """Register a person (by email) for an event and the sessions asked for.

    Idempotent per email: a repeat call creates no duplicate rows; it adds the sessions asked
    for and the answers not given before, and changes nothing else of the earlier
    registration (a caller who only knows an email must not be able to alter or learn it).
    Refuses an event that is not published or outside its registration window, unknown
    sessions, sessions of another event or cancelled ones, two editions of one session, and
    answers that do not fit the event's questions.
    """
    now = django_timezone.now()
    email = cleaning.normalise_email(email)
    name = cleaning.clean_line(
        name, field="name", max_length=cleaning.NAME_MAX_LENGTH, required=True
    )
    organisation = cleaning.clean_line(
        organisation, field="organisation", max_length=cleaning.NAME_MAX_LENGTH
    )
    country = cleaning.clean_country(country)
    zone = cleaning.clean_timezone(timezone, country=country)
    language = cleaning.clean_language(
        language, supported=SUPPORTED_LANGUAGES, default=settings.LANGUAGE_CODE
    )
    _check_event_open(event, now)
    answers = cleaning.clean_answers(event.questions.all(), answers)
    asked = _sessions_asked(event, sessions)
    region_code = region_for_country(country)
    region = Region.objects.filter(code=region_code).first() if region_code else None
    participant, created = _participant_for_email(
        email=email,
        now=now,
        defaults={
            "name": name,
            "organisation": organisation,
            "country": country,
            "region": region,
            "timezone": zone,
            "language": language,
            "digest": bool(digest),
            "digest_consented_at": now if digest else None,
        },
    )
    if created:  # A new person has no registration yet: no lookup, no savepoint.
        registration = Registration.objects.create(
            participant=participant, event=event, answers=answers, source=source
        )
    else:
        registration = _registration_for(participant, event, answers=answers, source=source)
    registration.participant = participant
    placed = _place(
        registration=registration,
        sessions=asked,
        now=now,
        skip_conflicts=True,
        holds_nothing=created,
    )
    hooks.participant_registered(
        registration=registration, session_registrations=placed, created=created
    )
    return RegistrationResult(
        participant=participant,
        registration=registration,
        session_registrations=placed,
        created=created,
    )


def _registration_for(
    participant: Participant, event: Event, *, answers: dict[str, Any], source: str
) -> Registration:
    """A known person's registration for the event: found (and reactivated, with answers
    only added, never replaced) or created."""
    registration, created = Registration.objects.get_or_create(
        participant=participant, event=event, defaults={"answers": answers, "source": source}
    )
    if created:
        return registration
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    merged = {**answers, **registration.answers}
    if registration.status != RegistrationStatus.REGISTERED or merged != registration.answers:
        registration.status = RegistrationStatus.REGISTERED
        registration.cancelled_at = None
        registration.answers = merged
        registration.save(update_fields=["status", "cancelled_at", "answers", "updated_at"])
    return registration


def _active_registration(participant: Participant, event: Event) -> Registration:
    registration = (
        Registration.objects.select_for_update()
        .filter(participant=participant, event=event, status=RegistrationStatus.REGISTERED)
        .first()
    )
    if registration is None:
        raise RegistrationsError(
            _("You are not registered for “%(event)s”; register for the event first.")
            % {"event": event.title},
            field="sessions",
        )
    registration.participant = participant
    return registration


@transaction.atomic
def add_sessions(*, participant: Participant, sessions: Iterable[int]) -> list[SessionRegistration]:
    """Add sessions (of events the participant is registered for) through the manage link.

    A full session gives a waitlist place; another edition of a session already held is
    refused with a message that says to drop it first.
    """
    now = django_timezone.now()
    asked = _sessions_asked(None, sessions)
    placed: list[SessionRegistration] = []
    by_event: dict[int, list[Session]] = {}
    for session in asked:
        by_event.setdefault(session.event_id, []).append(session)
    for group in by_event.values():
        event = group[0].event
        _check_event_open(event, now)
        registration = _active_registration(participant, event)
        added = _place(registration=registration, sessions=group, now=now, skip_conflicts=False)
        hooks.sessions_added(registration=registration, session_registrations=added)
        placed += added
    return placed


@transaction.atomic
def drop_session(*, participant: Participant, session: Session | int) -> SessionRegistration:
    """Give up a place in a session; a released seat goes to the first on its waitlist."""
    session_id = session.pk if isinstance(session, Session) else session
    locked = _lock_sessions([session_id])
    place = (
        SessionRegistration.objects.select_for_update()
        .filter(participant=participant, session_id=session_id)
        .first()
    )
    if not locked or place is None or not place.is_active:
        raise RegistrationsError(
            _("You have no place in session %(id)s.") % {"id": session_id}, field="sessions"
        )
    _release(place, locked[session_id], django_timezone.now())
    place.session = locked[session_id]
    hooks.session_dropped(session_registration=place)
    return place


def _cancel(registration: Registration, now: datetime, status: str) -> list[SessionRegistration]:
    active = SessionRegistration.objects.filter(
        registration=registration, status__in=ACTIVE_SEAT_STATUSES
    )
    # Lock first, then read the places: a promotion may have moved them meanwhile.
    locked = _lock_sessions(active.values_list("session_id", flat=True))
    released = []
    for place in active.order_by("session_id"):
        _release(place, locked[place.session_id], now)
        place.session = locked[place.session_id]
        released.append(place)
    registration.status = status
    registration.cancelled_at = now
    if status == RegistrationStatus.ERASED:
        registration.answers = {}
    registration.save(update_fields=["status", "cancelled_at", "answers", "updated_at"])
    return released


@transaction.atomic
def cancel_registration(
    *, participant: Participant, event: Event | None = None
) -> list[Registration]:
    """Cancel the participant's registration for one event, or for all of them; every seat
    released goes to the first on that session's waitlist. Returns what was cancelled."""
    now = django_timezone.now()
    registrations = Registration.objects.select_for_update().filter(
        participant=participant, status=RegistrationStatus.REGISTERED
    )
    if event is not None:
        registrations = registrations.filter(event=event)
    cancelled = list(registrations.select_related("event").order_by("pk"))
    if event is not None and not cancelled:
        raise RegistrationsError(
            _("You have no active registration for “%(event)s”.") % {"event": event.title}
        )
    for registration in cancelled:
        registration.participant = participant
        released = _cancel(registration, now, RegistrationStatus.CANCELLED)
        hooks.registration_cancelled(registration=registration, session_registrations=released)
    return cancelled


@transaction.atomic
def update_participant_preferences(
    *,
    participant: Participant,
    name: str | None = None,
    organisation: str | None = None,
    country: str | None = None,
    timezone: str | None = None,
    language: str | None = None,
    reminders: bool | None = None,
    digest: bool | None = None,
) -> Participant:
    """Change what the participant may change about themselves; ``None`` keeps a value.
    A new country without a zone keeps the zone; it moves the region."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    now = django_timezone.now()
    if name is not None:
        participant.name = cleaning.clean_line(
            name, field="name", max_length=cleaning.NAME_MAX_LENGTH, required=True
        )
    if organisation is not None:
        participant.organisation = cleaning.clean_line(
            organisation, field="organisation", max_length=cleaning.NAME_MAX_LENGTH
        )
    if country is not None:
        participant.country = cleaning.clean_country(country)
        code = region_for_country(participant.country)
        participant.region = Region.objects.filter(code=code).first() if code else None
    if timezone is not None:
        participant.timezone = cleaning.clean_timezone(timezone, country=participant.country)
    if language is not None:
        participant.language = cleaning.clean_language(
            language, supported=SUPPORTED_LANGUAGES, default=participant.language
        )
    if reminders is not None:
        participant.reminders = bool(reminders)
    if digest is not None and bool(digest) != participant.digest:
        participant.digest = bool(digest)
        participant.digest_consented_at = now if digest else None
    participant.save()
    hooks.participant_preferences_changed(participant=participant)
    return participant


@transaction.atomic
def change_registration(
    *,
    participant: Participant,
    add: Iterable[int] = (),
    drop: Iterable[int] = (),
    **preferences: Any,
) -> Participant:
    """The manage link's one write: preferences, then dropped sessions, then added ones
    (dropping first frees a seat or an edition slot for what is added). All or nothing."""
    participant = update_participant_preferences(participant=participant, **preferences)
    for session_id in dict.fromkeys(drop):
        drop_session(participant=participant, session=session_id)
    if add:
        add_sessions(participant=participant, sessions=add)
    return participant


@transaction.atomic
def rotate_token(*, participant: Participant) -> str:
    """Give the participant a new secret; links with the old one stop working at once."""
    token = cleaning.new_token()
    Participant.objects.filter(pk=participant.pk).update(
        token=token,
        token_hash=hash_token(token),
        token_rotated_at=django_timezone.now(),
        updated_at=django_timezone.now(),
    )
    participant.token, participant.token_hash = token, hash_token(token)
    return token


def export_participant_data(*, participant: Participant) -> dict[str, Any]:
    """Everything stored about the participant, as plain JSON-ready data (the secret token
    excepted: the person holds it already)."""
    from . import selectors

    registrations = selectors.registrations_of_participant(participant)
    return {
        "participant": {
            "email": participant.email,
            "name": participant.name,
            "organisation": participant.organisation,
            "country": participant.country,
            "region": participant.region.code if participant.region else None,
            "timezone": participant.timezone,
            "language": participant.language,
            "reminders": participant.reminders,
            "digest": participant.digest,
            "digest_consented_at": _iso(participant.digest_consented_at),
            "privacy_consented_at": _iso(participant.privacy_consented_at),
            "created_at": _iso(participant.created_at),
            "updated_at": _iso(participant.updated_at),
        },
        "registrations": [
            {
                "event": registration.event.slug,
                "event_title": registration.event.title,
                "status": registration.status,
                "source": registration.source,
                "answers": registration.answers,
                "created_at": _iso(registration.created_at),
                "cancelled_at": _iso(registration.cancelled_at),
                "sessions": [
                    {
                        "session": place.session_id,
                        "title": place.session.title,
                        "starts_at": _iso(place.session.starts_at),
                        "status": place.status,
                        "waitlist_position": place.waitlist_position,
                        "created_at": _iso(place.created_at),
                        "cancelled_at": _iso(place.cancelled_at),
                    }
                    for place in registration.session_registrations.all()
                ],
            }
            for registration in registrations
        ],
    }


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None


@transaction.atomic
def erase_participant(*, participant: Participant) -> Participant:
    """Erase a participant's personal data: name, email, organisation and answers go, every
    place is released (waitlists move up), the token dies. The rows stay, anonymised, so
    organisers' counts (by session, country, region) remain right."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    now = django_timezone.now()
    for registration in Registration.objects.select_for_update().filter(participant=participant):
        registration.participant = participant
        _cancel(registration, now, RegistrationStatus.ERASED)
    token = cleaning.new_token()
    participant.email = f"erased-{participant.pk}@erased.invalid"
    participant.name = ""
    participant.organisation = ""
    participant.reminders = False
    participant.digest = False
    participant.digest_consented_at = None
    participant.token, participant.token_hash = token, hash_token(token)
    participant.erased_at = now
    participant.save()
    hooks.participant_erased(participant=participant)
    return participant


@transaction.atomic
def fill_free_seats(*, session: Session) -> list[SessionRegistration]:
    """After an organiser raised a session's capacity: give the new seats to the waitlist."""
    locked = _lock_sessions([session.pk])
    return _fill_free_seats(locked[session.pk], django_timezone.now()) if locked else []
