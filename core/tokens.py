"""Secret link tokens: made, stored as an indexed digest, and checked in constant time.

Every personal link (a participant's manage and feed links, a digest subscription's confirm
and unsubscribe links) carries a token of 256 random bits. The database keeps, beside the
token, its SHA-256 digest in a unique column; a presented token is looked up by its digest
and the digests are compared with :func:`hmac.compare_digest`, so no comparison ever runs on
the secret itself and timing tells nothing about how much of a guess was right.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

TOKEN_BYTES = 32  # 256 bits; urlsafe base64: 43 characters
TOKEN_MIN_LENGTH = 20
TOKEN_MAX_LENGTH = 64


def new_token() -> str:
    """A fresh secret for a link (≥ 128 bits; 256 here)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    """The indexed form of a token: lookups compare digests, never the secret itself."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def lookup_digest(token: object) -> str | None:
    """The digest to look a presented token up by, or None when it cannot be one of ours
    (not text, or too short or too long): such a request costs no query."""
    if not isinstance(token, str) or not TOKEN_MIN_LENGTH <= len(token) <= TOKEN_MAX_LENGTH:
        return None
    return hash_token(token)


def digests_match(stored: str, presented: str) -> bool:
    """Constant-time comparison of a stored digest with a presented token's digest."""
    return hmac.compare_digest(stored, presented)
