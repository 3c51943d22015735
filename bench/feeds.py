"""Benchmark of the calendar feeds. Not run by the test suite.

Production settings throughout: PostgreSQL (a scratch database, created and dropped here),
the Redis cache (database 11, emptied before and after), DEBUG off, HTTPS on behind a proxy
(``X-Forwarded-Proto: https``, so HSTS, CSP and no-sniff are on every answer, the 304 too).
An event with 2,000 sessions in 20 zones:
1. the full feed right after one session changed (warm render cache), its SQL query count,
   and the same count with 200 sessions (it must not grow); a cold build for comparison;
2. a conditional request answered 304, its query count;
3. 304 throughput over HTTP: gunicorn with 4 sync workers (persistent database connections,
   DATABASE_CONN_MAX_AGE=60) on loopback, loaded by wrk (32 connections, 2 threads,
   LOAD_SECONDS a round), LOAD_ROUNDS rounds alternating with a trivial Django JSON view served
   by the same server and settings; medians and each round's ratio are printed. wrk (Debian's
   package) is needed for this part; without it the part says so and is skipped.

Run: .venv/bin/python bench/feeds.py
Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/meridian_bench_feeds),
BENCH_REDIS_URL (default redis://127.0.0.1:6379/11).
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psycopg
import redis

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/meridian_bench_feeds"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
PRODUCTION = {
    "DATABASE_URL": DATABASE_URL,
    "DATABASE_CONN_MAX_AGE": "60",
    "REDIS_URL": REDIS_URL,
    "DEBUG": "false",
    "HTTPS": "true",
    "SECURE_SSL_REDIRECT": "false",  # the proxy terminates TLS and says so in a header
    "WHITENOISE_USE_FINDERS": "0",
    "LOG_LEVEL": "WARNING",
    "DJANGO_SETTINGS_MODULE": "config.settings",
}
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


def recreate_database() -> None:
    name = DATABASE_URL.rsplit("/", 1)[1]
    with psycopg.connect(DATABASE_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')
        db.execute(f'CREATE DATABASE "{name}"')


def drop_database() -> None:
    name = DATABASE_URL.rsplit("/", 1)[1]
    with psycopg.connect(DATABASE_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


os.environ.update(PRODUCTION)
recreate_database()
redis.Redis.from_url(REDIS_URL).flushdb()
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
LOAD_SECONDS = 5
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


def wrk(port: int, path: str, headers: dict[str, str]) -> float:
    """Requests per second that wrk sustains on ``path`` (32 connections, LOAD_SECONDS)."""
    command = ["wrk", "-t2", "-c32", f"-d{LOAD_SECONDS}s", "--latency"]
    for name, value in {**PROXY_HEADERS, **headers}.items():
        command += ["-H", f"{name}: {value}"]
    run = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        text=True,
        timeout=LOAD_SECONDS + 30,
        check=True,
    )
    if "Non-2xx or 3xx responses" in run.stdout:
        raise RuntimeError(f"wrk saw failures on {path}:\n{run.stdout}")
    [rate] = re.findall(r"Requests/sec:\s+([0-9.]+)", run.stdout)
    return float(rate)


def answer(port: int, path: str, headers: dict[str, str]) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={**PROXY_HEADERS, **headers})
        response = conn.getresponse()
        response.read()
        return response
    finally:
        conn.close()


def start_gunicorn() -> tuple[subprocess.Popen, int]:
    """Gunicorn with 4 sync workers and the production settings, on a free loopback port,
    serving Meridian and the trivial view (bench/feeds_wsgi.py), once it accepts connections."""
    port = free_port()
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    command = [gunicorn, "--bind", f"127.0.0.1:{port}", "--workers", "4"]
    command += ["--pythonpath", f"{ROOT},{ROOT / 'bench'}", "--log-level", "warning"]
    server = subprocess.Popen(
        [*command, "feeds_wsgi:application"], cwd=ROOT, env=dict(os.environ, **PRODUCTION)
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server, port
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.terminate()
                raise RuntimeError("gunicorn did not start") from None
            time.sleep(0.1)


def under_gunicorn(url: str, etag: str) -> dict:
    if shutil.which("wrk") is None:
        return {"304 over HTTP": "skipped: wrk is not installed (apt-get install wrk)"}
    server, port = start_gunicorn()
    try:
        trivial_answer = answer(port, "/bench/trivial", {})
        feed_answer = answer(port, url, {"If-None-Match": etag})
        if (trivial_answer.status, feed_answer.status) != (200, 304):
            raise RuntimeError(f"statuses {trivial_answer.status}, {feed_answer.status}")
        security = {
            name: feed_answer.getheader(name) is not None
            for name in (
                "Content-Security-Policy",
                "Strict-Transport-Security",
                "X-Content-Type-Options",
            )
        }
        if not all(security.values()):
            raise RuntimeError(f"the 304 lacks security headers: {security}")
        wrk(port, "/bench/trivial", {})  # warm every worker
        wrk(port, url, {"If-None-Match": etag})
        # Alternating rounds, so that load from elsewhere on the machine hits both alike.
        trivial, not_modified = [], []
        for _round in range(LOAD_ROUNDS):
            trivial.append(wrk(port, "/bench/trivial", {}))
            not_modified.append(wrk(port, url, {"If-None-Match": etag}))
    finally:
        server.terminate()
        server.wait(timeout=30)
    ratios = [feed / plain for feed, plain in zip(not_modified, trivial, strict=True)]
    return {
        "304 answer carries CSP, HSTS, no-sniff": "yes",
        "trivial JSON view, requests/s (median of rounds)": round(statistics.median(trivial)),
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
        connection.close()
        drop_database()
        redis.Redis.from_url(REDIS_URL).flushdb()
    print("command: .venv/bin/python bench/feeds.py")
    width = max(len(name) for name in figures)
    for name, value in figures.items():
        print(f"  {name:<{width}}  {value}")


if __name__ == "__main__":
    main()
