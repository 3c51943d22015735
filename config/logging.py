"""Structured log lines: one JSON object per line, with the request id. Secret tokens in
paths (personal links) never reach a log line."""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime

from gunicorn.glogging import Logger as GunicornLogger
from gunicorn.glogging import SafeAtoms

# A personal link's token: /registrations/<token>/, /calendars/<token>.ics,
# /subscriptions/<token>/…, /join/<token>/, /reminders/<token>/off/ (API and pages alike).
_SECRET_IN_PATH = re.compile(
    r"(/(?:registrations|calendars|subscriptions|join|reminders)/)[^/?#\s.\"]+"
)


def redact_secrets(text: str) -> str:
    """``text`` with the token of every personal link replaced by ``[redacted]``."""
    return _SECRET_IN_PATH.sub(r"\1[redacted]", text)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": redact_secrets(record.getMessage()),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


class PlainFormatter(logging.Formatter):
    """``LOG_FORMAT=plain``: one readable line, tokens redacted as in the JSON lines."""

    def format(self, record: logging.LogRecord) -> str:
        return redact_secrets(super().format(record))


class JsonSafeAtoms(SafeAtoms):
    """Gunicorn's atoms with every text JSON-escaped (quotes, backslashes, control characters):
    the access log format in ``config/gunicorn.py`` is a JSON object."""

    def __init__(self, atoms):
        dict.__init__(self)
        for key, value in atoms.items():
            self[key] = (
                json.dumps(value, ensure_ascii=False)[1:-1] if isinstance(value, str) else value
            )


class RedactingGunicornLogger(GunicornLogger):
    """Gunicorn's access log as JSON lines, without personal links' tokens."""

    atoms_wrapper_class = JsonSafeAtoms
    REDACTED_ATOMS = ("r", "U", "f")

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for name in self.REDACTED_ATOMS:
            if isinstance(atoms.get(name), str):
                atoms[name] = redact_secrets(atoms[name])
        return atoms
