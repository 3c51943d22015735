"""Outbox throughput against the SMTP limit of this machine.

N due session reminders (N/2 participants with a confirmed seat in one session, reminders at
24 h and 1 h planned by ``notifications.participants.policy``, in seven languages and five
zones, all
made due at the start) are sent by ONE Celery worker process (solo pool) to an aiosmtpd sink
running in its own process. In the same run a bare ``smtplib`` loop in a process of its own
sends N comparable messages, built before its clock starts, over one connection to the same
sink: that is the limit. Prints both throughputs, the ratio
(goal ≥ 60 %), p99 lateness after the due time (goal ≤ 60 s), duplicates and missing (0/0).

    .venv/bin/python bench/notifications.py [N]        (default 10000)

Measured on 7 December 2026 (N=4000): the bare loop 835 msg/s, the worker 213 msg/s (25 %),
p99 lateness 18.7 s, 0 duplicates, 0 missing. The bench's earlier reference (EmailMessage
built inside the timed loop, in the bench's own process) read 311 msg/s for the same sink, so
it showed 62 %. Where a reminder's time goes in the worker (cProfile on CPU time, one drain
of 2,000 rows): serialising Django's EmailMultiAlternatives with the email package ~40 %
(compat32 header folding through email.header for every header, a regex compiled for each
message's MIME boundary), the templates ~25 %, database claims and outcomes ~10 %, the SMTP
send itself ~5 %.

Needs PostgreSQL and Redis: BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/meridian_notifications_bench, created if missing) and
BENCH_REDIS_URL (default redis://127.0.0.1:6379/13, flushed).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import smtplib
import socket
import subprocess
import sys
import time
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/meridian_notifications_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_sink(port: int, count, ready, stop, results_path: str) -> None:
    """The sink process: accept everything, note (Message-ID, arrival) of each message."""
    import asyncio  # noqa: F401 (aiosmtpd needs the loop machinery loaded in this process)
    from email.parser import BytesHeaderParser

    from aiosmtpd.controller import Controller

    arrivals: list[tuple[str, float]] = []
    parser = BytesHeaderParser()

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            headers = parser.parsebytes(envelope.content)
            arrivals.append((str(headers["Message-ID"]), time.time()))
            with count.get_lock():
                count.value += 1
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()
    with open(results_path, "w") as out:
        out.writelines(f"{message_id}\t{at}\n" for message_id, at in arrivals)


def wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def comparable_message(index: int) -> EmailMessage:
    """A message of a reminder's shape and size: text and HTML, times in two zones, links."""
    message = EmailMessage()
    message["Subject"] = "Reminder: Working group, Thu 26 Nov, 14:00"
    message["From"] = "Meridian <meridian@localhost>"
    message["To"] = f"limit{index}@example.org"
    message["Message-ID"] = f"<limit-{index}@meridian.example>"
    message["Auto-Submitted"] = "auto-generated"
    message["List-Unsubscribe"] = f"<https://meridian.example/reminders/{index}:{'x' * 43}/off/>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    text = (
        f"Hello Person {index},\n\nA session you registered for is coming up:\n\n"
        "Working group (Meeting)\n  Thursday, 26 November 2026, 14:00–15:00 (Europe/London, "
        "UTC+00:00)\n  Session's own time: Thursday, 26 November 2026, 14:00–15:00 (UTC, "
        "UTC+00:00)\n  https://meridian.example/events/bench/\n\n"
        f"Manage your registration: https://meridian.example/registrations/{'t' * 43}/\n"
        f"Your personal calendar: https://meridian.example/calendars/{'t' * 43}.ics\n"
        f"No more reminders: https://meridian.example/reminders/{index}:{'x' * 43}/off/\n"
    )
    message.set_content(text)
    message.add_alternative(
        f"<!DOCTYPE html><html lang='en'><body><p>{text}</p></body></html>", subtype="html"
    )
    return message


def bare_loop(port: int, n: int, count, result) -> None:
    """The reference, in a process of its own: N messages of a reminder's shape, built before
    the clock starts, sent with ``sendmail`` over one connection until the sink has them all."""
    messages = [
        (f"limit{index}@example.org", comparable_message(index).as_bytes(policy=SMTP_POLICY))
        for index in range(n)
    ]
    start_count = count.value
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as client:
        for recipient, raw in messages:
            client.sendmail("meridian@localhost", [recipient], raw)
    wait_for(lambda: count.value - start_count >= n, 60)
    result.value = n / (time.perf_counter() - started)


