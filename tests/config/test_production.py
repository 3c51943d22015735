"""Production settings and the edges every deployment relies on."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "false",
    "HTTPS": "true",
    "SECRET_KEY": "x" * 20 + "production-secret-key-for-the-deploy-check-0123456789",
    "ALLOWED_HOSTS": "meridian.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://meridian.example.org",
    "SITE_URL": "https://meridian.example.org",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.pure
def test_check_deploy_is_clean_with_production_variables():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert (result.returncode, result.stdout.strip()) == (
        0,
        "System check identified no issues (0 silenced).",
    ), result.stderr


@pytest.mark.pure
def test_openapi_schema_generates_without_warnings():
    result = _manage("spectacular", "--validate", "--fail-on-warn", env={})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("openapi: 3.0.3")


@pytest.mark.django_db
def test_responses_carry_security_headers_and_request_id(client):
    response = client.get("/api/regions/", HTTP_X_REQUEST_ID="abc-123")
    assert {
        name: response.headers.get(name)
        for name in ("X-Request-ID", "X-Content-Type-Options", "X-Frame-Options")
    } == {"X-Request-ID": "abc-123", "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY"}
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


@pytest.mark.django_db
def test_request_id_from_outside_is_sanitised(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="evil\r\nSet-Cookie: x=1")
    assert len(response.headers["X-Request-ID"]) == 32
    assert "\n" not in response.headers["X-Request-ID"]


def test_log_lines_are_json_with_the_request_id():
    from config.logging import JsonFormatter
    from config.middleware import RequestIdFilter, request_id_var

    record = logging.LogRecord("meridian", logging.INFO, __file__, 1, "hello %s", ("world",), None)
    token = request_id_var.set("req-42")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id_var.reset(token)
    line = json.loads(JsonFormatter().format(record))
    assert {key: line[key] for key in ("level", "logger", "request_id", "message")} == {
        "level": "INFO",
        "logger": "meridian",
        "request_id": "req-42",
        "message": "hello world",
    }


@pytest.mark.pure
def test_log_lines_never_carry_a_personal_links_token():
    from config.logging import redact_secrets

    assert [
        redact_secrets("GET /api/registrations/AbC_d-12345678901234567890/ HTTP/1.1"),
        redact_secrets("Not Found: /calendars/AbC_d-1234567890.ics"),
        redact_secrets("POST /subscriptions/abc123/unsubscribe/"),
        redact_secrets("GET /api/events/midterm/registrations/?format=csv"),
        redact_secrets("GET /join/12-0123456789abcdef0123456789abcdef/ HTTP/1.1"),
        redact_secrets("POST /reminders/7:Xy-z_0AbC/off/"),
    ] == [
        "GET /api/registrations/[redacted]/ HTTP/1.1",
        "Not Found: /calendars/[redacted].ics",
        "POST /subscriptions/[redacted]/unsubscribe/",
        "GET /api/events/midterm/registrations/?format=csv",
        "GET /join/[redacted]/ HTTP/1.1",
        "POST /reminders/[redacted]/off/",
    ]


@pytest.mark.pure
def test_plain_log_lines_are_redacted_too():
    from config.logging import PlainFormatter

    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/join/3-abc/",), None
    )
    record.request_id = "r1"
    assert PlainFormatter("%(name)s [%(request_id)s] %(message)s").format(record) == (
        "django.request [r1] Not Found: /join/[redacted]/"
    )


@pytest.mark.pure
def test_gunicorn_access_log_is_json_without_tokens():
    from datetime import timedelta
    from types import SimpleNamespace

    from gunicorn.config import Config

    from config import gunicorn as gunicorn_settings
    from config.logging import RedactingGunicornLogger

    config = Config()
    config.set("access_log_format", gunicorn_settings.access_log_format)
    logger = RedactingGunicornLogger(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": '/api/registrations/secret-token-123456789/?x="y\\',
        "PATH_INFO": "/api/registrations/secret-token-123456789/",
        "QUERY_STRING": 'x="y"',
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[("X-Request-ID", "r-1")])
    atoms = logger.atoms_wrapper_class(
        logger.atoms(response, SimpleNamespace(headers=[]), environ, timedelta(seconds=0))
    )
    line = json.loads(gunicorn_settings.access_log_format % atoms)
    assert line == {
        "remote": "127.0.0.1",
        "request": 'GET /api/registrations/[redacted]/?x="y\\ HTTP/1.1',
        "status": 200,
        "bytes": 10,
        "ms": 0,
        "request_id": "r-1",
    }


@pytest.mark.pure
def test_migrations_match_the_models():
    result = _manage("makemigrations", "--check", "--dry-run", env={})
    assert (result.returncode, result.stdout.strip()) == (0, "No changes detected"), result.stdout
