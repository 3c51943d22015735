"""API views for regions, events and sessions: check access, call a service, shape the answer."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, permissions, status
from rest_framework.exceptions import NotAuthenticated, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from core import time_rules
from core.languages import LANGUAGE_CODES
from events import selectors, services
from events.enums import EventFormat, EventStatus, SessionFormat, SessionStatus
from events.models import Event, Region, Section, Session
from events.serializers import (
    EventCreateSerializer,
    EventSerializer,
    EventUpdateSerializer,
    RegionSerializer,
    SessionSerializer,
)

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}

TZ_PARAMETER = OpenApiParameter(
    "tz", OpenApiTypes.STR, description="Add the times in this IANA zone (`local`)."
)


def _bool_param(request: Request, name: str) -> bool | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    if raw.lower() in TRUE_WORDS:
        return True
    if raw.lower() in FALSE_WORDS:
        return False
    raise ValidationError({name: [_("Use true or false.")]})


def _choice_param(request: Request, name: str, choices) -> str | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    if raw not in choices:
        raise ValidationError(
            {name: [_("Choose one of: %(choices)s.") % {"choices": ", ".join(sorted(choices))}]}
        )
    return raw


def _region_param(request: Request) -> str | None:
    return _choice_param(request, "region", set(Region.objects.values_list("code", flat=True)))


def _language_param(request: Request) -> str | None:
    return _choice_param(request, "language", set(LANGUAGE_CODES))


def viewer_zone(request: Request) -> str | None:
    """The zone asked for with ``?tz=``, checked; a bad one is a 400 that says why."""
    raw = request.query_params.get("tz")
    if raw is None or raw == "":
        return None
    try:
        return time_rules.current_zone_name(raw, field="tz")
    except time_rules.TimeRuleError as error:
        raise ValidationError({"tz": [error.message]}) from None


def require_organiser(request: Request, section: Section) -> None:
    if not request.user or not request.user.is_authenticated:
        raise NotAuthenticated()
    if not services.user_can_manage_section(request.user, section):
        raise PermissionDenied(_("You are not an organiser of this event's section."))


class RegionList(generics.ListAPIView):
    """The six world regions, with their countries, representative zones and languages."""

    serializer_class = RegionSerializer
    pagination_class = None
    queryset = Region.objects.all()


@extend_schema_view(
    get=extend_schema(
        parameters=[
            OpenApiParameter("upcoming", OpenApiTypes.BOOL),
            OpenApiParameter("region", OpenApiTypes.STR),
            OpenApiParameter("language", OpenApiTypes.STR),
            OpenApiParameter("format", OpenApiTypes.STR, enum=EventFormat.values),
            OpenApiParameter("section", OpenApiTypes.STR),
            OpenApiParameter("status", OpenApiTypes.STR, enum=EventStatus.values),
        ]
    ),
    post=extend_schema(request=EventCreateSerializer, responses={201: EventSerializer}),
)
class EventListCreate(generics.ListCreateAPIView):
    """Published events for everyone; organisers also see their sections' drafts."""

    serializer_class = EventSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        request = self.request
        return selectors.filter_events(
            selectors.events_visible_to(request.user),
            upcoming=_bool_param(request, "upcoming"),
            region=_region_param(request),
            language=_language_param(request),
            format=_choice_param(request, "format", set(EventFormat.values)),
            section=request.query_params.get("section") or None,
            status=_choice_param(request, "status", set(EventStatus.values)),
        ).order_by("start_date", "slug")

    def create(self, request: Request, *args, **kwargs) -> Response:
        if not request.user.is_authenticated:
            raise NotAuthenticated()
        serializer = EventCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        section = Section.objects.filter(slug=values.pop("section")).first()
        if section is None:
            raise ValidationError({"section": [_("No section has this slug.")]})
        require_organiser(request, section)
        wanted_status = values.pop("status", EventStatus.DRAFT)
        event = services.create_event(section=section, **values)
        if wanted_status != EventStatus.DRAFT:
            event = services.update_event(event=event, status=wanted_status)
        return Response(EventSerializer(event).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    patch=extend_schema(request=EventUpdateSerializer, responses={200: EventSerializer}),
)
class EventDetail(generics.RetrieveUpdateDestroyAPIView):
    """One event. Organisers change it; deleting a published event cancels it."""

    serializer_class = EventSerializer
    lookup_field = "slug"
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.events_visible_to(self.request.user)

    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        event = self.get_object()
        require_organiser(request, event.section)
        serializer = EventUpdateSerializer(event, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        event = services.update_event(event=event, **serializer.validated_data)
        return Response(EventSerializer(event).data)

    def destroy(self, request: Request, *args, **kwargs) -> Response:
        event = self.get_object()
        require_organiser(request, event.section)
        services.delete_event(event=event)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _session_values(validated: dict) -> dict:
    values = dict(validated)
    if "edition_of_id" in values:
        values["edition_of"] = values.pop("edition_of_id")
    return values


@extend_schema_view(
    get=extend_schema(
        parameters=[
            TZ_PARAMETER,
            OpenApiParameter("upcoming", OpenApiTypes.BOOL),
            OpenApiParameter("region", OpenApiTypes.STR),
            OpenApiParameter("language", OpenApiTypes.STR),
            OpenApiParameter("format", OpenApiTypes.STR, enum=SessionFormat.values),
            OpenApiParameter("status", OpenApiTypes.STR, enum=SessionStatus.values),
        ]
    ),
)
class EventSessionListCreate(generics.ListCreateAPIView):
    """The sessions of an event, in start order. Organisers add sessions here."""

    serializer_class = SessionSerializer

    def get_event(self) -> Event:
        if not hasattr(self, "_event"):
            self._event = get_object_or_404(
                selectors.events_visible_to(self.request.user), slug=self.kwargs["slug"]
            )
        return self._event

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        if self.request is not None and self.request.method == "GET":
            context["viewer_zone"] = viewer_zone(self.request)
        return context

    def get_queryset(self):
        request = self.request
        return selectors.filter_sessions(
            selectors.sessions_of(self.get_event()),
            upcoming=_bool_param(request, "upcoming"),
            region=_region_param(request),
            language=_language_param(request),
            format=_choice_param(request, "format", set(SessionFormat.values)),
            status=_choice_param(request, "status", set(SessionStatus.values)),
        )

    def create(self, request: Request, *args, **kwargs) -> Response:
        event = self.get_event()
        require_organiser(request, event.section)
        serializer = SessionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = _session_values(serializer.validated_data)
        if not values.get("title"):
            raise ValidationError({"title": [_("A session needs a title.")]})
        values.pop("status", None)
        session = services.create_session(event=event, **values)
        return Response(
            SessionSerializer(
                selectors.sessions_of(event).get(pk=session.pk), context={"organiser": True}
            ).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema_view(get=extend_schema(parameters=[TZ_PARAMETER]))
class SessionDetail(generics.RetrieveUpdateDestroyAPIView):
    """One session. Organisers change it (SEQUENCE rises on changes calendars care about);
    deleting a session of a published event cancels it."""

    serializer_class = SessionSerializer
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.sessions_visible_to(self.request.user)

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        if self.request is not None and self.request.method == "GET":
            context["viewer_zone"] = viewer_zone(self.request)
        return context

    def get_object(self) -> Session:
        try:
            return super().get_object()
        except (ValueError, TypeError):
            raise Http404 from None

    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        session = self.get_object()
        require_organiser(request, session.event.section)
        serializer = SessionSerializer(session, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values = _session_values(serializer.validated_data)
        if "title" in values and not values["title"]:
            raise ValidationError({"title": [_("A session needs a title.")]})
        session = services.update_session(session=session, **values)
        updated = self.get_queryset().get(pk=session.pk)
        return Response(SessionSerializer(updated, context={"organiser": True}).data)

    def destroy(self, request: Request, *args, **kwargs) -> Response:
        session = self.get_object()
        require_organiser(request, session.event.section)
        services.delete_session(session=session)
        return Response(status=status.HTTP_204_NO_CONTENT)
