"""What other apps learn when a session changes. Called by ``events.services`` inside the
transaction that made the change, so whatever they record commits or rolls back with it.

The registrations and notifications apps hang their work here (explicit calls, not signals):
each hook is one function with one job, easy to follow from the service that calls it.
Imports are local: ``notifications`` reads the events models.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import Event, Session


def session_changed(*, session: Session, changed: list[str], previous: dict[str, Any]) -> None:
    """A scheduled session's time, zone, link, title or status changed (SEQUENCE rose)."""
    from notifications import planning

    planning.plan_change_notices(session=session, changed=changed, previous=previous)


def session_cancelled(*, session: Session) -> None:
    """A session was cancelled (SEQUENCE rose)."""
    from notifications import planning

    planning.plan_cancellation_notices(session=session)


def session_capacity_changed(*, session: Session, previous: int | None) -> None:
    """An organiser changed a scheduled session's capacity (``None``: no limit). Seats it
    added go to the first on the waitlist, in the same transaction."""
    from registrations.services import fill_free_seats

    fill_free_seats(session=session)


def session_recording_published(*, session: Session) -> None:
    """A session's recording link was set where there was none."""
    from notifications import planning

    planning.plan_recording_notices(session=session)


def event_reminder_offsets_changed(*, event: Event, previous: list[int]) -> None:
    """An organiser changed when the event's reminders go out (``reminder_offsets``, minutes
    before each session; ``previous`` were the offsets before)."""
    from notifications import planning

    planning.replan_event_reminders(event=event)
