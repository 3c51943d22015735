"""API faces of the planner: slot finder, series rotation, editions and event coverage."""

from __future__ import annotations

from datetime import timedelta

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from events import selectors
from events.models import Event, Session
from events.serializers import SessionSerializer
from events.views import require_organiser
from planner import engine
from planner import selectors as planner_selectors
from planner import services as planner_services
from planner.serializers import (
    CoverageQuerySerializer,
    CoverageSerializer,
    EditionsCreateSerializer,
    EditionsProposalSerializer,
    EditionsQuerySerializer,
    PlannerQuerySerializer,
    SeriesPlanSerializer,
    SeriesQuerySerializer,
    SlotSearchSerializer,
)


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _visible_event(request: Request, slug: str) -> Event:
    return get_object_or_404(selectors.events_visible_to(request.user), slug=slug)


def _planning_context(request: Request, query: dict) -> tuple[str, dict]:
    """The zone the days are in and the weights: from ``event`` when one is named."""
    zone = query.get("tz")
    weights: dict = {}
    if query.get("event"):
        event = _visible_event(request, query["event"])
        zone = zone or event.timezone
        weights = planner_selectors.registrant_zone_weights(event)
    return zone or "UTC", weights


class PlannerView(APIView):
    """Ranked start times (15-minute grid) that suit the given regions on a date or range."""

    @extend_schema(parameters=[PlannerQuerySerializer], responses=SlotSearchSerializer)
    def get(self, request: Request) -> Response:
        query = _valid(PlannerQuerySerializer, request.query_params)
        zone, weights = _planning_context(request, query)
        search = engine.find_slots(
            regions=query["regions"],
            first_day=query["date"],
            last_day=query.get("date_to"),
            duration_minutes=query["duration"],
            hours=query["hours"],
            zone=zone,
            weights=weights,
            limit=query["limit"],
        )
        return Response(SlotSearchSerializer(search).data)


class SeriesPlannerView(APIView):
    """One start per session of a series (every ``every`` days from ``date``), spreading the
    uncomfortable sessions fairly across regions."""

    @extend_schema(parameters=[SeriesQuerySerializer], responses=SeriesPlanSerializer)
    def get(self, request: Request) -> Response:
        query = _valid(SeriesQuerySerializer, request.query_params)
        zone, weights = _planning_context(request, query)
        days = [query["date"] + timedelta(days=query["every"] * n) for n in range(query["count"])]
        plan = engine.rotate_series(
            regions=query["regions"],
            days=days,
            duration_minutes=query["duration"],
            hours=query["hours"],
            zone=zone,
            weights=weights,
        )
        return Response(SeriesPlanSerializer(plan).data)


class EventCoverageView(APIView):
    """Per region: sessions and editions in comfortable hours, night-only ones, DST shifts."""

    @extend_schema(parameters=[CoverageQuerySerializer], responses=CoverageSerializer)
    def get(self, request: Request, slug: str) -> Response:
        event = _visible_event(request, slug)
        query = _valid(CoverageQuerySerializer, request.query_params)
        report = planner_selectors.coverage_of(
            event, regions=query.get("regions"), hours=query.get("hours")
        )
        return Response(CoverageSerializer(report).data)


class EventEditionsView(APIView):
    """GET proposes the fewest editions of a session that give every region a comfortable one
    (existing editions counted); POST (organisers of the section) creates the chosen option."""

    def _session(self, event: Event, session_id: int) -> Session:
        return get_object_or_404(Session, pk=session_id, event=event)

    @extend_schema(parameters=[EditionsQuerySerializer], responses=EditionsProposalSerializer)
    def get(self, request: Request, slug: str) -> Response:
        event = _visible_event(request, slug)
        query = _valid(EditionsQuerySerializer, request.query_params)
        editions_request, members = planner_services.editions_request(
            session=self._session(event, query["session"]),
            regions=query.get("regions"),
            first_day=query.get("date"),
            last_day=query.get("date_to"),
            hours=query.get("hours"),
        )
        proposal = planner_services.propose_editions_for(editions_request, members)
        return Response(EditionsProposalSerializer(proposal).data)

    @extend_schema(request=EditionsCreateSerializer, responses={201: SessionSerializer(many=True)})
    def post(self, request: Request, slug: str) -> Response:
        event = _visible_event(request, slug)
        require_organiser(request, event.section)
        values = _valid(EditionsCreateSerializer, request.data)
        created = planner_services.create_proposed_editions(
            session=self._session(event, values["session"]),
            regions=values.get("regions"),
            first_day=values.get("date"),
            last_day=values.get("date_to"),
            hours=values.get("hours"),
            option=values["option"],
        )
        sessions = selectors.sessions_of(event).filter(pk__in=[item.pk for item in created])
        answer = SessionSerializer(sessions, many=True, context={"organiser": True})
        return Response(answer.data, status=status.HTTP_201_CREATED)
