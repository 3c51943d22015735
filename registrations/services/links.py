"""A participant's secret token: its indexed digest and the links that carry it."""

from __future__ import annotations

from django.conf import settings

from core.tokens import hash_token

__all__ = ["calendar_url", "hash_token", "manage_url"]


def manage_url(token: str) -> str:
    return f"{settings.SITE_URL}/registrations/{token}/"


def calendar_url(token: str) -> str:
    return f"{settings.SITE_URL}/calendars/{token}.ics"
