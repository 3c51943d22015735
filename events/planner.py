"""The time-zone planner: which start times suit which regions, and how fair a programme is.

Pure functions over plain values (region codes, zone names, dates, minutes); no database.
A region is represented by zones with weights: its representative zones from
``events.regions`` with equal weights, or, when known, the zones its registrants live in,
given as ``{region: {zone: count}}`` (see :func:`weights_from_registrants`).

A session is *comfortable* in a zone when it lies inside that zone's comfortable hours on the
local date it starts (DST of that very date included): the rule of
:func:`events.scheduling.is_comfortable`. A region's *score* at a start is the share of its
weight for which the session is comfortable; the region counts as comfortable when the score
reaches ``quorum`` (all of it, by default).

Speed: instead of asking zoneinfo for every candidate and zone, each zone's comfortable
windows are computed once per local day as UTC minutes; candidates on the grid are then
checked by a sweep over those windows, and zones with identical windows share the work.

Every function refuses bad input with :class:`PlannerError` naming the field at fault.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

import pytz
from django.utils.translation import gettext as _

from . import scheduling
from .errors import EventsError
from .regions import REGIONS, REGIONS_BY_CODE, region_for_country

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
GRID_MINUTES = 15
MAX_DAYS = 31
MAX_DURATION = 12 * 60
REGION_ORDER = {region.code: position for position, region in enumerate(REGIONS)}
ZoneWeights = Mapping[str, Mapping[str, float]]


class PlannerError(EventsError):
    """Planner input the rules refuse; ``field`` names it."""


# --- inputs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegionZones:
    """A region as the planner sees it: zones in a fixed order with shares summing to 1."""

    code: str
    zones: tuple[tuple[str, float], ...]

    @property
    def main_zone(self) -> str:
        """The zone with the largest share (the first of equals)."""
        return max(self.zones, key=lambda item: item[1])[0]


def prepare_regions(regions: Iterable[str], weights: ZoneWeights | None = None) -> tuple:
    """Region codes (any order, duplicates ignored) → :class:`RegionZones` in the canonical order.

    A region with positive weights uses those zones; one without uses its representative zones
    with equal shares. Raises PlannerError for no region, an unknown code, an unknown zone or a
    negative weight.
    """
    codes = sorted(set(regions), key=lambda code: REGION_ORDER.get(code, len(REGION_ORDER)))
    if not codes:
        raise PlannerError(_("Choose at least one region."), field="regions")
    unknown = [code for code in codes if code not in REGIONS_BY_CODE]
    if unknown:
        raise PlannerError(
            _("Unknown region: %(codes)s. Choose from: %(choices)s.")
            % {"codes": ", ".join(unknown), "choices": ", ".join(REGION_ORDER)},
            field="regions",
        )
    prepared = []
    for code in codes:
        given = dict((weights or {}).get(code) or {})
        for zone, weight in given.items():
            scheduling.get_zone(zone, field="weights")
            if not isinstance(weight, int | float) or isinstance(weight, bool) or weight < 0:
                raise PlannerError(
                    _("Zone weights must be numbers of zero or more."), field="weights"
                )
        total = sum(weight for weight in given.values() if weight > 0)
        if total > 0:
            zones = tuple((zone, given[zone] / total) for zone in sorted(given) if given[zone] > 0)
        else:
            representative = REGIONS_BY_CODE[code].zones
            zones = tuple((zone, 1 / len(representative)) for zone in representative)
        prepared.append(RegionZones(code=code, zones=zones))
    return tuple(prepared)


def check_hours(hours: Sequence[int]) -> tuple[int, int]:
    """Comfortable hours as (first hour, last hour), 0 ≤ first < last ≤ 23."""
    if len(hours) != 2 or not all(isinstance(hour, int) for hour in hours):
        raise PlannerError(
            _("Give the comfortable hours as two whole hours, e.g. 8-21."), field="hours"
        )
    start, end = hours
    if not 0 <= start < end <= 23:
        raise PlannerError(
            _("Comfortable hours must run from one hour of the day to a later one (0 to 23)."),
            field="hours",
        )
    return start, end


def check_duration(minutes: int) -> int:
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 < minutes <= MAX_DURATION:
        raise PlannerError(
            _("The duration must be between 1 and %(max)s minutes.") % {"max": MAX_DURATION},
            field="duration",
        )
    return minutes


def check_days(first_day: date, last_day: date | None) -> tuple[date, date]:
    last_day = last_day or first_day
    if last_day < first_day:
        raise PlannerError(_("date_to cannot come before date."), field="date_to")
    if (last_day - first_day).days >= MAX_DAYS:
        raise PlannerError(
            _("Plan at most %(days)s days at once.") % {"days": MAX_DAYS}, field="date_to"
        )
    return first_day, last_day


@lru_cache(maxsize=1)
def _region_by_zone() -> dict[str, str]:
    found: dict[str, str] = {}
    for country in sorted(pytz.country_timezones):
        region = region_for_country(country)
        for zone in pytz.country_timezones[country]:
            if region:
                found.setdefault(zone, region)
    return found


def region_for_zone(zone: str) -> str | None:
    """The region of the country a zone belongs to (the first country that lists it)."""
    return _region_by_zone().get(zone)


def weights_from_registrants(registrants: Iterable[tuple[str, str]]) -> dict:
    """``{region: {zone: count}}`` from (country, zone) pairs of registrants.

    The region comes from the country when it is known, else from the zone; registrants with
    neither, or with a zone that is not a place, are left out. This is the shape a
    registrations selector hands to the planner.
    """
    counts: dict[str, dict[str, int]] = {}
    valid = scheduling.place_zone_names()
    for country, zone in registrants:
        if not zone or zone not in valid:
            continue
        region = region_for_country(country or "") or region_for_zone(zone)
        if region:
            per_zone = counts.setdefault(region, {})
            per_zone[zone] = per_zone.get(zone, 0) + 1
    return counts


# --- time arithmetic, once per zone and day --------------------------------------------------


def to_minutes(instant: datetime) -> int:
    return int((instant - EPOCH).total_seconds() // 60)


def from_minutes(minutes: int) -> datetime:
    return EPOCH + timedelta(minutes=minutes)


def day_bounds(first_day: date, last_day: date, zone: str) -> tuple[int, int]:
    """Midnight starting ``first_day`` and midnight ending ``last_day`` in a zone, as minutes."""
    tz = scheduling.get_zone(zone)
    opens = datetime.combine(first_day, time.min, tzinfo=tz).astimezone(UTC)
    closes = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=tz).astimezone(UTC)
    return to_minutes(opens), to_minutes(closes)


def comfortable_windows(
    zone: str, first_day: date, last_day: date, hours: tuple[int, int]
) -> tuple[tuple[int, int], ...]:
    """For each local day, the UTC minutes at which comfortable hours open and close.

    Same rule as ``scheduling.is_comfortable``: both ends are that day's wall-clock hours.
    """
    tz = scheduling.get_zone(zone)
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


# --- results ---------------------------------------------------------------------------------


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
                local_start=scheduling.utc_to_local(start, zone),
                local_end=scheduling.utc_to_local(end, zone),
                comfortable=scheduling.is_comfortable(start, end, zone, hours),
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


# --- slot finder -----------------------------------------------------------------------------


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
    hours: Sequence[int] = scheduling.DEFAULT_COMFORTABLE_HOURS,
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


# --- editions --------------------------------------------------------------------------------


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
    hours: Sequence[int] = scheduling.DEFAULT_COMFORTABLE_HOURS,
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
        scheduling.get_zone(host_zone)
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


# --- series rotation -------------------------------------------------------------------------


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
    hours: Sequence[int] = scheduling.DEFAULT_COMFORTABLE_HOURS,
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


# --- heat map --------------------------------------------------------------------------------


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
    hours: Sequence[int] = scheduling.DEFAULT_COMFORTABLE_HOURS,
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
                local_hour=scheduling.utc_to_local(from_minutes(start), main).strftime("%H:%M"),
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
