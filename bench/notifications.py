"""Outbox throughput against the SMTP limit of this machine.

N due outbox rows (digest-subscription confirmations in seven languages and five zones) are
sent by ONE Celery worker process (solo pool) to an aiosmtpd sink running in its own
process. In the same run a bare ``smtplib`` loop sends N comparable messages over one
connection to the same sink: that is the limit. Prints both throughputs, the ratio
(goal ≥ 60 %), p99 lateness after the due time (goal ≤ 60 s), duplicates and missing (0/0).

    .venv/bin/python bench/notifications.py [N]        (default 10000)

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
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/meridian_notifications_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
LANGUAGES = ["en", "fr", "es", "de", "ru", "ar", "zh-hans"]
ZONES = ["Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "Africa/Lagos"]


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
    message = EmailMessage()
    message["Subject"] = "Confirm your weekly digest for Europe"
    message["From"] = "Meridian <meridian@localhost>"
    message["To"] = f"limit{index}@example.org"
    message["Message-ID"] = f"<limit-{index}@meridian.example>"
    message["Auto-Submitted"] = "auto-generated"
    text = (
        "Someone (hopefully you) asked for the weekly digest of sessions for Europe at this "
        f"address.\n\nTo confirm, open this link:\nhttps://meridian.example/subscriptions/"
        f"{'x' * 43}{index}/confirm/\n\nTimes will be shown in Europe/London.\n"
    )
    message.set_content(text)
    message.add_alternative(f"<html><body><p>{text}</p></body></html>", subtype="html")
    return message


def smtp_limit(port: int, n: int, count) -> float:
    """Messages per second of a bare smtplib loop over one connection (building each)."""
    start_count = count.value
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as client:
        for index in range(n):
            client.send_message(comparable_message(index))
    wait_for(lambda: count.value - start_count >= n, 60)
    return n / (time.perf_counter() - started)


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
    from django.db import connection

    from events.models import Region
    from notifications import outbox
    from notifications.enums import MessageKind
    from notifications.models import OutboxMessage, Subscription

    with connection.cursor() as cursor:
        cursor.execute(
            f"TRUNCATE {OutboxMessage._meta.db_table}, {Subscription._meta.db_table} CASCADE"
        )
    regions = list(Region.objects.all())
    subscriptions = Subscription.objects.bulk_create(
        [
            Subscription(
                email=f"person{index}@example.org",
                region=regions[index % len(regions)],
                language=LANGUAGES[index % len(LANGUAGES)],
                timezone=ZONES[index % len(ZONES)],
                confirm_token=f"confirm-{index:06d}-{'x' * 30}",
                unsubscribe_token=f"unsubscribe-{index:06d}-{'x' * 26}",
            )
            for index in range(n)
        ],
        batch_size=2000,
    )
    outbox.enqueue_many(
        {
            "kind": MessageKind.SUBSCRIPTION_CONFIRM,
            "recipient": subscription.email,
            "dedupe_key": f"bench:{subscription.pk}",
            "language": subscription.language,
            "timezone_name": subscription.timezone,
            "subscription": subscription,
        }
        for subscription in subscriptions
    )
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
        print(f"smtplib limit: {n} messages over one connection: {limit:.0f} msg/s")

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
    print(f"ratio: {ours / limit:.0%} of the smtplib limit (goal ≥ 60 %)")
    print(f"p99 lateness after due: {p99:.1f} s (goal ≤ 60 s); max {lateness[-1]:.1f} s")
    print(f"duplicates: {duplicates}, missing: {missing} (goal 0/0)")
    print(f"command: {sys.executable} bench/notifications.py {n}")
    return 0 if done else 1


if __name__ == "__main__":
    sys.exit(main())
