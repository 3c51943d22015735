"""The slot finder: the best starts for a set of regions, each described per region and zone."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from core import time_rules
from planner.engine.inputs import (
    ZoneWeights,
    check_days,
    check_duration,
    check_hours,
    prepare_regions,
)
from planner.engine.scoring import Evaluation, evaluate, from_minutes, grid


@dataclass(frozen=True)
class ZoneTimes:
    zone: str
    share: float
    local_start: datetime
    local_end: datetime
    comfortable: bool


@dataclass(frozen=True)
class RegionFit:
    region: str
    score: float
    comfortable: bool
    minutes_away: float
    zone: str
    local_start: datetime
    local_end: datetime
    zones: tuple[ZoneTimes, ...]


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    ends_at: datetime
    score: float
    comfortable_regions: tuple[str, ...]
    regions: tuple[RegionFit, ...]


MAX_ZONES_SHOWN = 6


def describe(evaluation: Evaluation, index: int, hours: tuple[int, int]) -> Slot:
    """The full answer for one evaluated start: per region and zone, local times and comfort."""
    start = from_minutes(evaluation.starts[index])
    end = start + timedelta(minutes=evaluation.duration)
    fits = []
    for region in evaluation.regions:
        shown = sorted(region.zones, key=lambda item: -item[1])[:MAX_ZONES_SHOWN]
        zones = tuple(
            ZoneTimes(
                zone=zone,
                share=round(share, 4),
                local_start=time_rules.utc_to_local(start, zone),
                local_end=time_rules.utc_to_local(end, zone),
                comfortable=time_rules.is_comfortable(start, end, zone, hours),
            )
            for zone, share in shown
        )
        main = zones[0]
        fits.append(
            RegionFit(
                region=region.code,
                score=round(evaluation.scores[region.code][index], 4),
                comfortable=evaluation.comfortable(region.code, index),
                minutes_away=evaluation.away[region.code][index],
                zone=main.zone,
                local_start=main.local_start,
                local_end=main.local_end,
                zones=zones,
            )
        )
    return Slot(
        starts_at=start,
        ends_at=end,
        score=evaluation.total[index],
        comfortable_regions=tuple(fit.region for fit in fits if fit.comfortable),
        regions=tuple(fits),
    )


def _rank_key(evaluation: Evaluation, index: int) -> tuple:
    codes = [region.code for region in evaluation.regions]
    return (
        -evaluation.total[index],
        -sum(evaluation.comfortable(code, index) for code in codes),
        round(sum(evaluation.away[code][index] for code in codes), 1),
        evaluation.starts[index],
    )


@dataclass(frozen=True)
class SlotSearch:
    slots: tuple[Slot, ...]
    candidates: int
    single_slot: bool  # some start is comfortable for every region


def find_slots(
    *,
    regions: Iterable[str],
    first_day: date,
    last_day: date | None = None,
    duration_minutes: int,
    hours: Sequence[int] = time_rules.DEFAULT_COMFORTABLE_HOURS,
    zone: str = "UTC",
    weights: ZoneWeights | None = None,
    limit: int = 10,
    quorum: float = 1.0,
) -> SlotSearch:
    """The best starts on the 15-minute grid of the days ``first_day``..``last_day`` in ``zone``.

    Ranked by mean region score, then by the number of comfortable regions, then by how few
    minutes the others are away from comfortable hours, then by time.
    """
    plan = prepare_regions(regions, weights)
    hours = check_hours(hours)
    duration = check_duration(duration_minutes)
    first_day, last_day = check_days(first_day, last_day)
    evaluation = evaluate(plan, grid(first_day, last_day, zone, duration), duration, hours, quorum)
    everyone = len(plan)
    indexes = range(len(evaluation.starts))
    single = any(len(evaluation.mask(index)) == everyone for index in indexes)
    best = sorted(indexes, key=lambda index: _rank_key(evaluation, index))[: max(limit, 0)]
    return SlotSearch(
        slots=tuple(describe(evaluation, index, hours) for index in best),
        candidates=len(evaluation.starts),
        single_slot=single,
    )
