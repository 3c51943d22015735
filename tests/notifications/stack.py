"""A real Celery worker and beat started as processes, pointed at the test database, the
service tier's Redis and an SMTP sink on loopback. Used by the service-tier tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    data = connection.settings_dict
    password = f":{data['PASSWORD']}" if data.get("PASSWORD") else ""
    return (
        f"postgres://{data['USER']}{password}@{data['HOST'] or '127.0.0.1'}:"
        f"{data['PORT'] or 5432}/{data['NAME']}"
    )


class Stack:
    """Worker(s) and one beat; ``kill_worker`` sends SIGKILL to a worker's process group."""

    def __init__(self, *, smtp_port: int, workdir: Path, **overrides: str):
        self.workdir = workdir
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "CELERY_BROKER_URL": settings.REDIS_URL,
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "EMAIL_TIMEOUT": "5",
            "SITE_URL": "https://meridian.example",
            "NOTIFICATIONS_TICK_SECONDS": "1",
            "NOTIFICATIONS_LEASE_SECONDS": "5",
            "NOTIFICATIONS_RETRY_BASE_SECONDS": "1",
            "NOTIFICATIONS_RETRY_CAP_SECONDS": "2",
            "NOTIFICATIONS_MAX_ATTEMPTS": "100",
            "NOTIFICATIONS_DRAIN_SECONDS": "5",
            "LOG_LEVEL": "WARNING",
            **overrides,
        }
        self.workers: list[subprocess.Popen] = []
        self.beat: subprocess.Popen | None = None

    def _spawn(self, name: str, *args: str) -> subprocess.Popen:
        log = open(self.workdir / f"{name}.log", "ab")  # noqa: SIM115 (closed with the process)
        return subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", *args],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def purge(self) -> None:
        import redis

        redis.Redis.from_url(settings.REDIS_URL).flushdb()

    def start_worker(self) -> subprocess.Popen:
        number = len(self.workers) + 1
        worker = self._spawn(
            f"worker{number}",
            "worker",
            "--pool=solo",
            f"--hostname=w{number}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
        )
        self.workers.append(worker)
        return worker

    def start_beat(self) -> None:
        self.beat = self._spawn(
            "beat", "beat", f"--schedule={self.workdir / 'beat-schedule'}", "--loglevel=WARNING"
        )

    def kill_worker(self, worker: subprocess.Popen) -> None:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)

    def stop(self) -> None:
        for process in [*self.workers, self.beat]:
            if process is None or process.poll() is not None:
                continue
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        self.purge()

    def logs(self) -> str:
        return "\n".join(
            f"== {path.name}\n{path.read_text(errors='replace')[-3000:]}"
            for path in sorted(self.workdir.glob("*.log"))
        )
