"""The public schedule as a viewer sees it: days in their zone, editions grouped, seats.

Pure: it works on anything shaped like a session (``id``, ``title``, ``starts_at``,
``ends_at``, ``timezone``, ``capacity``, ``status``, ``edition_root_id``) and needs no database,
so the rules are tested on plain objects.

Rules:
- sessions that are editions of one another (the same root) form one entry; the entry shows the
  edition that suits the viewer (the first scheduled one inside their comfortable hours, else
  the first scheduled one, else the first) and lists the others ("also at 06:00 and 15:00");
- an entry sits on the viewer's local day of the edition it shows, days and entries in order;
- a capacity gives seats left, or the waitlist when every seat is taken.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from django.utils import timezone as django_timezone

from core import display, time_rules

SCHEDULED = "scheduled"


class SessionLike(Protocol):
    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    capacity: int | None
    status: str

    @property
    def edition_root_id(self) -> int: ...


@dataclass(frozen=True)
class Seats:
    capacity: int
    taken: int

    @property
    def left(self) -> int:
        return max(self.capacity - self.taken, 0)

    @property
    def waitlist(self) -> bool:
        return self.left == 0


def seats_for(capacity: int | None, taken: int) -> Seats | None:
    """Seats of a session with a capacity; None when it has no limit."""
    if capacity is None:
        return None
    return Seats(capacity=capacity, taken=taken)


@dataclass(frozen=True)
class Alternative:
    """Another edition of the same session, as a link text in the viewer's zone."""

    session_id: int
    starts_at: datetime
    time: str
    day: str

    @property
    def when(self) -> str:
        return f"{self.day} {self.time}" if self.day else self.time


@dataclass(frozen=True)
class SessionView:
    session: Any
    starts_at: datetime
    ends_at: datetime
    start_time: str
    end_time: str
    start_when: str  # the viewer's short day and start time, "Tue 28 Apr, 14:00"
    times: display.TimePair
    comfortable: bool
    cancelled: bool
    seats: Seats | None
    ended: bool = False  # over by now: its page offers the recording, not a seat


@dataclass(frozen=True)
class Entry:
    shown: SessionView
    alternatives: list[Alternative] = field(default_factory=list)
    also_at: str = ""  # the alternatives' times as one localized list, "06:00 and 15:00"


@dataclass(frozen=True)
class Day:
    date: date
    label: str
    entries: list[Entry]


def view_session(
    session: SessionLike,
    *,
    viewer_zone: str,
    language: str,
    hours: tuple[int, int],
    taken: Mapping[int, int],
    offers_seats: bool = True,
) -> SessionView:
    """One session's times for the viewer, whether it suits them, and its seats (none for a
    session that has ended when its event takes no more registrations: what a page offers
    must be possible)."""
    ended = session.ends_at <= django_timezone.now()
    return SessionView(
        session=session,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        start_time=display.format_time(session.starts_at, viewer_zone, language),
        end_time=display.format_time(session.ends_at, viewer_zone, language),
        start_when=display.format_datetime(session.starts_at, viewer_zone, language),
        times=display.time_pair(
            session.starts_at, own_zone=session.timezone, viewer_zone=viewer_zone, language=language
        ),
        comfortable=time_rules.is_comfortable(
            session.starts_at, session.ends_at, viewer_zone, hours
        ),
        cancelled=session.status != SCHEDULED,
        seats=None
        if ended and not offers_seats
        else seats_for(session.capacity, taken.get(session.id, 0)),
        ended=ended,
    )


def choose_edition(views: list[SessionView]) -> SessionView:
    """The edition to show first: comfortable and scheduled, else scheduled, else the first."""
    scheduled = [view for view in views if not view.cancelled]
    for view in scheduled:
        if view.comfortable:
            return view
    return (scheduled or views)[0]


