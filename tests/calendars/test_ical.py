"""The iCalendar builders, read back by four independent readers (see ``ical_readers``)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from calendars.ical import (
    CalendarEntry,
    FeedOptions,
    Participant,
    build_cancel,
    build_feed,
    build_personal_feed,
    build_request,
    is_listed,
    writes_in_utc,
)
from calendars.ical.timezones import offset_changes
from core.text import clean_line

from .ical_readers import READERS, expected_events

pytestmark = pytest.mark.pure

NOW = datetime(2026, 1, 1, tzinfo=UTC)
STAMP = datetime(2025, 12, 1, 9, 30, 15, 123456, tzinfo=UTC)
ZONES = [
    "America/New_York",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "America/Santiago",
    "America/St_Johns",
    "America/Mexico_City",
    "Europe/London",
    "Europe/Amsterdam",
    "Europe/Dublin",
    "Europe/Moscow",
    "Africa/Cairo",
    "Africa/Casablanca",
    "Africa/Nairobi",
    "Asia/Tehran",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Pacific/Auckland",
    "Pacific/Chatham",
    "UTC",
]
TITLES = [
    "اجتماع منتصف المدة: الجلسة العامة",
    "年中会议：全体会议 🎉",
    "Промежуточное совещание — пленарное заседание",
    "Webinar 👩🏽‍💻🌍 sur l’accès, «ouvert»; à tous, vraiment",
]


def entry(number: int, zone: str, starts_at: datetime, minutes: int = 60, **values):
    return CalendarEntry(
        uid=f"00000000-0000-4000-8000-{number:012d}",
        sequence=values.pop("sequence", number % 4),
        title=values.pop("title", TITLES[number % len(TITLES)]),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        timezone=zone,
        updated_at=STAMP,
        **values,
    )


def edge_entries() -> list[CalendarEntry]:
    """For each zone, sessions on both sides of, across and inside every offset change of
    2026–2028 (both occurrences of a repeated hour), and two ordinary ones."""
    entries = []
    for zone in ZONES:
        moments = [datetime(2026, 4, 28, 12, tzinfo=UTC), datetime(2027, 1, 15, 23, 45, tzinfo=UTC)]
        for instant, before, after in offset_changes(zone, 2026, 2028):
            moments += [instant - timedelta(hours=1), instant, instant + timedelta(minutes=1)]
            if before > after:
                step = (before - after) / 2
                moments += [instant - step, instant + step, instant - timedelta(minutes=1)]
        for moment in moments:
            entries.append(entry(len(entries), zone, moment, minutes=90))
    entries.append(
        entry(
            len(entries),
            "Europe/Amsterdam",
            datetime(2026, 4, 28, 9, tzinfo=UTC),
            status="cancelled",
            cancelled_at=NOW - timedelta(days=2),
        )
    )
    return entries


def test_edge_entries_cover_every_kind_of_instant():
    entries = edge_entries()
    assert len({entry.timezone for entry in entries}) == 21
    assert sum(writes_in_utc(entry) for entry in entries if entry.timezone != "UTC") >= 30
    assert sum(not writes_in_utc(entry) for entry in entries) >= 150


@pytest.mark.parametrize("reader", list(READERS))
def test_feed_readers_agree_on_every_instant(reader):
    entries = edge_entries()
    data = build_feed(entries, options=FeedOptions(name="Edges"), now=NOW)
    assert READERS[reader](data) == expected_events(entries)


@pytest.mark.parametrize("reader", list(READERS))
def test_personal_feed_readers_agree(reader):
    entries = edge_entries()[::7]
    data = build_personal_feed(
        entries,
        participant=Participant(email="ana@example.org", name="Ana", language="es"),
        name="Ana",
        reminders=[60, 1440],
        now=NOW,
    )
    assert READERS[reader](data) == expected_events(entries)


@pytest.mark.parametrize("reader", list(READERS))
def test_imip_readers_agree(reader):
    participant = Participant(email="li@example.org", name="李 Wei", language="zh-hans")
    session = edge_entries()[5]
    request = build_request(session, participant=participant, organizer_email="org@example.org")
    assert READERS[reader](request) == expected_events([session])


def test_feed_writes_tzid_with_vtimezone_and_ambiguous_instants_in_utc():
    first = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT, the first 01:30
    second = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)  # 01:30 EST, the second 01:30
    plain = datetime(2026, 11, 1, 7, 30, tzinfo=UTC)  # 02:30 EST
    entries = [entry(1, "America/New_York", moment, minutes=20) for moment in (first, second)]
    entries.append(entry(2, "America/New_York", plain, minutes=20))
    text = build_feed(entries, options=FeedOptions(name="NY"), now=NOW).decode()
    events = text.split("END:VTIMEZONE", 1)[1]
    assert re.findall(r"^DT(?:START|END)[;:].*$", events, re.MULTILINE) == [
        "DTSTART:20261101T053000Z\r",
        "DTEND:20261101T055000Z\r",
        "DTSTART:20261101T063000Z\r",
        "DTEND:20261101T065000Z\r",
        "DTSTART;TZID=America/New_York:20261101T023000\r",
        "DTEND;TZID=America/New_York:20261101T025000\r",
    ]
    assert text.count("BEGIN:VTIMEZONE") == 1
    assert "X-WR-TIMEZONE" not in text


def test_feed_calendar_properties():
    data = build_feed(
        [],
        options=FeedOptions(name="Midterm\r\nX-EVIL:1", refresh=timedelta(minutes=30)),
        now=NOW,
    )
    assert data.decode().split("\r\n") == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Meridian//Calendars 1.0//EN",
        "CALSCALE:GREGORIAN",
        "NAME:Midterm X-EVIL:1",
        "X-WR-CALNAME:Midterm X-EVIL:1",
        "REFRESH-INTERVAL;VALUE=DURATION:PT30M",
        "X-PUBLISHED-TTL:PT30M",
        "END:VCALENDAR",
        "",
    ]


def test_feed_is_the_same_bytes_for_the_same_data():
    entries = edge_entries()
    first = build_feed(entries, options=FeedOptions(name="Edges"), now=NOW)
    again = build_feed(
        [CalendarEntry(**vars(one)) for one in entries],
        options=FeedOptions(name="Edges"),
        now=NOW + timedelta(hours=5),
    )
    assert first == again
    assert b"DTSTAMP:20251201T093015Z" in first


def test_cancelled_entry_is_listed_during_grace_then_gone():
    cancelled = entry(
        1,
        "Asia/Kolkata",
        datetime(2026, 4, 28, 9, tzinfo=UTC),
        status="cancelled",
        cancelled_at=NOW,
    )
    grace = timedelta(days=30)
    assert [
        is_listed(cancelled, now=NOW + days, grace=grace)
        for days in (
            timedelta(0),
            timedelta(days=29, hours=23),
            timedelta(days=30),
            timedelta(days=31),
        )
    ] == [True, True, False, False]
    listed = build_feed([cancelled], options=FeedOptions(name="x", grace=grace), now=NOW)
    gone = build_feed([cancelled], options=FeedOptions(name="x", grace=grace), now=NOW + grace)
    assert READERS["icalendar"](listed)[0]["status"] == "CANCELLED"
    assert b"BEGIN:VEVENT" not in gone


def _vevent_lines(data: bytes) -> list[str]:
    unfolded = data.decode().replace("\r\n ", "")
    block = unfolded.split("BEGIN:VEVENT\r\n", 1)[1].split("END:VEVENT", 1)[0]
    return [line for line in block.split("\r\n") if line]


def test_public_feed_never_carries_the_join_link():
    session = entry(
        1,
        "Europe/Amsterdam",
        datetime(2026, 4, 28, 9, tzinfo=UTC),
        join_url="https://meet.example.org/j/123",
        page_url="https://meridian.example/events/m/",
        speakers=("Ada", "Grace"),
    )
    data = build_feed([session], options=FeedOptions(name="x"), now=NOW)
    assert b"meet.example.org" not in data
    assert [line.split(":", 1)[0].split(";", 1)[0] for line in _vevent_lines(data)] == [
        "SUMMARY",
        "DTSTART",
        "DTEND",
        "DTSTAMP",
        "UID",
        "SEQUENCE",
        "DESCRIPTION",
        "LAST-MODIFIED",
        "STATUS",
        "TRANSP",
        "URL",
    ]


def test_personal_feed_has_conference_link_and_alarms():
    session = entry(
        1,
        "Europe/Amsterdam",
        datetime(2026, 4, 28, 9, tzinfo=UTC),
        join_url="https://meet.example.org/j/123",
        title="Plenary",
    )
    data = build_personal_feed(
        [session],
        participant=Participant(email="a@example.org"),
        name="Mine",
        reminders=[60, 1440],
        now=NOW,
    )
    lines = _vevent_lines(data)
    assert [line for line in lines if "meet.example.org" in line] == [
        "CONFERENCE;FEATURE=AUDIO,VIDEO;LABEL=Join online;VALUE=URI:https://meet.example.org/j/123",
        "DESCRIPTION:Join online: https://meet.example.org/j/123",
        "LOCATION:https://meet.example.org/j/123",
        "URL:https://meet.example.org/j/123",
    ]
    assert [line for line in lines if line.startswith("TRIGGER")] == [
        "TRIGGER:-P1D",
        "TRIGGER:-PT1H",
    ]


def _vevent_summaries(data: bytes) -> list[list[str]]:
    """Each VEVENT's lines, without its times and stamps (the same for every entry here)."""
    unfolded = data.decode().replace("\r\n ", "")
    blocks = [block.split("END:VEVENT", 1)[0] for block in unfolded.split("BEGIN:VEVENT\r\n")[1:]]
    skipped = ("DTSTART", "DTEND", "DTSTAMP", "LAST-MODIFIED", "UID", "SEQUENCE")
    return [
        [line for line in block.split("\r\n") if line and not line.startswith(skipped)]
        for block in blocks
    ]


