"""What the notifications work learns about registrations: one function per moment.

The services call these inside the transaction that made the change, so whatever they
record commits or rolls back with it. Each one calls one function of
``notifications.planning`` (imported here, not at module level: notifications reads the
registrations models).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Participant, Registration, SessionRegistration


def participant_registered(
    *,
    registration: Registration,
    session_registrations: list[SessionRegistration],
    created: bool,
) -> None:
    """A public registration went through. ``created``: the participant is new (their links
    have not been sent yet). ``session_registrations`` are the places asked for in this call."""
    from notifications import planning

    planning.plan_registration_emails(
        registration=registration, places=session_registrations, fresh=created
    )


def sessions_added(
    *, registration: Registration, session_registrations: list[SessionRegistration]
) -> None:
    """A participant added sessions to their registration through their manage link."""
    from notifications import planning

    if session_registrations:
        planning.plan_registration_emails(registration=registration, places=session_registrations)


def session_dropped(*, session_registration: SessionRegistration) -> None:
    """A participant gave up their place (seat or waitlist) in one session."""
    from notifications import planning

    planning.drop_place_emails(places=[session_registration])


def seat_confirmed_from_waitlist(*, session_registration: SessionRegistration) -> None:
    """A waitlisted participant got a seat because one was released."""
    from notifications import planning

    planning.plan_waitlist_promotion(place=session_registration)


def registration_cancelled(
    *, registration: Registration, session_registrations: list[SessionRegistration]
) -> None:
    """A participant cancelled their registration for an event; these places were released."""
    from notifications import planning

    planning.drop_place_emails(places=session_registrations)


def participant_preferences_changed(*, participant: Participant) -> None:
    """A participant changed their preferences (zone, language, reminders, …) themselves.
    Their time zone decides when reminders are due (none at night), so those follow it."""
    from notifications import planning

    planning.follow_participant_preferences(participant=participant)


def participant_erased(*, participant: Participant) -> None:
    """A participant's personal data was erased (the row is anonymised, seats released)."""
    from notifications import planning

    planning.forget_participant_emails(participant=participant)
