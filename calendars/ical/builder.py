"""iCalendar documents from calendar entries: feeds (public and personal) and iMIP messages.

Pure functions over :class:`~calendars.ical.entries.CalendarEntry`; no database, no request.
Every byte goes through icalendar (escaping, folding at 75 octets on UTF-8 character
boundaries); values are cleaned first (:mod:`calendars.ical.text`).

Rules kept here (RFC 5545, 5546, 7986):
- one UID per session forever, SEQUENCE as stored, DTSTAMP and LAST-MODIFIED from the
  session's ``updated_at``: the same data always gives the same bytes;
- DTSTART/DTEND carry the session's own TZID with a VTIMEZONE for every zone used
  (:mod:`calendars.ical.timezones`); an instant whose wall-clock time happens twice in its zone
  is written in UTC instead, because readers disagree on which of the two a TZID time means
  (RFC 5545 says the first, ical.js takes the second); zone ``UTC`` is always written in UTC;
- cancelled sessions are listed as ``STATUS:CANCELLED`` during ``grace`` after they were
  cancelled (or after they ended, when no cancellation instant is known), then left out;
- join links (CONFERENCE, URL, LOCATION, DESCRIPTION) and alarms only in personal documents,
  and there only for a seat the participant holds: a session they are waitlisted for is
  ``STATUS:TENTATIVE`` with a line saying so, no link and no alarm.

Each VEVENT is rendered once per distinct (entry, options) and reused from a bounded cache:
a feed whose one session changed re-renders that session only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache

import icalendar
from django.utils import translation
from django.utils.translation import gettext as _

from calendars.ical.entries import CalendarEntry, Participant
from calendars.ical.text import Text
from calendars.ical.timezones import UTC_NAMES, is_ambiguous_locally, vtimezone
from core.text import clean_line, clean_parameter, clean_text, clean_uri
from core.time_rules import get_zone

PRODID = "-//Meridian//Calendars 1.0//EN"
DEFAULT_REFRESH = timedelta(hours=1)
DEFAULT_GRACE = timedelta(days=30)
RENDER_CACHE_SIZE = 50_000


@dataclass(frozen=True)
class FeedOptions:
    """How a feed is written. ``personal`` adds join links and, with ``reminders`` (minutes
    before the start), one VALARM per reminder to scheduled sessions."""

    name: str
    description: str = ""
    refresh: timedelta = DEFAULT_REFRESH
    grace: timedelta = DEFAULT_GRACE
    personal: bool = False
    reminders: tuple[int, ...] = ()
    language: str = "en"


@dataclass(frozen=True)
class _Render:
    """How one VEVENT is written, beyond the entry itself (part of the cache key)."""

    personal: bool
    reminders: tuple[int, ...]
    language: str
    organizer: str = ""
    attendee: Participant | None = None


def is_listed(entry: CalendarEntry, *, now: datetime, grace: timedelta = DEFAULT_GRACE) -> bool:
    """Whether a feed lists the entry at ``now``: scheduled ones always, cancelled ones until
    ``grace`` has passed since their cancellation (or their end, when that is unknown)."""
    if not entry.is_cancelled:
        return True
    return now < listed_until(entry, grace=grace)


def listed_until(entry: CalendarEntry, *, grace: timedelta = DEFAULT_GRACE) -> datetime:
    """The instant a cancelled entry leaves the feeds."""
    return (entry.cancelled_at or entry.ends_at) + grace


def writes_in_utc(entry: CalendarEntry) -> bool:
    """Whether the entry's times are written in UTC rather than with its TZID."""
    return (
        entry.timezone in UTC_NAMES
        or is_ambiguous_locally(entry.starts_at, entry.timezone)
        or is_ambiguous_locally(entry.ends_at, entry.timezone)
    )


def _holds_seat(entry: CalendarEntry, render: _Render) -> bool:
    """Whether the document may carry the entry's join link and alarms."""
    return render.personal and not entry.is_cancelled and not entry.waitlisted


def _status(entry: CalendarEntry, render: _Render) -> str:
    if entry.is_cancelled:
        return "CANCELLED"
    return "TENTATIVE" if render.personal and entry.waitlisted else "CONFIRMED"


