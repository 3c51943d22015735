"""Feed states kept between requests, so that a conditional request costs one indexed lookup.

A feed's state (what its ETag and Last-Modified are made of) is one aggregate over its
sessions: linear in their number. It is cached under a *generation* token that every write
to a session, an event or a session's regions replaces (model signals: this is cache
invalidation, not a flow of work), both at once and again when the transaction commits, so
that a state computed from data that was being changed is stored under a dead token. The
cache is Django's (Redis when ``REDIS_URL`` is set, so every worker sees the same token).
A state also expires when the next cancelled session leaves the feed (its grace ends).

``QuerySet.update()`` sends no signal: code that writes sessions that way calls
:func:`forget_feed_states`. Events published with ``update()`` are covered by putting the
event's own ``updated_at`` in the key.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from events.models import Event, Session

GENERATION_KEY = "meridian:calendars:generation"
STATE_KEY = "meridian:calendars:state:"
MAX_STATE_SECONDS = 600


def generation() -> str:
    token = cache.get(GENERATION_KEY)
    if token is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        token = cache.get(GENERATION_KEY) or "none"
    return token


def forget_feed_states() -> None:
    """Make every cached feed state stale (call after writes that send no signal)."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def feeds_changed(**_signal) -> None:
    forget_feed_states()
    transaction.on_commit(forget_feed_states)


def cached_state(
    key: str, compute: Callable[[], dict], *, expires_at: Callable[[dict], datetime | None]
) -> dict:
    """The state cached under ``key`` for the current generation, or ``compute()`` stored
    until ``expires_at(state)`` (at most MAX_STATE_SECONDS)."""
    full_key = _key(key)
    state = cache.get(full_key)
    if state is not None:
        return state
    state = compute()
    seconds = MAX_STATE_SECONDS
    expiry = expires_at(state)
    if expiry is not None:
        seconds = min(seconds, int((expiry - timezone.now()).total_seconds()))
    if seconds > 0:
        cache.set(full_key, state, seconds)
    return state


def _key(key: str) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()[:40]
    return f"{STATE_KEY}{generation()}:{digest}"


def cached_row(key: str, compute: Callable[[], dict | None]) -> dict | None:
    """A feed's own row (an event's values) cached for the current generation; a missing
    row (None) is not cached, so a draft that gets published is found at once."""
    full_key = _key(f"row:{key}")
    row = cache.get(full_key)
    if row is None:
        row = compute()
        if row is not None:
            cache.set(full_key, row, MAX_STATE_SECONDS)
    return row


def known(key: str):
    """What :func:`remember` stored under ``key`` for the current generation, or None."""
    return cache.get(_key(f"known:{key}"))


def remember(key: str, value, *, expires_at: datetime | None = None) -> None:
    """Keep ``value`` for the current generation (until ``expires_at``, at most
    MAX_STATE_SECONDS)."""
    seconds = MAX_STATE_SECONDS
    if expires_at is not None:
        seconds = min(seconds, int((expires_at - timezone.now()).total_seconds()))
    if seconds > 0:
        cache.set(_key(f"known:{key}"), value, seconds)


def connect_signals() -> None:
    for model in (Event, Session):
        post_save.connect(feeds_changed, sender=model, dispatch_uid=f"feeds-save-{model.__name__}")
        post_delete.connect(
            feeds_changed, sender=model, dispatch_uid=f"feeds-delete-{model.__name__}"
        )
    m2m_changed.connect(
        feeds_changed, sender=Session.regions.through, dispatch_uid="feeds-session-regions"
    )
