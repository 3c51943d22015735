"""Reads for notifications, with the joins each caller needs."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Min

from core.tokens import digests_match, lookup_digest
from events.enums import EventStatus, SessionStatus
from events.models import Region, Session
from notifications.digests import windows as digests
from notifications.enums import OutboxState
from notifications.models import OutboxMessage, Subscription


def region_by_code(code: str) -> Region | None:
    return Region.objects.filter(code=code).first()


def _subscription_by_digest(field: str, token: str) -> Subscription | None:
    """The subscription whose ``field`` digest is the presented token's: looked up by the
    digest (indexed) and compared in constant time, never by the secret itself."""
    digest = lookup_digest(token)
    if digest is None:
        return None
    subscription = Subscription.objects.select_related("region").filter(**{field: digest}).first()
    if subscription is None or not digests_match(getattr(subscription, field), digest):
        return None
    return subscription


def subscription_by_confirm_token(token: str) -> Subscription | None:
    return _subscription_by_digest("confirm_token_hash", token)


def subscription_by_unsubscribe_token(token: str) -> Subscription | None:
    return _subscription_by_digest("unsubscribe_token_hash", token)


def sessions_for_region_digest(
    *, region: Region, start: datetime, end: datetime, hours: tuple[int, int]
) -> list[Session]:
    """Scheduled sessions of published events starting in [start, end) that suit the region
    (aimed at it, or comfortable in all its representative zones)."""
    candidates = (
        Session.objects.filter(
            status=SessionStatus.SCHEDULED,
            event__status=EventStatus.PUBLISHED,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .select_related("event")
        .prefetch_related("regions")
        .order_by("starts_at", "id")
    )
    return [
        session
        for session in candidates
        if digests.session_suits_region(
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            session_regions=[item.code for item in session.regions.all()],
            region_code=region.code,
            region_zones=region.zones,
            hours=hours,
        )
    ]


def outbox_counts() -> list[dict]:
    """Rows per state and kind: ``[{"state", "kind", "count"}]`` sorted by state, kind."""
    return list(
        OutboxMessage.objects.values("state", "kind")
        .annotate(count=Count("id"))
        .order_by("state", "kind")
    )


def oldest_due(now: datetime) -> OutboxMessage | None:
    """The pending row that has waited longest past its due time (None if none is due)."""
    return (
        OutboxMessage.objects.filter(state=OutboxState.PENDING, next_attempt_at__lte=now)
        .order_by("due_at", "id")
        .first()
    )


def oldest_due_at(now: datetime) -> datetime | None:
    return OutboxMessage.objects.filter(
        state=OutboxState.PENDING, next_attempt_at__lte=now
    ).aggregate(oldest=Min("due_at"))["oldest"]
