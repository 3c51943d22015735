"""Pure rules of the weekly region digest: when it is due and which sessions it lists."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, time, timedelta

from core import time_rules

DIGEST_WEEKDAY = 0  # Monday
DIGEST_LOCAL_TIME = time(8, 0)


def iso_week_key(day) -> str:
    """``2026-W14`` for a date (ISO 8601 week numbering, so a year-end week keeps one key)."""
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def _monday_morning_utc(monday, zone_name: str) -> datetime:
    local = datetime.combine(monday, DIGEST_LOCAL_TIME)
    try:
        return time_rules.local_to_utc(local, zone_name, fold=0)
    except time_rules.TimeRuleError:
        # 08:00 skipped by a clock change in this zone: the first minute after the gap.
        return time_rules.local_to_utc(local + timedelta(hours=1), zone_name, fold=0)


def next_digest_due(after: datetime, zone_name: str) -> tuple[datetime, str]:
    """The first Monday 08:00 in ``zone_name`` strictly after ``after``, in UTC, and its week.

    Each week's instant uses that Monday's own offset, so DST changes move the UTC instant,
    never the local hour.
    """
    local_day = time_rules.utc_to_local(after, zone_name).date()
    monday = local_day - timedelta(days=local_day.weekday() - DIGEST_WEEKDAY)
    due = _monday_morning_utc(monday, zone_name)
    if due <= after:
        monday += timedelta(days=7)
        due = _monday_morning_utc(monday, zone_name)
    return due.astimezone(UTC), iso_week_key(monday)


def digest_window(due_at: datetime) -> tuple[datetime, datetime]:
    """The sessions a digest announces start in [due, due + 7 days)."""
    return due_at, due_at + timedelta(days=7)


def session_suits_region(
    *,
    starts_at: datetime,
    ends_at: datetime,
    session_regions: Iterable[str],
    region_code: str,
    region_zones: Iterable[str],
    hours: tuple[int, int],
) -> bool:
    """A session belongs in a region's digest when it is aimed at the region, or when it is
    comfortable (``hours``, local) in every one of the region's representative zones."""
    if region_code in set(session_regions):
        return True
    zones = list(region_zones)
    return bool(zones) and all(
        time_rules.is_comfortable(starts_at, ends_at, zone, hours) for zone in zones
    )
