"""The digest kinds: the subscription's confirmation and the region's weekly digest."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils import translation

from core import display
from notifications.digests import selectors
from notifications.digests.windows import digest_window
from notifications.enums import MessageKind, SubscriptionState
from notifications.models import OutboxMessage
from notifications.outbox.renderers import (
    Rendered,
    Skip,
    one_click_headers,
    register,
    render_parts,
    session_context,
)


def unsubscribe_url(token: str) -> str:
    return f"{settings.SITE_URL}/subscriptions/{token}/unsubscribe/"


@register(MessageKind.SUBSCRIPTION_CONFIRM)
def render_subscription_confirm(message: OutboxMessage, cache: dict) -> Rendered | Skip:
    subscription = message.subscription
    if subscription is None or subscription.state != SubscriptionState.PENDING:
        return Skip("the subscription is no longer waiting for confirmation")
    subject, text, html = render_parts(
        "subscription_confirm",
        {
            "region": subscription.region.display_name,
            "confirm_url": (
                f"{settings.SITE_URL}/subscriptions/{subscription.confirm_token}/confirm/"
            ),
            "timezone": display.zone_label(subscription.timezone, message.language),
        },
        language=message.language,
    )
    return Rendered(subject=subject, text=text, html=html)


def render_digest(
    region, *, language: str, zone: str, start: datetime, cache: dict, unsubscribe: str
) -> Rendered | None:
    """A region's digest for the week from ``start``, in ``language`` and ``zone``: every
    session aimed at the region or comfortable in it, with register and calendar links; None
    when the week has none. The weekly send and the organisers' preview both use it."""
    start, end = digest_window(start)
    cache_key = f"digest:{region.code}:{start.isoformat()}"
    if cache_key not in cache:
        cache[cache_key] = selectors.sessions_for_region_digest(
            region=region, start=start, end=end, hours=settings.COMFORTABLE_HOURS
        )
    sessions = cache[cache_key]
    if not sessions:
        return None
    with translation.override(language):
        items = [
            session_context(session, zone=zone, language=language, cache=cache)
            for session in sessions
        ]
        subject, text, html = render_parts(
            "region_digest",
            {
                "region": region.display_name,
                "items": items,
                "timezone": display.zone_label(
                    zone, language, [session.starts_at for session in sessions]
                ),
                "unsubscribe_url": unsubscribe,
            },
            language=language,
        )
    return Rendered(subject=subject, text=text, html=html, headers=one_click_headers(unsubscribe))


@register(MessageKind.REGION_DIGEST)
def render_region_digest(message: OutboxMessage, cache: dict) -> Rendered | Skip:
    subscription = message.subscription
    if subscription is None or subscription.state != SubscriptionState.CONFIRMED:
        return Skip("the subscription is not confirmed any more")
    rendered = render_digest(
        subscription.region,
        language=message.language,
        zone=message.timezone,
        start=message.due_at,
        cache=cache,
        unsubscribe=unsubscribe_url(subscription.unsubscribe_token),
    )
    if rendered is None:
        return Skip("no upcoming sessions for the region this week")
    return rendered
