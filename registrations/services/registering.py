"""Public registration: a person (known by email) registers for an event and its sessions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone as django_timezone

from core import statements
from core.regions import region_for_country
from events.models import Event, Region
from registrations import cleaning, hooks
from registrations.enums import RegistrationSource
from registrations.models import Participant, Registration, SessionRegistration
from registrations.services.checks import (
    SUPPORTED_LANGUAGES,
    check_event_open,
    session_ids_asked,
    sessions_asked,
)
from registrations.services.links import hash_token
from registrations.services.seats import place_in_sessions


@dataclass
class RegistrationResult:
    """What :func:`register_participant` did. Only when ``created`` may the caller be shown
    the participant's links: otherwise the caller merely knows an email address.
    ``requested``: the address was already registered for the event, so nothing was changed;
    its owner is sent the request instead (``session_registrations`` is then empty)."""

    participant: Participant
    registration: Registration
    session_registrations: list[SessionRegistration]
    created: bool
    requested: bool = False


def _participant_for_email(
    *, email: str, defaults: dict[str, Any], region_code: str | None, now: datetime
) -> tuple[Participant, bool]:
    """The participant with this (normalised) email, created when new.

    A new person costs one statement: ``INSERT … ON CONFLICT DO NOTHING RETURNING`` (the
    region found by its code inside it, the SQL built once), with no lookup before and no
    savepoint around it.
    A known email inserts nothing and is then read. Like any insert on the unique email
    index, it waits for a concurrent transaction that inserted the same email, and then
    finds that row once it is committed.
    """
    token = cleaning.new_token()
    participant = Participant(
        email=email,
        **defaults,
        token=token,
        token_hash=hash_token(token),
        privacy_consented_at=now,
    )
    region = (
        {"region_id": (f"(SELECT id FROM {Region._meta.db_table} WHERE code = %s)", [region_code])}  # noqa: S608 (identifiers from model metadata)
        if region_code
        else None
    )
    rows = statements.insert(
        [participant], returning=("pk", "region"), ignore_conflicts=True, expressions=region
    )
    if rows:
        participant.region_id = rows[0][1]
        return participant, True
    known = Participant.objects.filter(email=email).first()
    if known is not None:
        return known, False
    # Nothing inserted and nobody with this email: only a clash of the random token (2**-256)
    # gets here. The plain path then creates the row or says why it cannot.
    token = cleaning.new_token()
    return Participant.objects.get_or_create(
        email=email,
        defaults={
            **defaults,
            "region": Region.objects.filter(code=region_code).first() if region_code else None,
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

    The caller may know no more than an email address, so an address that already has a
    registration for the event (active or cancelled) is never changed through here: no seat
    is taken, given up or revived and no answer or detail replaced; the
    ``registration_requested`` hook tells its owner what was asked (their manage link
    applies it). A known person new to the event is registered as anyone is.
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
    check_event_open(event, now)
    # An event read by selectors.event_for_registration knows whether it has questions.
    questions = event.questions.all() if getattr(event, "has_questions", True) else ()
    answers = cleaning.clean_answers(questions, answers)
    session_ids_asked(sessions)  # Malformed ids are refused before anything is written.
    participant, created = _participant_for_email(
        email=email,
        region_code=region_for_country(country),
        now=now,
        defaults={
            "name": name,
            "organisation": organisation,
            "country": country,
            "timezone": zone,
            "language": language,
            "digest": bool(digest),
            "digest_consented_at": now if digest else None,
        },
    )
    if created:  # A new person has no registration yet: no lookup, no savepoint.
        registration = Registration(
            participant=participant, event=event, answers=answers, source=source
        )
        statements.insert([registration], returning=("pk",))
    else:
        registration, existed = _registration_for(
            participant, event, answers=answers, source=source
        )
        if existed:
            registration.participant = participant
            asked = sessions_asked(event, sessions)
            hooks.registration_requested(
                registration=registration, sessions=[session.pk for session in asked]
            )
            return RegistrationResult(
                participant=participant,
                registration=registration,
                session_registrations=[],
                created=False,
                requested=True,
            )
    registration.participant = participant
    # The sessions are read (and checked) only now, locked: the seats are placed from these
    # rows without reading them again, and the locks are held no longer than before.
    asked = sessions_asked(event, sessions, lock=True)
    placed = place_in_sessions(
        registration=registration,
        sessions=asked,
        now=now,
        skip_conflicts=True,
        holds_nothing=created,
        locked=True,
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
) -> tuple[Registration, bool]:
    """A known person's registration for the event, created when they have none, and whether
    it existed. An existing one is returned locked and unchanged: concurrent requests for
    one address and event take their turn, so that their emails are planned one at a time."""
    registration, created = Registration.objects.get_or_create(
        participant=participant, event=event, defaults={"answers": answers, "source": source}
    )
    if created:
        return registration, False
    return Registration.objects.select_for_update().get(pk=registration.pk), True
