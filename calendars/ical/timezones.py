"""VTIMEZONE bodies that a reader which knows no tz database still understands.

ical.js (Mozilla's) reads only the embedded VTIMEZONE, and it ignores an observance's DTSTART
when the observance also has RDATEs and reads only the first value of a multi-valued RDATE.
So every zone is written as one observance per offset change, each with a single DTSTART
(the local time just before the change, in TZOFFSETFROM, as RFC 5545 §3.6.5 says), preceded
by one observance that opens the covered years. No RRULE, no RDATE: every parser agrees.

It also resolves a wall-clock time that happens twice to the *second* occurrence where RFC
5545 says the first; :func:`is_ambiguous_locally` finds those instants so the builder can
write them in UTC instead.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache

import icalendar

from core.time_rules import get_zone, is_ambiguous

# Offsets in the tz database change at most a few times a year and never twice within this.
_SCAN_STEP = timedelta(hours=12)
UTC_NAMES = frozenset({"UTC", "Etc/UTC"})


def is_ambiguous_locally(instant: datetime, zone_name: str) -> bool:
    """Whether the wall-clock time of ``instant`` in the zone happens twice (a fall-back hour)."""
    return is_ambiguous(instant, zone_name)


def _offset_at(instant: datetime, zone_name: str) -> timedelta:
    return instant.astimezone(get_zone(zone_name)).utcoffset()


def _first_change(low: datetime, high: datetime, zone_name: str) -> datetime:
    """The first second in (low, high] whose offset differs from the one at ``low``."""
    before = _offset_at(low, zone_name)
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        middle = middle.replace(microsecond=0)
        if middle <= low:
            middle = low + timedelta(seconds=1)
        if _offset_at(middle, zone_name) == before:
            low = middle
        else:
            high = middle
    return high


@lru_cache(maxsize=512)
def offset_changes(
    zone_name: str, first_year: int, last_year: int
) -> tuple[tuple[datetime, timedelta, timedelta], ...]:
    """Every change of UTC offset in the zone during the years, as (UTC instant, before, after)."""
    start = datetime(first_year, 1, 1, tzinfo=UTC) - timedelta(days=1)
    end = datetime(last_year + 1, 1, 1, tzinfo=UTC) + timedelta(days=1)
    changes = []
    cursor = start
    current = _offset_at(cursor, zone_name)
    while cursor < end:
        step_end = min(cursor + _SCAN_STEP, end)
        offset = _offset_at(step_end, zone_name)
        if offset != current:
            instant = _first_change(cursor, step_end, zone_name)
            changes.append((instant, current, _offset_at(instant, zone_name)))
            current = changes[-1][2]
            cursor = instant
            continue
        cursor = step_end
    return tuple(changes)


def _observance(
    zone_name: str, instant: datetime, before: timedelta, after: timedelta
) -> icalendar.cal.Component:
    local = instant.astimezone(get_zone(zone_name))
    daylight = bool(local.dst())
    observance = icalendar.TimezoneDaylight() if daylight else icalendar.TimezoneStandard()
    # The onset is the wall-clock time in the offset that was in force until then.
    onset = (instant + before).replace(tzinfo=None)
    observance.add("dtstart", onset)
    observance.add("tzoffsetfrom", before)
    observance.add("tzoffsetto", after)
    name = local.tzname()
    if name:
        observance.add("tzname", name)
    return observance


@lru_cache(maxsize=512)
def vtimezone(zone_name: str, first_year: int, last_year: int) -> bytes:
    """The VTIMEZONE text of a zone valid from 1 January ``first_year`` to the end of
    ``last_year``. Raises TimeRuleError for a name that is not a place zone."""
    get_zone(zone_name)
    component = icalendar.Timezone()
    component.add("tzid", zone_name)
    opening = datetime(first_year, 1, 1, tzinfo=UTC) - timedelta(days=1)
    opening_offset = _offset_at(opening, zone_name)
    component.add_component(_observance(zone_name, opening, opening_offset, opening_offset))
    for instant, before, after in offset_changes(zone_name, first_year, last_year):
        component.add_component(_observance(zone_name, instant, before, after))
    return component.to_ical()
