"""When an event stops taking registrations (pure: plain values in, an instant out)."""

from __future__ import annotations

from datetime import date, datetime

from core.time_rules import day_ends_at


def registration_closes_at(
    *,
    closes_at: datetime | None,
    last_session_ends_at: datetime | None,
    end_date: date,
    timezone: str,
) -> datetime:
    """The instant registration closes: the organisers' ``closes_at`` when they set one; else
    when the event's last scheduled session ends; else, for an event without sessions, at
    the end of its last day in the event's zone."""
    if closes_at is not None:
        return closes_at
    if last_session_ends_at is not None:
        return last_session_ends_at
    return day_ends_at(end_date, timezone)
