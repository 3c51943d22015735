"""Writing emails into the outbox, and waking a worker for those due now.

Invariants: a row is enqueued in the transaction of the change that causes it; its
``dedupe_key`` makes enqueueing idempotent (a second enqueue with the same key is a no-op).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import statements
from notifications.enums import OutboxState
from notifications.models import OutboxMessage
from notifications.outbox import delivery, wakes
from notifications.outbox.renderers import REGISTRY
from notifications.outbox.rows import site_domain
from notifications.outbox.tasks import drain

logger = logging.getLogger(__name__)


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


def wake() -> None:
    """Ask a worker to drain now. Without a broker the embedded loop picks the rows up; a
    broker that is down only delays the email until the next tick, so errors are logged.

    Wakes are coalesced through the shared cache: the first commit marks a wake as pending
    (``cache.add``) and sends it; later commits see the mark and send nothing, because the
    pending drain clears the mark before it claims
    (:func:`notifications.outbox.wakes.wake_received`) and therefore claims their rows too.
    Under a burst of registrations this sends one task per drain instead of one per commit.
    The mark expires after WAKE_PENDING_SECONDS, so a wake lost with the broker holds the
    others back no longer than that (and beat's tick sends anyway).
    """
    if not settings.CELERY_BROKER_URL:
        return
    marked = False
    if wakes.shared_cache():
        try:
            if not cache.add(
                wakes.WAKE_PENDING_KEY, 1, settings.NOTIFICATIONS_WAKE_PENDING_SECONDS
            ):
                return  # a wake is on its way and has not started: it will claim these rows
            marked = True
        except Exception:
            logger.warning("could not mark a pending wake; sending one anyway", exc_info=True)
    try:
        drain.apply_async(retry=False)
    except Exception:
        logger.warning("could not wake a worker; the next tick will send", exc_info=True)
        if marked:
            cache.delete(wakes.WAKE_PENDING_KEY)


def wake_after_commit() -> None:
    """Wake a worker once the current transaction commits (at most once per transaction)."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        func is wake for _sids, func, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(wake)
