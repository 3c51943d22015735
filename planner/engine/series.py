"""Series rotation: one start per day of a series, the uncomfortable sessions spread fairly."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from core import time_rules
from planner.engine.inputs import (
    PlannerError,
    ZoneWeights,
    check_duration,
    check_hours,
    prepare_regions,
)
from planner.engine.scoring import Evaluation, evaluate, grid
from planner.engine.slots import Slot, describe


@dataclass(frozen=True)
class SeriesPlan:
    sessions: tuple[Slot, ...]
    uncomfortable: dict[str, int]  # per region: sessions it cannot attend comfortably
    spread: int  # most burdened minus least burdened region


def rotate_series(
    *,
    regions: Iterable[str],
    days: Sequence[date],
    duration_minutes: int,
    hours: Sequence[int] = time_rules.DEFAULT_COMFORTABLE_HOURS,
    zone: str = "UTC",
    weights: ZoneWeights | None = None,
    quorum: float = 1.0,
) -> SeriesPlan:
    """One start per day of a series, spreading the uncomfortable sessions fairly.

    Each session, in order, takes the start that leaves the regions' counts of uncomfortable
    sessions smallest from the most burdened region down (leximin); ties go to the start that
    does the same for the partial burdens (the sum of 1 − score), then to the best mean score,
    then to the earliest.
    """
    plan = prepare_regions(regions, weights)
    hours = check_hours(hours)
    duration = check_duration(duration_minutes)
    if not days:
        raise PlannerError(_("Give at least one date for the series."), field="dates")
    if len(days) > 52:
        raise PlannerError(_("A series may have at most 52 sessions."), field="count")
    codes = [region.code for region in plan]
    burden = dict.fromkeys(codes, 0.0)
    uncomfortable = dict.fromkeys(codes, 0)
    sessions = []
    for day in days:
        evaluation = evaluate(plan, grid(day, day, zone, duration), duration, hours, quorum)
        if not evaluation.starts:
            raise PlannerError(_("The session does not fit in one day."), field="duration")

        def key(index: int, evaluation: Evaluation = evaluation) -> tuple:
            counts = sorted(
                (
                    uncomfortable[code] + (0 if evaluation.comfortable(code, index) else 1)
                    for code in codes
                ),
                reverse=True,
            )
            partial = sorted(
                (round(burden[code] + 1 - evaluation.scores[code][index], 6) for code in codes),
                reverse=True,
            )
            return (counts, partial, -evaluation.total[index], evaluation.starts[index])

        index = min(range(len(evaluation.starts)), key=key)
        for code in codes:
            burden[code] += 1 - evaluation.scores[code][index]
            uncomfortable[code] += 0 if evaluation.comfortable(code, index) else 1
        sessions.append(describe(evaluation, index, hours))
    return SeriesPlan(
        sessions=tuple(sessions),
        uncomfortable=uncomfortable,
        spread=max(uncomfortable.values()) - min(uncomfortable.values()),
    )
