"""Benchmark: public registrations over HTTP against gunicorn + PostgreSQL, at two data sizes.

Creates (and drops afterwards) its own database, migrates it, starts gunicorn on loopback
with throttling switched off through THROTTLE_REGISTRATIONS, and drives
``POST /api/events/{slug}/registrations/`` with concurrent clients for a bounded number of
requests: LOAD_PROCESSES processes, a thread per connection, each request built before the
clock starts and its answer read by Content-Length on a plain socket, so that the load
takes little of the two cores being measured (0.3 ms of CPU per request, printed).
Gunicorn's sync workers close the connection after each answer; the client reconnects for
the next request, inside its timing. Prints registrations/s, p50/p99
latency, the CPU one registration costs in gunicorn, in PostgreSQL and in the load clients
(from /proc), the share of CPU time the host stole from this virtual machine, the machine's
speed at the start (ten million Python additions), the seat check, and the queries one
registration costs when the session is empty and when it already holds many registrations.

    .venv/bin/python bench/registrations.py [--requests 3000] [--clients 16] [--prefill 20000]

With ``--redis redis://127.0.0.1:6379`` the server runs as in production (docker-compose.yml):
the cache, and with it the throttle, in Redis database 12, and Celery's broker in database 13
(the service tier uses 15), so every registration wakes a worker after its commit (no worker
consumes them here; both databases are emptied before and after). The CPU Redis spends is
then printed too.

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/meridian_bench_reg),
BENCH_WORKER_CLASS / BENCH_WORKERS / BENCH_THREADS (gunicorn, default sync × 5 × 1),
BENCH_LOAD_PROCESSES (default 2).

Why sync × 5 (2 × cores + 1) on 2 cores: with gthread the thread holding a session's row
lock waits for the GIL behind its siblings' request work. Measured again on 2 December 2026
(1,500 registrations): gthread 2 × 4 gave 149-175/s, 3 × 2 135-162/s, sync × 5 190-212/s;
sync × 3, × 4 and × 6 were no better than × 5.

This machine's speed varies by up to half from one hour to the next (a shared host), so
compare figures taken side by side. The calibration loop does not always show it: on
2 December 2026 it read 0.20-0.24 s all morning while the same code's CPU per registration in
gunicorn went from 2.6 to 5.3 ms. Instruction counts hardly vary: compare versions of the hot
path with bench/registrations_instructions.py (valgrind's callgrind).

Stop 11 (2 December 2026, 05:07-05:16, a slower machine of this kind): three runs each,
alternating, of this script against the code before the hot path was rebuilt (b10b90d) and
after it, median (range):

| case | before | after |
| --- | --- | --- |
| one session, empty before | 107/s (105-127), p99 189 ms | 175/s (168-187), p99 136 ms |
| one session holding 20,001 places | 106/s (97-115), p99 200 ms | 186/s (168-194), p99 111 ms |
| spread over 8 sessions | 92/s (83-96), p99 233 ms | 179/s (177-208), p99 117 ms |
| CPU per registration, gunicorn | 11.0-18.1 ms | 6.5-8.4 ms |
| CPU per registration, PostgreSQL | 3.1-5.1 ms | 1.9-2.3 ms |
| queries per registration (0 / 20,000 held) | 10 / 9 | 9 / 9 |

Stop 12 (2 December 2026, 07:27-07:30, this session's machine), after the place INSERT took
over the occupancy read (8 statements) and plain values skipped field preparation: four runs
without Redis and two with ``--redis``, range (median):

| case | without Redis | with --redis |
| --- | --- | --- |
| one session, empty before | 251-460/s (339), p99 62-81 ms | 298, 359/s, p99 67-75 ms |
| one session holding 20,001 places | 315-375/s (337), p99 59-73 ms | 303, 330/s, p99 64-85 ms |
| spread over 8 sessions | 364-422/s (397), p99 52-61 ms | 279, 307/s, p99 78-126 ms |
| CPU per registration, gunicorn | 2.6-5.1 ms | 3.9-5.3 ms |
| CPU per registration, PostgreSQL | 0.9-1.5 ms | 1.0-1.3 ms |

With --redis the broker got 4 wakes for 9,600 registrations (coalesced: one per drain).
Instructions per registration in the web process (bench/registrations_instructions.py):
8.73 M before this stop (e12430a), 8.10 M after.

0 errors and every seat check OK in all runs; the host stole 0-1 % of the CPU time.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import io
import json
import multiprocessing
import os
import resource
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/meridian_bench_reg"
)
WORKERS = int(os.environ.get("BENCH_WORKERS", "5"))
THREADS = int(os.environ.get("BENCH_THREADS", "1"))
WORKER_CLASS = os.environ.get("BENCH_WORKER_CLASS", "sync")
LOAD_PROCESSES = int(os.environ.get("BENCH_LOAD_PROCESSES", "2"))
SERVER_ENV = {
    "DATABASE_URL": DATABASE_URL,
    "DATABASE_CONN_MAX_AGE": "600",
    "THROTTLE_REGISTRATIONS": "1000000000/second",
    "DEBUG": "false",
    "LOG_LEVEL": "WARNING",
    "REDIS_URL": "",
    "PYTHONWARNINGS": "ignore::UserWarning",
}
SEATS = 500


def recreate_database() -> None:
    import psycopg

    parsed = urlparse(DATABASE_URL)
    name = parsed.path.lstrip("/")
    admin = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database() -> None:
    import psycopg

    name = urlparse(DATABASE_URL).path.lstrip("/")
    admin = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def use_redis(url: str) -> None:
    """Point the server at Redis as production does: cache (throttle) and Celery's broker."""
    base = url.rstrip("/")
    SERVER_ENV["REDIS_URL"] = f"{base}/12"
    SERVER_ENV["CELERY_BROKER_URL"] = f"{base}/13"
    flush_redis()


