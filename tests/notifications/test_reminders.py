"""The night rule of reminders, across zones and daylight-saving changes (no database)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notifications.participants import reminders

pytestmark = pytest.mark.pure

ZONES = [
    "Europe/London",
    "America/New_York",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Asia/Kolkata",
    "Pacific/Auckland",
    "America/Santiago",
]


def local(instant: datetime, zone: str) -> str:
    return instant.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M %Z")


def test_reminder_due_moves_a_night_reminder_to_the_evening_before_in_each_zone():
    start = datetime(2030, 10, 29, 13, 0, tzinfo=UTC)  # 24 h before: 28 October 13:00 UTC
    assert {
        zone: local(reminders.reminder_due(start, offset_minutes=1440, zone=zone), zone)
        for zone in ["Europe/London", "Asia/Tokyo", "Pacific/Auckland", "America/Los_Angeles"]
    } == {
        "Europe/London": "2030-10-28 13:00 GMT",  # afternoon: stays
        "Asia/Tokyo": "2030-10-28 20:00 JST",  # 22:00 → 20:00 the same evening
        "Pacific/Auckland": "2030-10-28 20:00 NZDT",  # 02:00 on the 29th → 20:00 on the 28th
        "America/Los_Angeles": "2030-10-27 20:00 PDT",  # 06:00 is still night
    }


def test_reminder_due_keeps_a_night_reminder_twelve_hours_or_less_ahead():
    start = datetime(2030, 10, 29, 1, 30, tzinfo=UTC)  # 01:30 in London (GMT)
    assert [
        local(reminders.reminder_due(start, offset_minutes=offset, zone="Europe/London"), "UTC")
        for offset in (60, 720, 721)
    ] == ["2030-10-29 00:30 UTC", "2030-10-28 13:30 UTC", "2030-10-28 13:29 UTC"]


def test_reminder_due_uses_the_evening_offset_across_a_dst_change():
    # London leaves summer time on Sunday 27 October 2030. 36 h before 09:00 GMT on Monday
    # 28th is 21:00 UTC on Saturday, 22:00 BST: night, so 20:00 BST (19:00 UTC).
    start = datetime(2030, 10, 28, 9, 0, tzinfo=UTC)
    due = reminders.reminder_due(start, offset_minutes=36 * 60, zone="Europe/London")
    assert (due, local(due, "Europe/London")) == (
        datetime(2030, 10, 26, 19, 0, tzinfo=UTC),
        "2030-10-26 20:00 BST",
    )
    # After the change the same wall-clock evening is an hour later in UTC: 36 h before
    # 10:00 GMT on Wednesday 30th is 22:00 GMT on Monday 28th, so 20:00 GMT (20:00 UTC).
    due = reminders.reminder_due(
        datetime(2030, 10, 30, 10, 0, tzinfo=UTC), offset_minutes=36 * 60, zone="Europe/London"
    )
    assert (due, local(due, "Europe/London")) == (
        datetime(2030, 10, 28, 20, 0, tzinfo=UTC),
        "2030-10-28 20:00 GMT",
    )


def test_planned_due_sends_now_when_the_evening_has_passed_but_the_plain_time_has_not():
    start = datetime(2030, 10, 29, 13, 0, tzinfo=UTC)
    tokyo_now = datetime(2030, 10, 28, 12, 0, tzinfo=UTC)  # 21:00 in Tokyo, after 20:00
    assert [
        reminders.planned_due(start, offset_minutes=1440, zone="Asia/Tokyo", now=now)
        for now in (datetime(2030, 10, 1, tzinfo=UTC), tokyo_now, start - timedelta(hours=23))
    ] == [datetime(2030, 10, 28, 11, 0, tzinfo=UTC), tokyo_now, None]


@settings(max_examples=300, deadline=None)
@given(
    start=st.datetimes(
        min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
    ),
    offset=st.sampled_from([10, 60, 12 * 60, 24 * 60, 36 * 60, 48 * 60, 7 * 24 * 60]),
    zone=st.sampled_from(ZONES),
)
def test_reminder_due_never_lands_in_the_night_when_it_may_move(start, offset, zone):
    due = reminders.reminder_due(start, offset_minutes=offset, zone=zone)
    plain = start - timedelta(minutes=offset)
    wall = due.astimezone(ZoneInfo(zone))
    moved = due != plain
    assert due <= plain
    if offset > 12 * 60:
        assert not reminders.is_night(wall.time())
        assert (not moved) or (wall.hour, wall.minute) in {(20, 0), (21, 0)}
        assert plain - due < timedelta(hours=12)
    else:
        assert not moved
