"""A region's digest subscription form (double opt-in through
``notifications.digests.services``)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from core import display
from core.errors import DomainError
from core.throttles import throttled
from notifications.digests import selectors as notification_selectors
from notifications.digests import services as notification_services
from pages.forms import SubscribeForm
from pages.viewer import active_language, follow_zone_data, resolve_viewer_zone, zone_choices


@require_http_methods(["GET", "POST"])
def subscribe_page(request: HttpRequest, code: str) -> HttpResponse:
    region = notification_selectors.region_by_code(code)
    if region is None:
        raise Http404
    language = active_language()

    viewer = resolve_viewer_zone(request, default=region.zones[0])

    def page(form: SubscribeForm, *, status: int = 200, sent: bool = False) -> HttpResponse:
        context = {
            "region": region,
            "form": form,
            "sent": sent,
            "zone_choices": zone_choices(language),
            # A first visit is asked again in the browser's zone, which the form then offers.
            "follow_zone": follow_zone_data(viewer) if request.method == "GET" else None,
            "device_city": display.zone_city(viewer.zone, language)
            if viewer.source != "default"
            else "",
        }
        return render(request, "pages/subscribe.html", context, status=status)

    if request.method == "GET":
        zone = viewer.zone if viewer.source != "default" else ""
        return page(SubscribeForm(initial={"language": language, "timezone": zone}))
    form = SubscribeForm(request.POST)
    valid = form.is_valid()
    wait = throttled(request, "subscriptions")
    if wait:
        form.add_error(
            None,
            ngettext(
                "Too many requests from your network. Try again in %(seconds)d second.",
                "Too many requests from your network. Try again in %(seconds)d seconds.",
                wait,
            )
            % {"seconds": wait},
        )
        return page(form, status=429)
    if not valid:
        form.mark_invalid()
        return page(form, status=400)
    try:
        notification_services.subscribe(region_code=region.code, **form.service_arguments())
    except DomainError as refused:
        form.show_error(refused)
        return page(form, status=refused.status_code)
    return page(form, sent=True)
