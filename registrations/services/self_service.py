"""What a participant does through their manage link: add or drop sessions, cancel, change
their preferences, rotate their token."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone as django_timezone
from django.utils.translation import gettext as _

from core.regions import region_for_country
from events.models import Event, Region, Session
from registrations import cleaning, hooks
from registrations.enums import RegistrationStatus
from registrations.errors import RegistrationsError
from registrations.models import Participant, Registration, SessionRegistration
from registrations.services.checks import SUPPORTED_LANGUAGES, check_event_open, sessions_asked
from registrations.services.links import hash_token
from registrations.services.seats import (
    lock_sessions,
    place_in_sessions,
    release_place,
    release_registration,
)


def _registration_to_add_to(participant: Participant, event: Event, now) -> Registration:
    """The participant's registration for the event, locked; a cancelled one is made active
    again (its owner, holding the manage link, registers again by adding sessions)."""
    registration = (
        Registration.objects.select_for_update()
        .filter(
            participant=participant,
            event=event,
            status__in=[RegistrationStatus.REGISTERED, RegistrationStatus.CANCELLED],
        )
        .first()
    )
    if registration is None:
        raise RegistrationsError(
            _("You are not registered for “%(event)s”; register for the event first.")
            % {"event": event.title},
            field="sessions",
        )
    if registration.status == RegistrationStatus.CANCELLED:
        registration.status = RegistrationStatus.REGISTERED
        registration.cancelled_at = None
        registration.save(update_fields=["status", "cancelled_at", "updated_at"])
    registration.participant = participant
    return registration


@transaction.atomic
def add_sessions(*, participant: Participant, sessions: Iterable[int]) -> list[SessionRegistration]:
    """Add sessions (of events the participant is registered for) through the manage link.

    A full session gives a waitlist place; another edition of a session already held is
    refused with a message that says to drop it first. Adding to a cancelled registration
    registers the participant again.
    """
    now = django_timezone.now()
    asked = sessions_asked(None, sessions)
    placed: list[SessionRegistration] = []
    by_event: dict[int, list[Session]] = {}
    for session in asked:
        by_event.setdefault(session.event_id, []).append(session)
    for group in by_event.values():
        event = group[0].event
        check_event_open(event, now)
        registration = _registration_to_add_to(participant, event, now)
        added = place_in_sessions(
            registration=registration, sessions=group, now=now, skip_conflicts=False
        )
        hooks.sessions_added(registration=registration, session_registrations=added)
        placed += added
    return placed


@transaction.atomic
def drop_session(
    *, participant: Participant, session: Session | int, announce: bool = True
) -> SessionRegistration:
    """Give up a place in a session; a released seat goes to the first on its waitlist.
    ``announce=False``: the caller tells the hook itself, with the other places of the same
    action (so that the person gets one email)."""
    session_id = session.pk if isinstance(session, Session) else session
    locked = lock_sessions([session_id])
    place = (
        SessionRegistration.objects.select_for_update()
        .filter(participant=participant, session_id=session_id)
        .first()
    )
    if not locked or place is None or not place.is_active:
        raise RegistrationsError(
            _("You have no place in session %(id)s.") % {"id": session_id}, field="sessions"
        )
    release_place(place, locked[session_id], django_timezone.now())
    place.session = locked[session_id]
    if announce:
        hooks.sessions_dropped(session_registrations=[place])
    return place


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
        released = release_registration(registration, now, RegistrationStatus.CANCELLED)
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
    dropped = [
        drop_session(participant=participant, session=session_id, announce=False)
        for session_id in dict.fromkeys(drop)
    ]
    if dropped:
        hooks.sessions_dropped(session_registrations=dropped)
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
