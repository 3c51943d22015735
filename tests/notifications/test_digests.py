from datetime import UTC, datetime

import pytest

from notifications.digests import windows as digests

pytestmark = pytest.mark.pure


def utc(*parts):
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("after", "zone", "expected"),
    [
        # London springs forward on Sunday 29 March 2026: 08:00 GMT, then 08:00 BST.
        (utc(2026, 3, 22, 12), "Europe/London", (utc(2026, 3, 23, 8), "2026-W13")),
        (utc(2026, 3, 23, 12), "Europe/London", (utc(2026, 3, 30, 7), "2026-W14")),
        # New York springs forward on 8 March 2026: 08:00 EST = 13:00 UTC, EDT = 12:00 UTC.
        (utc(2026, 3, 2, 14), "America/New_York", (utc(2026, 3, 9, 12), "2026-W11")),
        (utc(2026, 3, 1, 0), "America/New_York", (utc(2026, 3, 2, 13), "2026-W10")),
        # Sydney falls back on 5 April 2026: Monday 08:00 AEDT is Sunday 21:00 UTC, AEST 22:00.
        (utc(2026, 3, 29, 20, 59), "Australia/Sydney", (utc(2026, 3, 29, 21), "2026-W14")),
        (utc(2026, 3, 29, 21), "Australia/Sydney", (utc(2026, 4, 5, 22), "2026-W15")),
        # A year-end week keeps its ISO year.
        (utc(2026, 12, 30), "Asia/Tokyo", (utc(2027, 1, 3, 23), "2027-W01")),
    ],
)
def test_next_digest_due_is_monday_eight_local_across_dst(after, zone, expected):
    assert digests.next_digest_due(after, zone) == expected


def test_next_digest_due_when_exactly_due_moves_to_next_week():
    due, week = digests.next_digest_due(utc(2026, 3, 23, 8), "Europe/London")
    assert (due, week) == (utc(2026, 3, 30, 7), "2026-W14")


def test_session_suits_region_when_aimed_at_it_at_night():
    assert digests.session_suits_region(
        starts_at=utc(2026, 4, 28, 2),
        ends_at=utc(2026, 4, 28, 3),
        session_regions=["europe"],
        region_code="europe",
        region_zones=["Europe/London", "Europe/Berlin"],
        hours=(8, 21),
    )


@pytest.mark.parametrize(
    ("start_hour", "expected"),
    [(9, True), (6, False), (19, False)],
)
def test_session_suits_region_needs_comfort_in_every_zone(start_hour, expected):
    # London is UTC+1 and Moscow UTC+3 on 28 April 2026.
    assert (
        digests.session_suits_region(
            starts_at=utc(2026, 4, 28, start_hour),
            ends_at=utc(2026, 4, 28, start_hour + 1),
            session_regions=[],
            region_code="europe",
            region_zones=["Europe/London", "Europe/Moscow"],
            hours=(8, 21),
        )
        is expected
    )