def flush_redis() -> None:
    if not SERVER_ENV.get("CELERY_BROKER_URL"):
        return
    import redis

    for key in ("REDIS_URL", "CELERY_BROKER_URL"):
        redis.Redis.from_url(SERVER_ENV[key]).flushdb()


def queued_wakes() -> int:
    import redis

    return redis.Redis.from_url(SERVER_ENV["CELERY_BROKER_URL"]).llen("celery")


def setup_django() -> None:
    import warnings

    # PYTHONWARNINGS only reaches the server (read at start-up); this process has no static
    # files collected either.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    os.environ.update(SERVER_ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def make_event():
    from events import services as event_services
    from events.organisers import create_organiser

    _user, section, _token = create_organiser(username="bench", section_slug="bench")
    event = event_services.publish_event(
        event=event_services.create_event(
            section=section,
            slug="bench",
            title="Bench",
            timezone="UTC",
            start_date=date(2027, 6, 1),
            end_date=date(2027, 6, 2),
        )
    )
    sessions = [
        event_services.create_session(
            event=event,
            title=f"Session {number}",
            starts_at=datetime(2027, 6, 1, 8 + number, tzinfo=UTC),
            duration_minutes=45,
            capacity=SEATS,
        )
        for number in range(10)
    ]
    return event, sessions


def prefill(event, session, count: int) -> None:
    """Many registrations in the session at once (bulk rows, as the services would leave them)."""
    from registrations.models import Participant, Registration, SessionRegistration
    from registrations.services import hash_token

    batch = 2000
    for start in range(0, count, batch):
        people = []
        for number in range(start, min(start + batch, count)):
            token = secrets.token_urlsafe(32)
            people.append(
                Participant(
                    email=f"prefill{number}@example.org",
                    name=f"Prefill {number}",
                    country="FR",
                    timezone="Europe/Paris",
                    token=token,
                    token_hash=hash_token(token),
                )
            )
        people = Participant.objects.bulk_create(people)
        registrations = Registration.objects.bulk_create(
            [Registration(participant=person, event=event) for person in people]
        )
        SessionRegistration.objects.bulk_create(
            [
                SessionRegistration(
                    registration=registration,
                    participant_id=registration.participant_id,
                    session=session,
                    status="confirmed" if start + index < SEATS else "waitlisted",
                    waitlist_position=None if start + index < SEATS else start + index - SEATS + 1,
                )
                for index, registration in enumerate(registrations)
            ]
        )


def queries_per_registration(session, email: str) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    with CaptureQueriesContext(connection) as captured:
        response = client.post(
            "/api/events/bench/registrations/",
            json.dumps(
                {"email": email, "name": "Probe", "country": "KE", "sessions": [session.pk]}
            ),
            content_type="application/json",
        )
    assert response.status_code == 201, response.content
    return len(captured.captured_queries)


def register_through_wsgi(application, body: dict) -> None:
    """POST one registration straight to the WSGI ``application`` (no server, no socket)."""
    raw = json.dumps(body).encode()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/api/events/bench/registrations/",
        "QUERY_STRING": "",
        "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1:8000",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(raw)),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(raw),
        "wsgi.errors": sys.stderr,
    }
    statuses: list[str] = []

    def start_response(status, headers, exc_info=None):
        statuses.append(status)

    b"".join(application(environ, start_response))
    if not statuses[0].startswith("201"):
        raise SystemExit(f"registration failed: {statuses[0]}")


