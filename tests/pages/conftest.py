from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.cache import cache

from events import services


@pytest.fixture(autouse=True)
def no_throttle_history():
    """Throttle counters live in the cache: every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def offer(event):
    """A working group in two editions (the European one with one seat) and a panel."""

    def make(title, hour, **values):
        return services.create_session(
            event=event,
            title=title,
            starts_at=datetime(2026, 4, 28, hour, 0, tzinfo=UTC),
            duration_minutes=60,
            timezone=values.pop("timezone", "Europe/Berlin"),
            **values,
        )

    asia = make("WG Asia", 3, timezone="Asia/Tokyo")
    europe = make("WG Europe", 12, edition_of=asia, capacity=1)
    panel = make("Panel", 15)
    return asia, europe, panel
