"""The registration form and its confirmation. The form shapes the post; one service call
(``registrations.services.register_participant``, the API's own) does the rest."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone as django_timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from core import display
from core.errors import DomainError
from core.responses import private
from core.throttles import throttled
from events.enums import EventStatus
from pages.countries import country_hint, country_hints
from pages.forms import RegistrationForm
from pages.participants import personal_links, place_views
from pages.schedule import build_choice_groups
from pages.viewer import (
    comfortable_window,
    event_in_view,
    follow_zone_data,
    remember_zone,
    site_url,
    zone_choices,
)
from registrations import selectors as registration_selectors
from registrations import services as registration_services


def _throttled_message(wait: int) -> str:
    return ngettext(
        "Too many registrations from your network. Try again in %(seconds)d second.",
        "Too many registrations from your network. Try again in %(seconds)d seconds.",
        wait,
    ) % {"seconds": wait}


@require_http_methods(["GET", "POST"])
def register_page(request: HttpRequest, slug: str) -> HttpResponse:
    shown = event_in_view(request, slug)
    event, language, viewer = shown.event, shown.language, shown.viewer
    groups = build_choice_groups(
        shown.sessions,
        viewer_zone=viewer.zone,
        language=language,
        hours=settings.COMFORTABLE_HOURS,
        taken=shown.taken,
    )
    questions = list(registration_selectors.questions_of(event))

    def form_for(*args, **kwargs) -> RegistrationForm:
        return RegistrationForm(
            *args, groups=groups, questions=questions, language=language, **kwargs
        )

    refusal = (
        registration_services.registration_refusal(event, django_timezone.now())
        if event.status == EventStatus.PUBLISHED
        else None
    )

    def page(form: RegistrationForm, status: int = 200) -> HttpResponse:
        hint = country_hint(form["country"].value() or "", language)
        context = {
            "event": event,
            "form": form,
            "viewer_city": display.zone_city(viewer.zone, language),
            "device_city": display.zone_city(viewer.zone, language)
            if viewer.source != "default"
            else "",
            "region": hint.region,
            "country_zones": hint.zones,
            "zone_choices": zone_choices(language),
            "country_hints": country_hints(language),
            "follow_zone": follow_zone_data(viewer) if request.method == "GET" else None,
            "open": event.status == EventStatus.PUBLISHED and refusal is None,
            "refusal": refusal,
            **comfortable_window(),
        }
        response = render(request, "pages/register.html", context, status=status)
        response["Cache-Control"] = "no-store"  # what was typed stays out of caches
        remember_zone(response, viewer)
        return response

    if request.method == "GET":
        remembered = viewer.zone if viewer.source != "default" else ""
        return page(form_for(initial={"language": language, "timezone": remembered}))
    if "suggest" in request.POST:
        # Without script: the country's zone and region, suggested by a round trip.
        initial = request.POST.dict()
        initial["timezone"] = country_hint(initial.get("country", ""), language).zone
        form = form_for(initial=initial)
        form.fields["timezone"].widget.attrs["autofocus"] = True
        return page(form)
    form = form_for(request.POST)
    valid = form.is_valid()
    wait = throttled(request, "registrations")
    if wait:
        form.add_error(None, _throttled_message(wait))
        return page(form, status=429)
    if not valid:
        form.mark_invalid()
        return page(form, status=400)
    try:
        result = registration_services.register_participant(event=event, **form.service_arguments())
    except DomainError as error:
        form.show_error(error)
        return page(form, status=error.status_code)
    return private(_confirmation(request, event, form, result, viewer.zone, language))


def _confirmation(request, event, form, result, viewer_zone: str, language: str) -> HttpResponse:
    """A new participant sees their places and links; anyone else only that the details went
    to the address (the poster may know no more than an email, as the API answers)."""
    if not result.created:
        asked = set(form.chosen_sessions())
        titles = [
            view.session.title
            for group in form.groups
            for view in group.options
            if view.session.id in asked
        ]
        return render(
            request,
            "pages/registered.html",
            {"event": event, "created": False, "requested": result.requested, "titles": titles},
        )
    zone = result.participant.timezone or viewer_zone
    places = place_views(result.session_registrations, zone=zone, language=language)
    return render(
        request,
        "pages/registered.html",
        {
            "event": event,
            "created": True,
            "participant": result.participant,
            "places": places,
            "waitlisted": any(not place.confirmed for place in places),
            "zone": zone,
            "zone_city": display.zone_city(zone, language),
            "zone_names": display.zone_names_at(
                zone, language, [place.session.starts_at for place in result.session_registrations]
            ),
            "links": personal_links(site=site_url(request), token=result.participant.token),
        },
    )
