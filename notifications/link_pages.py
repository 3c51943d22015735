"""The small pages behind the one-click links of emails (confirm, unsubscribe, reminders off).

A GET only asks, with a button (link scanners and previews must not act); the POST acts.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from notifications.errors import NotificationsError


def page(request: HttpRequest, *, message: str, action: str = "", status_code: int = 200):
    return render(
        request,
        "notifications/subscription_page.html",
        {"message": message, "action": action},
        status=status_code,
    )


def link_action(
    request: HttpRequest, *, question: str, button: str, act, done: str
) -> HttpResponse:
    """A link from an email: GET asks (link scanners must not act), POST does ``act()``."""
    if request.method == "GET":
        return page(request, message=question, action=button)
    try:
        act()
    except NotificationsError as error:
        return page(request, message=error.message, status_code=error.status_code)
    return page(request, message=done)
