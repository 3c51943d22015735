"""API shapes for the planner: query parameters in, planner results (dataclasses) out."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core import time_rules
from events.serializers import SupportedDateField
from planner import engine


class RegionCodesParam(serializers.CharField):
    """Region codes, comma-separated (``europe,africa``); empty means all six."""

    def to_internal_value(self, data) -> list[str]:
        text = super().to_internal_value(data)
        codes = [code.strip() for code in text.split(",") if code.strip()]
        unknown = [code for code in codes if code not in engine.REGION_ORDER]
        if unknown:
            raise serializers.ValidationError(
                _("Unknown region: %(codes)s. Choose from: %(choices)s.")
                % {"codes": ", ".join(unknown)[:200], "choices": ", ".join(engine.REGION_ORDER)}
            )
        return codes or list(engine.REGION_ORDER)


class HoursParam(serializers.CharField):
    """Comfortable hours as ``8-21``."""

    def to_internal_value(self, data) -> tuple[int, int]:
        text = super().to_internal_value(data)
        parts = text.replace("–", "-").split("-")
        try:
            hours = tuple(int(part) for part in parts)
        except ValueError:
            raise serializers.ValidationError(
                _("Give the comfortable hours as two whole hours, e.g. 8-21.")
            ) from None
        try:
            return engine.check_hours(hours)
        except engine.PlannerError as error:
            raise serializers.ValidationError(error.message) from None


class ZoneParam(serializers.CharField):
    def to_internal_value(self, data) -> str:
        text = super().to_internal_value(data)
        try:
            time_rules.get_zone(text)
        except time_rules.TimeRuleError as error:
            raise serializers.ValidationError(error.message) from None
        return text


def _hours_default() -> tuple[int, int]:
    return tuple(settings.COMFORTABLE_HOURS)


class PlannerQuerySerializer(serializers.Serializer):
    regions = RegionCodesParam(
        required=False,
        max_length=300,
        help_text=_("Region codes, comma-separated; empty means all six."),
    )
    date = SupportedDateField(help_text=_("The (first) day, in `tz`."))
    date_to = SupportedDateField(required=False, help_text=_("The last day of a range."))
    duration = serializers.IntegerField(
        required=False, default=60, min_value=1, max_value=engine.MAX_DURATION
    )
    hours = HoursParam(required=False, max_length=10, help_text=_("Comfortable hours, e.g. 8-21."))
    limit = serializers.IntegerField(required=False, default=10, min_value=1, max_value=100)
    tz = ZoneParam(
        required=False,
        max_length=64,
        help_text=_("The zone whose days `date`..`date_to` are; UTC, or the event's zone."),
    )
    event = serializers.SlugField(
        required=False,
        help_text=_(
            "An event slug: plan in its zone and weight each region's zones by where its "
            "registrants live (a region nobody registered from keeps its representative zones)."
        ),
    )

    def validate(self, attrs: dict) -> dict:
        attrs.setdefault("regions", list(engine.REGION_ORDER))
        attrs.setdefault("hours", _hours_default())
        if attrs.get("date_to") and attrs["date_to"] < attrs["date"]:
            raise serializers.ValidationError({"date_to": [_("date_to cannot come before date.")]})
        return attrs


class SeriesQuerySerializer(PlannerQuerySerializer):
    count = serializers.IntegerField(min_value=1, max_value=52, help_text=_("Number of sessions."))
    every = serializers.IntegerField(
        required=False, default=7, min_value=1, max_value=92, help_text=_("Days between them.")
    )
    date_to = None
    limit = None


class EditionsQuerySerializer(serializers.Serializer):
    session = serializers.IntegerField(
        min_value=1, help_text=_("The session to repeat (any of its editions).")
    )
    regions = RegionCodesParam(required=False, max_length=300)
    date = SupportedDateField(required=False)
    date_to = SupportedDateField(required=False)
    hours = HoursParam(required=False, max_length=10)


class EditionsCreateSerializer(EditionsQuerySerializer):
    option = serializers.IntegerField(required=False, default=0, min_value=0, max_value=20)
    regions = serializers.ListField(
        child=serializers.ChoiceField(choices=list(engine.REGION_ORDER)),
        required=False,
        min_length=1,
        max_length=6,
    )


class CoverageQuerySerializer(serializers.Serializer):
    regions = RegionCodesParam(required=False, max_length=300)
    hours = HoursParam(required=False, max_length=10)


# --- answers -------------------------------------------------------------------------------


@extend_schema_field({"type": "string", "format": "date-time"})
class LocalField(serializers.Field):
    """An aware local time as ISO 8601 with its offset."""

    def to_representation(self, value) -> str:
        return value.isoformat()


@extend_schema_field({"type": "string", "format": "date-time"})
class UtcField(serializers.Field):
    def to_representation(self, value) -> str:
        return value.astimezone(time_rules.UTC).isoformat().replace("+00:00", "Z")


class ZoneTimesSerializer(serializers.Serializer):
    zone = serializers.CharField()
    share = serializers.FloatField()
    local_start = LocalField()
    local_end = LocalField()
    comfortable = serializers.BooleanField()


class RegionFitSerializer(serializers.Serializer):
    region = serializers.CharField()
    score = serializers.FloatField()
    comfortable = serializers.BooleanField()
    minutes_away = serializers.FloatField()
    zone = serializers.CharField()
    local_start = LocalField()
    local_end = LocalField()
    zones = ZoneTimesSerializer(many=True)


class SlotSerializer(serializers.Serializer):
    starts_at = UtcField()
    ends_at = UtcField()
    score = serializers.FloatField()
    comfortable_regions = serializers.ListField(child=serializers.CharField())
    regions = RegionFitSerializer(many=True)


class SlotSearchSerializer(serializers.Serializer):
    single_slot = serializers.BooleanField()
    candidates = serializers.IntegerField()
    slots = SlotSerializer(many=True)


class EditionSerializer(serializers.Serializer):
    slot = SlotSerializer()
    serves = serializers.ListField(child=serializers.CharField())
    existing = serializers.BooleanField()


class EditionsCostSerializer(serializers.Serializer):
    new_editions = serializers.IntegerField()
    host_minutes_outside = serializers.IntegerField()
    alternatives = serializers.IntegerField()


class EditionsOptionSerializer(serializers.Serializer):
    editions = EditionSerializer(many=True)
    cost = EditionsCostSerializer()


class EditionsProposalSerializer(serializers.Serializer):
    regions = serializers.ListField(child=serializers.CharField())
    new_editions = serializers.IntegerField()
    options = EditionsOptionSerializer(many=True)


class SeriesPlanSerializer(serializers.Serializer):
    sessions = SlotSerializer(many=True)
    uncomfortable = serializers.DictField(child=serializers.IntegerField())
    spread = serializers.IntegerField()


class NightOnlySerializer(serializers.Serializer):
    group = serializers.IntegerField()
    title = serializers.CharField()
    starts_at = UtcField()
    local_start = LocalField()
    minutes_away = serializers.FloatField()


class OffsetChangeSerializer(serializers.Serializer):
    zone = serializers.CharField()
    at = UtcField()
    before = serializers.CharField()
    after = serializers.CharField()
    message = serializers.CharField()


class RegionCoverageSerializer(serializers.Serializer):
    region = serializers.CharField()
    zone = serializers.CharField()
    sessions = serializers.IntegerField()
    comfortable_sessions = serializers.IntegerField()
    groups = serializers.IntegerField()
    comfortable_groups = serializers.IntegerField()
    night_only = NightOnlySerializer(many=True)
    offset_changes = OffsetChangeSerializer(many=True)


class CoverageSerializer(serializers.Serializer):
    event_zone = serializers.CharField()
    regions = RegionCoverageSerializer(many=True)
