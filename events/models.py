"""Sections, regions, events and sessions.

Instants are stored in UTC; each event and session also keeps the IANA zone it was planned
in. Writes go through ``events.services``; these models only hold data and thin helpers.
"""

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import time_rules
from core.regions import REGIONS_BY_CODE
from events.enums import EventFormat, EventStatus, SessionFormat, SessionStatus


def default_reminder_offsets() -> list[int]:
    return [24 * 60, 60]


def default_languages() -> list[str]:
    return ["en"]


class Section(models.Model):
    """The organising unit (a professional section); its organisers manage its events."""

    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="organised_sections",
        blank=True,
        verbose_name=_("organisers"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.name


class Region(models.Model):
    """One of the six world regions (loaded by a data migration from ``core.regions``)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    countries = models.JSONField(_("countries"), default=list)
    zones = models.JSONField(_("representative time zones"), default=list)
    languages = models.JSONField(_("default languages"), default=list)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The region's name in the active language."""
        data = REGIONS_BY_CODE.get(self.code)
        return str(data.name) if data else self.name


class Event(models.Model):
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="events", verbose_name=_("section")
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    timezone = models.CharField(
        _("reference time zone"),
        max_length=64,
        help_text=_("The IANA zone the event's dates are given in, e.g. Europe/Amsterdam."),
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    format = models.CharField(
        _("format"), max_length=20, choices=EventFormat.choices, default=EventFormat.ONLINE
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    languages = models.JSONField(_("languages"), default=default_languages)
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    reminder_offsets = models.JSONField(
        _("reminder offsets (minutes before start)"), default=default_reminder_offsets
    )
    missed_you_note = models.BooleanField(
        _("“sorry we missed you” note"),
        default=False,
        help_text=_(
            "In the recording email, confirmed participants who did not join the session read "
            "a short note that they were missed."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start_date", "slug"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["status", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="event_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == EventStatus.PUBLISHED


class Session(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("event")
    )
    uid = models.UUIDField(_("calendar UID"), default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts (UTC)"), db_index=True)
    ends_at = models.DateTimeField(_("ends (UTC)"))
    timezone = models.CharField(_("time zone"), max_length=64)
    format = models.CharField(
        _("format"), max_length=20, choices=SessionFormat.choices, default=SessionFormat.TALK
    )
    language = models.CharField(_("language"), max_length=10, default="en")
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty means no limit.")
    )
    join_url = models.URLField(_("join link"), max_length=500, blank=True)
    regions = models.ManyToManyField(
        Region, related_name="sessions", blank=True, verbose_name=_("target regions")
    )
    speakers = models.JSONField(_("speakers"), default=list, blank=True)
    track = models.CharField(_("track"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    sequence = models.PositiveIntegerField(_("sequence"), default=0)
    edition_of = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="editions",
        verbose_name=_("edition of"),
        help_text=_("The session this one repeats at another time."),
    )
    recording_url = models.URLField(_("recording link"), max_length=500, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [models.Index(fields=["event", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def local_start(self) -> datetime:
        """The start as a wall-clock time in the session's own zone."""
        return time_rules.utc_to_local(self.starts_at, self.timezone)

    @property
    def local_end(self) -> datetime:
        return time_rules.utc_to_local(self.ends_at, self.timezone)

    @property
    def edition_root_id(self) -> int:
        """The id shared by all editions of the same session."""
        return self.edition_of_id or self.pk
