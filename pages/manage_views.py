"""The manage page a participant reaches by their secret link, and its actions.

Each action is one ``registrations.services`` call; a success redirects back (303) with a
message, a refusal renders the page again with the message in place. A wrong or rotated token
is a 404 page. Every answer is private (no-store, no referrer, noindex).

The actions are exempt from Django's CSRF check, deliberately: the secret token in the URL is
the credential (a forger would need it, and with it could use the API directly), and under
``Referrer-Policy: no-referrer`` browsers send ``Origin: null`` with the page's own form posts,
which the CSRF check would refuse.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import display
from core.errors import DomainError
from core.languages import LANGUAGE_CODES
from core.responses import private
from pages import selectors
from pages.forms import AddSessionsForm, PreferencesForm, session_field_name
from pages.participants import personal_links, place_views
from pages.schedule import build_choice_groups
from pages.viewer import (
    active_language,
    comfortable_window,
    resolve_viewer_zone,
    site_url,
    zone_choices,
)
from registrations import selectors as registration_selectors
from registrations import services as registration_services
from registrations.enums import RegistrationStatus
from registrations.models import Participant


def _missing(request: HttpRequest) -> HttpResponse:
    return private(render(request, "pages/manage_missing.html", status=404))


def _back(participant: Participant, message: str, request: HttpRequest) -> HttpResponse:
    messages.success(request, message)
    response = HttpResponseRedirect(reverse("pages:manage", args=[participant.token]))
    response.status_code = 303  # See Other: the page is fetched again with GET
    return private(response)


def _zone(request: HttpRequest, participant: Participant) -> str:
    return participant.timezone or resolve_viewer_zone(request, default="UTC").zone


def _groups_to_add(registration, zone: str, language: str):
    """The event's sessions the participant holds nothing of yet, grouped by edition."""
    held = {
        place.session.edition_root_id
        for place in registration.session_registrations.all()
        if place.is_active
    }
    sessions = selectors.sessions_for_page(event=registration.event)
    return build_choice_groups(
        sessions,
        viewer_zone=zone,
        language=language,
        hours=settings.COMFORTABLE_HOURS,
        taken=selectors.seats_taken(sessions=sessions),
        exclude_roots=held,
    )


def _page(
    request: HttpRequest,
    participant: Participant,
    *,
    status: int = 200,
    preferences: PreferencesForm | None = None,
    add_form: tuple[int, AddSessionsForm] | None = None,
    error: str = "",
    confirm: dict | None = None,
    asked: set[int] | None = None,
) -> HttpResponse:
    """The page. ``asked``: sessions to have chosen in the add forms (the link of a
    registration request email carries them as ``?add=1,2``)."""
    language = active_language()
    zone = _zone(request, participant)
    registrations = []
    for registration in registration_selectors.registrations_of_participant(participant):
        active = registration.status == RegistrationStatus.REGISTERED
        form = None
        if add_form and add_form[0] == registration.event_id:
            form = add_form[1]
        elif registration.status != RegistrationStatus.ERASED:
            # A cancelled registration is taken up again by adding sessions to it.
            groups = _groups_to_add(registration, zone, language)
            initial = _chosen(groups, asked or set())
            form = AddSessionsForm(groups=groups, initial=initial)
            form.preselected = bool(initial)
        registrations.append(
            {
                "registration": registration,
                "event": registration.event,
                "active": active,
                "places": place_views(
                    registration.session_registrations.all(), zone=zone, language=language
                ),
                "add_form": form,
            }
        )
    preferences = preferences or PreferencesForm(
        initial={
            "timezone": participant.timezone,
            "language": participant.language,
            "reminders": participant.reminders,
            "digest": participant.digest,
        }
    )
    context = {
        "participant": participant,
        "token": participant.token,
        "registrations": registrations,
        "any_active": any(item["active"] for item in registrations),
        "preferences": preferences,
        "zone": zone,
        "zone_city": display.zone_city(zone, language),
        "zone_names": display.zone_names_at(
            zone,
            language,
            [
                place.session.starts_at
                for registration in registrations
                for place in registration["registration"].session_registrations.all()
            ],
        ),
        "zone_choices": zone_choices(language),
        **comfortable_window(),
        "links": personal_links(site=site_url(request), token=participant.token),
        "error": error,
        "confirm": confirm,
        "preselected": any(
            item["add_form"] and item["add_form"].preselected for item in registrations
        ),
    }
    return private(render(request, "pages/manage.html", context, status=status))


