"""What the planner accepts: regions as weighted zones, comfortable hours, durations, days.

Every check refuses bad input with :class:`PlannerError` naming the field at fault.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import pytz
from django.utils.translation import gettext as _

from core import time_rules
from core.regions import REGIONS, REGIONS_BY_CODE, region_for_country
from planner.errors import PlannerError

MAX_DAYS = 31
MAX_DURATION = 12 * 60
REGION_ORDER = {region.code: position for position, region in enumerate(REGIONS)}
ZoneWeights = Mapping[str, Mapping[str, float]]


class PlannerError(PlannerError):
    """Planner input the rules refuse; ``field`` names it."""


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
            time_rules.get_zone(zone, field="weights")
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
    valid = time_rules.place_zone_names()
    for country, zone in registrants:
        if not zone or zone not in valid:
            continue
        region = region_for_country(country or "") or region_for_zone(zone)
        if region:
            per_zone = counts.setdefault(region, {})
            per_zone[zone] = per_zone.get(zone, 0) + 1
    return counts
