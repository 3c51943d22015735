"""Organisers' admin for registrations and questions, scoped to the organiser's sections.

Registrations are read-only here: seats and waitlists change only through the services
(the public API and the manage link). Secret tokens are never shown.
"""

from __future__ import annotations

from django.contrib import admin

from events.admin import ScopedToSectionMixin
from events.models import Event
from events.selectors import sections_managed_by
from registrations.models import Participant, Question, Registration, SessionRegistration


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Question)
class QuestionAdmin(ScopedToSectionMixin, admin.ModelAdmin):
    section_path = "event__section"
    list_display = ["text", "event", "key", "kind", "required", "position"]
    list_filter = ["kind", "required", "event"]
    search_fields = ["text", "key"]
    list_select_related = ["event"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "event":
            kwargs["queryset"] = Event.objects.filter(section__in=sections_managed_by(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SessionRegistrationInline(ReadOnlyMixin, admin.TabularInline):
    model = SessionRegistration
    fk_name = "registration"
    fields = ["session", "status", "waitlist_position", "confirmed_at", "cancelled_at"]
    readonly_fields = fields
    extra = 0


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyMixin, ScopedToSectionMixin, admin.ModelAdmin):
    section_path = "event__section"
    list_display = ["participant_name", "participant_email", "event", "status", "created_at"]
    list_filter = ["status", "source", "event", "participant__region"]
    search_fields = ["participant__name", "participant__email", "participant__organisation"]
    list_select_related = ["participant", "event"]
    fields = ["participant", "event", "status", "source", "answers", "created_at", "cancelled_at"]
    readonly_fields = fields
    inlines = [SessionRegistrationInline]

    @admin.display(description=Participant._meta.get_field("name").verbose_name)
    def participant_name(self, registration: Registration) -> str:
        return registration.participant.name

    @admin.display(description=Participant._meta.get_field("email").verbose_name)
    def participant_email(self, registration: Registration) -> str:
        return registration.participant.email


@admin.register(SessionRegistration)
class SessionRegistrationAdmin(ReadOnlyMixin, ScopedToSectionMixin, admin.ModelAdmin):
    section_path = "session__event__section"
    list_display = ["participant", "session", "status", "waitlist_position", "created_at"]
    list_filter = ["status", "session__event"]
    search_fields = ["participant__name", "participant__email", "session__title"]
    list_select_related = ["participant", "session"]
    ordering = ["session", "status", "waitlist_position", "id"]


@admin.register(Participant)
class ParticipantAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "email", "organisation", "country", "region", "timezone", "language"]
    list_filter = ["region", "language"]
    search_fields = ["name", "email", "organisation"]
    list_select_related = ["region"]
    exclude = ["token", "token_hash"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        # Organisers see the people registered for their sections' events, no one else.
        return queryset.filter(
            registrations__event__section__in=sections_managed_by(request.user)
        ).distinct()