def group_editions(sessions: Iterable[SessionLike]) -> list[list[SessionLike]]:
    """Sessions grouped by their edition root, each group in start order, groups in order."""
    groups: dict[int, list[SessionLike]] = {}
    for session in sorted(sessions, key=lambda item: (item.starts_at, item.id)):
        groups.setdefault(session.edition_root_id, []).append(session)
    return list(groups.values())


def build_schedule(
    sessions: Iterable[SessionLike],
    *,
    viewer_zone: str,
    language: str,
    hours: tuple[int, int] = time_rules.DEFAULT_COMFORTABLE_HOURS,
    taken: Mapping[int, int] | None = None,
    offers_seats: bool = True,
) -> list[Day]:
    """The schedule by the viewer's local day. Raises TimeRuleError for a bad zone."""
    time_rules.get_zone(viewer_zone, field="tz")
    taken = taken or {}
    entries: list[Entry] = []
    for group in group_editions(sessions):
        views = [
            view_session(
                session,
                viewer_zone=viewer_zone,
                language=language,
                hours=hours,
                taken=taken,
                offers_seats=offers_seats,
            )
            for session in group
        ]
        shown = choose_edition(views)
        alternatives = [
            alternative(view, shown, viewer_zone=viewer_zone, language=language)
            for view in views
            if view is not shown and not view.cancelled
        ]
        entries.append(
            Entry(
                shown=shown,
                alternatives=alternatives,
                also_at=display.format_list([item.when for item in alternatives], language),
            )
        )
    days: dict[date, list[Entry]] = {}
    for entry in sorted(entries, key=lambda item: (item.shown.starts_at, item.shown.session.id)):
        day = display.local(entry.shown.starts_at, viewer_zone).date()
        days.setdefault(day, []).append(entry)
    return [
        Day(
            date=day,
            label=display.format_day(day_entries[0].shown.starts_at, viewer_zone, language),
            entries=day_entries,
        )
        for day, day_entries in days.items()
    ]


def alternative(
    view: SessionView, shown: SessionView, *, viewer_zone: str, language: str
) -> Alternative:
    """Another edition; its day is named when it falls on another local day than ``shown``."""
    other_day = (
        display.local(view.starts_at, viewer_zone).date()
        != display.local(shown.starts_at, viewer_zone).date()
    )
    return Alternative(
        session_id=view.session.id,
        starts_at=view.starts_at,
        time=view.start_time,
        day=display.format_short_day(view.starts_at, viewer_zone, language) if other_day else "",
    )


@dataclass(frozen=True)
class ChoiceGroup:
    """One session and its editions, as a registration form offers them: pick one at most."""

    root_id: int
    title: str
    options: list[SessionView]


def build_choice_groups(
    sessions: Iterable[SessionLike],
    *,
    viewer_zone: str,
    language: str,
    hours: tuple[int, int] = time_rules.DEFAULT_COMFORTABLE_HOURS,
    taken: Mapping[int, int] | None = None,
    offers_seats: bool = True,
    exclude_roots: Iterable[int] = (),
) -> list[ChoiceGroup]:
    """The scheduled sessions grouped by edition root, groups in start order; each group is
    named after its root when the root is among them (else its first edition). Groups whose
    root is in ``exclude_roots`` (already held) and groups with nothing scheduled are left out.
    Raises TimeRuleError for a bad zone."""
    time_rules.get_zone(viewer_zone, field="tz")
    taken = taken or {}
    skipped = set(exclude_roots)
    groups: list[ChoiceGroup] = []
    for group in group_editions(sessions):
        root_id = group[0].edition_root_id
        scheduled = [session for session in group if session.status == SCHEDULED]
        if root_id in skipped or not scheduled:
            continue
        root = next((session for session in group if session.id == root_id), group[0])
        groups.append(
            ChoiceGroup(
                root_id=root_id,
                title=root.title,
                options=[
                    view_session(
                        session,
                        viewer_zone=viewer_zone,
                        language=language,
                        hours=hours,
                        taken=taken,
                        offers_seats=offers_seats,
                    )
                    for session in scheduled
                ],
            )
        )
    return groups
