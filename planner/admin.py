"""The organisers' planner page inside the admin, and the "propose and create editions" action.

Plain server-rendered HTML: a 24-hour × regions heat map for a date, candidate starts that
open the admin's add-session form prefilled, and the coverage report of an event.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from core import display, time_rules
from core.errors import DomainError
from core.regions import REGIONS
from events import selectors
from events.admin import SessionAdmin
from events.models import Event, Region, Session
from planner import engine
from planner import selectors as planner_selectors
from planner import services as planner_services


class PlannerForm(forms.Form):
    date = forms.DateField(
        label=gettext_lazy("date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    regions = forms.MultipleChoiceField(
        label=gettext_lazy("regions"),
        choices=[(region.code, region.name) for region in REGIONS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    duration = forms.IntegerField(
        label=gettext_lazy("duration (minutes)"),
        min_value=1,
        max_value=engine.MAX_DURATION,
        initial=90,
    )
    event = forms.ModelChoiceField(
        label=gettext_lazy("event"), queryset=Event.objects.none(), required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = Event.objects.filter(
            section__in=selectors.sections_managed_by(user)
        )


def _add_session_url(event: Event | None, slot: engine.Slot, duration: int) -> str:
    zone = event.timezone if event else "UTC"
    local = slot.starts_at.astimezone(time_rules.get_zone(zone))
    region_ids = Region.objects.filter(code__in=slot.comfortable_regions).values_list(
        "pk", flat=True
    )
    query = {
        "local_start": local.strftime("%Y-%m-%dT%H:%M"),
        "timezone": zone,
        "duration_minutes": duration,
        "regions": ",".join(str(pk) for pk in region_ids),
    }
    if event:
        query["event"] = event.pk
    return f"{reverse('admin:events_session_add')}?{urlencode(query)}"


def planner_page(request):
    """Heat map, candidate slots and coverage for organisers (staff only, via admin_view)."""
    form = PlannerForm(request.GET or None, user=request.user)
    context = {**admin.site.each_context(request), "title": _("Time-zone planner"), "form": form}
    if form.is_valid():
        data = form.cleaned_data
        event = data["event"]
        zone = event.timezone if event else "UTC"
        weights = planner_selectors.registrant_zone_weights(event) if event else {}
        regions = data["regions"] or list(engine.REGION_ORDER)
        hours = tuple(settings.COMFORTABLE_HOURS)
        try:
            rows = engine.heat_map(
                regions=regions, day=data["date"], zone=zone, hours=hours, weights=weights
            )
            search = engine.find_slots(
                regions=regions,
                first_day=data["date"],
                duration_minutes=data["duration"],
                hours=hours,
                zone=zone,
                weights=weights,
                limit=8,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            names = {region.code: region.name for region in REGIONS}
            context.update(
                zone=zone,
                hours_header=[
                    cell.starts_at.astimezone(time_rules.get_zone(zone)).strftime("%H")
                    for cell in rows[0].cells
                ],
                rows=[(names[row.region], row) for row in rows],
                search=search,
                slots=[
                    (
                        display.format_datetime(slot.starts_at, zone, get_language()),
                        slot,
                        _add_session_url(event, slot, data["duration"]),
                        [
                            (
                                names[fit.region],
                                display.format_time(fit.local_start, fit.zone, get_language()),
                            )
                            for fit in slot.regions
                            if fit.comfortable
                        ],
                    )
                    for slot in search.slots
                ],
                region_names=names,
            )
            if event:
                coverage = planner_selectors.coverage_of(event)
                context["coverage"] = coverage
                context["coverage_rows"] = [
                    (names.get(region.region, region.region), region) for region in coverage.regions
                ]
                context["event"] = event
    return TemplateResponse(request, "planner/planner_page.html", context)


@admin.action(description=gettext_lazy("Propose and create editions for every region"))
def propose_and_create_editions(modeladmin, request, queryset):
    """For each selected session, create the fewest editions that give every region it is
    meant for a comfortable one (within its event's dates)."""
    for session in queryset.select_related("event"):
        try:
            created = planner_services.create_proposed_editions(session=session)
        except DomainError as error:
            modeladmin.message_user(request, f"{session}: {error.message}", messages.WARNING)
            continue
        language = get_language()
        event_zone = session.event.timezone
        times = "; ".join(
            _("%(title)s at %(local)s in %(city)s (%(event_time)s in %(event_city)s)")
            % {
                "title": item.title,
                "local": display.format_datetime(item.starts_at, item.timezone, language),
                "city": display.zone_city(item.timezone, language),
                "event_time": display.format_datetime(item.starts_at, event_zone, language),
                "event_city": display.zone_city(event_zone, language),
            }
            for item in created
        )
        modeladmin.message_user(
            request,
            ngettext(
                "%(session)s: created %(count)d edition: %(times)s.",
                "%(session)s: created %(count)d editions: %(times)s.",
                len(created),
            )
            % {"session": session, "count": len(created), "times": times},
            messages.SUCCESS,
        )


# The planner's action on the sessions' admin (events' own admin knows nothing of the planner).
admin.site.unregister(Session)


@admin.register(Session)
class PlannedSessionAdmin(SessionAdmin):
    actions = [*SessionAdmin.actions, propose_and_create_editions]
