"""Pure delivery rules: Message-IDs, retry backoff, SMTP failure classes, safe headers.

No database and no settings: callers pass what they need, so these are tested alone.
"""

from __future__ import annotations

import hashlib
import re
import smtplib
import socket
from dataclasses import dataclass
from datetime import timedelta

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")
_SPACES = re.compile(r"\s{2,}")


def message_id_for(dedupe_key: str, domain: str) -> str:
    """The Message-ID of a row: the same key always gives the same id (RFC 5322 §3.6.4).

    A message re-sent after a crash carries the same id, so receivers (and tests) can see
    that it is the same message.
    """
    digest = hashlib.sha256(dedupe_key.encode("utf-8")).hexdigest()[:40]
    return f"<{digest}@{domain or 'localhost'}>"


def header_safe(text: str, *, limit: int = 200) -> str:
    """One line of text fit for a header: control characters (CR, LF, …) become spaces."""
    cleaned = _SPACES.sub(" ", _CONTROL.sub(" ", str(text))).strip()
    if len(cleaned) > limit:
        cleaned = cleaned[: limit - 1].rstrip() + "…"
    return cleaned


def retry_delay(attempts: int, *, base_seconds: float, cap_seconds: float) -> timedelta:
    """How long to wait after the ``attempts``-th failed try: base · 2^(attempts−1), capped."""
    exponent = max(attempts - 1, 0)
    seconds = min(base_seconds * (2 ** min(exponent, 30)), cap_seconds)
    return timedelta(seconds=seconds)


@dataclass(frozen=True)
class Failure:
    """A classified send failure. ``connection_lost`` means the SMTP session is unusable."""

    transient: bool
    code: int | None
    error: str
    connection_lost: bool


def classify_smtp_error(error: BaseException) -> Failure:
    """Transient (retry later) or permanent (this row fails), with the SMTP code if any.

    4xx replies, refused/dropped connections and timeouts are transient; 5xx replies are
    permanent. Anything else (a bug, a bad header) is treated as permanent for the row so
    that one poison message cannot block the queue.
    """
    text = f"{type(error).__name__}: {error}"[:1000]
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        code = codes[0] if codes else None
        return Failure(
            transient=code is not None and 400 <= code < 500,
            code=code,
            error=text,
            connection_lost=False,
        )
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return Failure(transient=True, code=None, error=text, connection_lost=True)
    if isinstance(error, smtplib.SMTPResponseException):
        code = error.smtp_code
        transient = 400 <= code < 500 or code == -1
        # 421 means the server is closing the session; other replies leave it usable.
        return Failure(
            transient=transient, code=code, error=text, connection_lost=code in (421, -1)
        )
    if isinstance(error, (ConnectionError, socket.timeout, TimeoutError, OSError)):
        return Failure(transient=True, code=None, error=text, connection_lost=True)
    if isinstance(error, smtplib.SMTPException):
        return Failure(transient=True, code=None, error=text, connection_lost=True)
    return Failure(transient=False, code=None, error=text, connection_lost=False)