def _seconds(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(microsecond=0)


def _description(entry: CalendarEntry, render: _Render) -> str:
    parts = []
    if entry.event_title and entry.event_title != entry.title:
        parts.append(clean_line(entry.event_title))
    if entry.description:
        parts.append(clean_text(entry.description).strip())
    speakers = [clean_line(name) for name in entry.speakers if clean_line(name)]
    if speakers:
        parts.append(_("Speakers: %(names)s") % {"names": ", ".join(speakers)})
    join_url = clean_uri(entry.join_url)
    if _holds_seat(entry, render) and join_url:
        parts.append(_("Join online: %(url)s") % {"url": join_url})
    if _status(entry, render) == "TENTATIVE":
        parts.append(
            _("You are on the waitlist for this session; the join link comes with your seat.")
        )
    page_url = clean_uri(entry.page_url)
    if page_url:
        parts.append(_("Details: %(url)s") % {"url": page_url})
    return "\n\n".join(part for part in parts if part)


def _add_times(event: icalendar.Event, entry: CalendarEntry) -> None:
    if writes_in_utc(entry):
        event.add("dtstart", _seconds(entry.starts_at))
        event.add("dtend", _seconds(entry.ends_at))
        return
    zone = get_zone(entry.timezone)
    event.add("dtstart", _seconds(entry.starts_at).astimezone(zone))
    event.add("dtend", _seconds(entry.ends_at).astimezone(zone))


@dataclass(frozen=True)
class RenderedEvent:
    """A VEVENT's text and the zone (with its years) whose VTIMEZONE it needs, if any."""

    text: bytes
    tzid: str | None
    years: tuple[int, int] | None


def _zone_of(entry: CalendarEntry) -> tuple[str | None, tuple[int, int] | None]:
    if writes_in_utc(entry):
        return None, None
    zone = get_zone(entry.timezone)
    return entry.timezone, (
        entry.starts_at.astimezone(zone).year,
        entry.ends_at.astimezone(zone).year,
    )


def render_event(
    entry: CalendarEntry, *, personal: bool = False, reminders: Sequence[int] = (), language="en"
) -> RenderedEvent:
    """One feed VEVENT (see :func:`build_feed`), for callers that keep their own cache."""
    render = _Render(
        personal=personal, reminders=tuple(reminders) if personal else (), language=language
    )
    return _render(entry, render)


@lru_cache(maxsize=RENDER_CACHE_SIZE)
def _render(entry: CalendarEntry, render: _Render) -> RenderedEvent:
    tzid, years = _zone_of(entry)
    return RenderedEvent(text=_render_event(entry, render), tzid=tzid, years=years)


def _render_event(entry: CalendarEntry, render: _Render) -> bytes:
    with translation.override(render.language or "en"):
        event = icalendar.Event()
        event.add("uid", clean_line(entry.uid))
        event.add("dtstamp", _seconds(entry.updated_at))
        event.add("last-modified", _seconds(entry.updated_at))
        event.add("sequence", entry.sequence)
        _add_times(event, entry)
        summary_parameters = {"LANGUAGE": entry.language} if entry.language else {}
        event.add("summary", Text(clean_line(entry.title)), parameters=summary_parameters)
        description = _description(entry, render)
        if description:
            event.add("description", Text(description))
        if entry.track:
            event.add("categories", [clean_line(entry.track).replace(",", " ")])
        event.add("status", _status(entry, render))
        event.add("transp", "TRANSPARENT" if entry.is_cancelled else "OPAQUE")
        join_url = clean_uri(entry.join_url) if _holds_seat(entry, render) else ""
        page_url = clean_uri(entry.page_url)
        if join_url:
            event.add("url", join_url)
            event.add("location", Text(join_url))
            event.add(
                "conference",
                join_url,
                parameters={
                    "VALUE": "URI",
                    "FEATURE": ["AUDIO", "VIDEO"],
                    "LABEL": _("Join online"),
                },
            )
        elif page_url:
            event.add("url", page_url)
        if render.organizer:
            event.add("organizer", render.organizer)
        if render.attendee is not None:
            attendee = render.attendee
            parameters = {
                "ROLE": "REQ-PARTICIPANT",
                "PARTSTAT": "NEEDS-ACTION",
                "RSVP": "FALSE",
            }
            if clean_parameter(attendee.name):
                parameters["CN"] = clean_parameter(attendee.name)
            if attendee.language:
                parameters["LANGUAGE"] = clean_parameter(attendee.language)
            event.add("attendee", f"mailto:{attendee.email}", parameters=parameters)
        if _holds_seat(entry, render):
            reminders = render.reminders
            if entry.reminders is not None:
                reminders = tuple(sorted(set(entry.reminders), reverse=True))
            for minutes in reminders:
                alarm = icalendar.Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("trigger", -timedelta(minutes=minutes))
                alarm.add("description", Text(clean_line(entry.title) or _("Session")))
                event.add_component(alarm)
        return event.to_ical()


def _calendar_head(
    *, method: str = "", options: FeedOptions | None = None, language: str = "en"
) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if options is not None:
        name = clean_line(options.name)
        calendar.add("name", Text(name))
        calendar.add("x-wr-calname", Text(name))
        if options.description:
            calendar.add("description", Text(clean_text(options.description)))
            calendar.add("x-wr-caldesc", Text(clean_text(options.description)))
        calendar.add("refresh-interval", options.refresh, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", icalendar.vDuration(options.refresh).to_ical().decode())
    head = calendar.to_ical()
    return head[: -len(b"END:VCALENDAR\r\n")]


def _assemble(head: bytes, rendered: Sequence[RenderedEvent]) -> bytes:
    years: dict[str, tuple[int, int]] = {}
    for event in rendered:
        if event.tzid is None:
            continue
        known = years.get(event.tzid)
        years[event.tzid] = (
            (min(known[0], event.years[0]), max(known[1], event.years[1])) if known else event.years
        )
    parts = [head]
    parts.extend(vtimezone(zone, *years[zone]) for zone in sorted(years))
    parts.extend(event.text for event in rendered)
    parts.append(b"END:VCALENDAR\r\n")
    return b"".join(parts)


def assemble_feed(rendered: Sequence[RenderedEvent], *, options: FeedOptions) -> bytes:
    """A feed from VEVENTs already rendered with :func:`render_event` (and already filtered
    with :func:`is_listed`), with a VTIMEZONE for every zone they use."""
    return _assemble(_calendar_head(options=options), rendered)


def build_feed(entries: Iterable[CalendarEntry], *, options: FeedOptions, now: datetime) -> bytes:
    """A subscribable VCALENDAR of the entries listed at ``now`` (see :func:`is_listed`),
    in the order given. Public feeds (``options.personal`` false) never carry join links."""
    listed = [entry for entry in entries if is_listed(entry, now=now, grace=options.grace)]
    render = _Render(
        personal=options.personal,
        reminders=tuple(options.reminders) if options.personal else (),
        language=options.language,
    )
    return assemble_feed([_render(entry, render) for entry in listed], options=options)


def build_personal_feed(
    entries: Iterable[CalendarEntry],
    *,
    participant: Participant,
    name: str,
    reminders: Sequence[int] = (),
    now: datetime,
    refresh: timedelta = DEFAULT_REFRESH,
    grace: timedelta = DEFAULT_GRACE,
) -> bytes:
    """A participant's own feed: their sessions with join links and their reminders, the
    fixed texts in the participant's language. ``reminders`` apply to every entry that
    has none of its own (``CalendarEntry.reminders``); an entry the participant is only
    waitlisted for (``CalendarEntry.waitlisted``) is TENTATIVE, without link or alarm."""
    options = FeedOptions(
        name=name,
        refresh=refresh,
        grace=grace,
        personal=True,
        reminders=tuple(sorted(set(reminders), reverse=True)),
        language=participant.language or "en",
    )
    return build_feed(entries, options=options, now=now)


def _imip(
    entry: CalendarEntry,
    *,
    method: str,
    participant: Participant,
    organizer_email: str,
    reminders: Sequence[int] = (),
) -> bytes:
    organizer = clean_uri(f"mailto:{organizer_email}")
    attendee = clean_uri(f"mailto:{participant.email}")
    if not organizer or "@" not in organizer:
        raise ValueError(f"not an organiser address: {organizer_email!r}")
    if not attendee or "@" not in attendee:
        raise ValueError(f"not a participant address: {participant.email!r}")
    render = _Render(
        personal=True,
        reminders=tuple(sorted(set(reminders), reverse=True)),
        language=participant.language or "en",
        organizer=organizer,
        attendee=participant,
    )
    head = _calendar_head(method=method)
    return _assemble(head, [_render(entry, render)])


def build_request(
    entry: CalendarEntry,
    *,
    participant: Participant,
    organizer_email: str,
    reminders: Sequence[int] = (),
) -> bytes:
    """An iMIP ``METHOD:REQUEST`` (RFC 6047) inviting one participant to one session:
    ORGANIZER ``mailto:`` the organiser address, the participant as the only ATTENDEE,
    UID and SEQUENCE as in the feeds. Raises ValueError for an unusable address."""
    return _imip(
        entry,
        method="REQUEST",
        participant=participant,
        organizer_email=organizer_email,
        reminders=reminders,
    )


def build_cancel(entry: CalendarEntry, *, participant: Participant, organizer_email: str) -> bytes:
    """An iMIP ``METHOD:CANCEL`` for one participant. The entry should be the cancelled
    session (its SEQUENCE already raised); its STATUS is written as CANCELLED regardless,
    since that is what the message says. Raises ValueError for an unusable address."""
    if not entry.is_cancelled:
        entry = replace(entry, status="cancelled")
    return _imip(entry, method="CANCEL", participant=participant, organizer_email=organizer_email)
