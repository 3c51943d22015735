"""Headers for pages that carry a participant's data or secret links."""

from __future__ import annotations

from django.http import HttpResponse


def private(response: HttpResponse, *, cache_control: str = "no-store") -> HttpResponse:
    """Never leaked onward by a Referer, never indexed, and by default never cached (a
    personal calendar feed, whose address is its secret, is kept by the client only:
    ``cache_control`` says how)."""
    response["Cache-Control"] = cache_control
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
