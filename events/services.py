"""Writes for sections, events and sessions. Every rule about them is enforced here.

Functions are keyword-only and atomic; they raise :class:`EventsError` (or
:class:`~core.time_rules.TimeRuleError`) with a message a person can act on.
Views, admin actions and commands call these and nothing else to change events.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone as django_timezone
from django.utils.translation import gettext as _

from core import time_rules
from core.languages import LANGUAGE_CODES
from events import hooks
from events.enums import EventStatus, SessionStatus
from events.errors import EventsError
from events.models import Event, Region, Section, Session

# Changes to these make calendars re-read the session, so its SEQUENCE rises (RFC 5546 §2.1.4).
# Not join_url: participants hold personal join links, which follow a new meeting URL.
SEQUENCE_FIELDS = ("starts_at", "ends_at", "timezone", "status", "title")
EVENT_FIELDS = (
    "title",
    "description",
    "timezone",
    "start_date",
    "end_date",
    "format",
    "languages",
    "registration_opens_at",
    "registration_closes_at",
    "reminder_offsets",
    "missed_you_note",
)
SESSION_PLAIN_FIELDS = (
    "title",
    "description",
    "format",
    "language",
    "capacity",
    "join_url",
    "speakers",
    "track",
    "recording_url",
)
MAX_REMINDER_OFFSET = 28 * 24 * 60
SUPPORTED_LANGUAGES = frozenset(LANGUAGE_CODES)


def user_can_manage_section(user, section: Section) -> bool:
    """Superusers manage every section; organisers manage the sections they belong to."""
    if not user or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return section.organisers.filter(pk=user.pk).exists()


def ensure_section(*, slug: str, name: str | None = None) -> Section:
    section, _created = Section.objects.get_or_create(
        slug=slug, defaults={"name": name or slug.replace("-", " ").title()}
    )
    return section


def check_event_values(values: dict[str, Any], *, event: Event | None = None) -> None:
    """Raise EventsError / TimeRuleError if ``values`` (every EVENT_FIELDS key) are not a valid
    event; for an existing ``event``, also if its sessions would fall outside new dates."""
    _check_event_values(values)
    if event is None or (
        values["start_date"] == event.start_date
        and values["end_date"] == event.end_date
        and values["timezone"] == event.timezone
    ):
        return
    for session in event.sessions.exclude(status=SessionStatus.CANCELLED):
        time_rules.check_within_dates(
            time_rules.Schedule(session.starts_at, session.ends_at, session.timezone),
            first_day=values["start_date"],
            last_day=values["end_date"],
            event_zone=values["timezone"],
        )


def _check_event_values(values: dict[str, Any]) -> None:
    time_rules.get_zone(values["timezone"], field="timezone")
    if values["end_date"] < values["start_date"]:
        raise EventsError(_("The last day cannot come before the first day."), field="end_date")
    if (values["end_date"] - values["start_date"]).days > 366:
        raise EventsError(_("An event may span at most one year."), field="end_date")
    languages = values.get("languages") or []
    unknown = [code for code in languages if code not in SUPPORTED_LANGUAGES]
    if not languages or unknown:
        raise EventsError(
            _("Languages must be chosen from: %(choices)s.")
            % {"choices": ", ".join(sorted(SUPPORTED_LANGUAGES))},
            field="languages",
        )
    offsets = values.get("reminder_offsets") or []
    if any(
        not isinstance(minutes, int)
        or isinstance(minutes, bool)
        or not 0 < minutes <= MAX_REMINDER_OFFSET
        for minutes in offsets
    ):
        raise EventsError(
            _("Reminder offsets are minutes before the start, between 1 and %(max)s.")
            % {"max": MAX_REMINDER_OFFSET},
            field="reminder_offsets",
        )
    opens, closes = values.get("registration_opens_at"), values.get("registration_closes_at")
    if opens and closes and closes <= opens:
        raise EventsError(
            _("Registration must close after it opens."), field="registration_closes_at"
        )


@transaction.atomic
def create_event(*, section: Section, slug: str, **values: Any) -> Event:
    """Create a draft (or, with ``status``, published) event in a section."""
    values.setdefault("languages", ["en"])
    values.setdefault("reminder_offsets", [24 * 60, 60])
    values["timezone"] = time_rules.current_zone_name(values.get("timezone"), field="timezone")
    _check_event_values(values)
    if Event.objects.filter(slug=slug).exists():
        raise EventsError(_("An event with this slug already exists."), field="slug")
    values["reminder_offsets"] = sorted(set(values["reminder_offsets"]), reverse=True)
    return Event.objects.create(section=section, slug=slug, **values)


@transaction.atomic
def update_event(*, event: Event, **changes: Any) -> Event:
    """Change an event's details. Sessions outside new dates make the change fail."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    status = changes.pop("status", None)
    values = {field: getattr(event, field) for field in EVENT_FIELDS}
    values.update({key: value for key, value in changes.items() if key in EVENT_FIELDS})
    values["timezone"] = time_rules.current_zone_name(values["timezone"], field="timezone")
    check_event_values(values, event=event)
    values["reminder_offsets"] = sorted(set(values["reminder_offsets"]), reverse=True)
    previous_offsets = list(event.reminder_offsets or ())
    for field, value in values.items():
        setattr(event, field, value)
    event.save()
    if set(event.reminder_offsets) != set(previous_offsets):
        hooks.event_reminder_offsets_changed(event=event, previous=previous_offsets)
    if status is not None and status != event.status:
        check_status_change(event, status)
        if status == EventStatus.PUBLISHED:
            publish_event(event=event)
        else:
            cancel_event(event=event)
        event.refresh_from_db()
    return event


