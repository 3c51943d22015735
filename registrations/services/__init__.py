"""Writes for participants, registrations and seats, split by concern.

Functions are keyword-only and atomic and raise :class:`RegistrationsError` with a message a
person can act on. ``registrations.services`` stays the one import for callers:

- :mod:`.registering`: public registration (idempotent per email);
- :mod:`.seats`: seat locking, waitlist positions and promotion;
- :mod:`.self_service`: what the manage link does (sessions, cancellation, preferences, token);
- :mod:`.privacy`: data export and erasure;
- :mod:`.checks` and :mod:`.links`: the rules checked first, and the token's digest and links.
"""

from registrations.services.checks import (
    MAX_SESSIONS_PER_CALL,
    SUPPORTED_LANGUAGES,
    registration_refusal,
)
from registrations.services.links import calendar_url, hash_token, manage_url
from registrations.services.privacy import erase_participant, export_participant_data
from registrations.services.registering import RegistrationResult, register_participant
from registrations.services.seats import fill_free_seats
from registrations.services.self_service import (
    add_sessions,
    cancel_registration,
    change_registration,
    drop_session,
    rotate_token,
    update_participant_preferences,
)

__all__ = [
    "MAX_SESSIONS_PER_CALL",
    "SUPPORTED_LANGUAGES",
    "RegistrationResult",
    "add_sessions",
    "calendar_url",
    "cancel_registration",
    "change_registration",
    "drop_session",
    "erase_participant",
    "export_participant_data",
    "fill_free_seats",
    "hash_token",
    "manage_url",
    "register_participant",
    "registration_refusal",
    "rotate_token",
    "update_participant_preferences",
]
