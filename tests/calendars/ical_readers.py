"""Independent iCalendar readers for the interoperability tests.

Each reader takes the bytes of a VCALENDAR and returns, for every VEVENT, what it understood:
``{"uid", "sequence", "status", "starts_at", "ends_at"}`` with the instants in UTC as
``YYYY-MM-DDTHH:MM:SSZ``. They are meant to disagree with us, not with each other:
- ``icalendar``: local times resolved through the *embedded* VTIMEZONE (``Timezone.to_tz``);
- ``vobject``: builds its own tzinfo from the embedded VTIMEZONE;
- ``ical`` (PyPI, strict pydantic models): refuses what RFC 5545 does not allow;
- ical.js (Mozilla, Node.js): the embedded VTIMEZONEs registered with its TimezoneService.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

JS_DIR = Path(__file__).resolve().parent.parent / "events" / "js"
REQUIRE = os.environ.get("REQUIRE_SERVICES") == "1"


def _utc(value: datetime) -> str:
    assert value.tzinfo is not None, f"floating time {value!r}"
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def read_with_icalendar(data: bytes) -> list[dict]:
    import icalendar

    calendar = icalendar.Calendar.from_ical(data)
    zones = {str(component["TZID"]): component.to_tz() for component in calendar.walk("VTIMEZONE")}
    events = []
    for event in calendar.walk("VEVENT"):

        def instant(name: str, event=event) -> str:
            prop = event[name]
            tzid = prop.params.get("TZID")
            value = prop.dt
            if tzid:
                value = value.replace(tzinfo=None).replace(tzinfo=zones[tzid])
            return _utc(value)

        events.append(
            {
                "uid": str(event["UID"]),
                "sequence": int(event["SEQUENCE"]),
                "status": str(event["STATUS"]),
                "starts_at": instant("DTSTART"),
                "ends_at": instant("DTEND"),
            }
        )
    return events


def read_with_vobject(data: bytes) -> list[dict]:
    import vobject
    import vobject.icalendar

    # vobject keeps the first VTIMEZONE it met for a TZID, process-wide; each document here
    # must be read with its own.
    vars(vobject.icalendar)["__tzidMap"].clear()
    calendar = vobject.readOne(data.decode("utf-8"), validate=True)
    return [
        {
            "uid": event.uid.value,
            "sequence": int(event.sequence.value),
            "status": event.status.value,
            "starts_at": _utc(event.dtstart.value),
            "ends_at": _utc(event.dtend.value),
        }
        for event in calendar.contents.get("vevent", [])
    ]


def read_with_ical(data: bytes) -> list[dict]:
    from ical.calendar_stream import IcsCalendarStream

    calendar = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    return [
        {
            "uid": event.uid,
            "sequence": event.sequence,
            "status": str(event.status.value if event.status else ""),
            "starts_at": _utc(event.dtstart),
            "ends_at": _utc(event.dtend),
        }
        for event in calendar.events
    ]


def icaljs_problem() -> str | None:
    """Why ical.js cannot run here, or None."""
    if not shutil.which("node"):
        return "needs Node.js (`node`) for the ical.js check: apt-get install nodejs npm"
    if not (JS_DIR / "node_modules" / "ical.js").is_dir():
        return "needs the npm package ical.js: run `make setup` (npm install in tests/events/js)"
    return None


def read_with_icaljs(data: bytes) -> list[dict]:
    problem = icaljs_problem()
    if problem:
        if REQUIRE:
            pytest.fail(f"{problem} (REQUIRE_SERVICES=1)")
        pytest.skip(problem)
    result = subprocess.run(
        [shutil.which("node"), str(JS_DIR / "parse.mjs")],
        input=data,
        capture_output=True,
        cwd=JS_DIR,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    parsed = json.loads(result.stdout)
    return [
        {
            "uid": event["uid"],
            "sequence": event["sequence"],
            "status": event["status"],
            "starts_at": event["starts_at"],
            "ends_at": event["ends_at"],
        }
        for event in parsed["events"]
    ]


READERS = {
    "icalendar": read_with_icalendar,
    "vobject": read_with_vobject,
    "ical": read_with_ical,
    "ical.js": read_with_icaljs,
}


def expected_events(rows) -> list[dict]:
    """What every reader should find for entries or sessions (uid, sequence, status, times)."""
    return [
        {
            "uid": str(row.uid),
            "sequence": row.sequence,
            "status": "CANCELLED" if row.status == "cancelled" else "CONFIRMED",
            "starts_at": _utc(row.starts_at),
            "ends_at": _utc(row.ends_at),
        }
        for row in rows
    ]
