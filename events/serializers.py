"""API shapes for regions, events and sessions. They check types; the rules live in services."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core import calendar_links, time_rules
from core.languages import LANGUAGE_CODES
from events import selectors
from events.enums import EventFormat, EventStatus, SessionFormat, SessionStatus
from events.models import Event, Region, Session

LANGUAGE_CHOICES = list(LANGUAGE_CODES)


# Descriptions are shown on pages and written into every feed that lists the session: a
# documented maximum keeps one session from weighing a feed down.
MAX_DESCRIPTION = 20_000


class SupportedDateField(serializers.DateField):
    """A calendar day between 1973-01-01 and 2199-12-31: outside, a 400 that says so."""

    def to_internal_value(self, value) -> date:
        day = super().to_internal_value(value)
        try:
            time_rules.check_supported_day(day, field=self.field_name)
        except time_rules.TimeRuleError as error:
            raise serializers.ValidationError(error.message) from None
        return day


class CalendarLinksSerializer(serializers.Serializer):
    """Where to get a calendar: download, subscribe, or open in Google or Outlook."""

    ics = serializers.URLField()
    webcal = serializers.CharField()
    google = serializers.URLField()
    outlook = serializers.URLField()


class RegionSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)
    calendar_links = serializers.SerializerMethodField()

    class Meta:
        model = Region
        fields = ["code", "name", "zones", "languages", "countries", "calendar_links"]

    @extend_schema_field(CalendarLinksSerializer())
    def get_calendar_links(self, region: Region) -> dict[str, str]:
        return calendar_links.region_links(
            site_url=settings.SITE_URL, code=region.code, name=str(region.display_name)
        )


class EventSerializer(serializers.ModelSerializer):
    section = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_DESCRIPTION, trim_whitespace=False
    )
    format = serializers.ChoiceField(choices=EventFormat.choices, required=False)
    status = serializers.ChoiceField(choices=EventStatus.choices, required=False)
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=LANGUAGE_CHOICES), required=False, max_length=7
    )
    reminder_offsets = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=28 * 24 * 60),
        required=False,
        max_length=10,
    )
    timezone = serializers.CharField(max_length=64)
    start_date = SupportedDateField()
    end_date = SupportedDateField()
    sessions_url = serializers.SerializerMethodField()
    calendar_links = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "slug",
            "title",
            "description",
            "section",
            "timezone",
            "start_date",
            "end_date",
            "format",
            "status",
            "languages",
            "registration_opens_at",
            "registration_closes_at",
            "reminder_offsets",
            "missed_you_note",
            "sessions_url",
            "calendar_links",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    @extend_schema_field(serializers.URLField())
    def get_sessions_url(self, event: Event) -> str:
        return f"{settings.SITE_URL}/api/events/{event.slug}/sessions/"

    @extend_schema_field(CalendarLinksSerializer())
    def get_calendar_links(self, event: Event) -> dict[str, str]:
        return calendar_links.event_links(
            site_url=settings.SITE_URL, slug=event.slug, title=event.title
        )

    def validate_timezone(self, value: str) -> str:
        time_rules.get_zone(value)
        return value


class EventCreateSerializer(EventSerializer):
    section = serializers.SlugField(
        max_length=64, help_text=_("The slug of a section you organise.")
    )
    slug = serializers.SlugField(max_length=100)

    class Meta(EventSerializer.Meta):
        pass


class EventUpdateSerializer(EventSerializer):
    class Meta(EventSerializer.Meta):
        read_only_fields = ["slug", "created_at", "updated_at"]


@extend_schema_field({"type": "string", "format": "date-time"})
class InstantField(serializers.Field):
    """An ISO 8601 instant that must carry its offset; read back in UTC (``…Z``)."""

    def to_internal_value(self, data) -> datetime:
        if not isinstance(data, str):
            raise serializers.ValidationError(_("Send the date and time as an ISO 8601 string."))
        try:
            return time_rules.parse_instant(data, field=self.field_name)
        except time_rules.TimeRuleError as error:
            raise serializers.ValidationError(error.message) from None

    def to_representation(self, value: datetime) -> str:
        return _utc(value)


@extend_schema_field({"type": "string", "example": "2026-04-28T14:00:00"})
class WallClockField(serializers.Field):
    """A wall-clock date and time without an offset (its zone is given beside it)."""

    def to_internal_value(self, data) -> datetime:
        if not isinstance(data, str):
            raise serializers.ValidationError(_("Send the date and time as an ISO 8601 string."))
        try:
            value = datetime.fromisoformat(data.strip())
        except ValueError:
            raise serializers.ValidationError(
                _("Not a date and time; use the form 2026-04-28T14:00.")
            ) from None
        if value.tzinfo is not None:
            raise serializers.ValidationError(
                _("Give local_start without an offset; timezone says where it is.")
            )
        return value

    def to_representation(self, value: datetime) -> str:
        return value.replace(tzinfo=None).isoformat()


class RegionCodesField(serializers.ListField):
    """Region codes in and out (reads use the prefetched regions)."""

    def to_representation(self, value) -> list[str]:
        return [region.code for region in value.all()]


class LocalTimesSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    timezone = serializers.CharField()
    utc_offset = serializers.CharField()
    comfortable = serializers.BooleanField()


def local_times(session: Session, zone_name: str, hours: tuple[int, int]) -> dict:
    start = time_rules.utc_to_local(session.starts_at, zone_name)
    end = time_rules.utc_to_local(session.ends_at, zone_name)
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "timezone": zone_name,
        "utc_offset": time_rules.format_offset(start.utcoffset()).removeprefix("UTC"),
        "comfortable": time_rules.is_comfortable(
            session.starts_at, session.ends_at, zone_name, hours
        ),
    }


class SessionSerializer(serializers.ModelSerializer):
    """A session. Write its time as ``starts_at`` (with offset) or ``local_start`` + ``timezone``
    (``fold`` 0/1 for an ambiguous wall-clock time), and its end as ``ends_at`` or
    ``duration_minutes``. With ``?tz=ZONE`` reads add a ``local`` object for that zone."""

    event = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    starts_at = InstantField(required=False)
    ends_at = InstantField(required=False)
    timezone = serializers.CharField(max_length=64, required=False)
    local_start = WallClockField(
        required=False,
        help_text=_("Wall-clock start in `timezone`, without an offset, e.g. 2026-04-28T14:00."),
    )
    fold = serializers.IntegerField(
        required=False,
        write_only=True,
        min_value=0,
        max_value=1,
        help_text=_("For a wall-clock time that happens twice: 0 the first, 1 the second."),
    )
    duration_minutes = serializers.IntegerField(required=False, min_value=1, max_value=24 * 60)
    format = serializers.ChoiceField(choices=SessionFormat.choices, required=False)
    status = serializers.ChoiceField(choices=SessionStatus.choices, required=False)
    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES, required=False)
    regions = RegionCodesField(
        child=serializers.SlugField(max_length=40), required=False, max_length=6
    )
    speakers = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=50
    )
    edition_of = serializers.IntegerField(
        source="edition_of_id", required=False, allow_null=True, min_value=1
    )
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_DESCRIPTION, trim_whitespace=False
    )
    local = serializers.SerializerMethodField()
    calendar_links = serializers.SerializerMethodField()

    class Meta:
        model = Session
        fields = [
            "id",
            "event",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "timezone",
            "local_start",
            "fold",
            "duration_minutes",
            "format",
            "language",
            "capacity",
            "join_url",
            "regions",
            "speakers",
            "track",
            "status",
            "sequence",
            "edition_of",
            "recording_url",
            "uid",
            "updated_at",
            "local",
            "calendar_links",
        ]
        read_only_fields = ["id", "sequence", "uid", "updated_at"]
        extra_kwargs = {
            "title": {"required": False},
            "join_url": {
                "help_text": _(
                    "The meeting's URL: only in answers to the organisers of the session's "
                    "section. Participants get a personal join link per confirmed seat."
                )
            },
        }

    def to_representation(self, session: Session) -> dict:
        data = super().to_representation(session)
        data["starts_at"] = _utc(session.starts_at)
        data["ends_at"] = _utc(session.ends_at)
        data["local_start"] = session.local_start.replace(tzinfo=None).isoformat()
        data["duration_minutes"] = session.duration_minutes
        if data.get("local") is None:
            data.pop("local", None)
        if not self._shows_join_url(session):
            data.pop("join_url", None)
        return data

    def _shows_join_url(self, session: Session) -> bool:
        """The meeting URL is the organisers' secret: only the organisers of the session's
        section see it (``context["organiser"]`` when the caller checked already)."""
        if self.context.get("organiser"):
            return True
        user = getattr(self.context.get("request"), "user", None)
        if user is None or not user.is_authenticated:
            return False
        managed = self.context.get("managed_sections")
        if managed is None:  # once per answer, not once per session
            managed = set(selectors.sections_managed_by(user).values_list("pk", flat=True))
            self.context["managed_sections"] = managed
        return session.event.section_id in managed

    @extend_schema_field(LocalTimesSerializer(allow_null=True))
    def get_local(self, session: Session) -> dict | None:
        zone = self.context.get("viewer_zone")
        if not zone:
            return None
        return local_times(session, zone, settings.COMFORTABLE_HOURS)

    @extend_schema_field(CalendarLinksSerializer())
    def get_calendar_links(self, session: Session) -> dict[str, str]:
        """Public links: they never carry the join link (the event is already loaded)."""
        return calendar_links.session_links(
            site_url=settings.SITE_URL,
            session_id=session.pk,
            title=session.title,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            timezone=session.timezone,
            description=session.description,
            page_url=f"{settings.SITE_URL}/events/{session.event.slug}/",
        )

    def validate_timezone(self, value: str) -> str:
        time_rules.get_zone(value)
        return value


def _utc(value: datetime) -> str:
    return value.astimezone(time_rules.UTC).isoformat().replace("+00:00", "Z")
