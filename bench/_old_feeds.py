"""Benchmark of the calendar feeds (issue 4). Not run by the test suite.

An event with 2,000 sessions in 20 zones on a scratch SQLite database:
1. the full feed right after one session changed (warm render cache), its SQL query count,
   and the same count with 200 sessions (it must not grow); a cold build for comparison;
2. a conditional request answered 304, its query count;
3. 304 throughput under gunicorn on loopback against a trivial Django view served the same way
   (a bounded threaded client: LOAD_THREADS threads, LOAD_REQUESTS requests and LOAD_SECONDS
   at most per round; LOAD_ROUNDS alternating rounds of each, medians reported).

Gunicorn runs 2 sync workers with persistent database connections (DATABASE_CONN_MAX_AGE=60)
and the local-memory cache, each worker warmed first.

Run: .venv/bin/python bench/feeds.py
"""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = Path(tempfile.mkdtemp(prefix="meridian-bench-feeds-"))
os.environ["DATABASE_URL"] = f"sqlite:///{SCRATCH / 'bench.sqlite3'}"
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
os.environ.pop("REDIS_URL", None)
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from calendars import feeds  # noqa: E402
from calendars.feed_cache import forget_feed_states  # noqa: E402
from calendars.ical import builder  # noqa: E402
from events import services  # noqa: E402
from events.models import Event, Region, Section, Session  # noqa: E402

ZONES = [
    "America/New_York", "America/Los_Angeles", "America/Sao_Paulo", "America/Mexico_City",
    "America/St_Johns", "Europe/London", "Europe/Amsterdam", "Europe/Moscow", "Africa/Cairo",
    "Africa/Nairobi", "Africa/Lagos", "Asia/Tehran", "Asia/Kolkata", "Asia/Kathmandu",
    "Asia/Shanghai", "Asia/Tokyo", "Australia/Sydney", "Australia/Lord_Howe",
    "Pacific/Auckland", "UTC",
]  # fmt: skip
TITLES = ["Plenary 🎉", "اجتماع", "全体会议", "Пленарное заседание", "Working group"]
REPEATS = 15
LOAD_REQUESTS = 800
LOAD_SECONDS = 20.0
LOAD_THREADS = 4
LOAD_ROUNDS = 5


def make_event(slug: str, count: int) -> Event:
    section, _created = Section.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    event = services.create_event(
        section=section,
        slug=slug,
        title=f"Bench {count}",
        timezone="UTC",
        start_date=date(2026, 3, 1),
        end_date=date(2027, 2, 27),
    )
    services.publish_event(event=event)
    start = datetime(2026, 3, 1, 6, tzinfo=UTC)
    sessions = [
        Session(
            event=event,
            title=f"{TITLES[number % len(TITLES)]} {number}",
            description="A session of the bench event.\nSecond line; with, punctuation.",
            starts_at=start + timedelta(hours=number * 4 % 8700),
            ends_at=start + timedelta(hours=number * 4 % 8700, minutes=90),
            timezone=ZONES[number % len(ZONES)],
            speakers=["Ada Lovelace", "Grace Hopper"],
            join_url="https://meet.example.org/j/1",
        )
        for number in range(count)
    ]
    Session.objects.bulk_create(sessions, batch_size=500)
    europe = Region.objects.get(code="europe")
    europe.sessions.add(*Session.objects.filter(event=event))
    return Event.objects.get(pk=event.pk)


def change_one(event: Event, step: int) -> None:
    session = Session.objects.filter(event=event).order_by("id")[step * 37 % 2000]
    services.update_session(session=session, starts_at=session.starts_at + timedelta(minutes=5))


def timed_get(client: Client, url: str, **headers) -> tuple[float, int, object]:
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url, **headers)
        elapsed = time.perf_counter() - started
    return elapsed * 1000, len(queries.captured_queries), response


