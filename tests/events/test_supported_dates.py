"""Days far outside the supported calendar are a 400 (found by the schemathesis run: a planner
day in 1512 gave local times with second offsets, which ISO 8601 date-times cannot carry)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

MESSAGE = ["Give a day between 1973-01-01 and 2199-12-31."]


def test_planner_day_before_1973_is_refused(api):
    response = api.get("/api/planner/", {"date": "1512-11-22"})
    assert (response.status_code, response.json()) == (400, {"date": MESSAGE})


def test_series_planner_day_after_2199_is_refused(api):
    response = api.get("/api/planner/series/", {"date": "9999-12-31", "count": 2})
    assert (response.status_code, response.json()) == (400, {"date": MESSAGE})


def test_event_dates_outside_the_supported_calendar_are_refused(organiser, section):
    response = organiser.post(
        "/api/events/",
        {
            "section": section.slug,
            "slug": "old",
            "title": "Old",
            "timezone": "Africa/Monrovia",
            "start_date": "1960-01-01",
            "end_date": "2300-01-01",
        },
        format="json",
    )
    assert (response.status_code, response.json()) == (
        400,
        {"start_date": MESSAGE, "end_date": MESSAGE},
    )
