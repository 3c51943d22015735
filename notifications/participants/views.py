"""The participants' one-click link: no more reminders."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from notifications.link_pages import link_action
from notifications.participants import services


@csrf_exempt  # RFC 8058: the one-click POST comes from the mail provider, without a form
@require_http_methods(["GET", "POST"])
def reminders_off_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; POST (the one-click request of a reminder) stops reminders."""
    return link_action(
        request,
        question=_("Stop receiving session reminders?"),
        button=_("No more reminders"),
        act=lambda: services.turn_off_reminders(token=token),
        done=_("Done: no more reminders. You can switch them on again from your registration."),
    )
