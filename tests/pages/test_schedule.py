"""The public schedule's rules on plain objects: days in the viewer's zone, editions, seats."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from core.time_rules import TimeRuleError
from pages.schedule import Seats, build_schedule, seats_for

pytestmark = pytest.mark.pure


@dataclass
class FakeSession:
    id: int
    title: str
    starts_at: datetime
    timezone: str = "Europe/Amsterdam"
    minutes: int = 90
    capacity: int | None = None
    status: str = "scheduled"
    edition_of_id: int | None = None

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)

    @property
    def edition_root_id(self) -> int:
        return self.edition_of_id or self.id


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 4, day, hour, minute, tzinfo=UTC)


def three_editions(first_id: int, day: int) -> list[FakeSession]:
    """Like the demo: 03:00 (Tokyo), 12:00 (Amsterdam) and 18:00 UTC (New York)."""
    return [
        FakeSession(first_id, "WG Asia", at(day, 3), "Asia/Tokyo"),
        FakeSession(first_id + 1, "WG Europe", at(day, 12), edition_of_id=first_id),
        FakeSession(
            first_id + 2, "WG Americas", at(day, 18), "America/New_York", edition_of_id=first_id
        ),
    ]


def summary(days):
    return [
        (
            day.label,
            [
                (
                    entry.shown.session.title,
                    entry.shown.start_time,
                    entry.shown.times.text,
                    entry.shown.comfortable,
                    entry.also_at,
                )
                for entry in day.entries
            ],
        )
        for day in days
    ]


def test_build_schedule_shows_the_edition_that_suits_tokyo():
    sessions = [*three_editions(1, 28), FakeSession(9, "Panel", at(28, 13, 30))]
    assert summary(build_schedule(sessions, viewer_zone="Asia/Tokyo", language="en")) == [
        (
            "Tuesday, 28 April 2026",
            [
                ("WG Asia", "12:00", "12:00 in Tokyo", True, "21:00 and Wed 29 Apr 03:00"),
                ("Panel", "22:30", "15:30 in Amsterdam · 22:30 your time", False, ""),
            ],
        )
    ]


def test_build_schedule_shows_the_edition_that_suits_los_angeles():
    sessions = three_editions(1, 28)
    assert summary(build_schedule(sessions, viewer_zone="America/Los_Angeles", language="en")) == [
        (
            "Tuesday, 28 April 2026",
            [
                (
                    "WG Americas",
                    "11:00",
                    "14:00 in New York · 11:00 your time",
                    True,
                    "Mon 27 Apr 20:00 and 05:00",
                )
            ],
        )
    ]


def test_build_schedule_puts_sessions_on_the_viewers_day():
    sessions = [FakeSession(1, "Late", at(28, 22)), FakeSession(2, "Early", at(28, 6))]
    days = build_schedule(sessions, viewer_zone="Asia/Tokyo", language="fr")
    assert summary(days) == [
        (
            "mardi 28 avril 2026",
            [("Early", "15:00", "08:00 à Amsterdam · 15:00 chez vous", True, "")],
        ),
        (
            "mercredi 29 avril 2026",
            [
                (
                    "Late",
                    "07:00",
                    "00:00 à Amsterdam · 07:00 chez vous",
                    False,
                    "",
                )
            ],
        ),
    ]


def test_build_schedule_skips_cancelled_editions_and_keeps_a_cancelled_group():
    editions = three_editions(1, 28)
    editions[0].status = "cancelled"
    alone = FakeSession(7, "Gone", at(29, 12), status="cancelled")
    days = build_schedule([*editions, alone], viewer_zone="Europe/Amsterdam", language="en")
    assert [
        [(entry.shown.session.id, entry.shown.cancelled, entry.also_at) for entry in day.entries]
        for day in days
    ] == [[(2, False, "20:00")], [(7, True, "")]]


def test_build_schedule_counts_seats_and_the_waitlist():
    sessions = [
        FakeSession(1, "Open", at(28, 9), capacity=30),
        FakeSession(2, "Full", at(28, 10), capacity=30),
        FakeSession(3, "Unlimited", at(28, 11)),
    ]
    days = build_schedule(
        sessions, viewer_zone="Europe/Amsterdam", language="en", taken={1: 12, 2: 31}
    )
    assert [entry.shown.seats for entry in days[0].entries] == [
        Seats(capacity=30, taken=12),
        Seats(capacity=30, taken=31),
        None,
    ]
    assert [
        (seats.left, seats.waitlist)
        for seats in (days[0].entries[0].shown.seats, days[0].entries[1].shown.seats)
    ] == [(18, False), (0, True)]


def test_seats_for_without_capacity_is_none():
    assert (seats_for(None, 5), seats_for(0, 0).waitlist) == (None, True)


def test_build_schedule_refuses_a_bad_viewer_zone():
    with pytest.raises(TimeRuleError) as refused:
        build_schedule([], viewer_zone="UTC+3", language="en")
    assert (refused.value.field, refused.value.code) == ("tz", "fixed_offset")


def test_build_schedule_of_nothing_is_empty():
    assert build_schedule([], viewer_zone="Asia/Tokyo", language="en") == []