def check_status_change(event: Event, status: str) -> None:
    """Raise EventsError unless an event may go from its status to ``status``."""
    if status == event.status:
        return
    if status == EventStatus.DRAFT:
        raise EventsError(
            _("A published or cancelled event cannot go back to draft."), field="status"
        )
    if event.status == EventStatus.CANCELLED:
        raise EventsError(_("A cancelled event cannot be published again."), field="status")


@transaction.atomic
def publish_event(*, event: Event) -> Event:
    if event.status == EventStatus.CANCELLED:
        raise EventsError(_("A cancelled event cannot be published again."), field="status")
    Event.objects.filter(pk=event.pk).update(
        status=EventStatus.PUBLISHED, updated_at=django_timezone.now()
    )
    event.status = EventStatus.PUBLISHED
    return event


@transaction.atomic
def cancel_event(*, event: Event) -> Event:
    """Cancel an event and every session of it that is still scheduled."""
    for session in event.sessions.filter(status=SessionStatus.SCHEDULED):
        cancel_session(session=session)
    Event.objects.filter(pk=event.pk).update(
        status=EventStatus.CANCELLED, updated_at=django_timezone.now()
    )
    event.status = EventStatus.CANCELLED
    return event


@transaction.atomic
def delete_event(*, event: Event) -> None:
    """Delete a draft event; a published one is cancelled instead so that calendars learn it."""
    if event.status == EventStatus.DRAFT:
        event.delete()
    elif event.status == EventStatus.PUBLISHED:
        cancel_event(event=event)


def _resolve_regions(codes: Iterable[str] | None) -> list[Region] | None:
    if codes is None:
        return None
    codes = list(dict.fromkeys(codes))
    regions = list(Region.objects.filter(code__in=codes))
    missing = sorted(set(codes) - {region.code for region in regions})
    if missing:
        raise EventsError(
            _("Unknown region: %(codes)s.") % {"codes": ", ".join(missing)}, field="regions"
        )
    return regions


def _check_session_values(event: Event, values: dict[str, Any]) -> None:
    if values.get("language") and values["language"] not in SUPPORTED_LANGUAGES:
        raise EventsError(
            _("Language must be one of: %(choices)s.")
            % {"choices": ", ".join(sorted(SUPPORTED_LANGUAGES))},
            field="language",
        )
    speakers = values.get("speakers")
    if speakers is not None and (
        not isinstance(speakers, list)
        or any(not isinstance(name, str) or len(name) > 200 for name in speakers)
    ):
        raise EventsError(_("Speakers must be a list of names."), field="speakers")


def _resolve_edition_of(event: Event, edition_of: Session | int | None) -> Session | None:
    if edition_of is None:
        return None
    root = (
        edition_of
        if isinstance(edition_of, Session)
        else (Session.objects.filter(pk=edition_of).first())
    )
    if root is None or root.event_id != event.pk:
        raise EventsError(
            _("edition_of must name a session of the same event."), field="edition_of"
        )
    # Editions hang from one root so that "the same session" is one id.
    if root.edition_of_id:
        root = root.edition_of
    return root


def _event_schedule(event: Event, **times: Any) -> time_rules.Schedule:
    """Resolve a session's times (see ``time_rules.resolve_schedule``) within its event's dates."""
    schedule = time_rules.resolve_schedule(**times)
    time_rules.check_within_dates(
        schedule, first_day=event.start_date, last_day=event.end_date, event_zone=event.timezone
    )
    return schedule


