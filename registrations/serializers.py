"""API shapes for registrations. They check types and sizes; the rules live in services."""

from __future__ import annotations

import threading
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from registrations import cleaning
from registrations.models import Participant, Registration, SessionRegistration
from registrations.services.links import seat_join_url


def _session_ids(**kwargs) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        max_length=50,
        required=False,
        **kwargs,
    )


class RegistrationRequestSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=cleaning.EMAIL_MAX_LENGTH)
    name = serializers.CharField(max_length=cleaning.NAME_MAX_LENGTH)
    organisation = serializers.CharField(
        max_length=cleaning.NAME_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    country = serializers.CharField(
        max_length=2,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("ISO 3166-1 alpha-2; suggests the zone and the region."),
    )
    timezone = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default="", help_text=_("IANA zone.")
    )
    language = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
    sessions = _session_ids(default=list)
    answers = serializers.DictField(required=False, default=dict)
    digest = serializers.BooleanField(required=False, default=False)


_request_shape = threading.local()


def validated_registration_request(data: Any) -> dict[str, Any]:
    """``data`` checked by :class:`RegistrationRequestSerializer` (the same checks, defaults
    and messages; raises DRF's ``ValidationError``), with the serializer's fields built once
    per thread: DRF deep-copies every field on each new instance, which cost the public
    registration more than the checks themselves. Validating keeps no state in it."""
    serializer = getattr(_request_shape, "serializer", None)
    if serializer is None:
        serializer = _request_shape.serializer = RegistrationRequestSerializer()
    return serializer.run_validation(data)


class PlaceSerializer(serializers.Serializer):
    """One session in the answer to a registration."""

    session = serializers.IntegerField()
    status = serializers.CharField()
    waitlist_position = serializers.IntegerField(allow_null=True)
    personal_join_url = serializers.URLField(
        required=False,
        allow_null=True,
        help_text=_("A confirmed seat's personal join link (only in the answer to its creator)."),
    )


class RegistrationAnswerSerializer(serializers.Serializer):
    """The answer to a public registration. Links only for the call that created the
    participant; a repeat call for a known email gets ``received`` and nothing more."""

    status = serializers.CharField()
    sessions = PlaceSerializer(many=True)
    timezone = serializers.CharField(
        required=False,
        help_text=_("The zone the participant's times are shown in (only in a 201 answer)."),
    )
    timezone_assumed = serializers.BooleanField(
        required=False,
        help_text=_("True when no zone was given and the country's most populous one was assumed."),
    )
    country_timezones = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text=_(
            "When the zone was assumed: every zone of the country, the assumed one first, "
            "to offer a choice (change it with PATCH on the manage link)."
        ),
    )
    manage_url = serializers.URLField(required=False)
    calendar_url = serializers.URLField(required=False)
    detail = serializers.CharField(required=False)


class ParticipantChangeSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=cleaning.NAME_MAX_LENGTH, required=False)
    organisation = serializers.CharField(
        max_length=cleaning.NAME_MAX_LENGTH, required=False, allow_blank=True
    )
    country = serializers.CharField(max_length=2, required=False, allow_blank=True)
    timezone = serializers.CharField(max_length=64, required=False, allow_blank=True)
    language = serializers.CharField(max_length=10, required=False)
    reminders = serializers.BooleanField(required=False)
    digest = serializers.BooleanField(required=False)
    add_sessions = _session_ids()
    drop_sessions = _session_ids()


class ParticipantSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Participant
        fields = [
            "email",
            "name",
            "organisation",
            "country",
            "region",
            "timezone",
            "language",
            "reminders",
            "digest",
        ]


class OwnPlaceSerializer(serializers.ModelSerializer):
    """A participant's own place: with their personal join link once the seat is confirmed
    (never the meeting's own URL, which stays with the organisers)."""

    session = serializers.IntegerField(source="session_id")
    title = serializers.CharField(source="session.title")
    starts_at = serializers.DateTimeField(source="session.starts_at")
    ends_at = serializers.DateTimeField(source="session.ends_at")
    timezone = serializers.CharField(source="session.timezone")
    session_status = serializers.CharField(source="session.status")
    personal_join_url = serializers.SerializerMethodField()

    class Meta:
        model = SessionRegistration
        fields = [
            "session",
            "title",
            "starts_at",
            "ends_at",
            "timezone",
            "session_status",
            "status",
            "waitlist_position",
            "personal_join_url",
        ]

    def get_personal_join_url(self, place: SessionRegistration) -> str | None:
        return seat_join_url(place, place.participant.token)


class OwnRegistrationSerializer(serializers.ModelSerializer):
    event = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    event_title = serializers.CharField(source="event.title")
    sessions = OwnPlaceSerializer(source="session_registrations", many=True)

    class Meta:
        model = Registration
        fields = ["event", "event_title", "status", "answers", "created_at", "sessions"]


class OrganiserPlaceSerializer(serializers.ModelSerializer):
    session = serializers.IntegerField(source="session_id")
    title = serializers.CharField(source="session.title")

    class Meta:
        model = SessionRegistration
        fields = [
            "session",
            "title",
            "status",
            "waitlist_position",
            "first_joined_at",
            "last_joined_at",
        ]


class OrganiserRegistrationSerializer(serializers.ModelSerializer):
    email = serializers.CharField(source="participant.email")
    name = serializers.CharField(source="participant.name")
    organisation = serializers.CharField(source="participant.organisation")
    country = serializers.CharField(source="participant.country")
    region = serializers.SerializerMethodField()
    timezone = serializers.CharField(source="participant.timezone")
    language = serializers.CharField(source="participant.language")
    sessions = OrganiserPlaceSerializer(source="session_registrations", many=True)

    class Meta:
        model = Registration
        fields = [
            "id",
            "email",
            "name",
            "organisation",
            "country",
            "region",
            "timezone",
            "language",
            "status",
            "source",
            "answers",
            "created_at",
            "sessions",
        ]

    def get_region(self, registration: Registration) -> str | None:
        region = registration.participant.region
        return region.code if region else None


class SeatCountSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    title = serializers.CharField()
    capacity = serializers.IntegerField(allow_null=True)
    confirmed = serializers.IntegerField()
    waitlisted = serializers.IntegerField()
    available = serializers.IntegerField(allow_null=True)


class OrganiserRegistrationPageSerializer(serializers.Serializer):
    """One page of an event's registrations, with the seat counts of every session."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = OrganiserRegistrationSerializer(many=True)
    sessions = SeatCountSerializer(many=True)


class LinksSerializer(serializers.Serializer):
    """A participant's secret links (only ever shown to the participant)."""

    manage_url = serializers.URLField()
    calendar_url = serializers.URLField()


class OwnOverviewSerializer(LinksSerializer):
    participant = ParticipantSerializer()
    registrations = OwnRegistrationSerializer(many=True)
