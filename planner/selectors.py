"""Reads the planner needs: an event's sessions as plain values, and registrant weights.

``registrant_zone_weights(event)`` (``{region: {zone: registrants}}``, one query) is the
registrations app's selector, named here because every planner face reads it from here.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q

from events.enums import SessionStatus
from events.models import Event, Session
from planner.engine import coverage
from planner.engine.coverage import SessionTimes
from registrations.selectors import registrant_zone_weights


def session_times_of(event: Event) -> list[SessionTimes]:
    """The event's scheduled sessions with their target regions, in two queries."""
    rows = list(
        Session.objects.filter(event=event, status=SessionStatus.SCHEDULED)
        .order_by("starts_at", "id")
        .values_list("id", "title", "starts_at", "ends_at", "edition_of_id")
    )
    regions: dict[int, list[str]] = {}
    for session_id, code in Session.regions.through.objects.filter(
        session__event=event, session__status=SessionStatus.SCHEDULED
    ).values_list("session_id", "region__code"):
        regions.setdefault(session_id, []).append(code)
    return [
        SessionTimes(
            id=session_id,
            title=title,
            starts_at=starts_at,
            ends_at=ends_at,
            regions=tuple(sorted(regions.get(session_id, ()))),
            group=root_id,
        )
        for session_id, title, starts_at, ends_at, root_id in rows
    ]


def edition_group_of(session: Session) -> tuple[Session, list[Session]]:
    """The root of a session's editions and the scheduled sessions of the group, in start
    order, with their regions prefetched."""
    root_id = session.edition_of_id or session.pk
    members = list(
        Session.objects.filter(Q(pk=root_id) | Q(edition_of_id=root_id))
        .filter(status=SessionStatus.SCHEDULED)
        .select_related("event")
        .prefetch_related("regions")
        .order_by("starts_at", "id")
    )
    root = next((member for member in members if member.pk == root_id), None)
    if root is None:
        root = Session.objects.select_related("event").get(pk=root_id)
    return root, members


def coverage_of(event: Event, *, regions=None, hours=None):
    """The coverage report of an event, in a number of queries that does not grow with its
    sessions: the sessions, their regions and the registrants' zones."""
    return coverage.coverage_report(
        event_zone=event.timezone,
        first_day=event.start_date,
        last_day=event.end_date,
        sessions=session_times_of(event),
        regions=regions,
        hours=hours or settings.COMFORTABLE_HOURS,
        weights=registrant_zone_weights(event),
    )
