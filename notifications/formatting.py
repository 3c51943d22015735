"""Times as a recipient reads them: in their zone and language, with the zone named.

Pure functions over Babel and ``events.scheduling``; the active Django language is not read
(the caller passes the language), so these are tested without the database.
"""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_date, format_time
from django.utils.translation import gettext as _
from django.utils.translation import override

from events import scheduling

_BABEL_LOCALES = {"zh-hans": "zh_Hans", "zh-hant": "zh_Hant"}


def babel_locale(language: str) -> str:
    """The Babel locale for a Django language code (``zh-hans`` → ``zh_Hans``)."""
    return _BABEL_LOCALES.get(language.lower(), language.replace("-", "_"))


def format_span(starts_at: datetime, ends_at: datetime, *, zone: str, language: str) -> str:
    """``Tuesday, April 28, 2026, 2:00 PM–3:30 PM (Europe/London, UTC+01:00)`` in ``language``.

    The end carries its own date when it falls on another local day.
    """
    locale = babel_locale(language)
    start = scheduling.utc_to_local(starts_at, zone)
    end = scheduling.utc_to_local(ends_at, zone)
    end_text = format_time(end, "short", locale=locale)
    if end.date() != start.date():
        end_text = f"{format_date(end, 'full', locale=locale)} {end_text}"
    with override(language):
        return _("%(date)s, %(start)s–%(end)s (%(zone)s, %(offset)s)") % {
            "date": format_date(start, "full", locale=locale),
            "start": format_time(start, "short", locale=locale),
            "end": end_text,
            "zone": zone,
            "offset": scheduling.format_offset(start.utcoffset()),
        }


def session_times(
    starts_at: datetime,
    ends_at: datetime,
    *,
    session_zone: str,
    recipient_zone: str,
    language: str,
) -> dict[str, str]:
    """The times to print for a session: ``yours`` (the recipient's zone) and ``session``
    (the session's own zone; empty when it is the same zone)."""
    return {
        "yours": format_span(starts_at, ends_at, zone=recipient_zone, language=language),
        "session": ""
        if session_zone == recipient_zone
        else format_span(starts_at, ends_at, zone=session_zone, language=language),
    }
