"""Registration API: public registration, organisers' list and CSV, self-service by token."""

from __future__ import annotations

import json
import re

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from core.country_zones import country_zones
from core.pagination import PageNumberPagination
from core.responses import private
from events.enums import EventStatus
from events.models import Event, Region
from events.views import require_organiser
from registrations import selectors, services, spreadsheet
from registrations.enums import RegistrationStatus, SeatStatus
from registrations.models import Participant, Question
from registrations.serializers import (
    LinksSerializer,
    OrganiserRegistrationPageSerializer,
    OrganiserRegistrationSerializer,
    OwnOverviewSerializer,
    OwnRegistrationSerializer,
    ParticipantChangeSerializer,
    ParticipantSerializer,
    RegistrationAnswerSerializer,
    RegistrationRequestSerializer,
    SeatCountSerializer,
    validated_registration_request,
)
from registrations.services.links import seat_join_url

_SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,100}$")
_FORBIDDEN_IN_QUERY = re.compile(r"[\x00-\x1f\x7f]")
STATUS_FILTERS = sorted(set(SeatStatus.values) | set(RegistrationStatus.values))


def _links(token: str) -> dict[str, str]:
    return {"manage_url": services.manage_url(token), "calendar_url": services.calendar_url(token)}


def _int_param(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    if not raw.isdigit() or not 0 < int(raw) < 2**63:
        raise ValidationError({name: [_("Give a session id (a whole number).")]})
    return int(raw)


def _text_param(request: Request, name: str, max_length: int = 200) -> str | None:
    raw = (request.query_params.get(name) or "").strip()
    if not raw:
        return None
    if len(raw) > max_length or _FORBIDDEN_IN_QUERY.search(raw):
        raise ValidationError(
            {name: [_("Use at most %(max)d plain characters.") % {"max": max_length}]}
        )
    return raw


def _choice(request: Request, name: str, choices) -> str | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    if raw not in choices:
        raise ValidationError(
            {name: [_("Choose one of: %(choices)s.") % {"choices": ", ".join(sorted(choices))}]}
        )
    return raw


class EventRegistrations(APIView):
    """``POST``: register for an event (public, throttled per client).
    ``GET``: the event's registrations for its organisers; ``?format=csv`` for a spreadsheet."""

    throttle_scope = "registrations"

    def get_throttles(self):
        if self.request.method == "POST":
            return [ScopedRateThrottle()]
        return []

    @extend_schema(
        request=RegistrationRequestSerializer,
        responses={
            201: RegistrationAnswerSerializer,
            202: OpenApiResponse(
                RegistrationAnswerSerializer,
                description=_(
                    "The email was known: the details go to that address. If it was already "
                    "registered for the event, nothing was changed: the address is sent a "
                    "link that applies the request."
                ),
            ),
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        event = selectors.event_for_registration(slug)
        if event is None or event.status != EventStatus.PUBLISHED:
            raise Http404  # drafts and cancelled events answer as unknown ones
        asked = validated_registration_request(request.data)
        result = services.register_participant(event=event, **asked)
        if not result.created:
            # The caller may know no more than an email: describe only what was asked for,
            # the same whatever was registered before, and send no links (they go by email).
            return private(
                Response(
                    {
                        "status": "received",
                        "sessions": [
                            {"session": session_id, "status": "received", "waitlist_position": None}
                            for session_id in dict.fromkeys(asked["sessions"])
                        ],
                        "detail": _(
                            "This email address is already registered for this event, so "
                            "nothing was changed. We have emailed it a link that adds these "
                            "sessions (at most one email an hour)."
                        )
                        if result.requested
                        else _(
                            "This email address is already registered. We have sent the "
                            "details and your personal links to it."
                        ),
                    },
                    status=status.HTTP_202_ACCEPTED,
                )
            )
        zone = result.participant.timezone
        assumed = bool(zone) and not (asked.get("timezone") or "").strip()
        body = {
            "status": result.registration.status,
            "timezone": zone,
            "timezone_assumed": assumed,
            "country_timezones": list(country_zones(result.participant.country)) if assumed else [],
            "sessions": [
                {
                    "session": place.session_id,
                    "status": place.status,
                    "waitlist_position": place.waitlist_position,
                    "personal_join_url": seat_join_url(place, result.participant.token),
                }
                for place in result.session_registrations
            ],
            **_links(result.participant.token),
        }
        return private(Response(body, status=status.HTTP_201_CREATED))

    @extend_schema(
        parameters=[
            OpenApiParameter("session", OpenApiTypes.INT),
            OpenApiParameter("status", OpenApiTypes.STR, enum=STATUS_FILTERS),
            OpenApiParameter("country", OpenApiTypes.STR),
            OpenApiParameter("region", OpenApiTypes.STR),
            OpenApiParameter("q", OpenApiTypes.STR),
            OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv"]),
        ],
        responses={
            (200, "application/json"): OrganiserRegistrationPageSerializer,
            (200, "text/csv"): OpenApiTypes.STR,
        },
    )
    def get(self, request: Request, slug: str) -> HttpResponse:
        event = get_object_or_404(Event.objects.select_related("section"), slug=slug)
        require_organiser(request, event.section)
        output = _choice(request, "format", {"json", "csv"}) or "json"
        registrations = selectors.registrations_for_organisers(
            event,
            session=_int_param(request, "session"),
            status=_choice(request, "status", STATUS_FILTERS),
            country=_text_param(request, "country", max_length=2),
            region=_choice(request, "region", set(Region.objects.values_list("code", flat=True))),
            q=_text_param(request, "q"),
        )
        sessions = list(event.sessions.order_by("starts_at", "id"))
        if output == "csv":
            return private(_csv_response(event, sessions, registrations))
        counts = selectors.session_seat_counts(sessions)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(registrations, request, view=self)
        response = paginator.get_paginated_response(
            OrganiserRegistrationSerializer(page, many=True).data
        )
        response.data["sessions"] = SeatCountSerializer(
            [
                {
                    "session": session.pk,
                    "title": session.title,
                    "capacity": session.capacity,
                    "confirmed": counts[session.pk].confirmed,
                    "waitlisted": counts[session.pk].waitlisted,
                    "available": counts[session.pk].available,
                }
                for session in sessions
            ],
            many=True,
        ).data
        return private(response)


def _csv_response(event: Event, sessions, registrations) -> HttpResponse:
    questions: list[Question] = list(selectors.questions_of(event))
    header = [
        _("registered at (UTC)"),
        _("status"),
        _("email"),
        _("name"),
        _("organisation"),
        _("country"),
        _("region"),
        _("time zone"),
        _("language"),
        *[f"{session.title} ({session.starts_at:%Y-%m-%d %H:%M} UTC)" for session in sessions],
        *[question.text for question in questions],
    ]
    rows = []
    for registration in registrations:
        participant = registration.participant
        places = {place.session_id: place for place in registration.session_registrations.all()}
        row = [
            registration.created_at.strftime("%Y-%m-%d %H:%M"),
            registration.status,
            participant.email,
            participant.name,
            participant.organisation,
            participant.country,
            participant.region.code if participant.region else "",
            participant.timezone,
            participant.language,
        ]
        for session in sessions:
            place = places.get(session.pk)
            if place is None:
                row.append("")
            elif place.status == SeatStatus.WAITLISTED:
                row.append(f"waitlisted #{place.waitlist_position}")
            elif place.first_joined_at is not None:
                row.append(f"{place.status}, joined {place.first_joined_at:%Y-%m-%d %H:%M} UTC")
            else:
                row.append(place.status)
        row += [registration.answers.get(question.key, "") for question in questions]
        rows.append(row)
    response = HttpResponse(
        spreadsheet.build_csv(header, rows).encode("utf-8"),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-registrations.csv"'
    return response


class ByToken(APIView):
    """Base for the self-service views: the token in the URL finds the participant, or 404."""

    def participant(self) -> Participant:
        participant = selectors.participant_by_token(self.kwargs["token"])
        if participant is None:
            raise Http404
        return participant


def _overview(participant: Participant) -> dict:
    return {
        "participant": ParticipantSerializer(participant).data,
        "registrations": OwnRegistrationSerializer(
            selectors.registrations_of_participant(participant), many=True
        ).data,
        **_links(participant.token),
    }


class OwnRegistrations(ByToken):
    """A participant's own registrations: see them, change sessions and preferences, cancel."""

    @extend_schema(
        responses={200: OwnOverviewSerializer, 404: OpenApiResponse(description="unknown token")}
    )
    def get(self, request: Request, token: str) -> Response:
        return private(Response(_overview(self.participant())))

    @extend_schema(request=ParticipantChangeSerializer, responses={200: OwnOverviewSerializer})
    def patch(self, request: Request, token: str) -> Response:
        participant = self.participant()
        serializer = ParticipantChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        participant = services.change_registration(
            participant=participant,
            add=values.pop("add_sessions", ()),
            drop=values.pop("drop_sessions", ()),
            **values,
        )
        return private(Response(_overview(participant)))

    @extend_schema(parameters=[OpenApiParameter("event", OpenApiTypes.STR)], responses={204: None})
    def delete(self, request: Request, token: str) -> Response:
        participant = self.participant()
        slug = request.query_params.get("event")
        event = None
        if slug:
            if not _SLUG.match(slug):
                raise Http404
            event = get_object_or_404(Event, slug=slug)
        services.cancel_registration(participant=participant, event=event)
        return private(Response(status=status.HTTP_204_NO_CONTENT))


class OwnDataExport(ByToken):
    """Everything Meridian holds about the participant, as a JSON download."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, token: str) -> HttpResponse:
        data = services.export_participant_data(participant=self.participant())
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="meridian-my-data.json"'
        return private(response)


class OwnDataErase(ByToken):
    """Erase the participant: anonymised, seats released, counts kept for organisers."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request, token: str) -> Response:
        services.erase_participant(participant=self.participant())
        return private(Response(status=status.HTTP_204_NO_CONTENT))


class OwnTokenRotate(ByToken):
    """Replace the secret token: the old links stop working at once."""

    @extend_schema(request=None, responses={200: LinksSerializer})
    def post(self, request: Request, token: str) -> Response:
        new_token = services.rotate_token(participant=self.participant())
        return private(Response(_links(new_token)))
