"""Reads for the calendar feeds. A feed's state (count, latest change, ...) comes from one
aggregate query, so that a conditional request is answered without reading the sessions."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Count, Max, Min, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from calendars.ical.entries import ENTRY_FIELDS
from events.enums import EventStatus, SessionStatus
from events.models import Event, Region, Session
from registrations.enums import SeatStatus
from registrations.models import ACTIVE_SEAT_STATUSES, Participant

FEED_EVENT_STATUSES = (EventStatus.PUBLISHED, EventStatus.CANCELLED)


def listed_in_feeds(*, now, grace) -> Q:
    """Sessions a feed lists at ``now``: scheduled ones, and cancelled ones during ``grace``
    after their cancellation (after their end when the cancellation instant is unknown).
    Mirrors :func:`calendars.ical.is_listed`."""
    cutoff = now - grace
    return (
        Q(status=SessionStatus.SCHEDULED)
        | Q(status=SessionStatus.CANCELLED, cancelled_at__gt=cutoff)
        | Q(status=SessionStatus.CANCELLED, cancelled_at__isnull=True, ends_at__gt=cutoff)
    )


def feed_event(*, slug: str) -> dict | None:
    """A published or cancelled event's feed values (drafts have no public feed)."""
    return (
        Event.objects.filter(slug=slug, status__in=FEED_EVENT_STATUSES)
        .values("id", "slug", "title", "description", "updated_at", "status")
        .first()
    )


def feed_region(*, code: str) -> Region | None:
    """The region, annotated with ``events_changed_at``: the latest change to any event
    (publishing one adds its sessions to the region's feed)."""
    latest_event = Event.objects.order_by("-updated_at").values("updated_at")[:1]
    return (
        Region.objects.filter(code=code).annotate(events_changed_at=Subquery(latest_event)).first()
    )


def feed_session(*, session_id: int) -> Session | None:
    return (
        Session.objects.filter(pk=session_id, event__status__in=FEED_EVENT_STATUSES)
        .select_related("event")
        .first()
    )


def event_feed_sessions(*, event: Event | int) -> QuerySet[Session]:
    """Every session of the event, listed or not (filter with :func:`listed_in_feeds`)."""
    return Session.objects.filter(event=event)


def region_feed_sessions(*, region: Region) -> QuerySet[Session]:
    """Every session aimed at the region in a published or cancelled event."""
    return Session.objects.filter(regions=region, event__status__in=FEED_EVENT_STATUSES)


def feed_state(sessions: QuerySet[Session], *, now, grace, extra: dict | None = None) -> dict:
    """One query: what a feed's ETag and Last-Modified are made of.

    ``count``, ``ids`` and ``sequences`` of the listed sessions, their latest ``updated_at``,
    the latest ``updated_at`` of their events, ``left_at``, the latest instant a cancelled
    session left the feed (its grace ended), and ``next_leave_at``, the next instant one
    will; both None when there is none. ``extra``: more aggregates (name → expression) the
    caller's feed depends on, computed in the same query.
    """
    listed = listed_in_feeds(now=now, grace=grace)
    state = sessions.aggregate(
        **(extra or {}),
        count=Count("pk", filter=listed),
        ids=Sum("pk", filter=listed),
        sequences=Sum("sequence", filter=listed),
        latest=Max("updated_at", filter=listed),
        latest_event=Max("event__updated_at"),
        left=Max(
            Coalesce("cancelled_at", "ends_at"),
            filter=Q(status=SessionStatus.CANCELLED) & ~listed,
        ),
        leaves=Min(
            Coalesce("cancelled_at", "ends_at"),
            filter=Q(status=SessionStatus.CANCELLED) & listed,
        ),
    )
    state["left_at"] = state.pop("left") + grace if state["left"] else None
    state["next_leave_at"] = state.pop("leaves") + grace if state["leaves"] else None
    return state


def feed_render_keys(sessions: QuerySet[Session], *, now, grace) -> QuerySet:
    """The listed sessions in feed order, as ``(id, updated_at, sequence, event updated_at)``:
    what decides whether a VEVENT rendered earlier can be reused."""
    return (
        sessions.filter(listed_in_feeds(now=now, grace=grace))
        .order_by("starts_at", "id")
        .values_list("id", "updated_at", "sequence", "event__updated_at")
    )


def feed_entries_values(session_ids) -> QuerySet:
    """Sessions as plain rows for :func:`calendars.ical.entry_from_values`, with the fields of
    :func:`feed_render_keys` (``id``, ``event__updated_at``) beside them."""
    return Session.objects.filter(pk__in=list(session_ids)).values(
        "id", "event__updated_at", *ENTRY_FIELDS
    )


def personal_feed_state(participant: Participant, *, now: datetime, grace: timedelta) -> dict:
    """One query: what the participant's calendar feed depends on beyond the participant
    row itself. :func:`feed_state` over their sessions (listed at ``now``
    with the cancelled ones' ``grace``), plus ``latest_place`` (their places' last change:
    a session added, dropped and taken again, a promotion) and ``waitlisted`` (which of
    them they only wait for)."""
    return feed_state(
        Session.objects.filter(
            registrations__participant=participant,
            registrations__status__in=ACTIVE_SEAT_STATUSES,
        ),
        now=now,
        grace=grace,
        extra={
            "latest_place": Max("registrations__updated_at"),
            "waitlisted": Sum("pk", filter=Q(registrations__status=SeatStatus.WAITLISTED)),
        },
    )
