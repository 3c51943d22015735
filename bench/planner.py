"""Planner benchmark: six regions, a 3-day range, 15-minute grid, 90-minute sessions, weights
from 10,000 synthetic registrants; and the coverage report of a 200-session event.

Goals: slot finder ≤ 50 ms, editions ≤ 100 ms, coverage ≤ 100 ms with a fixed number of
queries. Runs on a temporary SQLite database; prints the median of several runs.

    .venv/bin/python bench/planner.py
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
DATABASE = Path(tempfile.mkdtemp(prefix="meridian-bench-")) / "bench.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import pytz  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from events import services  # noqa: E402
from events.models import Region, Section, Session  # noqa: E402
from planner import engine  # noqa: E402
from planner import selectors as planner_selectors  # noqa: E402

RUNS = 9
REGIONS = list(engine.REGION_ORDER)
FIRST, LAST = date(2026, 4, 28), date(2026, 4, 30)


def median_ms(function) -> float:
    timings = []
    for _run in range(RUNS):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def synthetic_registrants(count: int) -> list[tuple[str, str]]:
    generator = random.Random(7)
    countries = sorted(pytz.country_timezones)
    return [
        (country, generator.choice(pytz.country_timezones[country]))
        for country in (generator.choice(countries) for _ in range(count))
    ]


def make_event(sessions: int):
    section = Section.objects.create(slug="bench", name="Bench")
    event = services.create_event(
        section=section,
        slug="bench",
        title="Bench",
        timezone="Europe/Amsterdam",
        start_date=FIRST,
        end_date=LAST,
    )
    generator = random.Random(11)
    regions = list(Region.objects.all())
    opens = datetime(2026, 4, 27, 22, tzinfo=UTC)
    starts = [opens + timedelta(minutes=15 * generator.randrange(0, 280)) for _ in range(sessions)]
    created = Session.objects.bulk_create(
        Session(
            event=event,
            title=f"Session {number}",
            starts_at=start,
            ends_at=start + timedelta(minutes=generator.choice([60, 90])),
            timezone="Europe/Amsterdam",
        )
        for number, start in enumerate(starts)
    )
    links = Session.regions.through
    links.objects.bulk_create(
        links(session_id=session.pk, region_id=region.pk)
        for session in created
        for region in generator.sample(regions, generator.randint(0, 3))
    )
    # A third of the sessions become editions of another.
    for session in created[1::3]:
        session.edition_of_id = created[0].pk
    Session.objects.bulk_update(created[1::3], ["edition_of"])
    return event


def main() -> int:
    call_command("migrate", verbosity=0)
    weights = engine.weights_from_registrants(synthetic_registrants(10_000))
    zones = sum(len(per_region) for per_region in weights.values())
    arguments = {
        "regions": REGIONS,
        "first_day": FIRST,
        "last_day": LAST,
        "duration_minutes": 90,
        "weights": weights,
        "zone": "Europe/Amsterdam",
    }
    slots = median_ms(lambda: engine.find_slots(**arguments))
    editions = median_ms(lambda: engine.propose_editions(**arguments, host_zone="Europe/Amsterdam"))
    proposal = engine.propose_editions(**arguments, host_zone="Europe/Amsterdam")
    event = make_event(200)
    coverage = median_ms(lambda: planner_selectors.coverage_of(event))
    with CaptureQueriesContext(connection) as queries:
        planner_selectors.coverage_of(event)
    print(f"weights: 10000 registrants over {zones} zones; median of {RUNS} runs")
    print(f"slot finder (6 regions, 3 days, 90 min):  {slots:7.1f} ms  (goal ≤ 50)")
    print(
        f"editions proposer:                        {editions:7.1f} ms  (goal ≤ 100; "
        f"{proposal.new_editions} editions)"
    )
    print(
        f"coverage report (200 sessions):           {coverage:7.1f} ms  (goal ≤ 100; "
        f"{len(queries)} queries)"
    )
    ok = slots <= 50 and editions <= 100 and coverage <= 100
    print("within goals" if ok else "OVER GOAL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
