"""Dates, times and zone names as people read them, in any of the seven languages.

Pure functions over ``datetime`` and Babel (no database), shared by the pages and the
notification emails. Every function takes the Django language code (``"zh-hans"``) and the IANA
zone explicitly, so a caller never depends on the active request. Zone names are checked with
``core.time_rules.get_zone`` (a bad one raises ``TimeRuleError``).

English uses Babel's ``en_GB`` conventions (24-hour clock, day before month): Meridian's readers
live everywhere and "14:00 in Berlin" is the form the product speaks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from babel import lists as babel_lists
from django.utils import translation
from django.utils.translation import gettext as _

from core.time_rules import format_offset, get_zone

# Django language code -> Babel locale identifier.
BABEL_LOCALES = {
    "en": "en_GB",
    "fr": "fr",
    "es": "es",
    "de": "de",
    "ru": "ru",
    "ar": "ar",
    "zh-hans": "zh_Hans",
}
FALLBACK_LOCALE = "en_GB"


@lru_cache(maxsize=64)
def babel_locale(language: str | None) -> Locale:
    """The Babel locale for a Django language code (``zh-hans`` -> ``zh_Hans``).

    Codes outside the seven fall back to their base language when Babel knows it (``pt-br``
    -> ``pt_BR``), and to English otherwise; this never raises.
    """
    code = (language or "").strip().lower()
    if code in BABEL_LOCALES:
        return Locale.parse(BABEL_LOCALES[code])
    try:
        return Locale.parse(code.replace("-", "_"), sep="_") if code else _fallback()
    except (ValueError, UnknownLocaleError):
        return _fallback()


def _fallback() -> Locale:
    return Locale.parse(FALLBACK_LOCALE)


def is_right_to_left(language: str | None) -> bool:
    return babel_locale(language).text_direction == "rtl"


def local(instant: datetime, zone: str) -> datetime:
    """The aware wall-clock time of an instant in a zone (the instant must be aware)."""
    if instant.tzinfo is None:
        raise ValueError("format an aware instant, not a naive datetime")
    return instant.astimezone(get_zone(zone))


def format_time(instant: datetime, zone: str, language: str) -> str:
    """The wall-clock time, e.g. ``14:00`` (en), ``14:00`` (fr), ``2:00 م`` (ar)."""
    return babel_dates.format_time(local(instant, zone), "short", locale=babel_locale(language))


def format_day(instant: datetime, zone: str, language: str) -> str:
    """The full local date, e.g. ``Tuesday, 28 April 2026`` / ``mardi 28 avril 2026``."""
    return babel_dates.format_date(local(instant, zone), "full", locale=babel_locale(language))


def format_short_day(instant: datetime, zone: str, language: str) -> str:
    """A short weekday and date, e.g. ``Tue 28 Apr`` / ``4月28日周二``."""
    return babel_dates.format_skeleton("MMMEd", local(instant, zone), locale=babel_locale(language))


def format_datetime(instant: datetime, zone: str, language: str) -> str:
    """Short date and time joined the locale's way, e.g. ``Tue 28 Apr, 14:00``."""
    locale = babel_locale(language)
    pattern = str(locale.datetime_formats["short"])
    return pattern.replace("{1}", format_short_day(instant, zone, language)).replace(
        "{0}", format_time(instant, zone, language)
    )


def format_date_range(first: date, last: date, language: str) -> str:
    """Two calendar days as one range, e.g. ``28–30 Apr 2026`` / ``28–30 avr. 2026``."""
    return babel_dates.format_interval(first, last, "yMMMd", locale=babel_locale(language))


def format_list(items: list[str], language: str) -> str:
    """Items joined the language's way, e.g. ``06:00, 15:00 and 20:00`` / ``06:00 和 15:00``."""
    return babel_lists.format_list(items, locale=babel_locale(language)) if items else ""


def format_duration(minutes: int, language: str) -> str:
    """Whole minutes as days, hours and minutes, e.g. ``1 day`` / ``1 hour and 30 minutes`` /
    ``1 jour``: each part exact (Babel's ``format_timedelta`` rounds to one unit)."""
    days, rest = divmod(int(minutes), 24 * 60)
    hours, mins = divmod(rest, 60)
    locale = babel_locale(language)
    parts = [
        babel_dates.format_timedelta(
            timedelta(seconds=seconds * amount), locale=locale, threshold=1e9, granularity=unit
        )
        for amount, seconds, unit in (
            (days, 86400, "day"),
            (hours, 3600, "hour"),
            (mins, 60, "minute"),
        )
        if amount
    ]
    return format_list(parts, language)


def zone_city(zone: str, language: str) -> str:
    """The zone's exemplar city in the language, e.g. ``Tokyo`` / ``Tokio`` / ``东京``."""
    get_zone(zone)
    return babel_dates.get_timezone_location(zone, locale=babel_locale(language), return_city=True)


