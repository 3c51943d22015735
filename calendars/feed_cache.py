"""Feed states kept between requests, so that a conditional request costs one indexed lookup.

A feed's state (what its ETag and Last-Modified are made of) is one aggregate over its
sessions: linear in their number. It is cached under a *generation* token that every write
to a session, an event or a session's regions replaces (model signals: this is cache
invalidation, not a flow of work), both at once and again when the transaction commits, so
that a state computed from data that was being changed is stored under a dead token. The
cache is Django's (Redis when ``REDIS_URL`` is set, so every worker sees the same token).
A state also expires when the next cancelled session leaves the feed (its grace ends).

Conditional requests read one more layer first: the answer this process found last, for
``CALENDAR_STATE_MEMO_SECONDS`` (default 1 s, inside the feeds' ``max-age=60``). A write in
this process forgets it at once; one in another process is seen within that time.

``QuerySet.update()`` sends no signal: code that writes sessions that way calls
:func:`forget_feed_states`. Events published with ``update()`` are covered by putting the
event's own ``updated_at`` in the key.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from events.models import Event, Session

GENERATION_KEY = "meridian:calendars:generation"
STATE_KEY = "meridian:calendars:state:"
KNOWN_KEY = "meridian:calendars:known:"
MAX_STATE_SECONDS = 600


def generation() -> str:
    token = cache.get(GENERATION_KEY)
    if token is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        token = cache.get(GENERATION_KEY) or "none"
    return token


# Answers this process looked up lately: key → (monotonic instant it expires, value).
_memo: dict[str, tuple[float, object]] = {}
MEMO_ENTRIES = 4096


def forget_feed_states() -> None:
    """Make every cached feed state stale (call after writes that send no signal)."""
    _memo.clear()
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


def _known_key(key: str) -> str:
    return f"{KNOWN_KEY}{hashlib.sha256(key.encode()).hexdigest()[:40]}"


def known(key: str):
    """What :func:`remember` stored under ``key`` for the current generation, or None.

    One round trip to the cache (``get_many``): the value is kept beside the generation it
    was stored under, and the current generation is read with it. This is what answers a
    conditional request of a feed; two lookups one after the other made it wait twice."""
    seconds = settings.CALENDAR_STATE_MEMO_SECONDS
    if seconds > 0:
        memo = _memo.get(key)
        if memo is not None and memo[0] > time.monotonic():
            return memo[1]
    full_key = _known_key(key)
    found = cache.get_many([GENERATION_KEY, full_key])
    stored = found.get(full_key)
    if stored is None or found.get(GENERATION_KEY) is None:
        return None
    stored_generation, value = stored
    if stored_generation != found[GENERATION_KEY]:
        return None
    _keep(key, value, seconds)
    return value


def _keep(key: str, value, seconds: float) -> None:
    """Memoise ``value`` in this process for ``seconds`` (the memo is bounded: when full it
    starts again empty)."""
    if seconds <= 0:
        return
    if len(_memo) >= MEMO_ENTRIES:
        _memo.clear()
    _memo[key] = (time.monotonic() + seconds, value)


def remember(key: str, value, *, expires_at: datetime | None = None) -> None:
    """Keep ``value`` for the current generation (until ``expires_at``, at most
    MAX_STATE_SECONDS)."""
    seconds = MAX_STATE_SECONDS
    if expires_at is not None:
        seconds = min(seconds, int((expires_at - timezone.now()).total_seconds()))
    if seconds > 0:
        cache.set(_known_key(key), (generation(), value), seconds)
        _keep(key, value, min(seconds, settings.CALENDAR_STATE_MEMO_SECONDS))


def connect_signals() -> None:
    for model in (Event, Session):
        post_save.connect(feeds_changed, sender=model, dispatch_uid=f"feeds-save-{model.__name__}")
        post_delete.connect(
            feeds_changed, sender=model, dispatch_uid=f"feeds-delete-{model.__name__}"
        )
    m2m_changed.connect(
        feeds_changed, sender=Session.regions.through, dispatch_uid="feeds-session-regions"
    )