@transaction.atomic
def create_session(
    *,
    event: Event,
    title: str,
    timezone: str | None = None,
    starts_at: datetime | None = None,
    local_start: datetime | None = None,
    fold: int | None = None,
    ends_at: datetime | None = None,
    duration_minutes: int | None = None,
    regions: Iterable[str] | None = None,
    edition_of: Session | int | None = None,
    **values: Any,
) -> Session:
    """Schedule a session of an event.

    The time is either ``starts_at`` (aware) or ``local_start`` + ``timezone`` (``fold`` for
    an ambiguous wall-clock time), and either ``ends_at`` or ``duration_minutes``. The zone
    defaults to the event's. Raises TimeRuleError / EventsError naming the field at fault.
    """
    if event.status == EventStatus.CANCELLED:
        raise EventsError(_("This event is cancelled; it cannot get new sessions."))
    schedule = _event_schedule(
        event,
        timezone=timezone or event.timezone,
        starts_at=starts_at,
        local_start=local_start,
        fold=fold,
        ends_at=ends_at,
        duration_minutes=duration_minutes,
    )
    _check_session_values(event, values)
    root = _resolve_edition_of(event, edition_of)
    region_objects = _resolve_regions(regions)
    if root is not None:
        values.setdefault("description", root.description)
        values.setdefault("format", root.format)
        values.setdefault("capacity", root.capacity)
        values.setdefault("track", root.track)
        values.setdefault("speakers", root.speakers)
    session = Session.objects.create(
        event=event,
        title=title,
        starts_at=schedule.starts_at,
        ends_at=schedule.ends_at,
        timezone=schedule.timezone,
        edition_of=root,
        **{key: value for key, value in values.items() if key in SESSION_PLAIN_FIELDS},
    )
    if region_objects is not None:
        session.regions.set(region_objects)
    return session


@transaction.atomic
def update_session(
    *,
    session: Session,
    timezone: str | None = None,
    starts_at: datetime | None = None,
    local_start: datetime | None = None,
    fold: int | None = None,
    ends_at: datetime | None = None,
    duration_minutes: int | None = None,
    regions: Iterable[str] | None = None,
    status: str | None = None,
    **values: Any,
) -> Session:
    """Change a session. A change of time, zone, status, link or title raises its SEQUENCE.

    Time inputs follow :func:`create_session`; what is not given keeps its value: a new
    start keeps the duration, a new zone alone keeps the instant. Cancelling goes through
    :func:`cancel_session`; a cancelled session can be restored with ``status="scheduled"``.
    """
    session = Session.objects.select_for_update().select_related("event").get(pk=session.pk)
    event = session.event
    before = {field: getattr(session, field) for field in SEQUENCE_FIELDS}
    capacity_before = session.capacity
    had_recording = bool(session.recording_url)
    times_given = any(
        value is not None
        for value in (timezone, starts_at, local_start, fold, ends_at, duration_minutes)
    )
    if times_given:
        zone = timezone or session.timezone
        if starts_at is None and local_start is None:
            starts_at = session.starts_at
        if ends_at is None and duration_minutes is None:
            duration_minutes = session.duration_minutes
        schedule = _event_schedule(
            event,
            timezone=zone,
            starts_at=starts_at,
            local_start=local_start,
            fold=fold,
            ends_at=ends_at,
            duration_minutes=duration_minutes,
        )
        session.starts_at, session.ends_at, session.timezone = (
            schedule.starts_at,
            schedule.ends_at,
            schedule.timezone,
        )
    _check_session_values(event, values)
    for key, value in values.items():
        if key in SESSION_PLAIN_FIELDS:
            setattr(session, key, value)
    if "edition_of" in values:
        root = _resolve_edition_of(event, values["edition_of"])
        if root is not None and root.pk == session.pk:
            raise EventsError(_("A session cannot be an edition of itself."), field="edition_of")
        if root is not None and session.editions.exists():
            raise EventsError(
                _("This session has editions of its own; it cannot become an edition."),
                field="edition_of",
            )
        session.edition_of = root
    if status is not None and status != session.status:
        if status == SessionStatus.CANCELLED:
            session.save()
            return cancel_session(session=session)
        if event.status == EventStatus.CANCELLED:
            raise EventsError(_("This event is cancelled; its sessions cannot be restored."))
        session.status = SessionStatus.SCHEDULED
        session.cancelled_at = None
    changed = [field for field in SEQUENCE_FIELDS if getattr(session, field) != before[field]]
    if changed:
        session.sequence += 1
    session.save()
    region_objects = _resolve_regions(regions)
    if region_objects is not None:
        session.regions.set(region_objects)
    if changed:
        previous = {field: before[field] for field in changed}
        hooks.session_changed(session=session, changed=changed, previous=previous)
    if session.capacity != capacity_before and not session.is_cancelled:
        hooks.session_capacity_changed(session=session, previous=capacity_before)
    if session.recording_url and not had_recording:
        hooks.session_recording_published(session=session)
    return session


@transaction.atomic
def cancel_session(*, session: Session) -> Session:
    """Cancel a session: it stays in feeds as cancelled, with a higher SEQUENCE."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status == SessionStatus.CANCELLED:
        return session
    session.status = SessionStatus.CANCELLED
    session.cancelled_at = django_timezone.now()
    session.sequence += 1
    session.save()
    hooks.session_cancelled(session=session)
    return session


@transaction.atomic
def delete_session(*, session: Session) -> None:
    """Delete a session of a draft event; in a published one it is cancelled instead."""
    if session.event.status == EventStatus.DRAFT:
        session.delete()
    else:
        cancel_session(session=session)
