"""The time-zone planner: which start times suit which regions, and how fair a programme is.

Pure functions over plain values (region codes, zone names, dates, minutes); no database.
A region is represented by zones with weights: its representative zones from
``core.regions`` with equal weights, or, when known, the zones its registrants live in,
given as ``{region: {zone: count}}`` (see :func:`weights_from_registrants`).

A session is *comfortable* in a zone when it lies inside that zone's comfortable hours on the
local date it starts (DST of that very date included): the rule of
:func:`core.time_rules.is_comfortable`. A region's *score* at a start is the share of its
weight for which the session is comfortable; the region counts as comfortable when the score
reaches ``quorum`` (all of it, by default).

Speed: instead of asking zoneinfo for every candidate and zone, each zone's comfortable
windows are computed once per local day as UTC minutes; candidates on the grid are then
checked by a sweep over those windows, and zones with identical windows share the work.

Every function refuses bad input with :class:`PlannerError` naming the field at fault.

The package is split by concern; every public name is importable from ``planner.engine``:
:mod:`.inputs` (regions, hours, days; :class:`PlannerError`), :mod:`.scoring` (the grid and
the scores), :mod:`.slots` (the slot finder), :mod:`.editions`, :mod:`.series` (series
rotation) and :mod:`.heatmap`.
"""

from __future__ import annotations

from planner.engine.editions import (
    Edition,
    EditionsCost,
    EditionsOption,
    EditionsProposal,
    propose_editions,
)
from planner.engine.heatmap import HeatCell, HeatRow, heat_level, heat_map
from planner.engine.inputs import (
    MAX_DAYS,
    MAX_DURATION,
    REGION_ORDER,
    PlannerError,
    RegionZones,
    ZoneWeights,
    check_days,
    check_duration,
    check_hours,
    prepare_regions,
    region_for_zone,
    weights_from_registrants,
)
from planner.engine.scoring import (
    EPOCH,
    GRID_MINUTES,
    Evaluation,
    comfortable_windows,
    day_bounds,
    evaluate,
    from_minutes,
    grid,
    sweep,
    to_minutes,
)
from planner.engine.series import SeriesPlan, rotate_series
from planner.engine.slots import (
    MAX_ZONES_SHOWN,
    RegionFit,
    Slot,
    SlotSearch,
    ZoneTimes,
    describe,
    find_slots,
)

__all__ = [
    "EPOCH",
    "GRID_MINUTES",
    "MAX_DAYS",
    "MAX_DURATION",
    "MAX_ZONES_SHOWN",
    "REGION_ORDER",
    "Edition",
    "EditionsCost",
    "EditionsOption",
    "EditionsProposal",
    "Evaluation",
    "HeatCell",
    "HeatRow",
    "PlannerError",
    "RegionFit",
    "RegionZones",
    "SeriesPlan",
    "Slot",
    "SlotSearch",
    "ZoneTimes",
    "ZoneWeights",
    "check_days",
    "check_duration",
    "check_hours",
    "comfortable_windows",
    "day_bounds",
    "describe",
    "evaluate",
    "find_slots",
    "from_minutes",
    "grid",
    "heat_level",
    "heat_map",
    "prepare_regions",
    "propose_editions",
    "region_for_zone",
    "rotate_series",
    "sweep",
    "to_minutes",
    "weights_from_registrants",
]
