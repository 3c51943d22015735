"""Seats and waitlists. Every seat and waitlist rule lives here.

A session's row is locked (``select_for_update``) before its places are counted, so
concurrent registrations on PostgreSQL can never oversell it; a released seat goes to the
first on the waitlist in the same transaction, and waitlist positions stay 1..n. The helpers
expect to run inside the caller's transaction; :func:`fill_free_seats` is the one service.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import lru_cache

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone as django_timezone
from django.utils.translation import gettext as _

from core import statements
from events.models import Session
from registrations import hooks
from registrations.enums import RegistrationStatus, SeatStatus
from registrations.errors import RegistrationsError
from registrations.models import ACTIVE_SEAT_STATUSES, Registration, SessionRegistration


def lock_sessions(session_ids: Iterable[int]) -> dict[int, Session]:
    """Lock the sessions' rows in id order (one order for everyone: no deadlocks)."""
    ids = sorted(set(session_ids))
    if not ids:
        return {}
    # Every registration locks its sessions: the SQL is built once (:mod:`core.statements`).
    found = statements.fetch(
        Session,
        f"SELECT {statements.columns(Session, 's')} FROM {Session._meta.db_table} s "  # noqa: S608 (identifiers from model metadata)
        f"WHERE s.id IN ({', '.join(['%s'] * len(ids))}) ORDER BY s.id"
        + statements.for_update(Session),
        ids,
        write=True,
    )
    return {session.pk: session for session in found}


# The columns the placing INSERT writes, in its order.
_PLACE_COLUMNS = (
    "registration",
    "participant",
    "session",
    "status",
    "waitlist_position",
    "created_at",
    "updated_at",
    "confirmed_at",
)
# Room without limit, as a number the database compares with a count.
_UNLIMITED = 2**62


@lru_cache(maxsize=4)
def _statements(vendor: str) -> tuple[str, str]:
    """The occupancy count and the placing INSERT, with the table and column names read from
    the model's metadata (built once per database vendor).

    Plain SQL: it runs while the session row is locked, on every registration, and the ORM
    has no INSERT … SELECT. Both counts read the (session, status, waitlist_position) index:
    the confirmed rows (at most the capacity) and the last waitlist position, which is the
    waitlist's length because positions run 1..n, so the cost does not grow with the
    waitlist. ORDER BY … LIMIT 1, not MAX(): without fresh statistics (after a bulk load)
    PostgreSQL scans the whole waitlist for MAX().

    The INSERT works out the new place's status and waitlist position from the occupancy
    (one statement, not a read then a write, while the session row is locked: a new
    statement, so it sees every place committed before the lock was granted). It writes
    nothing when the session has free seats and a waitlist at once (its capacity was raised
    and the waitlist not yet moved up): the caller then fills those seats first.
    MATERIALIZED: the counts are taken once; inlined, PostgreSQL would count again for each
    use of ``o``.
    """
    opts = SessionRegistration._meta
    quote = connection.ops.quote_name
    table = quote(opts.db_table)

    def column(name: str) -> str:
        return quote(opts.get_field(name).column)

    session, status, position = column("session"), column("status"), column("waitlist_position")
    occupancy = (
        f"SELECT (SELECT COUNT(*) FROM {table} WHERE {session} = %(session)s"  # noqa: S608 (identifiers from model metadata)
        f" AND {status} = %(confirmed)s) AS confirmed,"
        f" COALESCE((SELECT {position} FROM {table} WHERE {session} = %(session)s"
        f" AND {status} = %(waitlisted)s ORDER BY {position} DESC LIMIT 1), 0) AS waitlisted"
    )
    materialized = "MATERIALIZED " if vendor == "postgresql" else ""
    columns = ", ".join(column(name) for name in _PLACE_COLUMNS)
    place = (
        f"WITH o AS {materialized}({occupancy}) INSERT INTO {table} ({columns})"  # noqa: S608 (identifiers from model metadata)
        " SELECT %(registration)s, %(participant)s, %(session)s,"
        " CASE WHEN o.confirmed < %(capacity)s THEN %(confirmed)s ELSE %(waitlisted)s END,"
        " CASE WHEN o.confirmed < %(capacity)s THEN NULL ELSE o.waitlisted + 1 END,"
        " %(now)s, %(now)s,"
        " CASE WHEN o.confirmed < %(capacity)s THEN %(now)s ELSE NULL END"
        " FROM o WHERE o.waitlisted = 0 OR o.confirmed >= %(capacity)s"
        f" RETURNING {quote(opts.pk.column)}, {status}, {position}"
    )
    return occupancy, place


def occupancy(session: Session) -> tuple[int, int]:
    """(confirmed, waitlisted) for a session; call with the session row locked (a new
    statement, so it sees every place committed before the lock was granted)."""
    with connection.cursor() as cursor:
        cursor.execute(
            _statements(connection.vendor)[0],
            {
                "session": session.pk,
                "confirmed": SeatStatus.CONFIRMED.value,
                "waitlisted": SeatStatus.WAITLISTED.value,
            },
        )
        confirmed, waitlisted = cursor.fetchone()
    return confirmed, waitlisted


