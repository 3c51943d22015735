"""Time rules: the one place where wall-clock times, zones and instants meet.

Pure functions over ``datetime`` and ``zoneinfo``; no database. Every rule that refuses
input raises :class:`TimeRuleError` with a translated message a person can act on and the
name of the field it concerns.

Rules (DESIGN.md, "Time rules"):
- a zone must be a real IANA zone, not a fixed offset passed off as one;
- a wall-clock time that does not exist in its zone (spring forward) is refused, naming the gap;
- an ambiguous one (fall back) is refused unless ``fold`` says which, naming both instants;
- an instant must carry its offset; an end must come after its start.
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from importlib import resources

from django.utils.translation import gettext as _

from core.errors import DomainError

DEFAULT_COMFORTABLE_HOURS = (8, 21)

# Names in the tz database that are fixed offsets or legacy abbreviations rather than places.
_FIXED_OFFSET_NAMES = re.compile(
    r"^(Etc/.*|GMT[+-]\d+|GMT0|GMT-0|GMT\+0|Greenwich|UCT|Universal|Zulu|"
    r"EST|MST|HST|EST5EDT|CST6CDT|MST7MDT|PST8PDT|CET|EET|MET|WET|ROC|ROK|PRC|NZ|NZ-CHAT|"
    r"Factory|localtime|posixrules)$"
)
_OFFSET_LIKE = re.compile(r"^(UTC|GMT|Z)?\s*[+-−]\s*\d{1,2}(:?\d{2})?$", re.IGNORECASE)
_UTC_NAMES = frozenset({"UTC", "Etc/UTC"})


class TimeRuleError(DomainError, ValueError):
    """A time or zone that breaks a rule; ``field`` names the input it concerns."""

    def __init__(self, message: str, *, field: str = "non_field_errors", code: str = "invalid"):
        super().__init__(message, field=field, code=code)


@lru_cache(maxsize=1)
def _available_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


@lru_cache(maxsize=1024)
def _zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


def place_zone_names() -> frozenset[str]:
    """Every zone name accepted as a place: the tz database less fixed offsets (UTC kept)."""
    return frozenset(
        name
        for name in _available_zones()
        if name in _UTC_NAMES or not _FIXED_OFFSET_NAMES.match(name)
    )


@lru_cache(maxsize=1)
def _current_names() -> dict[str, str]:
    """tzdata's links from old spellings to current names (``Asia/Calcutta`` →
    ``Asia/Kolkata``, ``Europe/Kiev`` → ``Europe/Kyiv``, ``US/Eastern`` → ``America/New_York``),
    read from the ``tzdata`` package's ``tzdata.zi``. A link that is itself a country's zone in
    ``zone.tab`` is not an old spelling but a merge of identical data (``Europe/Amsterdam`` →
    ``Europe/Brussels``) and is kept as it is."""
    zoneinfo_files = resources.files("tzdata").joinpath("zoneinfo")
    listed = {
        line.split("\t")[2]
        for line in zoneinfo_files.joinpath("zone.tab").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    }
    links = {}
    for line in zoneinfo_files.joinpath("tzdata.zi").read_text(encoding="utf-8").splitlines():
        if line.startswith("L "):
            _kind, target, name = line.split()
            if name not in listed and name not in _UTC_NAMES and target in listed:
                links[name] = target
    return links


def current_zone_name(name: str, *, field: str = "timezone") -> str:
    """A zone name checked (:func:`get_zone`) and spelled as tzdata spells it today: legacy
    names, as some browsers still report them, become the current ones."""
    name = (name or "").strip()
    get_zone(name, field=field)
    return _current_names().get(name, name)


def get_zone(name: str, *, field: str = "timezone") -> zoneinfo.ZoneInfo:
    """The ``ZoneInfo`` for an IANA zone name.

    Raises TimeRuleError for an empty or unknown name, or for a fixed offset ("UTC+3",
    "+03:00", "Etc/GMT-3", "EST") that is not a place and so does not follow its daylight
    saving rules.
    """
    name = (name or "").strip()
    if not name:
        raise TimeRuleError(_("A time zone is required, for example Europe/Paris."), field=field)
    if _OFFSET_LIKE.match(name) or (
        name not in _UTC_NAMES and _FIXED_OFFSET_NAMES.match(name) and name in _available_zones()
    ):
        raise TimeRuleError(
            _(
                "“%(name)s” is a fixed offset, not a time zone: it ignores daylight saving time. "
                "Give the place instead, for example America/New_York or Asia/Kolkata."
            )
            % {"name": name},
            field=field,
            code="fixed_offset",
        )
    if name not in _available_zones():
        raise TimeRuleError(
            _("“%(name)s” is not a known time zone. Use an IANA name such as Africa/Nairobi.")
            % {"name": name[:64]},
            field=field,
            code="unknown_zone",
        )
    return _zone(name)


def format_offset(offset: timedelta) -> str:
    """An offset as ``UTC+05:30`` / ``UTC−03:00`` / ``UTC+00:00``."""
    total = int(offset.total_seconds()) // 60
    sign = "+" if total >= 0 else "-"
    hours, minutes = divmod(abs(total), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def _format_wall(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M")


def _round_trips(local: datetime, zone: zoneinfo.ZoneInfo, fold: int) -> bool:
    aware = local.replace(tzinfo=zone, fold=fold)
    back = aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    return back == local


def _transition_in(start_utc: datetime, end_utc: datetime, zone: zoneinfo.ZoneInfo) -> datetime:
    """The first UTC minute in [start, end] whose offset differs from the one at ``start``."""
    before = start_utc.astimezone(zone).utcoffset()
    low, high = start_utc, end_utc
    while high - low > timedelta(minutes=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).utcoffset() == before:
            low = middle
        else:
            high = middle
    return high.replace(second=0, microsecond=0)


# Since 1973 every zone's offset is a whole number of minutes (Monrovia's −00:44:30 was the
# last exception), so every local time has an ISO 8601 offset; 2199 keeps arithmetic far from
# the end of the calendar.
FIRST_SUPPORTED_DAY = date(1973, 1, 1)
LAST_SUPPORTED_DAY = date(2199, 12, 31)


def check_supported_day(day: date, *, field: str) -> None:
    """TimeRuleError unless ``day`` lies between FIRST_SUPPORTED_DAY and LAST_SUPPORTED_DAY
    (checked before any arithmetic: years 1 and 9999 would overflow it)."""
    if not FIRST_SUPPORTED_DAY <= day <= LAST_SUPPORTED_DAY:
        raise TimeRuleError(
            _("Give a day between %(first)s and %(last)s.")
            % {"first": FIRST_SUPPORTED_DAY.isoformat(), "last": LAST_SUPPORTED_DAY.isoformat()},
            field=field,
        )


def local_to_utc(
    local: datetime, zone_name: str, *, fold: int | None = None, field: str = "local_start"
) -> datetime:
    """The UTC instant of a wall-clock time in a zone.

    ``local`` is naive (an aware value is refused). ``fold`` picks the first (0) or second
    (1) occurrence of an ambiguous time and is otherwise ignored.

    Raises TimeRuleError when the zone is not valid, when the time falls in a spring-forward
    gap (the message names the gap) or when it is ambiguous and ``fold`` is not given (the
    message names both instants).
    """
    if local.tzinfo is not None:
        raise TimeRuleError(
            _("Give the local time without an offset; the time zone says where it is."),
            field=field,
        )
    check_supported_day(local.date(), field=field)
    zone = get_zone(zone_name, field="timezone")
    if fold not in (None, 0, 1):
        raise TimeRuleError(_("fold must be 0 (the first) or 1 (the second)."), field="fold")
    first = local.replace(tzinfo=zone, fold=0)
    second = local.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first.astimezone(UTC)
    if not _round_trips(local, zone, 0):
        # Spring forward: the wall clock skips this time.
        earliest = second.astimezone(UTC)
        latest = first.astimezone(UTC)
        transition = _transition_in(earliest, latest, zone)
        gap_start = transition.astimezone(zone).replace(tzinfo=None) - (
            second.utcoffset() - first.utcoffset()
        )
        gap_end = transition.astimezone(zone).replace(tzinfo=None)
        raise TimeRuleError(
            _(
                "%(time)s does not exist in %(zone)s: on that day the clocks jump from "
                "%(gap_start)s to %(gap_end)s (%(before)s to %(after)s). "
                "Choose a time outside that gap."
            )
            % {
                "time": _format_wall(local),
                "zone": zone_name,
                "gap_start": gap_start.strftime("%H:%M"),
                "gap_end": gap_end.strftime("%H:%M"),
                "before": format_offset(first.utcoffset()),
                "after": format_offset(second.utcoffset()),
            },
            field=field,
            code="nonexistent_time",
        )
    if fold is None:
        raise TimeRuleError(
            _(
                "%(time)s happens twice in %(zone)s because the clocks go back: first at "
                "%(first)s UTC (%(first_offset)s), then at %(second)s UTC (%(second_offset)s). "
                "Say which with fold: 0 for the first, 1 for the second."
            )
            % {
                "time": _format_wall(local),
                "zone": zone_name,
                "first": _format_wall(first.astimezone(UTC)),
                "first_offset": format_offset(first.utcoffset()),
                "second": _format_wall(second.astimezone(UTC)),
                "second_offset": format_offset(second.utcoffset()),
            },
            field=field,
            code="ambiguous_time",
        )
    return (second if fold else first).astimezone(UTC)


def utc_to_local(instant: datetime, zone_name: str) -> datetime:
    """The aware wall-clock time of an instant in a zone (``fold`` set where ambiguous)."""
    if instant.tzinfo is None:
        raise TimeRuleError(_("An instant needs its UTC offset."), field="starts_at")
    return instant.astimezone(get_zone(zone_name))


def is_ambiguous(instant: datetime, zone_name: str) -> bool:
    """Whether the instant's wall-clock time in the zone happens twice."""
    local = utc_to_local(instant, zone_name)
    return local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset() and _round_trips(
        local.replace(tzinfo=None), local.tzinfo, 0
    )


