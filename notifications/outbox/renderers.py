"""Kind → renderer. A renderer builds one email from current data at send time, or says
"skip" when the row is no longer true (the subscription ended, the session moved, …).

The kinds register here when their apps are ready (:mod:`notifications.participants.renderers`,
:mod:`notifications.digests.renderers`); :func:`prepare` runs the registered preparers, which
load what a batch's rows share in a few queries.
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

from core import display
from notifications.models import OutboxMessage
from notifications.outbox import delivery


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


Preparer = Callable[[list[OutboxMessage], dict], None]
PREPARERS: list[Preparer] = []


def register_preparer(preparer: Preparer) -> Preparer:
    """Add a function that loads what the rows of a claimed batch share (once)."""
    if preparer not in PREPARERS:
        PREPARERS.append(preparer)
    return preparer


def prepare(messages: list[OutboxMessage], cache: dict[str, Any]) -> None:
    """Load what the rows of one claimed batch share, before any of them is rendered."""
    for preparer in PREPARERS:
        preparer(messages, cache)


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
            "register_url": f"{settings.SITE_URL}/events/{session.event.slug}/register/",
            "calendar_url": f"{settings.SITE_URL}/sessions/{session.pk}.ics",
            "times": display.session_times(
                session.starts_at,
                session.ends_at,
                session_zone=session.timezone,
                viewer_zone=zone,
                language=language,
            ),
            "start": display.format_datetime(session.starts_at, zone, language),
            "recording_url": session.recording_url,
            "cancelled": session.is_cancelled,
        }
    return cache[key]


def one_click_headers(url: str) -> dict[str, str]:
    """RFC 8058 one-click unsubscribe (a POST to ``url``) and the RFC 2369 link."""
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