def _insert_placed(
    registration: Registration, session: Session, now: datetime
) -> SessionRegistration | None:
    """A new place in ``session`` (row locked), placed by one INSERT; None when it wrote
    nothing (free seats and a waitlist at once)."""
    stamp = SessionRegistration._meta.get_field("created_at").get_db_prep_value(now, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            _statements(connection.vendor)[1],
            {
                "registration": registration.pk,
                "participant": registration.participant_id,
                "session": session.pk,
                "capacity": _UNLIMITED if session.capacity is None else session.capacity,
                "confirmed": SeatStatus.CONFIRMED.value,
                "waitlisted": SeatStatus.WAITLISTED.value,
                "now": stamp,
            },
        )
        row = cursor.fetchone()
    if row is None:
        return None
    pk, status, position = row
    confirmed_at = now if status == SeatStatus.CONFIRMED else None
    written = dict(
        zip(
            (SessionRegistration._meta.get_field(name).attname for name in _PLACE_COLUMNS),
            (registration.pk, registration.participant_id, session.pk, status, position, now, now),
            strict=False,
        ),
        id=pk,
        confirmed_at=confirmed_at,
    )
    # Every column, so that none is deferred (the ones the INSERT leaves to their defaults
    # are empty on a new place).
    names = [field.attname for field in SessionRegistration._meta.concrete_fields]
    place = SessionRegistration.from_db(
        connection.alias, names, [written.get(name) for name in names]
    )
    place.registration, place.session = registration, session
    return place


def _next_place(session: Session, now: datetime) -> tuple[str, int | None, datetime | None]:
    """(status, waitlist position, confirmed at) for the next place in ``session`` (locked):
    a seat while there are free ones and nobody waits, else the next waitlist position."""
    confirmed, waitlisted = occupancy(session)
    if waitlisted and (session.capacity is None or confirmed < session.capacity):
        _fill_free_seats(session, now)
        confirmed, waitlisted = occupancy(session)
    if session.capacity is None or confirmed < session.capacity:
        return SeatStatus.CONFIRMED, None, now
    return SeatStatus.WAITLISTED, waitlisted + 1, None


def _fill_free_seats(session: Session, now: datetime) -> list[SessionRegistration]:
    """Give free seats to the first on the waitlist, keeping positions 1..n. Session locked."""
    if session.is_cancelled:
        return []
    confirmed, waitlisted = occupancy(session)
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


def release_place(place: SessionRegistration, session: Session, now: datetime) -> None:
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


def place_in_sessions(
    *,
    registration: Registration,
    sessions: Sequence[Session],
    now: datetime,
    skip_conflicts: bool,
    holds_nothing: bool = False,
    locked: bool = False,
) -> list[SessionRegistration]:
    """Give the registration a place in each session: a seat while there are free ones and
    nobody waits, else the next waitlist position. Places already held are kept as they are.

    Another edition of a session already held is refused (``skip_conflicts=False``) or
    passed over without a word (``True``: the caller may not learn what is held).
    ``holds_nothing``: the participant was created in this transaction (skips a lookup).
    ``locked``: the caller read ``sessions`` locked in this transaction (skips reading them
    again; see :func:`.checks.sessions_asked`).
    """
    if not sessions:
        return []
    rows = (
        {session.pk: session for session in sessions}
        if locked
        else lock_sessions(session.pk for session in sessions)
    )
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
        session = rows[asked.pk]
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
        if place is None:
            # A new place: one statement works out its status and position.
            place = _insert_placed(registration, session, now)
            if place is None:
                # Free seats and a waitlist at once: the waitlist moves up first; afterwards
                # no seat is free or nobody waits, and the INSERT writes.
                _fill_free_seats(session, now)
                place = _insert_placed(registration, session, now)
        else:
            # A place given up earlier, taken again.
            status, position, confirmed_at = _next_place(session, now)
            place.registration = registration
            place.status, place.waitlist_position = status, position
            place.confirmed_at, place.cancelled_at = confirmed_at, None
            place.save()
        place.session = session
        held_roots[root] = session.pk
        placed.append(place)
    return placed


def release_registration(
    registration: Registration, now: datetime, status: str
) -> list[SessionRegistration]:
    """Release every active place of the registration (seats pass to the waitlists) and mark
    it ``status`` (cancelled or erased: an erased one loses its answers). Returns the places."""
    active = SessionRegistration.objects.filter(
        registration=registration, status__in=ACTIVE_SEAT_STATUSES
    )
    # Lock first, then read the places: a promotion may have moved them meanwhile.
    locked = lock_sessions(active.values_list("session_id", flat=True))
    released = []
    for place in active.order_by("session_id"):
        release_place(place, locked[place.session_id], now)
        place.session = locked[place.session_id]
        released.append(place)
    registration.status = status
    registration.cancelled_at = now
    if status == RegistrationStatus.ERASED:
        registration.answers = {}
    registration.save(update_fields=["status", "cancelled_at", "answers", "updated_at"])
    return released


@transaction.atomic
def fill_free_seats(*, session: Session) -> list[SessionRegistration]:
    """After an organiser raised a session's capacity: give the new seats to the waitlist."""
    locked = lock_sessions([session.pk])
    return _fill_free_seats(locked[session.pk], django_timezone.now()) if locked else []


def receive_capacity_changed(*, session: Session, previous: int | None) -> None:
    """``events.hooks.session_capacity_changed``: the seats added go to the waitlist."""
    fill_free_seats(session=session)
