"""The heat map: per region, how comfortable each hour of a day is."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from core import time_rules
from planner.engine.inputs import ZoneWeights, check_hours, prepare_regions
from planner.engine.scoring import evaluate, from_minutes, grid


@dataclass(frozen=True)
class HeatCell:
    starts_at: datetime
    local_hour: str  # the hour in the region's main zone, e.g. "14:00"
    score: float
    minutes_away: float
    level: str  # comfortable, partial, near, far, night


@dataclass(frozen=True)
class HeatRow:
    region: str
    zone: str
    cells: tuple[HeatCell, ...]


def heat_level(score: float, minutes_away: float) -> str:
    if score >= 1 - 1e-9:
        return "comfortable"
    if score > 0:
        return "partial"
    if minutes_away <= 60:
        return "near"
    if minutes_away <= 180:
        return "far"
    return "night"


def heat_map(
    *,
    regions: Iterable[str],
    day: date,
    zone: str = "UTC",
    hours: Sequence[int] = time_rules.DEFAULT_COMFORTABLE_HOURS,
    weights: ZoneWeights | None = None,
) -> tuple[HeatRow, ...]:
    """Per region, one cell for each hour of ``day`` in ``zone`` (23 to 25 of them around a
    DST change): how much of the region finds that hour comfortable, and how far off it is."""
    plan = prepare_regions(regions, weights)
    hours = check_hours(hours)
    evaluation = evaluate(plan, grid(day, day, zone, 60, step=60), 60, hours)
    rows = []
    for region in plan:
        main = region.main_zone
        cells = tuple(
            HeatCell(
                starts_at=from_minutes(start),
                local_hour=time_rules.utc_to_local(from_minutes(start), main).strftime("%H:%M"),
                score=evaluation.scores[region.code][index],
                minutes_away=evaluation.away[region.code][index],
                level=heat_level(
                    evaluation.scores[region.code][index], evaluation.away[region.code][index]
                ),
            )
            for index, start in enumerate(evaluation.starts)
        )
        rows.append(HeatRow(region=region.code, zone=main, cells=cells))
    return tuple(rows)
