"""The digest kinds: the subscription's confirmation and the region's weekly digest."""

from __future__ import annotations

from django.conf import settings

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


@register(MessageKind.REGION_DIGEST)
def render_region_digest(message: OutboxMessage, cache: dict) -> Rendered | Skip:
    subscription = message.subscription
    if subscription is None or subscription.state != SubscriptionState.CONFIRMED:
        return Skip("the subscription is not confirmed any more")
    region = subscription.region
    start, end = digest_window(message.due_at)
    cache_key = f"digest:{region.code}:{start.isoformat()}"
    if cache_key not in cache:
        cache[cache_key] = selectors.sessions_for_region_digest(
            region=region, start=start, end=end, hours=settings.COMFORTABLE_HOURS
        )
    sessions = cache[cache_key]
    if not sessions:
        return Skip("no upcoming sessions for the region this week")
    items = [
        session_context(session, zone=message.timezone, language=message.language, cache=cache)
        for session in sessions
    ]
    url = unsubscribe_url(subscription.unsubscribe_token)
    subject, text, html = render_parts(
        "region_digest",
        {
            "region": region.display_name,
            "items": items,
            "timezone": display.zone_label(
                message.timezone, message.language, [session.starts_at for session in sessions]
            ),
            "unsubscribe_url": url,
        },
        language=message.language,
    )
    return Rendered(subject=subject, text=text, html=html, headers=one_click_headers(url))