def _chosen(groups, asked: set[int]) -> dict[str, str]:
    """The add form's initial choices: per group, the edition asked for (if any)."""
    initial = {}
    for group in groups:
        for view in group.options:
            if view.session.id in asked:
                initial[session_field_name(group)] = str(view.session.id)
                break
    return initial


def _asked(raw: str) -> set[int]:
    """``?add=1,2``: session ids, at most MAX_SESSIONS_PER_CALL of them; anything else is
    ignored (the link only chooses sessions on the page; adding them takes a click)."""
    parts = raw.split(",")[: registration_services.MAX_SESSIONS_PER_CALL]
    return {int(part) for part in parts if part.isdigit() and len(part) < 12}


@require_GET
def manage_page(request: HttpRequest, token: str) -> HttpResponse:
    participant = registration_selectors.participant_by_token(token)
    if participant is None:
        return _missing(request)
    # The language switch of this page is a GET form (a POST to set_language would carry
    # no Referer or Origin under the page's no-referrer policy): ?language=fr.
    asked = request.GET.get("language", "")
    if asked in LANGUAGE_CODES:
        translation.activate(asked)
        response = _page(request, participant, asked=_asked(request.GET.get("add", "")))
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            asked,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=request.is_secure(),
        )
        return response
    return _page(request, participant, asked=_asked(request.GET.get("add", "")))


def _event_of(participant: Participant, slug: str):
    """The participant's registration for the event with this slug, or None."""
    for registration in registration_selectors.registrations_of_participant(participant):
        if registration.event.slug == slug:
            return registration
    return None


@csrf_exempt  # the token in the URL is the credential (see the module docstring)
@require_POST
def change_sessions(request: HttpRequest, token: str) -> HttpResponse:
    """Drop one place (``drop=<session id>``) or add sessions of one event (``event=<slug>``)."""
    participant = registration_selectors.participant_by_token(token)
    if participant is None:
        return _missing(request)
    if "drop" in request.POST:
        raw = request.POST["drop"]
        if not raw.isdigit():
            return _page(request, participant, status=400, error=_("Choose a session to drop."))
        if request.POST.get("confirm") != "1":
            # One tap does not give a seat away: the page asks first (the seat would go to
            # the next person on the waitlist at once, so there is no undo).
            held = registration_selectors.active_place(participant, int(raw))
            if held is None:
                return _page(request, participant, status=400, error=_("Choose a session to drop."))
            return _page(
                request,
                participant,
                confirm={
                    "action": reverse("pages:manage-sessions", args=[participant.token]),
                    "fields": {"drop": raw},
                    "question": _(
                        "Give up your place in “%(title)s”? It goes to the next person on "
                        "the waitlist at once."
                    )
                    % {"title": held.session.title},
                    "yes": _("Yes, give up my place"),
                },
            )
        try:
            place = registration_services.drop_session(participant=participant, session=int(raw))
        except DomainError as refused:
            return _page(request, participant, status=refused.status_code, error=refused.message)
        return _back(
            participant,
            _("You gave up your place in “%(title)s”.") % {"title": place.session.title},
            request,
        )
    registration = _event_of(participant, request.POST.get("event", ""))
    if registration is None or registration.status == RegistrationStatus.ERASED:
        return _page(
            request, participant, status=400, error=_("You are not registered for this event.")
        )
    groups = _groups_to_add(registration, _zone(request, participant), active_language())
    form = AddSessionsForm(request.POST, groups=groups)
    chosen = form.chosen_sessions() if form.is_valid() else []
    if form.is_valid() and not chosen:
        form.add_error(None, _("Choose at least one session to add."))
    if form.errors:
        form.mark_invalid()
        return _page(request, participant, status=400, add_form=(registration.event_id, form))
    try:
        added = registration_services.add_sessions(participant=participant, sessions=chosen)
    except DomainError as refused:
        form.show_error(refused)
        return _page(
            request,
            participant,
            status=refused.status_code,
            add_form=(registration.event_id, form),
        )
    waiting = [place for place in added if place.waitlist_position]
    message = (
        _("Added. Some of these sessions are full: you are on their waitlist.")
        if waiting
        else _("Added: your seats are confirmed.")
    )
    return _back(participant, message, request)