def smtp_limit(port: int, n: int, count) -> float:
    """Messages per second of the bare loop (:func:`bare_loop`) into the same sink."""
    result = multiprocessing.Value("d", 0.0)
    loop = multiprocessing.Process(target=bare_loop, args=(port, n, count, result))
    loop.start()
    loop.join(timeout=300)
    return result.value


def prepare_database(n: int, env: dict) -> None:
    parsed = urlparse(DATABASE_URL)
    admin = parsed._replace(path="/postgres").geturl()
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        name = parsed.path.lstrip("/")
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )


def make_backlog(n: int) -> None:
    """N/2 participants seated in one session three days ahead; the planner writes their
    reminders (24 h and 1 h), which the run then makes due all at once."""
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from events import services as event_services
    from events.models import Event
    from notifications.models import OutboxMessage
    from registrations.models import Participant
    from tests.notifications.bulk import seat_participants

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {OutboxMessage._meta.db_table}")
    Participant.objects.all().delete()
    Event.objects.filter(slug="bench").delete()
    now = timezone.now()
    event = event_services.create_event(
        section=event_services.ensure_section(slug="bench"),
        slug="bench",
        title="Meeting",
        timezone="UTC",
        start_date=now.date(),
        end_date=now.date() + timedelta(days=7),
        reminder_offsets=[24 * 60, 60],
    )
    event_services.publish_event(event=event)
    session = event_services.create_session(
        event=event,
        title="Working group",
        starts_at=(now + timedelta(days=3)).replace(microsecond=0),
        duration_minutes=60,
    )
    seat_participants(session, n // 2)
    connection.close()


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "CELERY_BROKER_URL": REDIS_URL,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "SITE_URL": "https://meridian.example",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import redis

    from config.celery import app
    from notifications.models import OutboxMessage

    prepare_database(n, env)
    redis.Redis.from_url(REDIS_URL).flushdb()
    make_backlog(n)

    count, ready, stop = (
        multiprocessing.Value("i", 0),
        multiprocessing.Event(),
        multiprocessing.Event(),
    )
    results = ROOT / "var" / "bench-notifications-arrivals.tsv"
    results.parent.mkdir(exist_ok=True)
    sink = multiprocessing.Process(target=run_sink, args=(port, count, ready, stop, str(results)))
    sink.start()
    ready.wait(10)
    worker = None
    try:
        limit = smtp_limit(port, n, count)
        print(f"bare smtplib loop, own process, one connection: {n} messages, {limit:.0f} msg/s")

        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=WARNING",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        time.sleep(3)  # let the worker start before the clock runs (not a test: a benchmark)
        before = count.value
        now = django.utils.timezone.now()
        OutboxMessage.objects.update(due_at=now, next_attempt_at=now)
        n = OutboxMessage.objects.count()  # the reminders the planner wrote (N)
        started = time.perf_counter()
        app.send_task("notifications.drain")
        done = wait_for(lambda: count.value - before >= n, 600)
        elapsed = time.perf_counter() - started
        time.sleep(1)  # late duplicates, if any, would arrive now
        ours = n / elapsed
    finally:
        if worker is not None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=30)
        stop.set()
        sink.join(timeout=30)

    due = dict(OutboxMessage.objects.values_list("message_id", "due_at"))
    arrivals: dict[str, list[float]] = {}
    for line in results.read_text().splitlines():
        message_id, at = line.split("\t")
        if message_id in due:
            arrivals.setdefault(message_id, []).append(float(at))
    duplicates = sum(len(times) - 1 for times in arrivals.values())
    missing = len(set(due) - set(arrivals))
    lateness = sorted(min(times) - due[mid].timestamp() for mid, times in arrivals.items())
    p99 = lateness[int(len(lateness) * 0.99) - 1] if lateness else float("nan")
    print(
        f"outbox → sink: {n} rows, one worker process: {ours:.0f} msg/s"
        f"{'' if done else ' (TIMED OUT)'}"
    )
    print(f"ratio: {ours / limit:.0%} of the bare loop (goal ≥ 60 %)")
    print(f"p99 lateness after due: {p99:.1f} s (goal ≤ 60 s); max {lateness[-1]:.1f} s")
    print(f"duplicates: {duplicates}, missing: {missing} (goal 0/0)")
    kinds = sorted(OutboxMessage.objects.values_list("kind", "state").distinct())
    languages = OutboxMessage.objects.values("language").distinct().count()
    zones = OutboxMessage.objects.values("timezone").distinct().count()
    print(f"rows (kind, state): {kinds}; {languages} languages, {zones} zones")
    print(f"command: {sys.executable} bench/notifications.py {n}")
    return 0 if done else 1


if __name__ == "__main__":
    sys.exit(main())