def seat_check(session) -> str:
    from registrations.models import SessionRegistration

    rows = list(
        SessionRegistration.objects.filter(session=session).values_list(
            "participant_id", "status", "waitlist_position"
        )
    )
    confirmed = sum(1 for row in rows if row[1] == "confirmed")
    positions = sorted(row[2] for row in rows if row[1] == "waitlisted")
    ok = (
        confirmed == min(SEATS, len(rows))
        and positions == list(range(1, len(positions) + 1))
        and len({row[0] for row in rows}) == len(rows)
    )
    return (
        f"{'OK' if ok else 'FAILED'}: {len(rows)} places, {confirmed} confirmed of {SEATS} seats, "
        f"waitlist 1..{len(positions)} {'without gaps' if ok else 'BROKEN'}, no duplicates"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--worker-class",
        WORKER_CLASS,
        "--workers",
        str(WORKERS),
        "--threads",
        str(THREADS),
        "--keep-alive",
        "30",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **SERVER_ENV})
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start within 30 s")


def steal_ticks() -> tuple[int, int]:
    """(stolen, all) CPU ticks of the machine so far (/proc/stat): the time a virtual
    machine's cores spent waiting for the host, which slows everything measured here."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    return fields[7], sum(fields[:8])


def cpu_seconds(server_pid: int) -> tuple[float, float, float]:
    """CPU time (user + system) used so far by gunicorn (master and workers), by the
    PostgreSQL backends serving the bench's database and by redis-server, from /proc (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    name = urlparse(DATABASE_URL).path.lstrip("/")
    server = database = cache = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        used = (int(stat[11]) + int(stat[12])) / tick
        if int(entry.name) == server_pid or int(stat[1]) == server_pid:
            server += used
        elif command.startswith("postgres: ") and f" {name} " in command:
            database += used
        elif command.startswith("redis-server"):
            cache += used
    return server, database, cache


