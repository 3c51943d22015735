"""What a calendar needs to know about one session, as plain values.

Builders take :class:`CalendarEntry` objects only, so they run without the database and the
personal feed, the iMIP messages and the public feeds share one rendering. An entry is
frozen and hashable: identical entries render to identical bytes, which is what the
rendering cache relies on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

SCHEDULED = "scheduled"
CANCELLED = "cancelled"


@dataclass(frozen=True)
class CalendarEntry:
    uid: str
    sequence: int
    title: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    updated_at: datetime
    status: str = SCHEDULED
    cancelled_at: datetime | None = None
    description: str = ""
    language: str = ""
    speakers: tuple[str, ...] = ()
    track: str = ""
    join_url: str = ""
    page_url: str = ""
    event_title: str = ""
    # A personal feed's view of the session: the participant only waits for a seat
    # (written TENTATIVE, without join link or alarms), and their own reminders (minutes
    # before the start; None: the feed's). Public feeds ignore both.
    waitlisted: bool = False
    reminders: tuple[int, ...] | None = None

    @property
    def is_cancelled(self) -> bool:
        return self.status == CANCELLED


@dataclass(frozen=True)
class Participant:
    """The one person a personal feed or an iMIP message is for."""

    email: str
    name: str = ""
    language: str = "en"


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("calendar entries need aware datetimes")
    return value.astimezone(UTC)


def entry_from_values(values: dict[str, Any], *, site_url: str = "") -> CalendarEntry:
    """An entry from a mapping with a session's field names (``event__slug`` and
    ``event__title`` optional), e.g. one row of ``Session.objects.values(...)``."""
    slug = values.get("event__slug") or ""
    return CalendarEntry(
        uid=str(values["uid"]),
        sequence=int(values.get("sequence") or 0),
        title=values.get("title") or "",
        starts_at=_aware(values["starts_at"]),
        ends_at=_aware(values["ends_at"]),
        timezone=values["timezone"],
        updated_at=_aware(values["updated_at"]),
        status=values.get("status") or SCHEDULED,
        cancelled_at=_aware(values.get("cancelled_at")),
        description=values.get("description") or "",
        language=values.get("language") or "",
        speakers=tuple(str(name) for name in values.get("speakers") or ()),
        track=values.get("track") or "",
        join_url=values.get("join_url") or "",
        page_url=f"{site_url}/events/{slug}/" if site_url and slug else "",
        event_title=values.get("event__title") or "",
    )


ENTRY_FIELDS = (
    "uid",
    "sequence",
    "title",
    "starts_at",
    "ends_at",
    "timezone",
    "updated_at",
    "status",
    "cancelled_at",
    "description",
    "language",
    "speakers",
    "track",
    "join_url",
    "event__slug",
    "event__title",
)


def entry_from_session(session: Any, *, site_url: str = "") -> CalendarEntry:
    """An entry from a ``Session`` instance (its ``event`` should be loaded with it)."""
    values = {field: getattr(session, field) for field in ENTRY_FIELDS if "__" not in field}
    event = session.event
    values["event__slug"] = event.slug
    values["event__title"] = event.title
    return entry_from_values(values, site_url=site_url)