def test_personal_feed_waitlisted_entries_and_entry_reminders():
    start = datetime(2026, 4, 28, 9, tzinfo=UTC)
    link = {"join_url": "https://meet.example.org/j/1", "track": ""}
    seat = entry(1, "Europe/Amsterdam", start, title="Seat", reminders=(30, 10, 30), **link)
    waiting = entry(2, "Europe/Amsterdam", start, title="Waiting", waitlisted=True, **link)
    feed_default = entry(3, "Europe/Amsterdam", start, title="Default", **link)
    personal = build_personal_feed(
        [seat, waiting, feed_default],
        participant=Participant(email="a@example.org"),
        name="Mine",
        reminders=[60],
        now=NOW,
    )
    public = build_feed([waiting], options=FeedOptions(name="Public"), now=NOW)
    conference = (
        "CONFERENCE;FEATURE=AUDIO,VIDEO;LABEL=Join online;VALUE=URI:https://meet.example.org/j/1"
    )

    def seated(title: str, triggers: list[str]) -> list[str]:
        alarms = []
        for trigger in triggers:
            alarms += [
                "BEGIN:VALARM",
                "ACTION:DISPLAY",
                f"DESCRIPTION:{title}",
                f"TRIGGER:{trigger}",
                "END:VALARM",
            ]
        return [
            f"SUMMARY:{title}",
            conference,
            "DESCRIPTION:Join online: https://meet.example.org/j/1",
            "LOCATION:https://meet.example.org/j/1",
            "STATUS:CONFIRMED",
            "TRANSP:OPAQUE",
            "URL:https://meet.example.org/j/1",
            *alarms,
        ]

    assert (_vevent_summaries(personal), _vevent_summaries(public)) == (
        [
            seated("Seat", ["-PT30M", "-PT10M"]),
            [
                "SUMMARY:Waiting",
                "DESCRIPTION:You are on the waitlist for this session\\; the join link comes "
                "with your seat.",
                "STATUS:TENTATIVE",
                "TRANSP:OPAQUE",
            ],
            seated("Default", ["-PT1H"]),
        ],
        [["SUMMARY:Waiting", "STATUS:CONFIRMED", "TRANSP:OPAQUE"]],
    )


