"""A participant's secret token: its indexed digest and the links that carry it."""

from __future__ import annotations

from django.conf import settings
from django.utils.crypto import salted_hmac

from core.tokens import hash_token
from registrations.enums import SeatStatus

__all__ = [
    "calendar_url",
    "hash_token",
    "join_token",
    "manage_url",
    "personal_join_url",
    "seat_join_url",
]

JOIN_SALT = "meridian.registrations.join"


def manage_url(token: str) -> str:
    return f"{settings.SITE_URL}/registrations/{token}/"


def calendar_url(token: str) -> str:
    return f"{settings.SITE_URL}/calendars/{token}.ics"


def join_token(seat_id: int, participant_token: str) -> str:
    """The secret of a seat's personal join link: the seat's id and a MAC of it keyed by the
    participant's own secret token. Nothing is stored: rotating or erasing the participant's
    token changes every one of their join links, and no id can be guessed into a link."""
    mac = salted_hmac(JOIN_SALT, f"{seat_id}:{participant_token}", algorithm="sha256")
    return f"{seat_id}-{mac.hexdigest()[:32]}"


def personal_join_url(seat_id: int, participant_token: str) -> str:
    return f"{settings.SITE_URL}/join/{join_token(seat_id, participant_token)}/"


def seat_join_url(seat, participant_token: str) -> str | None:
    """The seat's personal join link while it is confirmed and its session not cancelled
    (a waitlisted, released or cancelled seat has none); None otherwise."""
    if seat.status != SeatStatus.CONFIRMED or seat.session.is_cancelled:
        return None
    return personal_join_url(seat.pk, participant_token)
