"""The compose stack without Docker: the web, worker and beat commands of
``docker-compose.yml`` run as processes with the environment compose gives them (``.env`` made
from ``.env.example``), against the local PostgreSQL (a fresh database, migrated by the compose
``migrate`` command), the service tier's Redis and an SMTP server on loopback."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings

from tests.notifications.smtp_sink import SmtpSink, free_port
from tests.waiting import wait_until

from .compose import ROOT, env_example_active, load_compose, service_command, service_environment

pytestmark = pytest.mark.services

VENV_BIN = Path(sys.executable).parent
START_TIMEOUT = 90.0
MAIL_TIMEOUT = 60.0


@dataclass
class Stack:
    base_url: str
    host: str
    environment: dict[str, str]
    workdir: Path
    sink: SmtpSink
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def request(
        self, method: str, path: str, body: dict | None = None, token: str | None = None
    ) -> tuple[int, dict | str]:
        """An HTTP request as the TLS proxy in front of the stack would forward it."""
        headers = {"Host": self.host, "X-Forwarded-Proto": "https", "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Token {token}"
        request = urllib.request.Request(
            self.base_url + path, data=data, headers=headers, method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                status, raw, kind = response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            status, raw, kind = error.code, error.read(), error.headers
        text = raw.decode("utf-8", "replace")
        if kind.get_content_type() == "application/json":
            return status, json.loads(text)
        return status, text

    def manage(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.environment,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def mail_to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.sink.messages if message["To"] == address]

    def logs(self) -> str:
        return "\n".join(
            f"== {path.name}\n{path.read_text(errors='replace')[-4000:]}"
            for path in sorted(self.workdir.glob("*.log"))
        )


def _local(command: list[str], workdir: Path) -> list[str]:
    """The container's command on this machine: executables from the venv, ``/app`` is the
    checkout, and the beat volume (``/app/var``) a folder of the test."""
    executable = sys.executable if command[0] == "python" else str(VENV_BIN / command[0])
    return [executable, *(part.replace("/app/var", str(workdir / "var")) for part in command[1:])]


def _database_urls() -> tuple[str, str, str]:
    """(admin URL, stack database URL, stack database name) on the service tier's server."""
    data = settings.DATABASES["default"]
    password = f":{data['PASSWORD']}" if data.get("PASSWORD") else ""
    server = (
        f"postgres://{data['USER']}{password}@{data['HOST'] or '127.0.0.1'}:{data['PORT'] or 5432}"
    )
    name = f"{data['NAME']}_stack"
    return f"{server}/postgres", f"{server}/{name}", name


def _recreate_database(admin_url: str, name: str, *, create: bool) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            connection.execute(f'CREATE DATABASE "{name}"')


