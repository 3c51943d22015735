"""Reads for the public pages, built on the events selectors (same visibility rules)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Q, QuerySet

from events import selectors as event_selectors
from events.enums import EventStatus
from events.models import Event, Region, Session
from registrations import selectors as registration_selectors

RECENT_EVENTS = 6


def upcoming_events(*, user, today: date) -> QuerySet[Event]:
    """Published events that have not ended yet, soonest first."""
    return (
        event_selectors.events_visible_to(user)
        .filter(status=EventStatus.PUBLISHED, end_date__gte=today)
        .order_by("start_date", "slug")
    )


def recent_events(*, user, today: date, limit: int = RECENT_EVENTS) -> list[Event]:
    """The published events that ended most recently."""
    return list(
        event_selectors.events_visible_to(user)
        .filter(status=EventStatus.PUBLISHED, end_date__lt=today)
        .order_by("-end_date", "slug")[:limit]
    )


def regions() -> list[Region]:
    return list(Region.objects.order_by("position", "code"))


def event_for_page(*, user, slug: str) -> Event | None:
    """The event when this viewer may see it (drafts only for their organisers)."""
    return event_selectors.events_visible_to(user).filter(slug=slug).first()


def sessions_for_page(*, event: Event) -> list[Session]:
    return list(event_selectors.sessions_of(event))


def session_for_page(*, user, session_id: int) -> Session | None:
    return event_selectors.sessions_visible_to(user).filter(pk=session_id).first()


def editions_of(*, session: Session) -> list[Session]:
    """Every edition of the session's group (itself included), in start order."""
    root = session.edition_root_id
    return list(
        Session.objects.filter(Q(pk=root) | Q(edition_of_id=root))
        .select_related("event")
        .order_by("starts_at", "id")
    )


def seats_taken(*, sessions: Iterable[Session]) -> dict[int, int]:
    """Confirmed seats per session, from the registrations' own count (one query)."""
    counts = registration_selectors.session_seat_counts(list(sessions))
    return {session_id: count.confirmed for session_id, count in counts.items()}
