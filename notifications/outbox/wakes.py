"""The mark of a pending wake, shared by the web processes and the workers through the cache.

A commit that enqueues an email due now wakes a worker (:func:`notifications.outbox.queue.wake`)
unless a wake is already pending; the drain task clears the mark (:func:`wake_received`)
before it claims, so a later commit sends a wake of its own.
"""

from __future__ import annotations

import logging

from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache

logger = logging.getLogger(__name__)

WAKE_PENDING_KEY = "notifications:wake-pending"


def shared_cache() -> bool:
    """Whether the default cache is one that every process sees (Redis, Memcached, the
    database): only then can a pending wake be marked for the web processes and the workers."""
    return not isinstance(caches["default"], LocMemCache | DummyCache)


def wake_received() -> None:
    """A drain started by a wake begins: clear the pending mark before claiming, so that a
    commit from now on sends a wake of its own (its rows may come after this drain's claims)."""
    if not shared_cache():
        return
    try:
        cache.delete(WAKE_PENDING_KEY)
    except Exception:
        logger.warning("could not clear the pending wake", exc_info=True)
