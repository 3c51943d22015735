"""The personal calendar feed ``/calendars/{token}.ics``: what it lists, what readers make of
it, its privacy, and an ETag that follows every change of the participant's calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime

import icalendar
import pytest

from events import services as event_services
from events.models import Session
from registrations import services
from registrations.models import Participant, SessionRegistration
from registrations.services.links import personal_join_url
from tests.calendars.ical_readers import READERS, expected_events
from tests.conftest import REGISTRATION_OPEN_UNTIL

pytestmark = pytest.mark.django_db

JOIN = "https://meet.example.org/j/"
SESSIONS = [
    # (title, zone, wall-clock start, fold, minutes, capacity)
    ("اجتماع الفجر", "America/New_York", datetime(2026, 11, 1, 1, 30), 0, 45, None),
    ("年中会议 🎉", "America/New_York", datetime(2026, 11, 1, 1, 30), 1, 45, None),
    ("Lord Howe", "Australia/Lord_Howe", datetime(2026, 4, 5, 1, 45), 0, 60, None),
    ("काठमाडौं", "Asia/Kathmandu", datetime(2026, 6, 1, 8, 15), None, 60, None),
    ("Nacht; laat, \\ 🌙", "Europe/Amsterdam", datetime(2026, 10, 25, 2, 30), 1, 30, None),
    ("UTC midnight", "UTC", datetime(2026, 7, 1, 0, 0), None, 60, None),
    ("Réveillon", "America/Sao_Paulo", datetime(2026, 12, 31, 23, 30), None, 60, None),
    ("Full", "Europe/Amsterdam", datetime(2026, 4, 28, 14, 0), None, 90, 1),
    ("Called off", "Africa/Nairobi", datetime(2026, 5, 5, 9, 0), None, 60, None),
]


@pytest.fixture
def year(section):
    event = event_services.create_event(
        section=section,
        slug="year",
        title="A year of sessions",
        timezone="Europe/Amsterdam",
        start_date=date(2026, 3, 1),
        end_date=date(2027, 2, 27),
        registration_closes_at=REGISTRATION_OPEN_UNTIL,
        reminder_offsets=[60, 24 * 60],
    )
    event = event_services.publish_event(event=event)
    for number, (title, zone, local, fold, minutes, capacity) in enumerate(SESSIONS):
        event_services.create_session(
            event=event,
            title=title,
            timezone=zone,
            local_start=local,
            fold=fold,
            duration_minutes=minutes,
            capacity=capacity,
            regions=["europe"],
            join_url=f"{JOIN}{number}",
        )
    return event


def session(title: str) -> Session:
    return Session.objects.get(title=title)


def register(event, email: str, titles, **values) -> Participant:
    ids = [session(title).pk for title in titles]
    values.setdefault("name", email.split("@")[0].title())
    return services.register_participant(
        event=event, email=email, sessions=ids, **values
    ).participant


@pytest.fixture
def ana(year) -> Participant:
    """Holds a seat everywhere but in "Full" (waitlisted: Bo came first); "Called off" was
    cancelled by the organisers after she registered."""
    register(year, "bo@example.org", ["Full"])
    ana = register(year, "ana@example.org", [title for title, *_rest in SESSIONS], language="es")
    event_services.cancel_session(session=session("Called off"))
    return ana


def feed_url(participant: Participant) -> str:
    return f"/calendars/{participant.token}.ics"


def expected_feed(titles, *, waitlisted=()) -> list[dict]:
    """What every reader should find: the sessions in feed order, TENTATIVE where waitlisted."""
    rows = list(Session.objects.filter(title__in=titles).order_by("starts_at", "id"))
    expected = expected_events(rows)
    for row, item in zip(rows, expected, strict=True):
        if row.title in waitlisted:
            item["status"] = "TENTATIVE"
    return expected


def vevents(data: bytes) -> dict[str, dict]:
    """Per session title: what a personal VEVENT says beyond its times."""
    calendar = icalendar.Calendar.from_ical(data)
    found = {}
    for event in calendar.walk("VEVENT"):
        conference = event.get("CONFERENCE")
        found[str(event["SUMMARY"])] = {
            "status": str(event["STATUS"]),
            "url": str(event.get("URL", "")),
            "location": str(event.get("LOCATION", "")),
            "conference": (str(conference), dict(conference.params)) if conference else None,
            "description": str(event.get("DESCRIPTION", "")),
            "alarms": [alarm["TRIGGER"].to_ical().decode() for alarm in event.walk("VALARM")],
        }
    return found


@pytest.mark.parametrize("reader", list(READERS))
def test_personal_feed_readers_agree_with_the_database(api, ana, reader):
    response = api.get(feed_url(ana))
    assert response.status_code == 200
    assert READERS[reader](response.content) == expected_feed(
        [title for title, *_rest in SESSIONS], waitlisted={"Full"}
    )


def test_personal_feed_has_join_links_and_alarms_only_for_seats(api, ana, settings):
    by_title = vevents(api.get(feed_url(ana)).content)
    seat = SessionRegistration.objects.get(participant=ana, session=session("Lord Howe"))
    plenary_url = personal_join_url(seat.pk, ana.token)  # the seat's own, not the meeting's
    # Ana reads Spanish: the fixed texts come from the Spanish catalogue.
    details = f"Detalles: {settings.SITE_URL}/events/year/"
    assert (by_title["Lord Howe"], by_title["Full"], by_title["Called off"]) == (
        {
            "status": "CONFIRMED",
            "url": plenary_url,
            "location": plenary_url,
            "conference": (
                plenary_url,
                {"FEATURE": ["AUDIO", "VIDEO"], "LABEL": "Unirse en línea", "VALUE": "URI"},
            ),
            "description": f"A year of sessions\n\nUnirse en línea: {plenary_url}\n\n{details}",
            "alarms": ["-P1D", "-PT1H"],
        },
        {
            "status": "TENTATIVE",
            "url": f"{settings.SITE_URL}/events/year/",
            "location": "",
            "conference": None,
            "description": "A year of sessions\n\nEstá en la lista de espera de esta sesión; "
            f"recibirá el enlace para unirse junto con su plaza.\n\n{details}",
            "alarms": [],
        },
        {
            "status": "CANCELLED",
            "url": f"{settings.SITE_URL}/events/year/",
            "location": "",
            "conference": None,
            "description": f"A year of sessions\n\n{details}",
            "alarms": [],
        },
    )


def test_personal_feed_alarms_follow_each_event_and_the_reminder_setting(api, ana, section):
    webinar = event_services.publish_event(
        event=event_services.create_event(
            section=section,
            slug="webinar",
            title="Webinar",
            timezone="UTC",
            start_date=date(2027, 3, 1),
            end_date=date(2027, 3, 1),
            registration_closes_at=REGISTRATION_OPEN_UNTIL,
            reminder_offsets=[30],
        )
    )
    event_services.create_session(
        event=webinar,
        title="Webinar one",
        starts_at=datetime(2027, 3, 1, 15, tzinfo=UTC),
        duration_minutes=60,
    )
    register(webinar, "ana@example.org", ["Webinar one"])
    with_reminders = vevents(api.get(feed_url(ana)).content)
    services.update_participant_preferences(participant=ana, reminders=False)
    without = vevents(api.get(feed_url(ana)).content)
    assert (
        with_reminders["Webinar one"]["alarms"],
        with_reminders["Lord Howe"]["alarms"],
        without["Webinar one"]["alarms"],
        without["Lord Howe"]["alarms"],
    ) == (["-PT30M"], ["-P1D", "-PT1H"], [], [])


def test_personal_feed_speaks_the_participant_language(api, ana):
    data = api.get(feed_url(ana), HTTP_ACCEPT_LANGUAGE="fr").content
    calendar = icalendar.Calendar.from_ical(data)
    by_title = vevents(data)
    assert (
        str(calendar["NAME"]),
        str(calendar["X-WR-CALNAME"]),
        by_title["Lord Howe"]["conference"][1]["LABEL"],
        by_title["Full"]["description"].split("\n\n")[1],
    ) == (
        "Meridian: mis sesiones",
        "Meridian: mis sesiones",
        "Unirse en línea",
        "Está en la lista de espera de esta sesión; recibirá el enlace para unirse junto con su "
        "plaza.",
    )


def test_personal_feed_headers_head_and_conditional_requests(
    api, ana, year, django_assert_max_num_queries
):
    response = api.get(feed_url(ana))
    head = api.head(feed_url(ana))
    with django_assert_max_num_queries(2):
        by_etag = api.get(feed_url(ana), HTTP_IF_NONE_MATCH=response["ETag"])
    with django_assert_max_num_queries(2):
        by_date = api.get(feed_url(ana), HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    year.refresh_from_db()
    latest = max(
        [ana.updated_at, year.updated_at]
        + [place.updated_at for place in ana.session_registrations.all()]
        + [place.session.updated_at for place in ana.session_registrations.all()]
    )
    headers = ("Content-Type", "Cache-Control", "X-Robots-Tag", "Referrer-Policy", "ETag")
    assert [
        (answer.status_code, *(answer.get(name) for name in headers), answer.content == b"")
        for answer in (response, head, by_etag, by_date)
    ] == [
        (
            status,
            "text/calendar; charset=utf-8" if status == 200 else None,
            "private, max-age=0",
            "noindex, nofollow",
            "no-referrer",
            response["ETag"],
            empty,
        )
        for status, empty in ((200, False), (200, True), (304, True), (304, True))
    ]
    assert (len(response["ETag"]), response["Last-Modified"]) == (
        34,
        latest.strftime("%a, %d %b %Y %H:%M:%S GMT"),
    )


def test_unknown_rotated_and_erased_tokens_are_404(api, ana, year):
    old = feed_url(ana)
    services.rotate_token(participant=ana)
    rotated = api.get(old)
    renewed = api.get(feed_url(ana))
    cy = register(year, "cy@example.org", ["Lord Howe"])
    cy_url = feed_url(cy)
    services.erase_participant(participant=cy)
    assert [
        (answer.status_code, answer["Cache-Control"], answer["Referrer-Policy"])
        for answer in (
            rotated,
            renewed,
            api.get(cy_url),
            api.get("/calendars/not-a-token-but-long-enough.ics"),
            api.get("/calendars/x.ics"),
        )
    ] == [
        (404, "private, max-age=0", "no-referrer"),
        (200, "private, max-age=0", "no-referrer"),
        (404, "private, max-age=0", "no-referrer"),
        (404, "private, max-age=0", "no-referrer"),
        (404, "private, max-age=0", "no-referrer"),
    ]
    assert api.post(feed_url(ana)).status_code == 405


def test_etag_follows_every_change_of_the_participant_calendar(api, ana, year):
    """Each step changes what the feed says; asking again at once is a 304."""
    bo = Participant.objects.get(email="bo@example.org")
    lord_howe = session("Lord Howe")
    steps = {
        "drops a session": lambda: services.drop_session(participant=ana, session=lord_howe),
        "adds it again": lambda: services.add_sessions(participant=ana, sessions=[lord_howe.pk]),
        "is promoted": lambda: services.drop_session(participant=bo, session=session("Full")),
        "turns reminders off": lambda: services.update_participant_preferences(
            participant=ana, reminders=False
        ),
        "changes language": lambda: services.update_participant_preferences(
            participant=ana, language="fr"
        ),
        "a session is renamed": lambda: event_services.update_session(
            session=session("UTC midnight"), title="UTC noon"
        ),
        "a session's description changes": lambda: event_services.update_session(
            session=session("Réveillon"), description="Fireworks after."
        ),
        "the event's reminders change": lambda: event_services.update_event(
            event=year, reminder_offsets=[15]
        ),
        "the event is renamed": lambda: event_services.update_event(event=year, title="A year"),
        "a session is cancelled": lambda: event_services.cancel_session(session=session("काठमाडौं")),
    }
    etag = api.get(feed_url(ana))["ETag"]
    seen = {etag}
    answers = {}
    for step, change in steps.items():
        change()
        changed = api.get(feed_url(ana), HTTP_IF_NONE_MATCH=etag)
        again = api.get(feed_url(ana), HTTP_IF_NONE_MATCH=changed["ETag"])
        answers[step] = (changed.status_code, changed["ETag"] in seen, again.status_code)
        etag = changed["ETag"]
        seen.add(etag)
    assert answers == dict.fromkeys(steps, (200, False, 304))
    promoted = vevents(api.get(feed_url(ana)).content)["Full"]
    assert (promoted["status"], promoted["alarms"]) == ("CONFIRMED", [])


def test_rotating_the_token_changes_the_etag(api, ana):
    before = api.get(feed_url(ana))
    services.rotate_token(participant=ana)
    after = api.get(feed_url(ana), HTTP_IF_NONE_MATCH=before["ETag"])
    assert (
        after.status_code,
        after["ETag"] == before["ETag"],
        after.content == before.content,
    ) == (
        200,
        False,
        False,  # the personal join links follow the new token
    )


def test_public_feeds_never_carry_join_links_the_personal_one_does(api, ana):
    lord_howe = session("Lord Howe")
    public = [
        api.get("/events/year/calendar.ics"),
        api.get("/regions/europe/calendar.ics"),
        api.get(f"/sessions/{lord_howe.pk}.ics"),
    ]
    personal = api.get(feed_url(ana))
    assert [(answer.status_code, JOIN.encode() in answer.content) for answer in public] == [
        (200, False),
        (200, False),
        (200, False),
    ]
    # Seats only: the waitlisted and the cancelled sessions keep theirs out; and the
    # personal feed carries personal join links, never the meeting's own URL.
    assert personal.content.count(b"CONFERENCE;") == len(SESSIONS) - 2
    assert (JOIN.encode() in personal.content, b"/join/" in personal.content) == (False, True)
