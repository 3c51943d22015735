"""Headers for pages that carry a participant's data or secret links."""

from __future__ import annotations

from django.http import HttpResponse


def private(response: HttpResponse) -> HttpResponse:
    """Never cached, never leaked onward by a Referer, never indexed."""
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
