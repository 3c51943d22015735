"""The outbox: enqueue rows, claim due rows under a lease, and record outcomes.

Invariants:
- a row is enqueued in the transaction of the change that causes it; its ``dedupe_key``
  makes enqueueing idempotent (a second enqueue with the same key is a no-op);
- a claim moves rows ``pending → sending`` atomically and stamps a lease (owner, expiry);
  on PostgreSQL claims use ``FOR UPDATE SKIP LOCKED`` so concurrent claimers never take the
  same row; on SQLite the claim runs in an IMMEDIATE transaction, which serialises writers;
- only the lease holder may record an outcome (every write filters on ``lease_owner``), so a
  worker whose lease expired and was recovered cannot overwrite the new holder's result;
- an expired lease puts the row back to ``pending`` (or ``failed`` when out of attempts).
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Iterable
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from events import statements

from . import delivery
from .enums import OutboxState
from .models import OutboxMessage

logger = logging.getLogger(__name__)

CLAIM_RELATED = ("subscription", "subscription__region", "session", "session__event", "event")


def site_domain() -> str:
    return urlparse(settings.SITE_URL).hostname or "localhost"


def new_lease_owner() -> str:
    """A name for one claim: host, process and a random part (unique per claim)."""
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def _row(
    *,
    kind: str,
    recipient: str,
    dedupe_key: str,
    due_at: datetime | None = None,
    language: str = "en",
    timezone_name: str = "UTC",
    payload: dict[str, Any] | None = None,
    **about: Any,
) -> OutboxMessage:
    from .renderers import REGISTRY

    if kind not in REGISTRY:
        raise ValueError(f"no renderer is registered for the kind {kind!r}")
    due = due_at or timezone.now()
    return OutboxMessage(
        kind=kind,
        recipient=recipient,
        dedupe_key=dedupe_key[:200],
        message_id=delivery.message_id_for(dedupe_key, site_domain()),
        due_at=due,
        next_attempt_at=due,
        language=language,
        timezone=timezone_name,
        payload=payload or {},
        **about,
    )


def enqueue(**fields: Any) -> OutboxMessage | None:
    """Add one email to the outbox unless a row with its ``dedupe_key`` exists.

    Call it inside the transaction of the change that causes the email. Fields: ``kind``,
    ``recipient``, ``dedupe_key``, optional ``due_at`` (default now), ``language``,
    ``timezone_name``, ``payload`` and what it is about (``event``, ``session``,
    ``participant_id``, ``region_code``, ``subscription``). Returns the new row, or None when
    the key was already used. A row due now wakes a worker once the transaction commits.
    """
    row = _row(**fields)
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:
        return None
    if row.due_at <= timezone.now():
        wake_after_commit()
    return row


def enqueue_many(rows: Iterable[dict[str, Any]]) -> int:
    """Enqueue many emails at once (same fields as :func:`enqueue`); keys already used are
    skipped. Returns how many rows were offered. Does not wake a worker: the tick finds them."""
    objects = [_row(**fields) for fields in rows]
    # Written on every registration: the INSERT is built once per row count (no signal
    # listens to outbox rows).
    statements.insert(objects, ignore_conflicts=True)
    return len(objects)


def cancel_pending(**about: Any) -> int:
    """Cancel the not-yet-sent rows about something (e.g. ``subscription=…``, ``kind=…``)."""
    return OutboxMessage.objects.filter(state=OutboxState.PENDING, **about).update(
        state=OutboxState.CANCELLED, updated_at=timezone.now()
    )


def claim_batch(
    *, owner: str, limit: int, lease_seconds: float, now: datetime | None = None
) -> list[OutboxMessage]:
    """Claim up to ``limit`` due rows for ``owner`` and return them with what they are about.

    Due means ``pending`` with ``next_attempt_at <= now``. Claimed rows are ``sending`` with
    a lease until ``now + lease_seconds`` and one more attempt counted.
    """
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(state=OutboxState.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "id")
            .values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return []
        OutboxMessage.objects.filter(pk__in=ids).update(
            state=OutboxState.SENDING,
            lease_owner=owner,
            lease_expires_at=now + timedelta(seconds=lease_seconds),
            attempts=F("attempts") + 1,
            updated_at=now,
        )
    return list(
        OutboxMessage.objects.filter(pk__in=ids, lease_owner=owner)
        .select_related(*CLAIM_RELATED)
        .order_by("next_attempt_at", "id")
    )


def recover_expired_leases(*, max_attempts: int, now: datetime | None = None) -> int:
    """Give rows whose lease outlived its worker back to the queue (or fail them when out of
    attempts). Returns how many rows were recovered."""
    now = now or timezone.now()
    expired = OutboxMessage.objects.filter(state=OutboxState.SENDING, lease_expires_at__lt=now)
    failed = expired.filter(attempts__gte=max_attempts).update(
        state=OutboxState.FAILED,
        lease_owner="",
        lease_expires_at=None,
        last_error="lease expired after the last attempt",
        updated_at=now,
    )
    retried = expired.update(
        state=OutboxState.PENDING,
        lease_owner="",
        lease_expires_at=None,
        next_attempt_at=now,
        updated_at=now,
    )
    if failed or retried:
        logger.warning("recovered %s expired leases (%s out of attempts)", retried, failed)
    return failed + retried


def _held(pk: int, owner: str):
    return OutboxMessage.objects.filter(pk=pk, state=OutboxState.SENDING, lease_owner=owner)


def mark_sent(*, pk: int, owner: str, now: datetime | None = None, code: int = 250) -> bool:
    """Record a delivery. False when the lease is no longer ``owner``'s (nothing written).

    The hottest write of dispatch (one per email), so it is one plain UPDATE statement.
    """
    now = now or timezone.now()
    table = connection.ops.quote_name(OutboxMessage._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET state = %s, sent_at = %s, smtp_code = %s, last_error = '', "  # noqa: S608 (the table name is ours)
            "lease_owner = '', lease_expires_at = NULL, updated_at = %s "
            "WHERE id = %s AND state = %s AND lease_owner = %s",
            [OutboxState.SENT, now, code, now, pk, OutboxState.SENDING, owner],
        )
        return cursor.rowcount == 1


def mark_skipped(*, pk: int, owner: str, reason: str, now: datetime | None = None) -> bool:
    """Record that the row is no longer true (nothing was sent)."""
    now = now or timezone.now()
    return bool(
        _held(pk, owner).update(
            state=OutboxState.SKIPPED,
            last_error=reason[:1000],
            lease_owner="",
            lease_expires_at=None,
            updated_at=now,
        )
    )


def mark_failure(
    *,
    message: OutboxMessage,
    owner: str,
    failure: delivery.Failure,
    max_attempts: int,
    retry_base_seconds: float,
    retry_cap_seconds: float,
    now: datetime | None = None,
) -> str:
    """Record a failed try: a transient failure with attempts left goes back to ``pending``
    with ``next_attempt_at`` pushed back exponentially; anything else fails the row.
    Returns the state written ("" when the lease was lost)."""
    now = now or timezone.now()
    if failure.transient and message.attempts < max_attempts:
        state = OutboxState.PENDING
        next_attempt = now + delivery.retry_delay(
            message.attempts, base_seconds=retry_base_seconds, cap_seconds=retry_cap_seconds
        )
    else:
        state = OutboxState.FAILED
        next_attempt = message.next_attempt_at
    written = _held(message.pk, owner).update(
        state=state,
        next_attempt_at=next_attempt,
        smtp_code=failure.code,
        last_error=failure.error,
        lease_owner="",
        lease_expires_at=None,
        updated_at=now,
    )
    return state if written else ""


def release_unattempted(
    *, pks: list[int], owner: str, next_attempt_at: datetime, now: datetime | None = None
) -> int:
    """Give back claimed rows that were never tried (the connection was lost before their
    turn): their attempt is not counted and they wait until ``next_attempt_at``."""
    if not pks:
        return 0
    now = now or timezone.now()
    return OutboxMessage.objects.filter(
        pk__in=pks, state=OutboxState.SENDING, lease_owner=owner
    ).update(
        state=OutboxState.PENDING,
        attempts=F("attempts") - 1,
        next_attempt_at=next_attempt_at,
        lease_owner="",
        lease_expires_at=None,
        updated_at=now,
    )


@contextmanager
def relaxed_commits():
    """On PostgreSQL, outcome writes inside this block commit without waiting for the WAL
    flush (``synchronous_commit = off``). A killed worker loses nothing (the server has the
    commit); only a crash of PostgreSQL itself may forget the last fraction of a second of
    outcomes, whose rows are then sent once more with the same Message-ID."""
    relaxed = connection.vendor == "postgresql" and settings.NOTIFICATIONS_ASYNC_COMMIT
    if relaxed:
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        if relaxed and connection.connection is not None:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")


WAKE_PENDING_KEY = "notifications:wake-pending"


def _shared_cache() -> bool:
    """Whether the default cache is one that every process sees (Redis, Memcached, the
    database): only then can a pending wake be marked for the web processes and the workers."""
    from django.core.cache import caches
    from django.core.cache.backends.dummy import DummyCache
    from django.core.cache.backends.locmem import LocMemCache

    return not isinstance(caches["default"], LocMemCache | DummyCache)


def _wake() -> None:
    """Ask a worker to drain now. Without a broker the embedded loop picks the rows up; a
    broker that is down only delays the email until the next tick, so errors are logged.

    Wakes are coalesced through the shared cache: the first commit marks a wake as pending
    (``cache.add``) and sends it; later commits see the mark and send nothing, because the
    pending drain clears the mark before it claims (:func:`wake_received`) and therefore
    claims their rows too. Under a burst of registrations this sends one task per drain
    instead of one per commit. The mark expires after WAKE_PENDING_SECONDS, so a wake lost
    with the broker holds the others back no longer than that (and beat's tick sends anyway).
    """
    if not settings.CELERY_BROKER_URL:
        return
    from django.core.cache import cache

    from .tasks import drain

    marked = False
    if _shared_cache():
        try:
            if not cache.add(WAKE_PENDING_KEY, 1, settings.NOTIFICATIONS_WAKE_PENDING_SECONDS):
                return  # a wake is on its way and has not started: it will claim these rows
            marked = True
        except Exception:
            logger.warning("could not mark a pending wake; sending one anyway", exc_info=True)
    try:
        drain.apply_async(retry=False)
    except Exception:
        logger.warning("could not wake a worker; the next tick will send", exc_info=True)
        if marked:
            cache.delete(WAKE_PENDING_KEY)


def wake_received() -> None:
    """A drain started by a wake begins: clear the pending mark before claiming, so that a
    commit from now on sends a wake of its own (its rows may come after this drain's claims)."""
    if not _shared_cache():
        return
    from django.core.cache import cache

    try:
        cache.delete(WAKE_PENDING_KEY)
    except Exception:
        logger.warning("could not clear the pending wake", exc_info=True)


def wake_after_commit() -> None:
    """Wake a worker once the current transaction commits (at most once per transaction)."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        func is _wake for _sids, func, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(_wake)