def _request_bytes(port: int, label: str, index: int, session_ids: list[int]) -> bytes:
    body = json.dumps(
        {
            "email": f"{label}-{index}@example.org",
            "name": f"Load {index}",
            "country": "BR",
            "sessions": [session_ids[index % len(session_ids)]],
        }
    ).encode()
    head = (
        f"POST /api/events/bench/registrations/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


def _exchange(sock: socket.socket, request: bytes) -> tuple[int, bool]:
    """Send one request and read its whole answer: (status, whether the server keeps the
    connection open). Gunicorn's sync workers close it after every answer."""
    sock.sendall(request)
    pending = b""
    while b"\r\n\r\n" not in pending:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed by the server")
        pending += chunk
    head, _sep, rest = pending.partition(b"\r\n\r\n")
    length, keep = 0, True
    for line in head.split(b"\r\n")[1:]:
        name, _colon, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"connection" and value.strip().lower() == b"close":
            keep = False
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed by the server")
        rest += chunk
    return int(head.split(b" ", 2)[1]), keep


def _client_process(port, session_ids, label, numbers, requests, clients, ready, go, results):
    """One load process: a thread per keep-alive connection, requests built beforehand, the
    answer read by its Content-Length (no HTTP library: the load costs little CPU)."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client(number: int) -> None:
        work = [
            _request_bytes(port, label, index, session_ids)
            for index in range(number, requests, clients)
        ]
        sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        mine, failed = [], []
        ready.release()
        go.wait()
        for request in work:
            began = time.perf_counter()
            try:
                if sock is None:  # the server closed it after the last answer
                    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
                code, keep = _exchange(sock, request)
                if code != 201:
                    failed.append(str(code))
                if not keep:
                    sock.close()
                    sock = None
            except (OSError, ValueError) as error:
                failed.append(type(error).__name__)
                if sock is not None:
                    sock.close()
                sock = None
            mine.append(time.perf_counter() - began)
        if sock is not None:
            sock.close()
        with lock:
            latencies.extend(mine)
            errors.extend(failed)

    threads = [threading.Thread(target=client, args=(number,)) for number in numbers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    results.put((latencies, errors, usage.ru_utime + usage.ru_stime))


def drive(port: int, session_ids: list[int], label: str, requests: int, clients: int) -> dict:
    """``requests`` registrations over ``clients`` keep-alive connections, spread over
    LOAD_PROCESSES processes (so that the load is not held back by one interpreter's lock)."""
    context = multiprocessing.get_context("fork")
    ready, go, results = context.Semaphore(0), context.Event(), context.Queue()
    groups = [list(range(clients))[offset::LOAD_PROCESSES] for offset in range(LOAD_PROCESSES)]
    processes = [
        context.Process(
            target=_client_process,
            args=(port, session_ids, label, group, requests, clients, ready, go, results),
        )
        for group in groups
        if group
    ]
    for process in processes:
        process.start()
    for _ in range(clients):
        ready.acquire()
    began = time.perf_counter()
    go.set()
    latencies: list[float] = []
    errors: list[str] = []
    load_cpu = 0.0
    for _ in processes:
        mine, failed, cpu = results.get()
        latencies += mine
        errors += failed
        load_cpu += cpu
    elapsed = time.perf_counter() - began
    for process in processes:
        process.join()
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "error_kinds": dict(collections.Counter(errors)),
        "rate": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "elapsed": elapsed,
        "load_ms": load_cpu * 1000 / max(1, len(latencies)),
    }


def calibration_seconds() -> float:
    """Seconds this machine takes for ten million Python additions, best of three: the
    machine's speed at the time of the run (a shared host's varies by half from hour to hour,
    and every figure here varies with it)."""
    best = float("inf")
    for _ in range(3):
        began = time.process_time()
        total = 0
        for number in range(10_000_000):
            total += number
        best = min(best, time.process_time() - began)
    return best


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--prefill", type=int, default=20000)
    parser.add_argument("--redis", metavar="URL", help="cache and broker in Redis, as deployed")
    args = parser.parse_args()
    if args.redis:
        use_redis(args.redis)

    recreate_database()
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    event, sessions = make_event()
    empty_session, big_session, spread = sessions[0], sessions[1], sessions[2:]
    queries_small = queries_per_registration(empty_session, "probe-small@example.org")
    prefill(event, big_session, args.prefill)
    queries_large = queries_per_registration(big_session, "probe-large@example.org")
    connection.close()

    port = free_port()
    server = start_server(port)
    try:
        print(
            f"machine speed: 10M Python additions in {calibration_seconds():.2f} s (less is faster)"
        )
        print(
            f"gunicorn {WORKER_CLASS} {WORKERS} workers × {THREADS} threads, "
            f"{args.clients} keep-alive clients, {args.requests} registrations per run, "
            f"PostgreSQL {DATABASE_URL}"
            f"{'; cache, throttle and broker in Redis ' + args.redis if args.redis else ''}"
        )
        runs = (
            ("one session, empty before", [empty_session]),
            (f"one session holding {args.prefill + 1} places", [big_session]),
            (f"spread over {len(spread)} sessions", spread),
        )
        for number, (label, targets) in enumerate(runs):
            ids = [session.pk for session in targets]
            drive(port, ids, f"warm{number}", min(200, args.requests), args.clients)
            cpu_before, steal_before = cpu_seconds(server.pid), steal_ticks()
            result = drive(port, ids, f"run{number}", args.requests, args.clients)
            cpu_after, steal_after = cpu_seconds(server.pid), steal_ticks()
            stolen = (steal_after[0] - steal_before[0]) / max(1, steal_after[1] - steal_before[1])
            server_ms, database_ms, redis_ms = (
                (after - before) * 1000 / result["requests"]
                for before, after in zip(cpu_before, cpu_after, strict=True)
            )
            print(
                f"[{label}] {result['rate']:.0f} registrations/s, p50 {result['p50']:.1f} ms, "
                f"p99 {result['p99']:.1f} ms, {result['errors']} errors "
                f"{result['error_kinds'] or ''}"
                f"({result['requests']} in {result['elapsed']:.1f} s); CPU per registration: "
                f"gunicorn {server_ms:.1f} ms, PostgreSQL {database_ms:.1f} ms, "
                f"load clients {result['load_ms']:.1f} ms"
                f"{f', Redis {redis_ms:.1f} ms' if args.redis else ''}; "
                f"stolen by the host {stolen:.0%}"
            )
            for session in targets:
                print(f"  seat check {session.title}: {seat_check(session)}")
        print(
            f"queries per registration: {queries_small} with an empty session, "
            f"{queries_large} with {args.prefill} registrations already in it"
        )
        if args.redis:
            print(f"worker wakes queued in the broker: {queued_wakes()}")
    finally:
        server.terminate()
        server.wait(timeout=30)
        connection.close()
        drop_database()
        flush_redis()
    return 0


if __name__ == "__main__":
    sys.exit(main())
