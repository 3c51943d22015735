"""What the notifications work learns about registrations: one function per moment.

The services call these inside the transaction that made the change, so whatever they
record commits or rolls back with it. Until notifications fills them in they record nothing.
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


def sessions_added(
    *, registration: Registration, session_registrations: list[SessionRegistration]
) -> None:
    """A participant added sessions to their registration through their manage link."""


def session_dropped(*, session_registration: SessionRegistration) -> None:
    """A participant gave up their place (seat or waitlist) in one session."""


def seat_confirmed_from_waitlist(*, session_registration: SessionRegistration) -> None:
    """A waitlisted participant got a seat because one was released."""


def registration_cancelled(
    *, registration: Registration, session_registrations: list[SessionRegistration]
) -> None:
    """A participant cancelled their registration for an event; these places were released."""


def participant_erased(*, participant: Participant) -> None:
    """A participant's personal data was erased (the row is anonymised, seats released)."""
