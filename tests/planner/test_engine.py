"""The planner, without the database: known cases with checked answers, and Hypothesis."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import time_rules
from planner import engine
from planner.engine import coverage

pytestmark = pytest.mark.pure

ALL = [
    "africa",
    "asia-oceania",
    "europe",
    "latin-america-caribbean",
    "middle-east-north-africa",
    "north-america",
]
MIDTERM = date(2026, 4, 28)


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_find_slots_all_six_regions_on_midterm_day_have_no_single_comfortable_slot():
    search = engine.find_slots(regions=ALL, first_day=MIDTERM, duration_minutes=90, limit=1)
    best = search.slots[0]
    assert (search.single_slot, search.candidates, best.starts_at, best.score) == (
        False,
        91,
        utc(2026, 4, 28, 15, 0),
        0.8333,
    )
    assert best.comfortable_regions == (
        "africa",
        "europe",
        "latin-america-caribbean",
        "middle-east-north-africa",
        "north-america",
    )


def test_find_slots_europe_africa_mena_have_one():
    search = engine.find_slots(
        regions=["middle-east-north-africa", "europe", "africa"],
        first_day=MIDTERM,
        duration_minutes=90,
        limit=100,
    )
    comfortable = [slot.starts_at for slot in search.slots if slot.score == 1.0]
    # Dakar opens at 08:00 UTC; Dubai (UTC+4) closes at 17:00 UTC, so 90 minutes start by 15:30.
    assert (search.single_slot, comfortable[0], comfortable[-1], len(comfortable)) == (
        True,
        utc(2026, 4, 28, 8, 0),
        utc(2026, 4, 28, 15, 30),
        31,
    )


def test_find_slots_13_utc_suits_europe_and_the_east_of_the_americas_not_asia():
    search = engine.find_slots(
        regions=ALL, first_day=MIDTERM, duration_minutes=90, limit=100, zone="UTC"
    )
    slot = next(slot for slot in search.slots if slot.starts_at == utc(2026, 4, 28, 13))
    fits = {fit.region: fit for fit in slot.regions}
    zones = {
        zone.zone: (zone.local_start.strftime("%H:%M"), zone.comfortable)
        for fit in slot.regions
        for zone in fit.zones
    }
    assert {code: (fit.score, fit.comfortable) for code, fit in fits.items()} == {
        "africa": (1.0, True),
        "asia-oceania": (0.25, False),
        "europe": (1.0, True),
        "latin-america-caribbean": (0.75, False),
        "middle-east-north-africa": (1.0, True),
        "north-america": (0.5, False),
    }
    assert {zone: zones[zone] for zone in ("Europe/London", "Europe/Berlin", "Europe/Moscow")} == {
        "Europe/London": ("14:00", True),
        "Europe/Berlin": ("15:00", True),
        "Europe/Moscow": ("16:00", True),
    }
    assert {
        zone: zones[zone]
        for zone in (
            "America/New_York",
            "America/Sao_Paulo",
            "America/Bogota",
            "America/Los_Angeles",
            "Asia/Tokyo",
            "Australia/Sydney",
            "Asia/Kolkata",
        )
    } == {
        "America/New_York": ("09:00", True),
        "America/Sao_Paulo": ("10:00", True),
        "America/Bogota": ("08:00", True),
        "America/Los_Angeles": ("06:00", False),
        "Asia/Tokyo": ("22:00", False),
        "Australia/Sydney": ("23:00", False),
        "Asia/Kolkata": ("18:30", True),
    }


def test_propose_editions_all_six_regions_need_two():
    proposal = engine.propose_editions(
        regions=ALL, first_day=MIDTERM, duration_minutes=90, host_zone="Europe/Amsterdam"
    )
    best = proposal.options[0]
    assert (proposal.new_editions, best.cost) == (
        2,
        engine.EditionsCost(new_editions=2, host_minutes_outside=0, alternatives=3),
    )
    assert [(edition.slot.starts_at, edition.serves) for edition in best.editions] == [
        (utc(2026, 4, 28, 8), ("africa", "asia-oceania", "europe", "middle-east-north-africa")),
        (utc(2026, 4, 28, 15), ("latin-america-caribbean", "north-america")),
    ]


def test_propose_editions_counts_the_existing_session_in():
    proposal = engine.propose_editions(
        regions=ALL,
        first_day=MIDTERM,
        last_day=date(2026, 4, 30),
        zone="Europe/Amsterdam",
        duration_minutes=90,
        existing=[utc(2026, 4, 28, 10)],
        host_zone="Europe/Amsterdam",
    )
    assert [
        (edition.slot.starts_at, edition.serves, edition.existing)
        for edition in proposal.options[0].editions
    ] == [
        (utc(2026, 4, 28, 10), ("africa", "europe", "middle-east-north-africa"), True),
        (utc(2026, 4, 28, 9, 30), ("asia-oceania",), False),
        (utc(2026, 4, 28, 15), ("latin-america-caribbean", "north-america"), False),
    ]


def test_propose_editions_none_needed_when_one_slot_suits_all():
    proposal = engine.propose_editions(
        regions=["europe", "africa"],
        first_day=MIDTERM,
        duration_minutes=60,
        existing=[utc(2026, 4, 28, 10)],
    )
    assert (proposal.new_editions, [o.cost.new_editions for o in proposal.options]) == (0, [0])


def test_propose_editions_refuses_a_region_no_start_can_serve():
    with pytest.raises(engine.PlannerError) as caught:
        engine.propose_editions(
            regions=["asia-oceania"], first_day=MIDTERM, duration_minutes=600, hours=(8, 17)
        )
    assert (caught.value.field, caught.value.message) == (
        "regions",
        "No start on these days is comfortable anywhere in Asia and Oceania. "
        "Widen the comfortable hours, shorten the session or add days.",
    )


def test_rotate_series_spreads_the_uncomfortable_sessions():
    days = [date(2027, 2, 10) + timedelta(days=14 * n) for n in range(6)]
    plan = engine.rotate_series(regions=ALL, days=days, duration_minutes=60)
    assert (plan.uncomfortable, plan.spread) == (
        {
            "africa": 0,
            "asia-oceania": 3,
            "europe": 0,
            "latin-america-caribbean": 3,
            "middle-east-north-africa": 0,
            "north-america": 3,
        },
        3,
    )
    assert [slot.starts_at.strftime("%H:%M") for slot in plan.sessions] == [
        "16:00",
        "08:00",
        "16:00",
        "08:00",
        "15:00",
        "08:00",
    ]


def test_heat_map_europe_is_green_in_the_afternoon_only():
    (row,) = engine.heat_map(regions=["europe"], day=MIDTERM)
    assert (row.zone, "".join(cell.level[0] for cell in row.cells)) == (
        "Europe/London",
        "nnnffppcccccccccccppffnn",
    )


def test_heat_map_has_23_hours_on_a_spring_forward_day():
    rows = engine.heat_map(regions=["europe"], day=date(2026, 3, 29), zone="Europe/Berlin")
    assert len(rows[0].cells) == 23


@pytest.mark.parametrize(
    ("call", "field", "message"),
    [
        ({"regions": []}, "regions", "Choose at least one region."),
        (
            {"regions": ["atlantis"]},
            "regions",
            "Unknown region: atlantis. Choose from: africa, asia-oceania, europe, "
            "latin-america-caribbean, middle-east-north-africa, north-america.",
        ),
        (
            {"hours": (21, 8)},
            "hours",
            "Comfortable hours must run from one hour of the day to a later one (0 to 23).",
        ),
        ({"duration_minutes": 0}, "duration", "The duration must be between 1 and 720 minutes."),
        ({"last_day": date(2026, 4, 1)}, "date_to", "date_to cannot come before date."),
        ({"last_day": date(2026, 6, 1)}, "date_to", "Plan at most 31 days at once."),
        (
            {"weights": {"europe": {"Europe/Paris": -1}}},
            "weights",
            "Zone weights must be numbers of zero or more.",
        ),
    ],
)
def test_find_slots_refuses_bad_input(call, field, message):
    arguments = {"regions": ["europe"], "first_day": MIDTERM, "duration_minutes": 60} | call
    with pytest.raises(engine.PlannerError) as caught:
        engine.find_slots(**arguments)
    assert (caught.value.field, caught.value.message) == (field, message)


def test_weights_move_the_best_slot_towards_the_heavy_zone():
    only_tokyo = {"asia-oceania": {"Asia/Tokyo": 120, "Asia/Kolkata": 0}}
    search = engine.find_slots(
        regions=["asia-oceania"], first_day=MIDTERM, duration_minutes=90, weights=only_tokyo
    )
    assert (search.slots[0].starts_at, search.slots[0].regions[0].zone) == (
        utc(2026, 4, 28, 0, 0),
        "Asia/Tokyo",
    )


def test_weights_from_registrants_uses_country_then_zone():
    weights = engine.weights_from_registrants(
        [
            ("JP", "Asia/Tokyo"),
            ("", "Asia/Tokyo"),
            ("FR", "America/New_York"),
            (None, "Europe/Paris"),
            ("", "UTC+3"),
            ("", ""),
        ]
    )
    assert weights == {
        "asia-oceania": {"Asia/Tokyo": 2},
        "europe": {"America/New_York": 1, "Europe/Paris": 1},
    }


def test_coverage_report_counts_groups_and_night_only_sessions():
    sessions = [
        coverage.SessionTimes(
            1, "Working group", utc(2026, 4, 28, 10), utc(2026, 4, 28, 11, 30), ("europe",)
        ),
        coverage.SessionTimes(
            2, "Working group", utc(2026, 4, 28, 3), utc(2026, 4, 28, 4, 30), ("asia-oceania",), 1
        ),
        coverage.SessionTimes(3, "Plenary", utc(2026, 4, 29, 22), utc(2026, 4, 29, 23)),
    ]
    report = coverage.coverage_report(
        event_zone="Europe/Amsterdam",
        first_day=MIDTERM,
        last_day=date(2026, 4, 30),
        sessions=sessions,
        regions=["europe", "north-america", "asia-oceania"],
    )
    assert [
        (
            region.region,
            region.sessions,
            region.comfortable_sessions,
            region.groups,
            region.comfortable_groups,
            [(night.group, night.local_start.strftime("%H:%M")) for night in region.night_only],
            region.offset_changes,
        )
        for region in report.regions
    ] == [
        ("asia-oceania", 3, 1, 2, 1, [(3, "03:30")], ()),
        ("europe", 3, 1, 2, 1, [(3, "23:00")], ()),
        ("north-america", 1, 1, 1, 1, [], ()),
    ]


def test_coverage_report_warns_of_offset_changes_during_a_series():
    report = coverage.coverage_report(
        event_zone="Europe/Amsterdam",
        first_day=date(2027, 3, 1),
        last_day=date(2027, 3, 31),
        sessions=[],
        regions=["north-america"],
        weights={"north-america": {"America/New_York": 1}},
    )
    assert [
        (change.zone, change.at, change.before, change.after)
        for change in report.regions[0].offset_changes
    ] == [
        ("America/New_York", utc(2027, 3, 14, 7), "-06:00", "-05:00"),
        ("America/New_York", utc(2027, 3, 28, 1), "-05:00", "-06:00"),
    ]
    assert report.regions[0].offset_changes[0].message == (
        "From 2027-03-14 07:00 UTC the offset of America/New_York to Europe/Amsterdam is "
        "-05:00 instead of -06:00: local times there shift by +60 minutes."
    )


# --- Hypothesis --------------------------------------------------------------------------------

region_sets = st.lists(st.sampled_from(ALL), min_size=1, max_size=6, unique=True)
days = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))
durations = st.sampled_from([30, 45, 60, 90, 120, 180])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(regions=region_sets, day=days, duration=durations, data=st.data())
def test_find_slots_scores_do_not_depend_on_region_order(regions, day, duration, data):
    shuffled = data.draw(st.permutations(regions))
    first = engine.find_slots(regions=regions, first_day=day, duration_minutes=duration)
    second = engine.find_slots(regions=shuffled, first_day=day, duration_minutes=duration)
    assert first == second


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(regions=region_sets, day=days, duration=durations)
def test_propose_editions_every_option_covers_every_region(regions, day, duration):
    proposal = engine.propose_editions(
        regions=regions, first_day=day, duration_minutes=duration, host_zone="Europe/Amsterdam"
    )
    for option in proposal.options:
        served = sorted(code for edition in option.editions for code in edition.serves)
        assert served == sorted(regions)
        for edition in option.editions:
            for code in edition.serves:
                zones = engine.prepare_regions([code])[0].zones
                assert all(
                    time_rules.is_comfortable(
                        edition.slot.starts_at, edition.slot.ends_at, zone, (8, 21)
                    )
                    for zone, _share in zones
                )
    assert {len(option.editions) for option in proposal.options} == {proposal.new_editions}


@settings(max_examples=60, deadline=None)
@given(
    zone=st.sampled_from(
        ["America/New_York", "Europe/Berlin", "Australia/Sydney", "America/Santiago", "Asia/Tokyo"]
    ),
    moment=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31)),
    duration=durations,
)
def test_evaluate_agrees_with_is_comfortable(zone, moment, duration):
    start = engine.to_minutes(moment.replace(second=0, microsecond=0, tzinfo=UTC))
    plan = (engine.RegionZones(code="probe", zones=((zone, 1.0),)),)
    evaluation = engine.evaluate(plan, [start], duration, (8, 21))
    begins = engine.from_minutes(start)
    ends = begins + timedelta(minutes=duration)
    assert (evaluation.scores["probe"][0] == 1.0) == time_rules.is_comfortable(
        begins, ends, zone, (8, 21)
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    zone=st.sampled_from(
        ["America/New_York", "Europe/London", "Australia/Sydney", "America/Santiago"]
    ),
    day=st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)),
    weeks=st.integers(min_value=1, max_value=26),
)
def test_shifting_the_date_moves_the_comfortable_starts_by_the_offset_change(zone, day, weeks):
    """Weeks later, the first comfortable start (in UTC) moves by exactly minus the change of
    the zone's offset between the two dates, and its local time stays 08:00."""
    later = day + timedelta(weeks=weeks)
    firsts = []
    for when in (day, later):
        search = engine.find_slots(
            regions=["europe"],
            weights={"europe": {zone: 1}},
            first_day=when,
            duration_minutes=60,
            zone=zone,
            limit=200,
        )
        comfortable = [slot for slot in search.slots if slot.score == 1.0]
        firsts.append(min(comfortable, key=lambda slot: slot.starts_at).regions[0])
    before, after = firsts
    instant_shift = after.local_start.astimezone(UTC) - before.local_start.astimezone(UTC)
    offset_change = after.local_start.utcoffset() - before.local_start.utcoffset()
    assert (before.local_start.hour, after.local_start.hour) == (8, 8)
    assert instant_shift - timedelta(weeks=weeks) == -offset_change
