"""The time rules, tested without the database (and with Hypothesis over the tz database)."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import time_rules
from core.time_rules import TimeRuleError

pytestmark = pytest.mark.pure

PLACE_ZONES = sorted(time_rules.place_zone_names())

# At least 15 zones with DST, including half-hour and 45-minute offsets and the south.
DST_ZONES = [
    "America/New_York",
    "America/Los_Angeles",
    "America/Chicago",
    "America/St_Johns",  # UTC−03:30 / −02:30
    "America/Havana",
    "America/Santiago",  # southern hemisphere
    "America/Halifax",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Helsinki",
    "Africa/Casablanca",  # goes back for Ramadan
    "Asia/Jerusalem",
    "Australia/Sydney",  # southern hemisphere
    "Australia/Adelaide",  # UTC+09:30 / +10:30
    "Australia/Lord_Howe",  # a 30-minute DST shift
    "Pacific/Auckland",
    "Pacific/Chatham",  # UTC+12:45 / +13:45
    "Europe/Dublin",  # "negative" DST in the tz database
]


def transitions(zone_name: str, start: datetime, end: datetime) -> list[datetime]:
    """Every UTC instant (to the minute) in [start, end) where the zone's offset changes."""
    zone = zoneinfo.ZoneInfo(zone_name)
    found = []
    step = timedelta(hours=6)
    moment = start
    while moment < end:
        following = moment + step
        if moment.astimezone(zone).utcoffset() != following.astimezone(zone).utcoffset():
            low, high = moment, following
            while high - low > timedelta(minutes=1):
                middle = low + (high - low) / 2
                if middle.astimezone(zone).utcoffset() == moment.astimezone(zone).utcoffset():
                    low = middle
                else:
                    high = middle
            found.append(high.replace(second=0, microsecond=0))
        moment = following
    return found


def test_local_to_utc_plain_time():
    instant = time_rules.local_to_utc(datetime(2026, 4, 28, 14, 0), "Europe/Berlin")
    assert instant == datetime(2026, 4, 28, 12, 0, tzinfo=UTC)


def test_local_to_utc_gap_is_refused_naming_the_gap():
    with pytest.raises(TimeRuleError) as caught:
        time_rules.local_to_utc(datetime(2026, 3, 8, 2, 30), "America/New_York")
    assert caught.value.message == (
        "2026-03-08 02:30 does not exist in America/New_York: on that day the clocks jump "
        "from 02:00 to 03:00 (UTC-05:00 to UTC-04:00). Choose a time outside that gap."
    )
    assert caught.value.code == "nonexistent_time"
    assert caught.value.field == "local_start"


def test_local_to_utc_gap_of_lord_howe_is_half_an_hour():
    with pytest.raises(TimeRuleError) as caught:
        time_rules.local_to_utc(datetime(2026, 10, 4, 2, 15), "Australia/Lord_Howe")
    assert "from 02:00 to 02:30 (UTC+10:30 to UTC+11:00)" in caught.value.message


def test_local_to_utc_ambiguous_is_refused_naming_both_instants():
    with pytest.raises(TimeRuleError) as caught:
        time_rules.local_to_utc(datetime(2026, 11, 1, 1, 30), "America/New_York")
    assert caught.value.message == (
        "2026-11-01 01:30 happens twice in America/New_York because the clocks go back: "
        "first at 2026-11-01 05:30 UTC (UTC-04:00), then at 2026-11-01 06:30 UTC (UTC-05:00). "
        "Say which with fold: 0 for the first, 1 for the second."
    )
    assert caught.value.code == "ambiguous_time"


@pytest.mark.parametrize(
    ("fold", "expected"),
    [(0, datetime(2026, 11, 1, 5, 30, tzinfo=UTC)), (1, datetime(2026, 11, 1, 6, 30, tzinfo=UTC))],
)
def test_local_to_utc_ambiguous_with_fold(fold, expected):
    assert time_rules.local_to_utc(datetime(2026, 11, 1, 1, 30), "America/New_York", fold=fold) == (
        expected
    )