def in_process() -> dict:
    big = make_event("bench-2000", 2000)
    small = make_event("bench-200", 200)
    client = Client()
    url = f"/events/{big.slug}/calendar.ics"
    figures = {}

    builder._render.cache_clear()
    feeds.render_cache.items.clear()
    cold_ms, _queries, response = timed_get(client, url)
    figures["cold build (empty render cache), ms"] = round(cold_ms, 1)
    figures["feed size, bytes"] = len(response.content)

    warm = []
    queries = set()
    for step in range(REPEATS):
        change_one(big, step)
        elapsed, count, response = timed_get(client, url)
        assert response.status_code == 200
        warm.append(elapsed)
        queries.add(count)
    figures["full feed after one change, median ms"] = round(statistics.median(warm), 1)
    figures["full feed after one change, max ms"] = round(max(warm), 1)
    figures["full feed queries (2,000 sessions)"] = sorted(queries)
    _ms, small_queries, _response = timed_get(client, f"/events/{small.slug}/calendar.ics")
    figures["full feed queries (200 sessions)"] = small_queries

    not_modified = []
    queries = set()
    for _step in range(REPEATS):
        elapsed, count, response = timed_get(client, url, HTTP_IF_NONE_MATCH=response["ETag"])
        assert response.status_code == 304
        not_modified.append(elapsed)
        queries.add(count)
    figures["304 answer, median ms"] = round(statistics.median(not_modified), 2)
    figures["304 answer queries, state cached"] = sorted(queries)

    forget_feed_states()
    _ms, cold_304_queries, response = timed_get(client, url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert response.status_code == 304
    figures["304 answer queries, state not cached"] = cold_304_queries

    region_ms, region_queries, _response = timed_get(client, "/regions/europe/calendar.ics")
    figures["region feed (2,200 sessions), ms"] = round(region_ms, 1)
    figures["region feed queries"] = region_queries
    return {"figures": figures, "etag": response["ETag"], "url": url}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def load(port: int, path: str, headers: dict[str, str], expected: int) -> float:
    """Requests per second from LOAD_THREADS threads, LOAD_REQUESTS in all, LOAD_SECONDS at most."""
    remaining = [LOAD_REQUESTS]
    lock = threading.Lock()
    failures = []
    deadline = time.monotonic() + LOAD_SECONDS
    done = [0]

    def worker() -> None:
        while time.monotonic() < deadline:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status != expected:
                    failures.append(response.status)
            finally:
                conn.close()
            with lock:
                done[0] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(LOAD_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    assert not failures, f"unexpected statuses: {sorted(set(failures))}"
    return done[0] / elapsed


def under_gunicorn(url: str, etag: str) -> dict:
    port = free_port()
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    server = subprocess.Popen(
        [
            gunicorn,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--pythonpath",
            f"{ROOT},{ROOT / 'bench'}",
            "--log-level",
            "warning",
            "feeds_wsgi:application",
        ],
        cwd=ROOT,
        # Persistent database connections, as in production (DATABASE_CONN_MAX_AGE).
        env=dict(os.environ, DATABASE_CONN_MAX_AGE="60", WHITENOISE_USE_FINDERS="0"),
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.1)
        load(port, "/bench/trivial", {}, 200)  # warm both workers
        load(port, url, {"If-None-Match": etag}, 304)
        # Alternating rounds, so that load from elsewhere on the machine hits both alike.
        trivial, not_modified = [], []
        for _round in range(LOAD_ROUNDS):
            trivial.append(load(port, "/bench/trivial", {}, 200))
            not_modified.append(load(port, url, {"If-None-Match": etag}, 304))
    finally:
        server.terminate()
        server.wait(timeout=30)
    ratios = [feed / plain for feed, plain in zip(not_modified, trivial, strict=True)]
    return {
        "trivial view, requests/s (median of rounds)": round(statistics.median(trivial)),
        "feed 304, requests/s (median of rounds)": round(statistics.median(not_modified)),
        "304 / trivial per round": " ".join(f"{ratio:.0%}" for ratio in ratios),
        "304 / trivial (median)": f"{statistics.median(ratios):.0%}",
    }


def main() -> None:
    try:
        call_command("migrate", verbosity=0)
        result = in_process()
        figures = result["figures"]
        figures.update(under_gunicorn(result["url"], result["etag"]))
    finally:
        shutil.rmtree(SCRATCH, ignore_errors=True)
    print("command: .venv/bin/python bench/feeds.py")
    width = max(len(name) for name in figures)
    for name, value in figures.items():
        print(f"  {name:<{width}}  {value}")


if __name__ == "__main__":
    main()
