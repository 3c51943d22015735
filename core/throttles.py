"""Form posts throttled exactly like the API: the same scopes, rates and per-client buckets
(DRF's cache-backed counters), so switching between the page and the API gains nothing."""

from __future__ import annotations

from rest_framework.throttling import SimpleRateThrottle


class PageThrottle(SimpleRateThrottle):
    """``ScopedRateThrottle``'s bucket for a scope, usable from a plain Django view."""

    def __init__(self, scope: str):
        self.scope = scope
        super().__init__()

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def throttled(request, scope: str) -> int | None:
    """None when the request may go on; else the whole seconds to wait (at least 1)."""
    throttle = PageThrottle(scope)
    if throttle.allow_request(request, None):
        return None
    return max(int(throttle.wait() or 1), 1)
