"""Dispatch against a real SMTP server on loopback (aiosmtpd)."""

from datetime import datetime

import pytest
from django.utils import timezone

from events import services as event_services
from notifications.digests import services
from notifications.enums import MessageKind
from notifications.models import OutboxMessage, Subscription
from notifications.outbox import dispatch, queue, renderers
from notifications.outbox.dispatch import DispatchResult


def rows():
    return list(
        OutboxMessage.objects.order_by("id").values_list(
            "recipient", "state", "attempts", "smtp_code"
        )
    )


def confirmation(email):
    return queue.enqueue(
        kind=MessageKind.SUBSCRIPTION_CONFIRM,
        recipient=email,
        dedupe_key=f"confirm:{email}",
        subscription=Subscription.objects.create(
            email=email,
            region_id=1,
            timezone="Europe/Paris",
            **services.new_link_tokens(),
        ),
        language="fr",
    )


@pytest.mark.django_db
def test_drain_sends_a_confirmation_in_the_recipients_language(smtp_sink, site):
    services.subscribe(
        region_code="europe", email="ana@example.org", language="fr", timezone_name="Europe/Paris"
    )
    row = OutboxMessage.objects.get()
    result = dispatch.drain()
    assert result == DispatchResult(claimed=1, sent=1, batches=2)
    [message] = smtp_sink.messages
    token = Subscription.objects.get().confirm_token
    assert (message["Message-ID"], message["To"], message["Auto-Submitted"]) == (
        row.message_id,
        "ana@example.org",
        "auto-generated",
    )
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert f"https://meridian.example/subscriptions/{token}/confirm/" in text
    assert f'href="https://meridian.example/subscriptions/{token}/confirm/"' in html
    assert '<html lang="fr" dir="ltr">' in html
    assert rows() == [("ana@example.org", "sent", 1, 250)]


@pytest.mark.django_db
def test_drain_sends_the_digest_with_times_in_both_zones_and_one_click_unsubscribe(
    smtp_sink, site, event, confirmed_subscription
):
    session = event_services.create_session(
        event=event,
        title="Opening plenary",
        local_start=datetime(2026, 4, 28, 14, 0),
        duration_minutes=90,
        regions=["europe"],
    )
    event_services.create_session(
        event=event,
        title="Night owls",
        local_start=datetime(2026, 4, 29, 2, 0),
        duration_minutes=60,
    )
    result = dispatch.drain()
    # The confirmation is no longer true (already confirmed): skipped, not sent.
    assert (result.sent, result.skipped) == (1, 1)
    [message] = smtp_sink.messages
    token = confirmed_subscription.unsubscribe_token
    assert (
        message["Subject"],
        message["List-Unsubscribe"].strip(),
        message["List-Unsubscribe-Post"],
    ) == (
        "Europe: 1 session this week",
        f"<https://meridian.example/subscriptions/{token}/unsubscribe/>",
        "List-Unsubscribe=One-Click",
    )
    text = message.get_body(("plain",)).get_content()
    assert text.splitlines()[:7] == [
        "Sessions for Europe this week. Times are in London (British Summer Time).",
        "",
        "* Opening plenary (Midterm meeting)",
        "  Tuesday, 28 April 2026, 13:00–14:30 (London, UTC+01:00)",
        "  Session's own time: Tuesday, 28 April 2026, 14:00–15:30 (Amsterdam, UTC+02:00)",
        "  Register: https://meridian.example/events/midterm/register/",
        f"  Add to your calendar: https://meridian.example/sessions/{session.pk}.ics",
    ]


@pytest.mark.django_db
def test_drain_skips_a_digest_once_the_subscriber_left(smtp_sink, site, confirmed_subscription):
    services.unsubscribe(token=confirmed_subscription.unsubscribe_token)
    OutboxMessage.objects.filter(kind="region_digest").update(state="pending")
    result = dispatch.drain()
    assert (result.sent, result.skipped, smtp_sink.messages) == (0, 1, [])


@pytest.mark.django_db
def test_drain_when_the_server_answers_421_retries_later_and_loses_nothing(
    smtp_sink, site, settings
):
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 600
    for email in ("a@example.org", "b@example.org", "c@example.org"):
        confirmation(email)
    smtp_sink.handler.fail_with = "421 4.3.2 Service not available, closing channel"
    before = timezone.now()
    first = dispatch.drain()
    assert (first.retried, first.released, first.sent) == (1, 2, 0)
    assert rows() == [
        ("a@example.org", "pending", 1, 421),
        ("b@example.org", "pending", 0, None),
        ("c@example.org", "pending", 0, None),
    ]
    assert all(
        (row.next_attempt_at - before).total_seconds() >= 600 for row in OutboxMessage.objects.all()
    )
    # Not due yet: nothing is claimed. Once due and the server is back, all go, once.
    assert dispatch.drain().claimed == 0
    smtp_sink.handler.fail_with = None
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    assert dispatch.drain().sent == 3
    assert sorted(smtp_sink.counts().values()) == [1, 1, 1]


@pytest.mark.django_db
def test_drain_when_a_recipient_is_refused_fails_that_row_only(smtp_sink, site):
    confirmation("reject@example.org")
    confirmation("ok@example.org")
    result = dispatch.drain()
    assert (result.failed, result.sent) == (1, 1)
    assert rows() == [("reject@example.org", "failed", 1, 550), ("ok@example.org", "sent", 1, 250)]


@pytest.mark.django_db
def test_drain_when_connections_are_refused_keeps_the_rows_for_later(smtp_sink, site, settings):
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 600
    confirmation("a@example.org")
    confirmation("b@example.org")
    smtp_sink.stop()
    refused = dispatch.drain()
    assert (refused.retried, refused.released) == (1, 1)
    smtp_sink.start()
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    assert dispatch.drain().sent == 2
    assert rows() == [("a@example.org", "sent", 2, 250), ("b@example.org", "sent", 1, 250)]


@pytest.mark.django_db
def test_drain_gives_up_after_the_last_attempt(smtp_sink, site, settings):
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 0
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    confirmation("a@example.org")
    smtp_sink.handler.fail_with = "451 4.3.0 Try again"
    dispatch.drain()
    assert rows() == [("a@example.org", "failed", 2, 451)]


def test_build_email_keeps_crlf_out_of_every_header(settings):
    message = OutboxMessage(recipient="a@example.org", message_id="<x@meridian.example>")
    rendered = renderers.Rendered(
        subject="Hi\r\nBcc: victim@example.org",
        text="body",
        html="<p>body</p>",
        headers={"List-Unsubscribe": "<https://x/>\r\nX-Evil: 1"},
    )
    email = dispatch.build_email(message, rendered).message()
    assert (email["Subject"], email["List-Unsubscribe"], email["Bcc"], email["X-Evil"]) == (
        "Hi Bcc: victim@example.org",
        "<https://x/> X-Evil: 1",
        None,
        None,
    )
