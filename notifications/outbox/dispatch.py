"""Claim due outbox rows in batches and send each batch over one SMTP connection.

One batch: claim (lease) → for each row render from current data (or skip) → send → record
the outcome at once, guarded by the lease, so a worker killed mid-batch doubles at most the
message in flight. A lost connection (421, refused, dropped, timeout) retries that row with
backoff and gives the rest of the batch back untried. Settings: ``NOTIFICATIONS_*``.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, fields

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.utils import timezone

from core.hooks import Hook
from notifications.models import OutboxMessage
from notifications.outbox import delivery, renderers
from notifications.outbox import rows as outbox
from notifications.outbox.ratelimit import send_bucket

#: Work every tick does before it drains (connected by the apps that need it; no arguments).
before_tick = Hook("outbox.before_tick")

logger = logging.getLogger(__name__)


@dataclass
class DispatchResult:
    claimed: int = 0
    sent: int = 0
    skipped: int = 0
    retried: int = 0
    failed: int = 0
    released: int = 0
    lost_leases: int = 0
    batches: int = 0
    more: bool = False  # stopped by the time budget with due rows possibly left

    def add(self, other: DispatchResult) -> None:
        for item in fields(self):
            if item.name != "more":
                setattr(self, item.name, getattr(self, item.name) + getattr(other, item.name))


def build_email(message: OutboxMessage, rendered: renderers.Rendered) -> EmailMultiAlternatives:
    """The Django email for a rendered row. Every header value is one safe line."""
    headers = {"Message-ID": message.message_id, "Auto-Submitted": "auto-generated"}
    headers.update(
        {
            delivery.header_safe(name): delivery.header_safe(value, limit=900)
            for name, value in rendered.headers.items()
        }
    )
    email = EmailMultiAlternatives(
        subject=delivery.header_safe(rendered.subject),
        body=rendered.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        headers=headers,
    )
    email.attach_alternative(rendered.html, "text/html")
    for content, mimetype in rendered.alternatives:
        email.attach_alternative(content, mimetype)
    for filename, content, mimetype in rendered.attachments:
        email.attach(filename, content, mimetype)
    return email


def _policy() -> dict:
    return {
        "max_attempts": settings.NOTIFICATIONS_MAX_ATTEMPTS,
        "retry_base_seconds": settings.NOTIFICATIONS_RETRY_BASE_SECONDS,
        "retry_cap_seconds": settings.NOTIFICATIONS_RETRY_CAP_SECONDS,
    }


def dispatch_batch(*, limit: int | None = None, connection=None) -> DispatchResult:
    """Claim one batch of due rows and send it over one connection. Returns the counts."""
    result = DispatchResult(batches=1)
    owner = outbox.new_lease_owner()
    messages = outbox.claim_batch(
        owner=owner,
        limit=limit or settings.NOTIFICATIONS_BATCH_SIZE,
        lease_seconds=settings.NOTIFICATIONS_LEASE_SECONDS,
    )
    result.claimed = len(messages)
    if not messages:
        return result
    policy = _policy()
    bucket = send_bucket()
    cache: dict = {}
    renderers.prepare(messages, cache)
    smtp = None
    try:
        for index, message in enumerate(messages):
            try:
                rendered = renderers.render(message, cache)
                if isinstance(rendered, renderers.Skip):
                    recorded = outbox.mark_skipped(
                        pk=message.pk, owner=owner, reason=rendered.reason
                    )
                    result.skipped += recorded
                    result.lost_leases += not recorded
                    continue
                email = build_email(message, rendered)
            except Exception as error:  # a row that cannot be built fails alone
                logger.exception("could not render outbox row %s", message.pk)
                failure = delivery.Failure(False, None, f"render: {error}"[:1000], False)
                outbox.mark_failure(message=message, owner=owner, failure=failure, **policy)
                result.failed += 1
                continue
            if bucket is not None:
                bucket.take()
            try:
                if smtp is None:
                    smtp = connection or get_connection(fail_silently=False)
                    smtp.open()
                smtp.send_messages([email])
            except Exception as error:
                failure = delivery.classify_smtp_error(error)
                state = outbox.mark_failure(message=message, owner=owner, failure=failure, **policy)
                logger.warning("outbox row %s: %s → %s", message.pk, failure.error, state)
                if state == "pending":
                    result.retried += 1
                elif state:
                    result.failed += 1
                else:
                    result.lost_leases += 1
                if failure.connection_lost:
                    rest = [item.pk for item in messages[index + 1 :]]
                    wait = delivery.retry_delay(
                        1,
                        base_seconds=policy["retry_base_seconds"],
                        cap_seconds=policy["retry_cap_seconds"],
                    )
                    result.released += outbox.release_unattempted(
                        pks=rest, owner=owner, next_attempt_at=timezone.now() + wait
                    )
                    break
                continue
            if outbox.mark_sent(pk=message.pk, owner=owner):
                result.sent += 1
            else:
                result.lost_leases += 1
                logger.error("outbox row %s was sent after its lease was lost", message.pk)
    finally:
        if smtp is not None and connection is None:
            try:
                smtp.close()
            except Exception:
                logger.warning("closing the SMTP connection failed", exc_info=True)
    return result


def drain(*, budget_seconds: float | None = None, limit: int | None = None) -> DispatchResult:
    """Recover expired leases, then send batches until none is due or the budget is used."""
    budget = settings.NOTIFICATIONS_DRAIN_SECONDS if budget_seconds is None else budget_seconds
    deadline = time.monotonic() + budget
    total = DispatchResult()
    outbox.recover_expired_leases(max_attempts=settings.NOTIFICATIONS_MAX_ATTEMPTS)
    with outbox.relaxed_commits():
        while True:
            result = dispatch_batch(limit=limit)
            total.add(result)
            if result.claimed == 0:
                return total
            if time.monotonic() >= deadline:
                total.more = True
                return total


def tick(*, budget_seconds: float | None = None) -> DispatchResult:
    """The periodic work: the registered jobs (the digests plan those that became due),
    then drain."""
    before_tick()
    return drain(budget_seconds=budget_seconds)


def embedded_tick() -> None:
    """The embedded default's loop step (``EMBEDDED_TICKS``): a short tick."""
    result = tick(budget_seconds=min(settings.NOTIFICATIONS_DRAIN_SECONDS, 5.0))
    if result.claimed:
        logger.info("outbox: %s", result)