def test_local_to_utc_southern_hemisphere_fall_back_in_april():
    with pytest.raises(TimeRuleError) as caught:
        time_rules.local_to_utc(datetime(2026, 4, 5, 2, 30), "Australia/Sydney")
    assert caught.value.code == "ambiguous_time"
    assert time_rules.local_to_utc(datetime(2026, 4, 5, 2, 30), "Australia/Sydney", fold=1) == (
        datetime(2026, 4, 4, 16, 30, tzinfo=UTC)
    )


@pytest.mark.parametrize(
    "name", ["UTC+3", "+03:00", "GMT-5", "Etc/GMT-3", "EST", "MST7MDT", "utc+05:30", "−03:00"]
)
def test_get_zone_refuses_fixed_offsets(name):
    with pytest.raises(TimeRuleError) as caught:
        time_rules.get_zone(name)
    assert caught.value.code == "fixed_offset"
    assert "is a fixed offset, not a time zone" in caught.value.message


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "Europe/Paris ", "europe/paris", "../etc"])
def test_get_zone_refuses_unknown_names(name):
    if name.strip() == "Europe/Paris":
        assert time_rules.get_zone(name).key == "Europe/Paris"
        return
    with pytest.raises(TimeRuleError) as caught:
        time_rules.get_zone(name)
    assert caught.value.code == "unknown_zone"


def test_get_zone_accepts_utc_and_places():
    assert [time_rules.get_zone(name).key for name in ("UTC", "Asia/Kathmandu", "Etc/UTC")] == [
        "UTC",
        "Asia/Kathmandu",
        "Etc/UTC",
    ]


def test_parse_instant_requires_offset():
    assert time_rules.parse_instant("2026-04-28T14:00:00+02:00") == datetime(
        2026, 4, 28, 12, 0, tzinfo=UTC
    )
    assert time_rules.parse_instant("2026-04-28T12:00:00Z") == datetime(
        2026, 4, 28, 12, 0, tzinfo=UTC
    )
    with pytest.raises(TimeRuleError, match="has no UTC offset"):
        time_rules.parse_instant("2026-04-28T12:00:00")
    with pytest.raises(TimeRuleError, match="not an ISO 8601"):
        time_rules.parse_instant("next tuesday")


def test_resolve_schedule_with_duration_and_end():
    by_duration = time_rules.resolve_schedule(
        timezone="Asia/Kolkata", local_start=datetime(2026, 4, 28, 9, 0), duration_minutes=90
    )
    by_end = time_rules.resolve_schedule(
        timezone="Asia/Kolkata",
        starts_at=datetime(2026, 4, 28, 3, 30, tzinfo=UTC),
        ends_at=datetime(2026, 4, 28, 5, 0, tzinfo=UTC),
    )
    assert (
        by_duration
        == by_end
        == time_rules.Schedule(
            datetime(2026, 4, 28, 3, 30, tzinfo=UTC),
            datetime(2026, 4, 28, 5, 0, tzinfo=UTC),
            "Asia/Kolkata",
        )
    )


def test_resolve_schedule_refuses_end_before_start():
    with pytest.raises(TimeRuleError) as caught:
        time_rules.resolve_schedule(
            timezone="UTC",
            starts_at=datetime(2026, 4, 28, 12, 0, tzinfo=UTC),
            ends_at=datetime(2026, 4, 28, 11, 0, tzinfo=UTC),
        )
    assert (caught.value.field, caught.value.message) == (
        "ends_at",
        "The session must end after it starts (it starts at 2026-04-28 12:00 UTC).",
    )


