"""Reads for events and sessions, with the joins each caller needs (query counts stay flat)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from events.enums import EventStatus, SessionStatus
from events.models import Event, Region, Section, Session


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