def zone_long_name(zone: str, language: str, at: datetime) -> str:
    """The zone's name at an instant (summer or winter), e.g. ``Central European Summer Time``."""
    return babel_dates.get_timezone_name(local(at, zone), "long", locale=babel_locale(language))


def zone_names_at(zone: str, language: str, instants: Iterable[datetime]) -> str:
    """The zone's long names at the instants shown, each once in order, e.g. ``Eastern
    Standard Time`` for a February series or ``Eastern Standard Time and Eastern Daylight
    Time`` for one that crosses the change; at the present instant when none is given."""
    names = list(dict.fromkeys(zone_long_name(zone, language, at) for at in instants)) or [
        zone_long_name(zone, language, datetime.now(tz=UTC))
    ]
    return format_list(names, language)


def zone_label(zone: str, language: str, instants: Iterable[datetime] = ()) -> str:
    """One rule for naming a zone to a person, in pages and emails alike: its city and its
    names at the instants shown, e.g. ``Lagos (West Africa Standard Time)``."""
    with translation.override(language):
        return _("%(city)s (%(names)s)") % {
            "city": zone_city(zone, language),
            "names": zone_names_at(zone, language, instants),
        }


@dataclass(frozen=True)
class TimePair:
    """A session's start where it was scheduled and for the viewer.

    ``own_day``/``viewer_day`` are filled only when the two local dates differ, so that
    "20:00 in New York" never hides that it is already tomorrow for the viewer.
    """

    own_time: str
    own_place: str
    own_day: str
    viewer_time: str
    viewer_day: str
    same_clock: bool
    language: str

    @property
    def own_when(self) -> str:
        return f"{self.own_day} {self.own_time}" if self.own_day else self.own_time

    @property
    def viewer_when(self) -> str:
        return f"{self.viewer_day} {self.viewer_time}" if self.viewer_day else self.viewer_time

    @property
    def own_text(self) -> str:
        with translation.override(self.language):
            return _("%(time)s in %(place)s") % {"time": self.own_when, "place": self.own_place}

    @property
    def viewer_text(self) -> str:
        with translation.override(self.language):
            return _("%(time)s your time") % {"time": self.viewer_when}

    @property
    def text(self) -> str:
        """``14:00 in Berlin · 21:00 your time`` (only the first half when the clocks agree)."""
        if self.same_clock:
            return self.own_text
        return f"{self.own_text} · {self.viewer_text}"


def time_pair(instant: datetime, *, own_zone: str, viewer_zone: str, language: str) -> TimePair:
    """The start of something scheduled in ``own_zone`` as seen from ``viewer_zone``."""
    own = local(instant, own_zone)
    viewer = local(instant, viewer_zone)
    differs = own.date() != viewer.date()
    return TimePair(
        own_time=format_time(instant, own_zone, language),
        own_place=zone_city(own_zone, language),
        own_day=format_short_day(instant, own_zone, language) if differs else "",
        viewer_time=format_time(instant, viewer_zone, language),
        viewer_day=format_short_day(instant, viewer_zone, language) if differs else "",
        same_clock=own.replace(tzinfo=None) == viewer.replace(tzinfo=None),
        language=language,
    )


def format_offset_at(instant: datetime, zone: str) -> str:
    """The zone's UTC offset at an instant, e.g. ``UTC+05:30``."""
    return format_offset(local(instant, zone).utcoffset())


def format_span(starts_at: datetime, ends_at: datetime, *, zone: str, language: str) -> str:
    """A session's start and end in one zone with the zone named, e.g.
    ``Tuesday, 28 April 2026, 14:00–15:30 (London, UTC+01:00)``: the zone by its city in
    the language, as pages name it, and its offset at the start.

    The end carries its own date when it falls on another local day there.
    """
    end = format_time(ends_at, zone, language)
    if local(ends_at, zone).date() != local(starts_at, zone).date():
        end = f"{format_day(ends_at, zone, language)} {end}"
    with translation.override(language):
        return _("%(date)s, %(start)s–%(end)s (%(zone)s, %(offset)s)") % {
            "date": format_day(starts_at, zone, language),
            "start": format_time(starts_at, zone, language),
            "end": end,
            "zone": zone_city(zone, language),
            "offset": format_offset_at(starts_at, zone),
        }


def session_times(
    starts_at: datetime, ends_at: datetime, *, session_zone: str, viewer_zone: str, language: str
) -> dict[str, str]:
    """What an email prints for a session: ``yours`` (the viewer's zone) and ``session`` (the
    session's own zone; empty when it is the viewer's zone)."""
    return {
        "yours": format_span(starts_at, ends_at, zone=viewer_zone, language=language),
        "session": ""
        if session_zone == viewer_zone
        else format_span(starts_at, ends_at, zone=session_zone, language=language),
    }
