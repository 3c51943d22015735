"""A participant's secret token: its indexed digest and the links that carry it."""

from __future__ import annotations

import hashlib

from django.conf import settings


def hash_token(token: str) -> str:
    """The indexed form of a token: lookups compare digests, never the secret itself."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def manage_url(token: str) -> str:
    return f"{settings.SITE_URL}/registrations/{token}/"


def calendar_url(token: str) -> str:
    return f"{settings.SITE_URL}/calendars/{token}.ics"
