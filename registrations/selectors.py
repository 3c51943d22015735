"""Reads for registrations, with the joins each caller needs (query counts stay flat).

Others use these: the personal calendar feed (:func:`participant_by_token`,
:func:`sessions_for_participant`), the planner (:func:`registrant_zone_weights`) and the
organisers' views (:func:`session_seat_counts`, :func:`registrations_for_organisers`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils.crypto import constant_time_compare

from core import statements
from core.tokens import digests_match, lookup_digest
from events.models import Event, Session
from registrations.enums import RegistrationStatus, SeatStatus
from registrations.models import (
    ACTIVE_SEAT_STATUSES,
    Participant,
    Question,
    Registration,
    SessionRegistration,
)
from registrations.services.links import join_token


def participant_by_token(token: str) -> Participant | None:
    """The (not erased) participant whose secret this is, or None.

    The lookup goes by the token's SHA-256 digest (indexed), then compares digests in
    constant time: neither step compares the secret itself, so timing tells nothing.
    """
    digest = lookup_digest(token)
    if digest is None:
        return None
    participant = (
        Participant.objects.select_related("region")
        .filter(token_hash=digest, erased_at__isnull=True)
        .first()
    )
    if participant is None or not digests_match(participant.token_hash, digest):
        return None
    return participant


def sessions_for_participant(participant: Participant) -> QuerySet[Session]:
    """The sessions the participant holds a seat or a waitlist place in, across events, in
    start order, each annotated with ``registration_status`` (confirmed/waitlisted),
    ``waitlist_position`` and ``place_updated_at`` (the place's last change). Sessions
    cancelled by organisers stay (their ``status`` says so) so that calendars learn of the
    cancellation."""
    return (
        Session.objects.filter(
            registrations__participant=participant,
            registrations__status__in=ACTIVE_SEAT_STATUSES,
        )
        .annotate(
            seat_id=F("registrations__id"),
            registration_status=F("registrations__status"),
            waitlist_position=F("registrations__waitlist_position"),
            place_updated_at=F("registrations__updated_at"),
        )
        .select_related("event", "event__section")
        .prefetch_related("regions")
        .order_by("starts_at", "id")
    )


@dataclass(frozen=True)
class SeatCount:
    session: int
    capacity: int | None
    confirmed: int
    waitlisted: int

    @property
    def available(self) -> int | None:
        """Free seats (None: no limit)."""
        return None if self.capacity is None else max(self.capacity - self.confirmed, 0)


def session_seat_counts(sessions: Iterable[Session] | QuerySet[Session]) -> dict[int, SeatCount]:
    """Confirmed and waitlisted places per session, in one query, keyed by session id."""
    rows = (
        Session.objects.filter(pk__in=[session.pk for session in sessions])
        .annotate(
            confirmed=Count("registrations", filter=Q(registrations__status=SeatStatus.CONFIRMED)),
            waitlisted=Count(
                "registrations", filter=Q(registrations__status=SeatStatus.WAITLISTED)
            ),
        )
        .values("pk", "capacity", "confirmed", "waitlisted")
    )
    return {
        row["pk"]: SeatCount(row["pk"], row["capacity"], row["confirmed"], row["waitlisted"])
        for row in rows
    }


def registrant_zone_weights(event: Event) -> dict[str, dict[str, int]]:
    """``{region_code: {zone: number of registrants}}`` for the event's active registrations
    (participants without a region or zone are left out). The planner weighs slots by it."""
    rows = (
        Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED)
        .exclude(participant__region__isnull=True)
        .exclude(participant__timezone="")
        .values("participant__region__code", "participant__timezone")
        .annotate(count=Count("pk"))
        .order_by("participant__region__code", "participant__timezone")
    )
    weights: dict[str, dict[str, int]] = {}
    for row in rows:
        region = weights.setdefault(row["participant__region__code"], {})
        region[row["participant__timezone"]] = row["count"]
    return weights


def event_for_registration(slug: str) -> Event | None:
    """The event with this slug, annotated ``has_questions``: a registration for an event
    without questions then reads none (:func:`registrations.services.register_participant`).
    Read on every public registration, so its SQL is built once (:mod:`core.statements`)."""
    found = statements.fetch(
        Event,
        f"SELECT {statements.columns(Event, 'e')}, EXISTS(SELECT 1 FROM "  # noqa: S608 (identifiers from model metadata)
        f"{Question._meta.db_table} q WHERE q.event_id = e.id) "
        f"FROM {Event._meta.db_table} e WHERE e.slug = %s",
        [slug],
        extra=("has_questions",),
    )
    if found:
        found[0].has_questions = bool(found[0].has_questions)
        return found[0]
    return None


def questions_of(event: Event) -> QuerySet[Question]:
    return Question.objects.filter(event=event).order_by("position", "id")


def _places_prefetch() -> Prefetch:
    return Prefetch(
        "session_registrations",
        queryset=SessionRegistration.objects.select_related("session", "participant").order_by(
            "session__starts_at", "session_id"
        ),
    )


def registrations_of_participant(participant: Participant) -> QuerySet[Registration]:
    """The participant's registrations (every status) with their events and places."""
    return (
        Registration.objects.filter(participant=participant)
        .select_related("event")
        .prefetch_related(_places_prefetch())
        .order_by("event__start_date", "event_id")
    )


def registrations_for_organisers(
    event: Event,
    *,
    session: int | None = None,
    status: str | None = None,
    country: str | None = None,
    region: str | None = None,
    q: str | None = None,
) -> QuerySet[Registration]:
    """An event's registrations for its organisers, filtered.

    ``session``: holds a place (of any status, or of ``status``) in that session;
    ``status``: a place status (confirmed/waitlisted/cancelled) or a registration status
    (registered/cancelled/erased; "cancelled" means a cancelled place when ``session`` is
    given, a cancelled registration otherwise); ``q``: in name, email or organisation.
    """
    registrations = (
        Registration.objects.filter(event=event)
        .select_related("participant", "participant__region")
        .prefetch_related(_places_prefetch())
        .order_by("created_at", "id")
    )
    places: dict[str, object] = {}
    if session is not None:
        places["session_id"] = session
    if status in (SeatStatus.CONFIRMED, SeatStatus.WAITLISTED) or (
        status == SeatStatus.CANCELLED and session is not None
    ):
        places["status"] = status
    elif status:
        registrations = registrations.filter(status=status)
    if places:
        registrations = registrations.filter(
            pk__in=SessionRegistration.objects.filter(registration__event=event, **places).values(
                "registration_id"
            )
        )
    if country:
        registrations = registrations.filter(participant__country=country.upper())
    if region:
        registrations = registrations.filter(participant__region__code=region)
    if q:
        registrations = registrations.filter(
            Q(participant__name__icontains=q)
            | Q(participant__email__icontains=q)
            | Q(participant__organisation__icontains=q)
        )
    return registrations


def seat_for_join_token(token: str) -> SessionRegistration | None:
    """The seat whose personal join link carries ``token``, with its session, event and
    participant (one query), or None for a malformed, forged, rotated or erased one."""
    seat_id, _dash, mac = token.partition("-")
    if not (seat_id.isdigit() and len(seat_id) <= 18 and len(mac) == 32):
        return None
    seat = (
        SessionRegistration.objects.select_related("session", "session__event", "participant")
        .filter(pk=int(seat_id))
        .first()
    )
    if seat is None or seat.participant.erased_at is not None:
        return None
    if not constant_time_compare(join_token(seat.pk, seat.participant.token), token):
        return None
    return seat


def held_session_ids(registration: Registration) -> set[int]:
    """The sessions a registration holds a place in (a seat or a waitlist place)."""
    return set(
        SessionRegistration.objects.filter(
            registration=registration, status__in=ACTIVE_SEAT_STATUSES
        ).values_list("session_id", flat=True)
    )


def active_place(participant: Participant, session_id: int) -> SessionRegistration | None:
    """The participant's seat or waitlist place in a session, with the session, or None."""
    return (
        SessionRegistration.objects.filter(
            participant=participant, session_id=session_id, status__in=ACTIVE_SEAT_STATUSES
        )
        .select_related("session")
        .first()
    )