def parse_instant(value: str, *, field: str = "starts_at") -> datetime:
    """An ISO 8601 instant with its offset (``Z`` or ``±HH:MM``), returned in UTC."""
    text = (value or "").strip()
    try:
        parsed = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        raise TimeRuleError(
            _("“%(value)s” is not an ISO 8601 date and time, e.g. 2026-04-28T12:00:00Z.")
            % {"value": text[:40]},
            field=field,
        ) from None
    if parsed.tzinfo is None:
        raise TimeRuleError(
            _(
                "%(value)s has no UTC offset. Add one (Z or +02:00), or send local_start "
                "with a timezone instead."
            )
            % {"value": text[:40]},
            field=field,
        )
    check_supported_day(parsed.date(), field=field)
    return parsed.astimezone(UTC)


@dataclass(frozen=True)
class Schedule:
    """A session's resolved times: UTC instants and the zone they were scheduled in."""

    starts_at: datetime
    ends_at: datetime
    timezone: str

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at


def resolve_schedule(
    *,
    timezone: str,
    starts_at: datetime | None = None,
    local_start: datetime | None = None,
    fold: int | None = None,
    ends_at: datetime | None = None,
    duration_minutes: int | None = None,
    max_duration: timedelta = timedelta(hours=24),
) -> Schedule:
    """Turn either an instant or a wall-clock time (plus an end or a duration) into a Schedule.

    Exactly one of ``starts_at`` (aware) and ``local_start`` (naive, in ``timezone``) is
    given, and exactly one of ``ends_at`` (aware) and ``duration_minutes``.
    Raises TimeRuleError naming the field at fault.
    """
    timezone = current_zone_name(timezone)
    if (starts_at is None) == (local_start is None):
        raise TimeRuleError(
            _("Give either starts_at (with an offset) or local_start with a timezone, not both."),
            field="starts_at" if starts_at is not None else "local_start",
        )
    if (ends_at is None) == (duration_minutes is None):
        raise TimeRuleError(
            _("Give either ends_at or duration_minutes, not both."),
            field="ends_at" if ends_at is not None else "duration_minutes",
        )
    if starts_at is not None:
        if starts_at.tzinfo is None:
            raise TimeRuleError(
                _("starts_at needs a UTC offset, e.g. 2026-04-28T12:00:00Z."), field="starts_at"
            )
        start = starts_at.astimezone(UTC)
    else:
        start = local_to_utc(local_start, timezone, fold=fold)
    if ends_at is not None:
        if ends_at.tzinfo is None:
            raise TimeRuleError(
                _("ends_at needs a UTC offset, e.g. 2026-04-28T13:30:00Z."), field="ends_at"
            )
        end = ends_at.astimezone(UTC)
        end_field = "ends_at"
    else:
        if duration_minutes <= 0:
            raise TimeRuleError(
                _("duration_minutes must be a positive number of minutes."),
                field="duration_minutes",
            )
        end = start + timedelta(minutes=duration_minutes)
        end_field = "duration_minutes"
    if end <= start:
        raise TimeRuleError(
            _("The session must end after it starts (it starts at %(start)s UTC).")
            % {"start": _format_wall(start)},
            field=end_field,
        )
    if end - start > max_duration:
        raise TimeRuleError(
            _("A session may last at most %(hours)s hours.")
            % {"hours": int(max_duration.total_seconds() // 3600)},
            field=end_field,
        )
    return Schedule(starts_at=start, ends_at=end, timezone=timezone)


def day_starts_at(day: date, zone_name: str) -> datetime:
    """The UTC instant of a day's first local instant in a zone (a midnight that falls in a
    spring-forward gap resolves to the instant the gap ends)."""
    zone = get_zone(zone_name, field="timezone")
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def day_ends_at(day: date, zone_name: str) -> datetime:
    """The UTC instant a day ends in a zone: the next day's first instant there."""
    return day_starts_at(day + timedelta(days=1), zone_name)


def check_within_dates(
    schedule: Schedule, *, first_day: date, last_day: date, event_zone: str
) -> None:
    """Refuse a session that does not fall within its event's dates.

    The dates are days in the event's reference zone; a session belongs to them when it
    starts on or after the first day's midnight and ends by the last day's end there.
    Participants elsewhere may see it on the day before or after: that is expected.
    """
    opens = day_starts_at(first_day, event_zone)
    closes = day_ends_at(last_day, event_zone)
    if schedule.starts_at < opens or schedule.ends_at > closes:
        raise TimeRuleError(
            _(
                "The session must take place within the event's dates, %(first)s to %(last)s "
                "in %(zone)s (%(opens)s to %(closes)s UTC)."
            )
            % {
                "first": first_day.isoformat(),
                "last": last_day.isoformat(),
                "zone": event_zone,
                "opens": _format_wall(opens),
                "closes": _format_wall(closes),
            },
            field="starts_at",
            code="outside_event",
        )


def is_comfortable(
    starts_at: datetime,
    ends_at: datetime,
    zone_name: str,
    hours: tuple[int, int] = DEFAULT_COMFORTABLE_HOURS,
) -> bool:
    """Whether a session lies within the comfortable local hours of a zone on its date.

    It must start at or after ``hours[0]`` and end by ``hours[1]`` on the same local day
    (DST included: the offsets of that very date are used).
    """
    zone = get_zone(zone_name)
    local_start = starts_at.astimezone(zone)
    local_end = ends_at.astimezone(zone)
    day_opens = datetime.combine(local_start.date(), time(hours[0]), tzinfo=zone)
    day_closes = datetime.combine(local_start.date(), time(hours[1]), tzinfo=zone)
    return day_opens <= local_start and local_end <= day_closes
