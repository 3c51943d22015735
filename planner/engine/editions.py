"""Editions: the fewest extra starts of a session that give every region a comfortable one."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils.translation import gettext as _

from core import time_rules
from core.regions import REGIONS_BY_CODE
from planner.engine.inputs import (
    PlannerError,
    ZoneWeights,
    check_days,
    check_duration,
    check_hours,
    prepare_regions,
)
from planner.engine.scoring import (
    Evaluation,
    comfortable_windows,
    evaluate,
    from_minutes,
    grid,
    sweep,
    to_minutes,
)
from planner.engine.slots import Slot, describe


@dataclass(frozen=True)
class Edition:
    slot: Slot
    serves: tuple[str, ...]  # the regions this edition is meant for
    existing: bool  # already scheduled (the session itself or one of its editions)


@dataclass(frozen=True)
class EditionsCost:
    new_editions: int
    host_minutes_outside: int  # minutes the hosting zone spends outside its comfortable hours
    alternatives: int  # (region, edition) pairs comfortable beyond the one each region needs


@dataclass(frozen=True)
class EditionsOption:
    editions: tuple[Edition, ...]
    cost: EditionsCost


@dataclass(frozen=True)
class EditionsProposal:
    regions: tuple[str, ...]
    new_editions: int  # the fewest new starts that give every region a comfortable one
    options: tuple[EditionsOption, ...]


def _host_away(host_zone: str | None, starts: Sequence[int], duration, hours) -> list[int]:
    if not host_zone or not starts:
        return [0] * len(starts)
    first = from_minutes(starts[0]).date() - timedelta(days=2)
    last = from_minutes(starts[-1] + duration).date() + timedelta(days=1)
    return sweep(starts, duration, comfortable_windows(host_zone, first, last, hours))[1]


def _smallest_covers(masks: list[frozenset], needed: frozenset) -> list[tuple[int, ...]]:
    """Every irredundant choice of the fewest masks (by index) whose union is ``needed``."""
    for size in range(1, len(needed) + 1):
        found = []
        for combination in itertools.combinations(range(len(masks)), size):
            chosen = [masks[index] for index in combination]
            if frozenset().union(*chosen) != needed:
                continue
            if size > 1 and any(
                frozenset().union(*(chosen[:skip] + chosen[skip + 1 :])) == needed
                for skip in range(size)
            ):
                continue
            found.append(combination)
        if found:
            return found
    return []


def propose_editions(
    *,
    regions: Iterable[str],
    first_day: date,
    last_day: date | None = None,
    duration_minutes: int,
    hours: Sequence[int] = time_rules.DEFAULT_COMFORTABLE_HOURS,
    zone: str = "UTC",
    weights: ZoneWeights | None = None,
    existing: Sequence[datetime] = (),
    host_zone: str | None = None,
    options: int = 3,
    quorum: float = 1.0,
) -> EditionsProposal:
    """The fewest new starts that, with the ``existing`` ones, give every region a comfortable
    edition; up to ``options`` alternatives ranked by cost (minutes the ``host_zone`` works
    outside its comfortable hours, then the most comfortable alternatives, then compactness).

    A region that no start can serve whole (registrants spread over more hours than the
    comfortable window leaves) is served by the starts that suit the largest share of it.
    Raises PlannerError naming the regions that no start in the days suits at all.
    """
    plan = prepare_regions(regions, weights)
    hours = check_hours(hours)
    duration = check_duration(duration_minutes)
    first_day, last_day = check_days(first_day, last_day)
    if host_zone:
        time_rules.get_zone(host_zone)
    codes = tuple(region.code for region in plan)
    candidates = evaluate(plan, grid(first_day, last_day, zone, duration), duration, hours, quorum)
    best_share = {code: max(candidates.scores[code], default=0.0) for code in codes}
    unreachable = [code for code in codes if best_share[code] <= 0]
    if unreachable:
        names = ", ".join(str(REGIONS_BY_CODE[code].name) for code in unreachable)
        raise PlannerError(
            _(
                "No start on these days is comfortable anywhere in %(regions)s. "
                "Widen the comfortable hours, shorten the session or add days."
            )
            % {"regions": names},
            field="regions",
        )
    candidates.targets = {code: min(quorum, best_share[code]) for code in codes}
    fixed_starts = sorted({to_minutes(instant) for instant in existing})
    fixed = evaluate(plan, fixed_starts, duration, hours, quorum)
    fixed.targets = candidates.targets
    covered = frozenset().union(*(fixed.mask(index) for index in range(len(fixed_starts))))
    needed = frozenset(codes) - covered
    host = _host_away(host_zone, candidates.starts, duration, hours)
    anchor = fixed_starts[0] if fixed_starts else None

    best: dict[frozenset, tuple] = {}
    for index, start in enumerate(candidates.starts):
        mask = candidates.mask(index) & needed
        if not mask:
            continue
        key = (
            host[index],
            -candidates.total[index],
            abs(start - anchor) if anchor is not None else 0,
            start,
            index,
        )
        if mask not in best or key < best[mask]:
            best[mask] = key
    # A mask is not worth trying when a larger one costs the host no more.
    masks = [
        mask
        for mask in best
        if not any(
            other > mask and best[other][0] <= best[mask][0] for other in best if other != mask
        )
    ]
    covers = _smallest_covers(masks, needed) if needed else [()]

    def source(is_fixed: bool) -> Evaluation:
        return fixed if is_fixed else candidates

    def option(combination: tuple[int, ...]) -> EditionsOption:
        new = sorted(best[masks[position]][4] for position in combination)
        slots = [(start_index, False) for start_index in new]
        chosen = [(index, True) for index in range(len(fixed_starts))] + slots
        serves: dict[int, list[str]] = {position: [] for position in range(len(chosen))}
        alternatives = 0
        for code in codes:
            comfortable = [
                (source(is_fixed).scores[code][index], -position)
                for position, (index, is_fixed) in enumerate(chosen)
                if source(is_fixed).comfortable(code, index)
            ]
            alternatives += max(len(comfortable) - 1, 0)
            if comfortable:
                serves[-max(comfortable)[1]].append(code)
        editions = tuple(
            Edition(
                slot=describe(source(is_fixed), index, hours),
                serves=tuple(serves[position]),
                existing=is_fixed,
            )
            for position, (index, is_fixed) in enumerate(chosen)
        )
        cost = EditionsCost(
            new_editions=len(new),
            host_minutes_outside=sum(host[index] for index in new),
            alternatives=alternatives,
        )
        return EditionsOption(editions=editions, cost=cost)

    def rank(combination: tuple[int, ...]) -> tuple:
        indexes = sorted(best[masks[position]][4] for position in combination)
        starts = [candidates.starts[index] for index in indexes]
        alternatives = sum(
            len(candidates.mask(index)) for index in indexes
        )  # more comfortable regions per edition → more alternatives
        return (
            sum(host[index] for index in indexes),
            -alternatives,
            (starts[-1] - starts[0]) if starts else 0,
            starts,
        )

    ranked = sorted(covers, key=rank)[: max(options, 1)]
    return EditionsProposal(
        regions=codes,
        new_editions=len(ranked[0]) if ranked else 0,
        options=tuple(option(combination) for combination in ranked),
    )
