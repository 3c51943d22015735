"""Waiting on a condition with a deadline: the one place tests poll.

What the service-tier tests wait for lives in other processes (a Celery worker's outbox
writes, an HTTP server coming up, an SMTP server's counts), so it cannot be awaited as an
event here; it is checked again every ``interval`` until it holds or ``timeout`` passes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_until(condition: Callable[[], T], *, timeout: float, interval: float = 0.2) -> T:
    """Call ``condition()`` until it returns something truthy or the deadline passes; return
    its last value (falsy on time-out), so the caller's assertion says what was missing."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)
