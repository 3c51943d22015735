"""Time arithmetic once per zone and day, and the scores of candidate starts.

Instead of asking zoneinfo for every candidate and zone, each zone's comfortable windows are
computed once per local day as UTC minutes; candidates on the grid are then checked by a sweep
over those windows, and zones with identical windows share the work.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from core import time_rules
from planner.engine.inputs import RegionZones

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
GRID_MINUTES = 15


def to_minutes(instant: datetime) -> int:
    return int((instant - EPOCH).total_seconds() // 60)


def from_minutes(minutes: int) -> datetime:
    return EPOCH + timedelta(minutes=minutes)


def day_bounds(first_day: date, last_day: date, zone: str) -> tuple[int, int]:
    """Midnight starting ``first_day`` and midnight ending ``last_day`` in a zone, as minutes."""
    tz = time_rules.get_zone(zone)
    opens = datetime.combine(first_day, time.min, tzinfo=tz).astimezone(UTC)
    closes = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=tz).astimezone(UTC)
    return to_minutes(opens), to_minutes(closes)


def comfortable_windows(
    zone: str, first_day: date, last_day: date, hours: tuple[int, int]
) -> tuple[tuple[int, int], ...]:
    """For each local day, the UTC minutes at which comfortable hours open and close.

    Same rule as ``time_rules.is_comfortable``: both ends are that day's wall-clock hours.
    """
    tz = time_rules.get_zone(zone)
    windows = []
    day = first_day
    while day <= last_day:
        opens = datetime.combine(day, time(hours[0]), tzinfo=tz).astimezone(UTC)
        closes = datetime.combine(day, time(hours[1]), tzinfo=tz).astimezone(UTC)
        windows.append((to_minutes(opens), to_minutes(closes)))
        day += timedelta(days=1)
    return tuple(windows)


def sweep(
    starts: Sequence[int], duration: int, windows: Sequence[tuple[int, int]]
) -> tuple[list[bool], list[int]]:
    """For sorted starts: comfortable or not, and minutes the session must move to become so."""
    comfortable, away = [], []
    index, count = 0, len(windows)
    for start in starts:
        while index < count and windows[index][1] - duration < start:
            index += 1
        inside = index < count and windows[index][0] <= start
        comfortable.append(inside)
        if inside:
            away.append(0)
            continue
        distances = []
        if index < count and windows[index][1] - windows[index][0] >= duration:
            distances.append(windows[index][0] - start)
        if index > 0:
            distances.append(start - (windows[index - 1][1] - duration))
        away.append(min(distances) if distances else 24 * 60)
    return comfortable, away


@dataclass
class Evaluation:
    """Starts (sorted UTC minutes) and, per region, score, comfort and minutes away at each."""

    starts: list[int]
    duration: int
    regions: tuple[RegionZones, ...]
    quorum: float
    scores: dict[str, list[float]]
    away: dict[str, list[float]]
    total: list[float]

    targets: dict[str, float] | None = None  # per-region thresholds replacing the quorum

    def comfortable(self, code: str, index: int) -> bool:
        target = self.targets.get(code, self.quorum) if self.targets else self.quorum
        return self.scores[code][index] >= target - 1e-9

    def mask(self, index: int) -> frozenset[str]:
        return frozenset(
            region.code for region in self.regions if self.comfortable(region.code, index)
        )


def evaluate(
    regions: tuple[RegionZones, ...],
    starts: Sequence[int],
    duration: int,
    hours: tuple[int, int],
    quorum: float = 1.0,
) -> Evaluation:
    """Score sorted ``starts`` (UTC minutes) for each region."""
    starts = list(starts)
    if starts:
        first = from_minutes(starts[0]).date() - timedelta(days=2)
        last = from_minutes(starts[-1] + duration).date() + timedelta(days=1)
    by_zone: dict[str, tuple[list[bool], list[int]]] = {}
    by_windows: dict[tuple, tuple[list[bool], list[int]]] = {}
    for region in regions:
        for zone, _share in region.zones:
            if zone in by_zone:
                continue
            windows = comfortable_windows(zone, first, last, hours) if starts else ()
            if windows not in by_windows:
                by_windows[windows] = sweep(starts, duration, windows)
            by_zone[zone] = by_windows[windows]
    scores, away = {}, {}
    for region in regions:
        region_score = [0.0] * len(starts)
        region_away = [0.0] * len(starts)
        for zone, share in region.zones:
            comfortable, minutes = by_zone[zone]
            for index in range(len(starts)):
                if comfortable[index]:
                    region_score[index] += share
                region_away[index] += share * minutes[index]
        scores[region.code] = [round(value, 6) for value in region_score]
        away[region.code] = [round(value, 1) for value in region_away]
    total = [
        round(sum(scores[region.code][index] for region in regions) / len(regions), 4)
        for index in range(len(starts))
    ]
    return Evaluation(starts, duration, regions, quorum, scores, away, total)


def grid(first_day: date, last_day: date, zone: str, duration: int, step: int = GRID_MINUTES):
    """Every start on the grid from the first day's midnight in ``zone`` such that the session
    ends by the last day's midnight there."""
    opens, closes = day_bounds(first_day, last_day, zone)
    return list(range(opens, closes - duration + 1, step))
