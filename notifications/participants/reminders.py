"""Pure rules of session reminders: when each one is due, in the recipient's zone.

No database: the planner (``notifications.participants.policy``) passes instants, offsets and zones.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from core import time_rules

NIGHT_STARTS = time(22, 0)
NIGHT_ENDS = time(7, 0)
EVENING = time(20, 0)
# Only a reminder this far ahead of its session may move: a 1 h reminder for a 02:00
# session stays at 01:00, since the evening before would be no reminder at all.
MOVABLE_AHEAD = timedelta(hours=12)


def is_night(local_time: time) -> bool:
    """True from 22:00 (included) to 07:00 (excluded)."""
    return local_time >= NIGHT_STARTS or local_time < NIGHT_ENDS


def _evening_before(local: datetime, zone: str) -> datetime:
    """20:00 on the evening that starts the night ``local`` falls in, as a UTC instant."""
    day = local.date() if local.time() >= NIGHT_STARTS else local.date() - timedelta(days=1)
    wall = datetime.combine(day, EVENING)
    try:
        return time_rules.local_to_utc(wall, zone, fold=0)
    except time_rules.TimeRuleError:
        # 20:00 skipped by a clock change there (rare, but zones have done it): an hour later.
        return time_rules.local_to_utc(wall + timedelta(hours=1), zone, fold=0)


def reminder_due(starts_at: datetime, *, offset_minutes: int, zone: str) -> datetime:
    """The instant a reminder ``offset_minutes`` before ``starts_at`` is due for a recipient
    in ``zone``: the plain instant, unless it would land between 22:00 and 07:00 there and is
    more than 12 h ahead of the session; then 20:00 the evening before (their wall clock,
    daylight-saving changes included)."""
    due = starts_at - timedelta(minutes=offset_minutes)
    local = time_rules.utc_to_local(due, zone)
    if starts_at - due > MOVABLE_AHEAD and is_night(local.time()):
        return _evening_before(local, zone)
    return due


def planned_due(
    starts_at: datetime, *, offset_minutes: int, zone: str, now: datetime
) -> datetime | None:
    """When to send a reminder planned at ``now``: :func:`reminder_due`, or ``now`` when the
    evening-before instant has just passed but the plain one has not; None when the plain
    instant has passed too (the confirmation or change notice said it all)."""
    plain = starts_at - timedelta(minutes=offset_minutes)
    if plain <= now:
        return None
    return max(reminder_due(starts_at, offset_minutes=offset_minutes, zone=zone), now)
