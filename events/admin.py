"""Organisers' admin: events with their sessions inline, scoped to the organiser's sections.

Sessions are edited as a wall-clock time in their own zone; the UTC instants are shown
read-only beside it. Every write goes through ``events.services`` so the time rules hold.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils import timezone as django_timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from core import display, time_rules
from core.errors import DomainError
from core.languages import language_choices
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


#: The reminder offsets offered as boxes (minutes before a session starts); an event's own
#: other values are offered beside them so that nothing set through the API is lost.
COMMON_REMINDER_OFFSETS = (7 * 1440, 3 * 1440, 2 * 1440, 1440, 720, 360, 180, 120, 60, 30, 15, 10)


def zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(time_rules.place_zone_names())]


def keep_stored_zone(form: forms.ModelForm) -> None:
    """A zone stored before it was checked as a place (or under an old spelling) stays
    selectable, so that editing something else does not fail on it."""
    stored = form.instance.timezone if form.instance.pk else ""
    field = form.fields.get("timezone")
    if field is not None and stored and stored not in dict(field.choices):
        field.choices = [(stored, stored), *field.choices]


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal beside the field it names (or above the form)."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


class EventForm(forms.ModelForm):
    """An event with real widgets: a zone list, language boxes, reminder durations."""

    timezone = forms.ChoiceField(label=_("time zone"), choices=zone_choices)
    languages = forms.TypedMultipleChoiceField(
        label=_("languages"),
        choices=language_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The languages participants may choose for their emails."),
    )
    reminder_offsets = forms.TypedMultipleChoiceField(
        label=_("reminders"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("How long before each session its registrants are reminded."),
    )

    class Meta:
        model = Event
        fields = [
            "section",
            "slug",
            "title",
            "description",
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
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        keep_stored_zone(self)
        current = set(self.instance.reminder_offsets or ()) if self.instance.pk else set()
        offsets = sorted(set(COMMON_REMINDER_OFFSETS) | current, reverse=True)
        language = get_language()
        self.fields["reminder_offsets"].choices = [
            (minutes, display.format_duration(minutes, language)) for minutes in offsets
        ]
        if not self.instance.pk:
            self.initial.setdefault("reminder_offsets", [1440, 60])
            self.initial.setdefault("languages", ["en"])
        zone = django_timezone.get_current_timezone_name()
        for name in ("registration_opens_at", "registration_closes_at"):
            if name in self.fields:
                self.fields[name].help_text = _("In %(zone)s.") % {"zone": zone}

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        values = {field: cleaned.get(field) for field in services.EVENT_FIELDS}
        values["reminder_offsets"] = list(values["reminder_offsets"] or [])
        try:
            services.check_event_values(values, event=self.instance if self.instance.pk else None)
            if self.instance.pk:
                services.check_status_change(self.instance, cleaned["status"])
        except DomainError as error:
            add_domain_error(self, error)
        return cleaned


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
    timezone = forms.ChoiceField(label=_("time zone"), choices=zone_choices)

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
        keep_stored_zone(self)
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
        key: data[key]
        for key in (
            "description",
            "format",
            "language",
            "capacity",
            "join_url",
            "track",
            "recording_url",
        )
        if key in form.fields
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
    form = EventForm

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":
            kwargs["queryset"] = selectors.sections_managed_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        sections = list(selectors.sections_managed_by(request.user)[:2])
        if len(sections) == 1:
            initial.setdefault("section", sections[0].pk)
        return initial

    def save_model(self, request, obj, form, change):
        """Through the services: offsets normalised, hooks told, status changes applied."""
        values = {field: form.cleaned_data[field] for field in services.EVENT_FIELDS}
        values["reminder_offsets"] = list(values["reminder_offsets"])
        if change:
            event = services.update_event(event=obj, status=form.cleaned_data["status"], **values)
        else:
            event = services.create_event(
                section=form.cleaned_data["section"],
                slug=form.cleaned_data["slug"],
                status=form.cleaned_data["status"],
                **values,
            )
        form.instance = event
        obj.pk = event.pk

    def save_formset(self, request, form, formset, change):
        if formset.model is not Session:
            return super().save_formset(request, form, formset, change)
        # What ``BaseModelFormSet.save`` records, which the admin's history message reads.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            if not inline_form.has_changed() or not hasattr(inline_form, "cleaned_data"):
                continue
            if inline_form.cleaned_data.get("DELETE"):
                if inline_form.instance.pk:
                    services.delete_session(session=inline_form.instance)
                    formset.deleted_objects.append(inline_form.instance)
            elif "schedule" in inline_form.cleaned_data:
                created = not inline_form.instance.pk
                session = save_session_form(inline_form, form.instance)
                if created:
                    formset.new_objects.append(session)
                else:
                    formset.changed_objects.append((session, inline_form.changed_data))
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
