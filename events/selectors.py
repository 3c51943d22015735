"""Reads for events and sessions, with the joins each caller needs (query counts stay flat)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Max, Min, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from .enums import EventStatus, SessionStatus
from .models import Event, Region, Section, Session


def regions() -> QuerySet[Region]:
    return Region.objects.all()


def sections_managed_by(user) -> QuerySet[Section]:
    if not user or not user.is_authenticated:
        return Section.objects.none()
    if user.is_superuser:
        return Section.objects.all()
    return Section.objects.filter(organisers=user)


def events_visible_to(user) -> QuerySet[Event]:
    """Published and cancelled events for everyone; drafts too for their section's organisers."""
    visible = Q(status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED])
    if user and user.is_authenticated:
        if user.is_superuser:
            visible = Q()
        else:
            visible |= Q(section__organisers=user)
    return Event.objects.filter(visible).select_related("section").distinct()


def filter_events(
    events: QuerySet[Event],
    *,
    upcoming: bool | None = None,
    region: str | None = None,
    language: str | None = None,
    format: str | None = None,
    section: str | None = None,
    status: str | None = None,
    today: date | None = None,
) -> QuerySet[Event]:
    today = today or timezone.now().date()
    if upcoming is True:
        events = events.filter(end_date__gte=today)
    elif upcoming is False:
        events = events.filter(end_date__lt=today)
    if region:
        events = events.filter(sessions__regions__code=region).distinct()
    if language:
        events = (
            events.filter(languages__contains=[language])
            if _json_contains()
            else (events.filter(languages__icontains=f'"{language}"'))
        )
    if format:
        events = events.filter(format=format)
    if section:
        events = events.filter(section__slug=section)
    if status:
        events = events.filter(status=status)
    return events


def _json_contains() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def sessions_of(event: Event) -> QuerySet[Session]:
    return (
        Session.objects.filter(event=event)
        .select_related("event")
        .prefetch_related("regions")
        .order_by("starts_at", "id")
    )


def sessions_visible_to(user) -> QuerySet[Session]:
    events = events_visible_to(user)
    return (
        Session.objects.filter(event__in=events.values("pk"))
        .select_related("event", "event__section")
        .prefetch_related("regions")
    )


def filter_sessions(
    sessions: QuerySet[Session],
    *,
    upcoming: bool | None = None,
    region: str | None = None,
    language: str | None = None,
    format: str | None = None,
    status: str | None = None,
) -> QuerySet[Session]:
    now = timezone.now()
    if upcoming is True:
        sessions = sessions.filter(ends_at__gte=now)
    elif upcoming is False:
        sessions = sessions.filter(ends_at__lt=now)
    if region:
        sessions = sessions.filter(regions__code=region).distinct()
    if language:
        sessions = sessions.filter(language=language)
    if format:
        sessions = sessions.filter(format=format)
    if status:
        sessions = sessions.filter(status=status)
    return sessions


def scheduled_only(sessions: QuerySet[Session]) -> QuerySet[Session]:
    return sessions.filter(status=SessionStatus.SCHEDULED)


# Calendar feeds. A feed's state (count, latest change, ...) comes from one aggregate query so
# that a conditional request is answered without reading the sessions themselves.

FEED_EVENT_STATUSES = (EventStatus.PUBLISHED, EventStatus.CANCELLED)


def listed_in_feeds(*, now, grace) -> Q:
    """Sessions a feed lists at ``now``: scheduled ones, and cancelled ones during ``grace``
    after their cancellation (after their end when the cancellation instant is unknown).
    Mirrors :func:`events.ical.is_listed`."""
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
    """Sessions as plain rows for :func:`events.ical.entry_from_values`, with the fields of
    :func:`feed_render_keys` (``id``, ``event__updated_at``) beside them."""
    from .ical.entries import ENTRY_FIELDS

    return Session.objects.filter(pk__in=list(session_ids)).values(
        "id", "event__updated_at", *ENTRY_FIELDS
    )