def test_resolve_schedule_needs_exactly_one_start_and_one_end():
    with pytest.raises(TimeRuleError, match="either starts_at"):
        time_rules.resolve_schedule(timezone="UTC", duration_minutes=60)
    with pytest.raises(TimeRuleError, match="either ends_at or duration_minutes"):
        time_rules.resolve_schedule(timezone="UTC", starts_at=datetime(2026, 1, 1, tzinfo=UTC))


def test_check_within_dates_uses_the_event_zone():
    inside = time_rules.Schedule(
        datetime(2026, 4, 27, 22, 0, tzinfo=UTC),  # 00:00 on 28 April in Amsterdam (CEST)
        datetime(2026, 4, 27, 23, 0, tzinfo=UTC),
        "UTC",
    )
    time_rules.check_within_dates(
        inside,
        first_day=date(2026, 4, 28),
        last_day=date(2026, 4, 30),
        event_zone="Europe/Amsterdam",
    )
    outside = time_rules.Schedule(
        datetime(2026, 4, 27, 21, 0, tzinfo=UTC), datetime(2026, 4, 27, 23, 0, tzinfo=UTC), "UTC"
    )
    with pytest.raises(TimeRuleError) as caught:
        time_rules.check_within_dates(
            outside,
            first_day=date(2026, 4, 28),
            last_day=date(2026, 4, 30),
            event_zone="Europe/Amsterdam",
        )
    assert caught.value.message == (
        "The session must take place within the event's dates, 2026-04-28 to 2026-04-30 in "
        "Europe/Amsterdam (2026-04-27 22:00 to 2026-04-30 22:00 UTC)."
    )


@pytest.mark.parametrize(
    ("zone", "comfortable"),
    [
        ("Europe/London", True),  # 14:00–15:30 BST
        ("America/New_York", True),  # 09:00–10:30 EDT
        ("America/Los_Angeles", False),  # 06:00
        ("Asia/Tokyo", False),  # 22:00
        ("Asia/Kolkata", True),  # 18:30–20:00
    ],
)
def test_is_comfortable_at_13_utc_on_28_april(zone, comfortable):
    start = datetime(2026, 4, 28, 13, 0, tzinfo=UTC)
    assert time_rules.is_comfortable(start, start + timedelta(minutes=90), zone) is comfortable


# The supported days (core.time_rules.FIRST_SUPPORTED_DAY on), up to the tz database's rules.
wall_clock = st.datetimes(min_value=datetime(1973, 1, 1), max_value=datetime(2037, 12, 30))


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(zone=st.sampled_from(PLACE_ZONES), local=wall_clock, fold=st.sampled_from([0, 1]))
def test_wall_clock_round_trip_is_identity(zone, local, fold):
    """Any zone, any wall-clock time that exists: local → UTC → local gives it back."""
    local = local.replace(microsecond=0)
    try:
        instant = time_rules.local_to_utc(local, zone, fold=fold)
    except TimeRuleError as error:
        assert error.code == "nonexistent_time"
        aware = local.replace(tzinfo=zoneinfo.ZoneInfo(zone))
        assert aware.astimezone(UTC).astimezone(aware.tzinfo).replace(tzinfo=None) != local
        return
    back = time_rules.utc_to_local(instant, zone)
    assert back.replace(tzinfo=None) == local
    assert instant.tzinfo is UTC


