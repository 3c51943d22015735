"""Organisers' admin: events with their sessions inline, scoped to the organiser's sections.

Sessions are edited as a wall-clock time in their own zone; the UTC instants are shown
read-only beside it. Every write goes through ``events.services`` so the time rules hold.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import time_rules
from core.errors import DomainError
from events import selectors, services
from events.enums import EventStatus
from events.models import Event, Region, Section, Session


class ScopedToSectionMixin:
    """Organisers see and change only what belongs to their sections."""

    section_path = "section"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(
            **{f"{self.section_path}__in": selectors.sections_managed_by(request.user)}
        )


@admin.register(Section)
class SectionAdmin(ScopedToSectionMixin, admin.ModelAdmin):
    section_path = "pk"
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["organisers"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "zones", "languages"]
    readonly_fields = ["code", "countries"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SessionForm(forms.ModelForm):
    """A session written as wall-clock start + zone + duration, checked by the time rules."""

    local_start = forms.DateTimeField(
        label=_("local start"),
        help_text=_("Wall-clock time in the session's time zone."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    duration_minutes = forms.IntegerField(
        label=_("duration (minutes)"), min_value=1, max_value=1440
    )
    fold = forms.TypedChoiceField(
        label=_("if the time happens twice"),
        choices=[("", _("refuse")), ("0", _("the first")), ("1", _("the second"))],
        coerce=int,
        required=False,
        empty_value=None,
    )

    class Meta:
        model = Session
        fields = [
            "title",
            "local_start",
            "timezone",
            "fold",
            "duration_minutes",
            "format",
            "language",
            "capacity",
            "join_url",
            "regions",
            "track",
            "status",
            "edition_of",
            "recording_url",
            "description",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.pk:
            self.initial["local_start"] = instance.local_start.replace(tzinfo=None)
            self.initial["duration_minutes"] = instance.duration_minutes

    def clean(self):
        cleaned = super().clean()
        local_start = cleaned.get("local_start")
        zone = cleaned.get("timezone")
        duration = cleaned.get("duration_minutes")
        if local_start is None or not zone or not duration:
            return cleaned
        local_start = local_start.replace(tzinfo=None)
        try:
            schedule = time_rules.resolve_schedule(
                timezone=zone,
                local_start=local_start,
                fold=cleaned.get("fold"),
                duration_minutes=duration,
            )
            event = (
                cleaned.get("event")
                or (self.instance.event if self.instance.event_id else None)
                or getattr(self, "parent_event", None)
            )
            if event is not None:
                time_rules.check_within_dates(
                    schedule,
                    first_day=event.start_date,
                    last_day=event.end_date,
                    event_zone=event.timezone,
                )
        except time_rules.TimeRuleError as error:
            field = error.field if error.field in self.fields else None
            if error.field == "duration_minutes" or error.field == "ends_at":
                field = "duration_minutes"
            elif error.field in ("starts_at", "local_start"):
                field = "local_start"
            self.add_error(field, error.message)
            return cleaned
        cleaned["schedule"] = schedule
        return cleaned


class StandaloneSessionForm(SessionForm):
    class Meta(SessionForm.Meta):
        fields = ["event", *SessionForm.Meta.fields]


def save_session_form(form: SessionForm, event: Event) -> Session:
    """Apply an admin session form through the services (SEQUENCE and hooks included)."""
    data = form.cleaned_data
    values = {
        key: data.get(key)
        for key in (
            "description",
            "format",
            "language",
            "capacity",
            "join_url",
            "track",
            "recording_url",
        )
    }
    schedule = data["schedule"]
    regions = [region.code for region in data.get("regions") or []]
    edition_of = data.get("edition_of")
    if form.instance.pk:
        session = services.update_session(
            session=form.instance,
            title=data["title"],
            starts_at=schedule.starts_at,
            ends_at=schedule.ends_at,
            timezone=schedule.timezone,
            regions=regions,
            status=data.get("status"),
            edition_of=edition_of.pk if edition_of else None,
            **values,
        )
    else:
        session = services.create_session(
            event=event,
            title=data["title"],
            starts_at=schedule.starts_at,
            ends_at=schedule.ends_at,
            timezone=schedule.timezone,
            regions=regions,
            edition_of=edition_of,
            **values,
        )
    form.instance = session
    return session


class SessionInline(admin.StackedInline):
    model = Session
    form = SessionForm
    fk_name = "event"
    extra = 0
    show_change_link = True
    readonly_fields = ["starts_at", "ends_at", "sequence"]
    fields = [
        ("title", "status"),
        ("local_start", "timezone", "fold", "duration_minutes"),
        ("starts_at", "ends_at", "sequence"),
        ("format", "language", "capacity", "track"),
        "join_url",
        "regions",
        "edition_of",
    ]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.parent_event = obj
        return formset


@admin.register(Event)
class EventAdmin(ScopedToSectionMixin, admin.ModelAdmin):
    list_display = ["title", "section", "start_date", "end_date", "timezone", "status", "format"]
    list_filter = ["status", "format", "section", "start_date"]
    search_fields = ["title", "slug", "description"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "start_date"
    inlines = [SessionInline]
    actions = ["publish_events", "cancel_events"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":
            kwargs["queryset"] = selectors.sections_managed_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Session:
            return super().save_formset(request, form, formset, change)
        for inline_form in formset.forms:
            if not inline_form.has_changed() or not hasattr(inline_form, "cleaned_data"):
                continue
            if inline_form.cleaned_data.get("DELETE") and inline_form.instance.pk:
                services.delete_session(session=inline_form.instance)
            elif "schedule" in inline_form.cleaned_data:
                save_session_form(inline_form, form.instance)
        return None

    @admin.action(description=_("Publish the selected events"))
    def publish_events(self, request, queryset):
        self._apply(request, queryset, services.publish_event, _("published"))

    @admin.action(description=_("Cancel the selected events (and their sessions)"))
    def cancel_events(self, request, queryset):
        self._apply(
            request,
            queryset.exclude(status=EventStatus.CANCELLED),
            services.cancel_event,
            _("cancelled"),
        )

    def _apply(self, request, queryset, service, verb):
        done = 0
        for event in queryset:
            try:
                service(event=event)
                done += 1
            except DomainError as error:
                self.message_user(request, f"{event}: {error.message}", messages.ERROR)
        self.message_user(
            request,
            ngettext("%(count)d event %(verb)s.", "%(count)d events %(verb)s.", done)
            % {"count": done, "verb": verb},
            messages.SUCCESS,
        )


@admin.register(Session)
class SessionAdmin(ScopedToSectionMixin, admin.ModelAdmin):
    section_path = "event__section"
    form = StandaloneSessionForm
    list_display = ["title", "event", "local_start_display", "timezone", "starts_at", "status"]
    list_filter = ["status", "format", "language", "regions", "event"]
    search_fields = ["title", "description", "event__title", "track"]
    readonly_fields = ["starts_at", "ends_at", "sequence", "uid"]
    list_select_related = ["event"]

    @admin.display(description=_("local start"), ordering="starts_at")
    def local_start_display(self, session: Session) -> str:
        return session.local_start.strftime("%Y-%m-%d %H:%M")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "event":
            kwargs["queryset"] = Event.objects.filter(
                section__in=selectors.sections_managed_by(request.user)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        save_session_form(form, form.cleaned_data["event"])

    def save_related(self, request, form, formsets, change):
        # Regions were set by the service; nothing else to save.
        return None

    def delete_model(self, request, obj):
        services.delete_session(session=obj)