def test_request_and_cancel_for_one_participant():
    session = entry(7, "Africa/Nairobi", datetime(2026, 4, 29, 6, tzinfo=UTC), sequence=3)
    participant = Participant(
        email="amina@example.org", name='Amina "A" \r\nX-EVIL:1', language="fr"
    )
    request = build_request(session, participant=participant, organizer_email="org@example.org")
    cancel = build_cancel(session, participant=participant, organizer_email="org@example.org")
    for data, method, status in (
        (request, "REQUEST", "CONFIRMED"),
        (cancel, "CANCEL", "CANCELLED"),
    ):
        calendar = icalendar.Calendar.from_ical(data)
        event = calendar.walk("VEVENT")[0]
        assert str(calendar["METHOD"]) == method
        assert (str(event["UID"]), int(event["SEQUENCE"]), str(event["STATUS"])) == (
            session.uid,
            3,
            status,
        )
        assert event["ORGANIZER"].to_ical() == b"mailto:org@example.org"
        assert event["ORGANIZER"].params == {}
        assert str(event["ATTENDEE"]) == "mailto:amina@example.org"
        assert dict(event["ATTENDEE"].params) == {
            "CN": "Amina 'A' X-EVIL:1",
            "LANGUAGE": "fr",
            "PARTSTAT": "NEEDS-ACTION",
            "ROLE": "REQ-PARTICIPANT",
            "RSVP": "FALSE",
        }
        assert not any(line.startswith("X-EVIL") for line in data.decode().split("\r\n"))