def _flush_redis() -> None:
    import redis

    redis.Redis.from_url(settings.REDIS_URL).flushdb()


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("stack")
    (workdir / "var").mkdir()
    compose = load_compose()
    admin_url, database_url, database_name = _database_urls()
    web_port = free_port()
    sink = SmtpSink()
    overrides = {
        # The services compose points at postgres, redis and mail: here, the local ones.
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_BROKER_URL": settings.REDIS_URL,
        "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
        # Loopback and a free port instead of the container's 0.0.0.0:8000; two cores here.
        "GUNICORN_BIND": f"127.0.0.1:{web_port}",
        "GUNICORN_WORKERS": "2",
    }
    variables = {**env_example_active(), "WORKER_CONCURRENCY": "1"}
    base = {"PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}", "HOME": str(workdir)}
    environments = {
        name: {**base, **service_environment(compose, name, variables), **overrides}
        for name in ("migrate", "web", "worker", "beat")
    }
    running = Stack(
        base_url=f"http://127.0.0.1:{web_port}",
        host=environments["web"]["ALLOWED_HOSTS"].split(",")[0],
        environment=environments["web"],
        workdir=workdir,
        sink=sink,
    )
    _recreate_database(admin_url, database_name, create=True)
    _flush_redis()
    sink.start()
    try:
        migrate = subprocess.run(
            _local(service_command(compose, "migrate", variables), workdir),
            cwd=ROOT,
            env=environments["migrate"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert migrate.returncode == 0, migrate.stderr[-3000:]
        for name in ("web", "worker", "beat"):
            log = open(workdir / f"{name}.log", "ab")  # noqa: SIM115 (closed with the process)
            running.processes[name] = subprocess.Popen(
                _local(service_command(compose, name, variables), workdir),
                cwd=ROOT,
                env=environments[name],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            log.close()

        def web_answers():
            try:
                return running.request("GET", "/healthz")[0] == 200
            except OSError:
                return False

        assert wait_until(web_answers, timeout=START_TIMEOUT), running.logs()
        yield running
    finally:
        for process in running.processes.values():
            _stop(process)
        sink.stop()
        _flush_redis()
        _recreate_database(admin_url, database_name, create=False)


def _create_published_event(stack: Stack) -> tuple[str, int]:
    created = stack.manage("create_organiser", "stack-organiser", "--section", "stack")
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip().splitlines()[-1]
    status, event = stack.request(
        "POST",
        "/api/events/",
        {
            "section": "stack",
            "slug": "stack-meeting",
            "title": "Stack meeting",
            "timezone": "Europe/Amsterdam",
            "start_date": "2099-04-28",
            "end_date": "2099-04-30",
            "status": "published",
        },
        token=token,
    )
    assert (status, event["status"]) == (201, "published"), event
    status, session = stack.request(
        "POST",
        "/api/events/stack-meeting/sessions/",
        {
            "title": "Opening",
            "local_start": "2099-04-28T14:00",
            "timezone": "Europe/Amsterdam",
            "duration_minutes": 60,
        },
        token=token,
    )
    assert status == 201, session
    return "stack-meeting", session["id"]


def _text(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_stack_healthz_reports_database_and_broker(stack):
    assert stack.request("GET", "/healthz") == (
        200,
        {"status": "ok", "database": "ok", "broker": "ok"},
    )


def test_stack_compose_health_checks_pass(stack):
    """Each service's compose health check, retried as compose retries it until it passes."""
    compose = load_compose()
    runs: dict[str, subprocess.CompletedProcess] = {}

    def passes(name: str) -> bool:
        test = compose["services"][name]["healthcheck"]["test"]
        runs[name] = subprocess.run(
            _local(test[1:], stack.workdir),
            cwd=ROOT,
            env=stack.environment,
            capture_output=True,
            text=True,
            timeout=60,
        )
        return runs[name].returncode == 0

    results = {
        name: wait_until(lambda name=name: passes(name), timeout=60) for name in ("web", "worker")
    }
    assert results == {"web": True, "worker": True}, (
        "\n".join(f"== {name}\n{run.stdout}{run.stderr}" for name, run in runs.items())
        + stack.logs()
    )


def test_stack_region_subscription_confirmation_arrives_by_smtp(stack):
    address = "digest-reader@example.org"
    status, answer = stack.request(
        "POST", "/api/regions/europe/subscriptions/", {"email": address, "language": "en"}
    )
    assert status == 202, answer
    assert wait_until(lambda: stack.mail_to(address), timeout=MAIL_TIMEOUT), stack.logs()
    [message] = stack.mail_to(address)
    link = re.search(r"https?://\S+/subscriptions/[\w-]+/confirm/", _text(message))
    assert link, _text(message)
    assert link[0].startswith(stack.environment["SITE_URL"] + "/")
    path = urlparse(link[0]).path
    status, page = stack.request("POST", path)
    assert (status, "confirmed" in page) == (200, True)
    token = path.split("/")[2]

    def access_logged() -> list[dict]:
        lines = (stack.workdir / "web.log").read_text().splitlines()
        entries = [json.loads(line) for line in lines if line.startswith("{")]
        return [entry for entry in entries if "/confirm/" in entry.get("request", "")]

    [entry] = wait_until(access_logged, timeout=10)
    assert (entry["request"], entry["status"]) == (
        "POST /subscriptions/[redacted]/confirm/ HTTP/1.1",
        200,
    )
    assert token not in (stack.workdir / "web.log").read_text()


def test_stack_registration_confirmation_arrives_by_smtp(stack):
    from notifications.enums import MessageKind

    slug, session_id = _create_published_event(stack)
    address = "registrant@example.org"
    status, answer = stack.request(
        "POST",
        f"/api/events/{slug}/registrations/",
        {"email": address, "name": "Ana Registrant", "sessions": [session_id]},
    )
    [place] = answer["sessions"]
    join = place.pop("personal_join_url")
    assert (status, answer["status"], place, join.startswith(f"https://{stack.host}/join/")) == (
        201,
        "registered",
        {"session": session_id, "status": "confirmed", "waitlist_position": None},
        True,
    ), answer
    if not any("registration" in kind for kind in MessageKind.values):
        pytest.skip(
            "no registration confirmation email exists yet: notifications phase 2 (branch "
            "notify2) adds it; until then a registration sends no email"
        )
    assert wait_until(lambda: stack.mail_to(address), timeout=MAIL_TIMEOUT), stack.logs()
    assert answer["manage_url"] in _text(stack.mail_to(address)[0])