@pytest.mark.parametrize("zone", DST_ZONES)
def test_every_transition_2026_2027_is_handled(zone):
    """Around each DST transition of 2026–2027: gaps refused, overlaps need fold, the rest
    round-trip, and both folds of an overlap land on the two instants an hour (or the
    shift) apart."""
    found = transitions(zone, datetime(2026, 1, 1, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC))
    assert len(found) >= 2, f"{zone} should change offset in 2026–2027"
    tz = zoneinfo.ZoneInfo(zone)
    for moment in found:
        before = (moment - timedelta(minutes=1)).astimezone(tz).utcoffset()
        after = moment.astimezone(tz).utcoffset()
        shift = after - before
        local_at_change = moment.astimezone(tz).replace(tzinfo=None)
        for minutes in range(-90, 91, 15):
            local = (moment + timedelta(minutes=minutes)).astimezone(tz).replace(tzinfo=None)
            local = local.replace(second=0)
            candidates = [
                instant
                for instant in (
                    local.replace(tzinfo=tz, fold=0).astimezone(UTC),
                    local.replace(tzinfo=tz, fold=1).astimezone(UTC),
                )
                if instant.astimezone(tz).replace(tzinfo=None) == local
            ]
            distinct = sorted(set(candidates))
            if len(distinct) == 2:
                with pytest.raises(TimeRuleError) as caught:
                    time_rules.local_to_utc(local, zone)
                assert caught.value.code == "ambiguous_time"
                assert [time_rules.local_to_utc(local, zone, fold=f) for f in (0, 1)] == distinct
                assert distinct[1] - distinct[0] == -shift
            else:
                assert time_rules.local_to_utc(local, zone) == distinct[0]
        if shift > timedelta(0):
            gap_local = local_at_change - shift / 2
            with pytest.raises(TimeRuleError) as caught:
                time_rules.local_to_utc(gap_local.replace(second=0, microsecond=0), zone)
            assert caught.value.code == "nonexistent_time"


@settings(max_examples=200, deadline=None)
@given(zone=st.sampled_from(DST_ZONES), day=st.dates(date(2026, 1, 1), date(2027, 12, 31)))
def test_comfort_follows_the_offset_of_that_date(zone, day):
    """09:00–10:00 local is comfortable on every date, whatever the offset that day."""
    start = time_rules.local_to_utc(
        datetime.combine(day, datetime.min.time()).replace(hour=9), zone
    )
    assert time_rules.is_comfortable(start, start + timedelta(hours=1), zone)
    assert not time_rules.is_comfortable(
        start - timedelta(hours=3), start - timedelta(hours=2), zone
    )


@pytest.mark.parametrize(
    ("day", "zone", "bounds"),
    [
        (
            date(2026, 4, 28),
            "Europe/Amsterdam",
            (datetime(2026, 4, 27, 22, tzinfo=UTC), datetime(2026, 4, 28, 22, tzinfo=UTC)),
        ),
        # New York falls back on 1 November 2026: that day lasts 25 hours.
        (
            date(2026, 11, 1),
            "America/New_York",
            (datetime(2026, 11, 1, 4, tzinfo=UTC), datetime(2026, 11, 2, 5, tzinfo=UTC)),
        ),
        # Santiago springs forward at midnight: 6 September 2026 starts at 01:00 local.
        (
            date(2026, 9, 6),
            "America/Santiago",
            (datetime(2026, 9, 6, 4, tzinfo=UTC), datetime(2026, 9, 7, 3, tzinfo=UTC)),
        ),
    ],
)
def test_day_starts_and_ends_in_its_zone(day, zone, bounds):
    assert (time_rules.day_starts_at(day, zone), time_rules.day_ends_at(day, zone)) == bounds


def test_legacy_zone_spellings_are_read_as_tzdatas_current_names():
    names = ["Asia/Katmandu", "Asia/Calcutta", "Europe/Kiev", "US/Pacific", "Asia/Saigon"]
    assert [time_rules.current_zone_name(name) for name in names] == [
        "Asia/Kathmandu",
        "Asia/Kolkata",
        "Europe/Kyiv",
        "America/Los_Angeles",
        "Asia/Ho_Chi_Minh",
    ]
    # A country's own zone that tzdata merged with an identical one keeps its name.
    kept = ["Europe/Amsterdam", "Europe/Oslo", "UTC", "Asia/Kolkata", "Atlantic/Reykjavik"]
    assert [time_rules.current_zone_name(name) for name in kept] == kept
    with pytest.raises(time_rules.TimeRuleError):
        time_rules.current_zone_name("Asia/Katmandoo")
