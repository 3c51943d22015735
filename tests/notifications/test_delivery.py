import smtplib
from datetime import timedelta

import pytest

from notifications.outbox import delivery

pytestmark = pytest.mark.pure


def test_message_id_for_is_deterministic_per_key():
    first = delivery.message_id_for("region-digest:7:2026-W14", "meridian.example")
    again = delivery.message_id_for("region-digest:7:2026-W14", "meridian.example")
    other = delivery.message_id_for("region-digest:7:2026-W15", "meridian.example")
    assert (first == again, first == other) == (True, False)
    assert first.startswith("<") and first.endswith("@meridian.example>")


def test_header_safe_when_text_carries_crlf_keeps_one_line():
    assert delivery.header_safe("Hello\r\nBcc: victim@example.org\n\tthere") == (
        "Hello Bcc: victim@example.org there"
    )


def test_header_safe_when_too_long_cuts_with_ellipsis():
    assert delivery.header_safe("a" * 10, limit=5) == "aaaa…"


def test_retry_delay_doubles_up_to_the_cap():
    delays = [
        delivery.retry_delay(attempt, base_seconds=30, cap_seconds=300) for attempt in range(1, 7)
    ]
    assert delays == [timedelta(seconds=s) for s in (30, 60, 120, 240, 300, 300)]


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            smtplib.SMTPDataError(421, b"closing"),
            (True, 421, True),
        ),
        (smtplib.SMTPDataError(451, b"try later"), (True, 451, False)),
        (smtplib.SMTPDataError(554, b"rejected"), (False, 554, False)),
        (
            smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"no such user")}),
            (False, 550, False),
        ),
        (
            smtplib.SMTPRecipientsRefused({"a@example.org": (452, b"mailbox full")}),
            (True, 452, False),
        ),
        (smtplib.SMTPServerDisconnected("gone"), (True, None, True)),
        (ConnectionRefusedError(111, "refused"), (True, None, True)),
        (TimeoutError("timed out"), (True, None, True)),
        (ValueError("bug"), (False, None, False)),
    ],
)
def test_classify_smtp_error_sorts_transient_from_permanent(error, expected):
    failure = delivery.classify_smtp_error(error)
    assert (failure.transient, failure.code, failure.connection_lost) == expected
