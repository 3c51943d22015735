"""Kind → renderer. A renderer builds one email from current data at send time, or says
"skip" when the row is no longer true (the subscription ended, the session moved, …).

The participant kinds live in :mod:`notifications.participant_renderers` (registered when
this module is imported); :func:`prepare` loads what a batch's rows share in a few queries.
A renderer receives the claimed row (with ``subscription``, ``session``, ``event`` joined)
and a per-batch ``cache`` dict for data shared by rows of one batch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from events import display

from . import delivery, selectors
from .digests import digest_window
from .enums import MessageKind, SubscriptionState
from .models import OutboxMessage


@dataclass
class Rendered:
    subject: str
    text: str
    html: str
    headers: dict[str, str] = field(default_factory=dict)
    # (filename, content, mimetype) files, and extra alternatives (content, mimetype), e.g.
    # an iMIP ``text/calendar; method=REQUEST`` part.
    attachments: list[tuple[str, str | bytes, str]] = field(default_factory=list)
    alternatives: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Skip:
    reason: str


Renderer = Callable[[OutboxMessage, dict], Rendered | Skip]
REGISTRY: dict[str, Renderer] = {}


def register(kind: str) -> Callable[[Renderer], Renderer]:
    def decorate(renderer: Renderer) -> Renderer:
        REGISTRY[kind] = renderer
        return renderer

    return decorate


def prepare(messages: list[OutboxMessage], cache: dict[str, Any]) -> None:
    """Load what the rows of one claimed batch share, before any of them is rendered."""
    from .participant_renderers import prepare_participant_rows

    prepare_participant_rows(messages, cache)


def render(message: OutboxMessage, cache: dict[str, Any]) -> Rendered | Skip:
    """Build the email for a row in the recipient's language (KeyError: no renderer)."""
    renderer = REGISTRY[message.kind]
    with translation.override(message.language):
        return renderer(message, cache)


def render_parts(template: str, context: dict[str, Any], *, language: str) -> tuple[str, ...]:
    """Subject (one safe line), text and HTML of ``notifications/email/<template>``."""
    context = {
        **context,
        "language": language,
        "rtl": translation.get_language_bidi(),
        "site_url": settings.SITE_URL,
    }
    subject = render_to_string(f"notifications/email/{template}_subject.txt", context)
    text = render_to_string(f"notifications/email/{template}.txt", context)
    html = render_to_string(f"notifications/email/{template}.html", context)
    return delivery.header_safe(subject), text, html


def session_context(session, *, zone: str, language: str, cache: dict[str, Any]) -> dict:
    """What the templates show of a session, in ``zone`` and ``language`` (cached per batch:
    rows of one batch share a few sessions, zones and languages)."""
    key = ("session", session.pk, session.sequence, session.updated_at, zone, language)
    if key not in cache:
        cache[key] = {
            "title": session.title,
            "event_title": session.event.title,
            "event_url": f"{settings.SITE_URL}/events/{session.event.slug}/",
            "times": display.session_times(
                session.starts_at,
                session.ends_at,
                session_zone=session.timezone,
                viewer_zone=zone,
                language=language,
            ),
            "start": display.format_datetime(session.starts_at, zone, language),
            "join_url": session.join_url,
            "recording_url": session.recording_url,
            "cancelled": session.is_cancelled,
        }
    return cache[key]


def unsubscribe_url(token: str) -> str:
    return f"{settings.SITE_URL}/subscriptions/{token}/unsubscribe/"


def one_click_headers(url: str) -> dict[str, str]:
    """RFC 8058 one-click unsubscribe (a POST to ``url``) and the RFC 2369 link."""
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


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
            "timezone": subscription.timezone,
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
            "timezone": message.timezone,
            "unsubscribe_url": url,
        },
        language=message.language,
    )
    return Rendered(subject=subject, text=text, html=html, headers=one_click_headers(url))


# The participant kinds register themselves here (they need the helpers above).
from . import participant_renderers  # noqa: E402, F401
