"""Benchmark: personal join links when a webinar starts and everyone clicks at once.

Production settings as in bench/feeds.py (PostgreSQL scratch database, Redis cache, DEBUG off,
HTTPS behind a proxy header), gunicorn with 4 sync workers on loopback, wrk at 32 connections
cycling through SEATS distinct personal links of one session that is open for joining
(every answer a 302 to the meeting, each recording attendance), alternated over ROUNDS with a
trivial Django JSON view on the same server. Prints redirects/s, the trivial view's rate, the
ratio per round and its median (goal ≥ 50 %), and the queries one redirect costs (goal ≤ 2).

    .venv/bin/python bench/join.py        (needs wrk: apt-get install wrk)

Measured on 7 December 2026: 2 queries per redirect; 322 redirects/s against 1,884/s for
the trivial view, 14-18 % over 5 rounds (median 17 %): short of the goal. Each click commits
its attendance UPDATE and waits for PostgreSQL's WAL flush; the next step is to take that
wait off the redirect (synchronous_commit off for that one write, or attendance batched).
"""

from __future__ import annotations

import importlib.util
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("bench_feeds", HERE / "feeds.py")
harness = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(harness)  # production settings, scratch database, django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from events import services as event_services  # noqa: E402
from registrations import services as registration_services  # noqa: E402
from registrations.services.links import join_token  # noqa: E402

SEATS = 2000
ROUNDS = 5
SECONDS = 5


def make_seats() -> list[str]:
    """SEATS participants with a confirmed seat in a session that opened a minute ago."""
    section = event_services.ensure_section(slug="bench")
    today = timezone.now().date()
    event = event_services.create_event(
        section=section,
        slug="webinar",
        title="Webinar",
        timezone="UTC",
        start_date=today,
        end_date=today + timedelta(days=1),
        registration_closes_at=timezone.now() + timedelta(days=1),
    )
    event_services.publish_event(event=event)
    session = event_services.create_session(
        event=event,
        title="Opening",
        starts_at=timezone.now() - timedelta(minutes=1),
        duration_minutes=120,
        join_url="https://meet.example.org/webinar",
    )
    paths = []
    for number in range(SEATS):
        result = registration_services.register_participant(
            event=event, email=f"p{number}@example.org", name="P", sessions=[session.pk]
        )
        [seat] = result.session_registrations
        paths.append(f"/join/{join_token(seat.pk, result.participant.token)}/")
    return paths


def queries_per_redirect(path: str) -> int:
    statements: list[str] = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    client = Client()
    with connection.execute_wrapper(record):
        answer = client.get(path, HTTP_X_FORWARDED_PROTO="https")
    assert answer.status_code == 302, answer.status_code
    return len(statements)


def wrk_paths(port: int, paths: list[str], script: Path) -> float:
    """Requests per second of wrk cycling through ``paths`` (a Lua script of wrk's API)."""
    quoted = ",\n".join(f'"{path}"' for path in paths)
    script.write_text(
        "local paths = {\n" + quoted + "\n}\nlocal i = 0\n"
        "request = function()\n  i = i % #paths + 1\n"
        '  return wrk.format("GET", paths[i], {["X-Forwarded-Proto"] = "https"})\nend\n',
        encoding="utf-8",
    )
    run = subprocess.run(
        ["wrk", "-t2", "-c32", f"-d{SECONDS}s", "-s", str(script), f"http://127.0.0.1:{port}/"],
        capture_output=True,
        text=True,
        timeout=SECONDS + 30,
        check=True,
    )
    if "Non-2xx or 3xx responses" in run.stdout:
        raise RuntimeError(f"wrk saw failures:\n{run.stdout}")
    return float(run.stdout.split("Requests/sec:")[1].split()[0])


def main() -> int:
    if shutil.which("wrk") is None:
        print("bench/join.py: wrk is not installed (apt-get install wrk); measured nothing")
        return 0
    scratch = Path(tempfile.mkdtemp(prefix="meridian-bench-join-"))
    try:
        call_command("migrate", verbosity=0)
        paths = make_seats()
        queries = queries_per_redirect(paths[0])
        connection.close()
        server, port = harness.start_gunicorn()
        try:
            wrk_paths(port, ["/bench/trivial"], scratch / "trivial.lua")  # warm the workers
            joins, trivial = [], []
            for _round in range(ROUNDS):
                trivial.append(wrk_paths(port, ["/bench/trivial"], scratch / "trivial.lua"))
                joins.append(wrk_paths(port, paths, scratch / "join.lua"))
        finally:
            server.terminate()
            server.wait(timeout=30)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        connection.close()
        harness.drop_database()
    ratios = [join / plain for join, plain in zip(joins, trivial, strict=True)]
    print("command: .venv/bin/python bench/join.py")
    print(f"  queries per redirect              {queries} (goal ≤ 2)")
    print(f"  trivial JSON view, requests/s     {round(statistics.median(trivial))}")
    print(f"  join redirects, requests/s        {round(statistics.median(joins))}")
    print(f"  redirects / trivial per round     {' '.join(f'{r:.0%}' for r in ratios)}")
    print(f"  redirects / trivial (median)      {statistics.median(ratios):.0%} (goal ≥ 50 %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
