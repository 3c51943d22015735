"""Shared fixtures and the tiers.

- Tests marked ``services`` need the real PostgreSQL/Redis tier; outside it they are skipped
  with the reason (inside it, with REQUIRE_SERVICES=1, a missing service is a failure).
- Tests marked ``browser`` need Debian's /usr/bin/chromium; REQUIRE_BROWSER=1 makes its absence
  a failure instead of a skip.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, date, datetime

import pytest
from django.db import connection
from rest_framework.test import APIClient

# Registration stays open until then for the shared ``event`` fixture (its days are past).
REGISTRATION_OPEN_UNTIL = datetime(2100, 1, 1, tzinfo=UTC)
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("REQUIRE_BROWSER") == "1"


def _service_tier_problem() -> str | None:
    if connection.vendor != "postgresql":
        return (
            "needs the service tier (PostgreSQL and Redis): DATABASE_URL is not PostgreSQL; "
            "`make test` runs this tier when 127.0.0.1:5432 and :6379 are reachable"
        )
    return None


def pytest_collection_modifyitems(config, items):
    problem = _service_tier_problem()
    has_chromium = os.path.exists(CHROMIUM) or shutil.which("chromium")
    for item in items:
        if problem and "services" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=problem))
        # With REQUIRE_BROWSER=1 (CI) a missing browser is not skipped: the test fails.
        if "browser" in item.keywords and not has_chromium and not REQUIRE_BROWSER:
            item.add_marker(
                pytest.mark.skip(
                    reason=f"needs Debian's chromium at {CHROMIUM} (apt-get install chromium)"
                )
            )


def pytest_sessionstart(session):
    if os.environ.get("MERIDIAN_SERVICE_TIER") == "1" and os.environ.get("REQUIRE_SERVICES") == "1":
        from django.conf import settings

        if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
            raise pytest.UsageError("REQUIRE_SERVICES=1 but DATABASE_URL is not PostgreSQL")


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def make_organiser(db):
    from events.organisers import create_organiser

    def make(username: str = "organiser", section: str = "mlas") -> tuple[APIClient, object]:
        user, section_obj, token = create_organiser(username=username, section_slug=section)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        client.user = user
        client.section = section_obj
        return client, section_obj

    return make


@pytest.fixture
def organiser(make_organiser):
    client, _section = make_organiser()
    return client


@pytest.fixture
def section(organiser):
    return organiser.section


@pytest.fixture
def event(section):
    """The reference meeting's dates (28–30 April 2026, now past), taking registrations until
    2100 so that tests can register; the registration window has tests of its own."""
    from events import services

    event = services.create_event(
        section=section,
        slug="midterm",
        title="Midterm meeting",
        timezone="Europe/Amsterdam",
        start_date=date(2026, 4, 28),
        end_date=date(2026, 4, 30),
        languages=["en", "fr"],
        registration_closes_at=REGISTRATION_OPEN_UNTIL,
    )
    return services.publish_event(event=event)
