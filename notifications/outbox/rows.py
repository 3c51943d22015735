"""The outbox rows: claim due rows under a lease, and record outcomes (rows are written by
:mod:`notifications.outbox.queue`).

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
from contextlib import contextmanager
from datetime import datetime, timedelta
from urllib.parse import urlparse

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from notifications.enums import OutboxState
from notifications.models import OutboxMessage
from notifications.outbox import delivery

logger = logging.getLogger(__name__)

CLAIM_RELATED = ("subscription", "subscription__region", "session", "session__event", "event")


def site_domain() -> str:
    return urlparse(settings.SITE_URL).hostname or "localhost"


def new_lease_owner() -> str:
    """A name for one claim: host, process and a random part (unique per claim)."""
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


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