@csrf_exempt  # the token in the URL is the credential (see the module docstring)
@require_POST
def change_preferences(request: HttpRequest, token: str) -> HttpResponse:
    participant = registration_selectors.participant_by_token(token)
    if participant is None:
        return _missing(request)
    form = PreferencesForm(request.POST)
    if not form.is_valid():
        form.mark_invalid()
        return _page(request, participant, status=400, preferences=form)
    try:
        registration_services.update_participant_preferences(
            participant=participant, **form.service_arguments()
        )
    except DomainError as refused:
        form.show_error(refused)
        return _page(request, participant, status=refused.status_code, preferences=form)
    return _back(participant, _("Your preferences are saved."), request)


@csrf_exempt  # the token in the URL is the credential (see the module docstring)
@require_POST
def rotate_links(request: HttpRequest, token: str) -> HttpResponse:
    participant = registration_selectors.participant_by_token(token)
    if participant is None:
        return _missing(request)
    registration_services.rotate_token(participant=participant)
    return _back(
        participant,
        _(
            "Your personal links have changed and the old ones no longer work. Bookmark this "
            "page's new address and update the calendar subscription."
        ),
        request,
    )


@csrf_exempt  # the token in the URL is the credential (see the module docstring)
@require_POST
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    """Cancel one event's registration (``event=<slug>``) or every one (``all``)."""
    participant = registration_selectors.participant_by_token(token)
    if participant is None:
        return _missing(request)
    event = None
    if "all" not in request.POST:
        registration = _event_of(participant, request.POST.get("event", ""))
        if registration is None:
            return _page(
                request, participant, status=400, error=_("You are not registered for this event.")
            )
        event = registration.event
    if request.POST.get("confirm") != "1":
        fields = {"event": event.slug} if event is not None else {"all": "1"}
        question = (
            _("Cancel your registration for “%(event)s”? Every place you hold in it is released.")
            % {"event": event.title}
            if event is not None
            else _("Cancel all your registrations? Every place you hold is released.")
        )
        return _page(
            request,
            participant,
            confirm={
                "action": reverse("pages:manage-cancel", args=[participant.token]),
                "fields": fields,
                "question": question,
                "yes": _("Yes, cancel"),
            },
        )
    try:
        cancelled = registration_services.cancel_registration(participant=participant, event=event)
    except DomainError as refused:
        return _page(request, participant, status=refused.status_code, error=refused.message)
    if event is not None:
        message = _("Your registration for “%(event)s” is cancelled.") % {"event": event.title}
    elif cancelled:
        message = _("All your registrations are cancelled.")
    else:
        message = _("You had no active registration to cancel.")
    return _back(participant, message, request)


@csrf_exempt  # the token in the URL is the credential (see the module docstring)
@require_http_methods(["GET", "POST"])
def erase(request: HttpRequest, token: str) -> HttpResponse:
    """GET: what erasing does, and the button; POST: erase (the token dies with it)."""
    participant = registration_selectors.participant_by_token(token)
    if participant is None:
        return _missing(request)
    if request.method == "GET":
        return private(render(request, "pages/erase.html", {"token": participant.token}))
    registration_services.erase_participant(participant=participant)
    return private(render(request, "pages/erased.html"))