def test_request_refuses_an_address_with_a_line_break():
    session = entry(7, "Africa/Nairobi", datetime(2026, 4, 29, 6, tzinfo=UTC))
    with pytest.raises(ValueError, match="not a participant address"):
        build_request(
            session,
            participant=Participant(email="a@example.org\r\nX-EVIL:1"),
            organizer_email="org@example.org",
        )


hostile_text = st.lists(
    st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(["\r\n", "\r", "\n", ";", ",", "\\", ":", '"', "🎉", "ع", "中", "Ж"]),
    ),
    max_size=300,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(title=hostile_text, description=hostile_text, track=hostile_text)
@example(title="\\N", description="a\\Nb\\n", track="")  # icalendar reads \N as a line break
def test_any_text_is_folded_escaped_and_read_back(title, description, track):
    session = entry(
        1,
        "Asia/Kathmandu",
        datetime(2026, 4, 28, 3, tzinfo=UTC),
        title=title,
        description=description,
        track=track,
        join_url="https://x.example/\r\nX-EVIL:1",
    )
    data = build_personal_feed(
        [session], participant=Participant(email="a@b.example"), name=title, reminders=[5], now=NOW
    )
    physical = data.split(b"\r\n")
    assert all(len(line) <= 75 for line in physical)
    assert all(line.decode("utf-8") == line.decode("utf-8").strip("\r\n") for line in physical)
    names = {line.split(":", 1)[0].split(";", 1)[0] for line in _vevent_lines(data)}
    assert names <= {
        "SUMMARY",
        "DTSTART",
        "DTEND",
        "DTSTAMP",
        "UID",
        "SEQUENCE",
        "DESCRIPTION",
        "CATEGORIES",
        "LAST-MODIFIED",
        "STATUS",
        "TRANSP",
        "BEGIN",
        "ACTION",
        "TRIGGER",
        "END",
    }
    event = icalendar.Calendar.from_ical(data).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == clean_line(title)
