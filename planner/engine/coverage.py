"""How fair a programme is to each region: the coverage report. Pure; no database.

Sessions come in as :class:`SessionTimes` (plain values a selector builds). Editions of one
session form a *group* (its root id); a group is meant for the union of its sessions' target
regions, or for every region when one of them names none. For each region the report counts
the sessions and groups it can attend in comfortable hours (the planner's rule: the region's
score reaches ``quorum``), lists the groups it can only reach outside them, and warns when
one of its zones changes its offset to the event's zone during the event (DST on one side).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.utils.translation import gettext as _

from core import time_rules
from planner import engine


@dataclass(frozen=True)
class SessionTimes:
    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    regions: tuple[str, ...] = ()
    group: int | None = None  # the root session's id; None means the session is its own root


@dataclass(frozen=True)
class NightOnly:
    group: int
    title: str
    starts_at: datetime  # the edition that comes closest to comfortable hours
    local_start: datetime  # …in the region's main zone
    minutes_away: float


@dataclass(frozen=True)
class OffsetChange:
    zone: str
    at: datetime
    before: str  # the zone's offset to the event's zone, e.g. "+07:00"
    after: str
    message: str


@dataclass(frozen=True)
class RegionCoverage:
    region: str
    zone: str
    sessions: int
    comfortable_sessions: int
    groups: int
    comfortable_groups: int
    night_only: tuple[NightOnly, ...]
    offset_changes: tuple[OffsetChange, ...]


@dataclass(frozen=True)
class Coverage:
    event_zone: str
    regions: tuple[RegionCoverage, ...]


def _relative(offset: timedelta) -> str:
    return time_rules.format_offset(offset).removeprefix("UTC")


def offset_changes(zone: str, reference: str, starts: datetime, ends: datetime) -> list:
    """Instants in [starts, ends) where ``zone``'s offset to ``reference`` changes."""
    tz, ref = time_rules.get_zone(zone), time_rules.get_zone(reference)

    def relative(instant: datetime) -> timedelta:
        return instant.astimezone(tz).utcoffset() - instant.astimezone(ref).utcoffset()

    found = []
    step = timedelta(hours=24)
    moment = starts
    while moment < ends:
        following = min(moment + step, ends)
        before, after = relative(moment), relative(following)
        if before != after:
            low, high = moment, following
            while high - low > timedelta(minutes=1):
                middle = low + (high - low) / 2
                if relative(middle) == before:
                    low = middle
                else:
                    high = middle
            at = high.replace(second=0, microsecond=0)
            found.append(
                OffsetChange(
                    zone=zone,
                    at=at,
                    before=_relative(before),
                    after=_relative(after),
                    message=_(
                        "From %(when)s UTC the offset of %(zone)s to %(reference)s is "
                        "%(after)s instead of %(before)s: local times there shift by "
                        "%(shift)s minutes."
                    )
                    % {
                        "when": at.strftime("%Y-%m-%d %H:%M"),
                        "zone": zone,
                        "after": _relative(after),
                        "before": _relative(before),
                        "reference": reference,
                        "shift": f"{int((after - before).total_seconds() // 60):+d}",
                    },
                )
            )
        moment = following
    return found


def coverage_report(
    *,
    event_zone: str,
    first_day: date,
    last_day: date,
    sessions: Iterable[SessionTimes],
    regions: Iterable[str] | None = None,
    hours: Sequence[int] = time_rules.DEFAULT_COMFORTABLE_HOURS,
    weights: engine.ZoneWeights | None = None,
    quorum: float = 1.0,
) -> Coverage:
    """Per region: comfortable sessions and groups, night-only groups, offset changes."""
    hours = engine.check_hours(hours)
    plan = engine.prepare_regions(regions if regions is not None else engine.REGION_ORDER, weights)
    tz = time_rules.get_zone(event_zone)
    period_start = datetime.combine(first_day, time.min, tzinfo=tz).astimezone(UTC)
    period_end = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=tz).astimezone(UTC)
    sessions = sorted(sessions, key=lambda item: (item.starts_at, item.id))
    if sessions:
        period_start = min(period_start, sessions[0].starts_at)
        period_end = max(period_end, max(item.ends_at for item in sessions))
    # Sessions of different lengths are scored in one pass per length.
    by_duration: dict[int, list[int]] = {}
    for position, item in enumerate(sessions):
        minutes = engine.to_minutes(item.ends_at) - engine.to_minutes(item.starts_at)
        by_duration.setdefault(minutes, []).append(position)
    score: dict[str, list[float]] = {region.code: [0.0] * len(sessions) for region in plan}
    away: dict[str, list[float]] = {region.code: [0.0] * len(sessions) for region in plan}
    for duration, positions in by_duration.items():
        starts = [engine.to_minutes(sessions[position].starts_at) for position in positions]
        evaluation = engine.evaluate(plan, starts, duration, hours, quorum)
        for region in plan:
            for offset, position in enumerate(positions):
                score[region.code][position] = evaluation.scores[region.code][offset]
                away[region.code][position] = evaluation.away[region.code][offset]

    groups: dict[int, list[int]] = {}
    for position, item in enumerate(sessions):
        groups.setdefault(item.group or item.id, []).append(position)
    targets: dict[int, frozenset[str] | None] = {}
    for group, positions in groups.items():
        named = [sessions[position].regions for position in positions]
        targets[group] = None if any(not codes for codes in named) else frozenset().union(*named)

    report = []
    for region in plan:
        code, main = region.code, region.main_zone

        def comfortable(position: int, code: str = code) -> bool:
            return score[code][position] >= quorum - 1e-9

        mine = {
            group: positions
            for group, positions in groups.items()
            if targets[group] is None or code in targets[group]
        }
        counted = [position for positions in mine.values() for position in positions]
        night = []
        for group, positions in mine.items():
            if any(comfortable(position) for position in positions):
                continue
            closest = min(positions, key=lambda position, code=code: away[code][position])
            night.append(
                NightOnly(
                    group=group,
                    title=sessions[positions[0]].title,
                    starts_at=sessions[closest].starts_at,
                    local_start=time_rules.utc_to_local(sessions[closest].starts_at, main),
                    minutes_away=away[code][closest],
                )
            )
        changes = []
        for zone, _share in region.zones:
            changes.extend(offset_changes(zone, event_zone, period_start, period_end))
        report.append(
            RegionCoverage(
                region=code,
                zone=main,
                sessions=len(counted),
                comfortable_sessions=sum(comfortable(position) for position in counted),
                groups=len(mine),
                comfortable_groups=len(mine) - len(night),
                night_only=tuple(night),
                offset_changes=tuple(sorted(changes, key=lambda change: (change.at, change.zone))),
            )
        )
    return Coverage(event_zone=event_zone, regions=tuple(report))
