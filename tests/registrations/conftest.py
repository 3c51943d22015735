from __future__ import annotations

from datetime import UTC, datetime

import pytest

from events import services as event_services
from registrations import services


@pytest.fixture
def make_session(event):
    """Sessions of the shared ``event`` fixture (28–30 April 2026, Europe/Amsterdam)."""

    def make(title: str = "Working group", hour: int = 12, **values):
        values.setdefault("starts_at", datetime(2026, 4, 28, hour, 0, tzinfo=UTC))
        values.setdefault("duration_minutes", 60)
        return event_services.create_session(event=event, title=title, **values)

    return make


@pytest.fixture
def register(event):
    """Register someone for the shared event through the service."""

    def register_(email: str, sessions=(), **values):
        values.setdefault("name", email.split("@")[0].title())
        return services.register_participant(
            event=values.pop("event", event), email=email, sessions=list(sessions), **values
        )

    return register_


def places(session) -> list[tuple[str, str, int | None]]:
    """Every place in a session as (email, status, waitlist position), in creation order."""
    return list(
        session.registrations.order_by("pk").values_list(
            "participant__email", "status", "waitlist_position"
        )
    )
