"""Demo data that feels like the seeds: a section's three-day online midterm meeting whose
working-group sessions come in three regional editions, a six-session webinar series and a
side event at noon New York time. Loading is idempotent: sessions are matched by title and
start, so a second run changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.db import transaction

from events import services
from events.enums import EventFormat, EventStatus, SessionFormat
from events.models import Event, Section, Session
from events.organisers import create_organiser

SECTION_SLUG = "mlas"
SECTION_NAME = "Management of Library Associations Section"
ORGANISER = "mlas-organiser"
ORGANISER_PASSWORD = "meridian-demo"  # noqa: S105 - demo account, printed for the reader

# Three editions that each give a group of regions a daytime slot (28–30 April 2026).
EDITIONS = (
    ("03:00", "Asia/Tokyo", ["asia-oceania"], "Asia–Oceania edition"),
    (
        "12:00",
        "Europe/Amsterdam",
        ["europe", "africa", "middle-east-north-africa"],
        "Europe–Africa–MENA edition",
    ),
    ("18:00", "America/New_York", ["north-america", "latin-america-caribbean"], "Americas edition"),
)

WORKING_GROUPS = (
    (
        date(2026, 4, 28),
        "Financial Sustainability of Library Associations",
        "How associations diversify funding, strengthen governance and plan for sustainable "
        "growth. Linked to IFLA Strategy Impact Areas 02 and 03.",
    ),
    (
        date(2026, 4, 29),
        "Membership: Recruitment, Retention and Engagement",
        "Strategies that help associations attract, retain and meaningfully engage their "
        "members, so that all voices are heard and valued.",
    ),
    (
        date(2026, 4, 30),
        "Marketing and Communications (Public Awareness)",
        "Communication strategies, advocacy messages and visibility within and beyond the "
        "library sector.",
    ),
)

SERIES = (
    (datetime(2027, 2, 10, 12, 0, tzinfo=UTC), "Communities' diverse expectations of libraries"),
    (datetime(2027, 2, 24, 22, 0, tzinfo=UTC), "The impact we should not underestimate"),
    (datetime(2027, 3, 10, 16, 0, tzinfo=UTC), "Telling our story is an investment"),
    (datetime(2027, 3, 24, 7, 0, tzinfo=UTC), "Closing the perceptions gap around innovation"),
    (datetime(2027, 4, 7, 13, 0, tzinfo=UTC), "Intellectual freedom as a radical proposition"),
    (datetime(2027, 4, 21, 1, 0, tzinfo=UTC), "A legitimate and necessary voice"),
)


@dataclass
class DemoResult:
    token: str
    username: str
    password: str
    events: list[str]
    sessions_created: int


def _ensure_session(
    event: Event, *, title: str, starts_at: datetime, **values
) -> tuple[Session, bool]:
    existing = Session.objects.filter(event=event, title=title, starts_at=starts_at).first()
    if existing:
        return existing, False
    return services.create_session(event=event, title=title, starts_at=starts_at, **values), True


def _ensure_event(section: Section, slug: str, **values) -> Event:
    event = Event.objects.filter(slug=slug).first()
    if event is None:
        event = services.create_event(section=section, slug=slug, **values)
    if event.status == EventStatus.DRAFT:
        services.publish_event(event=event)
    return event


@transaction.atomic
def load_demo() -> DemoResult:
    user, section, token = create_organiser(
        username=ORGANISER,
        section_slug=SECTION_SLUG,
        section_name=SECTION_NAME,
        email="mlas-organiser@example.org",
        password=ORGANISER_PASSWORD,
    )
    created = 0

    midterm = _ensure_event(
        section,
        "mlas-midterm-2026",
        title="2026 MLAS Midterm Meeting: Global Connection in Action",
        description=(
            "The MLAS Midterm Meeting takes place online on 28, 29 and 30 April 2026, "
            "scheduled to allow participants from all regions of the world to attend sessions "
            "in time zones that suit them best. The programme showcases the progress of the "
            "MLAS working groups, the outcomes of the mentorship pilot, and discussions "
            "connecting MLAS priorities to IFLA's strategic goals and centenary vision."
        ),
        timezone="Europe/Amsterdam",
        start_date=date(2026, 4, 28),
        end_date=date(2026, 4, 30),
        format=EventFormat.ONLINE,
        languages=["en", "fr", "es", "de", "ru", "ar", "zh-hans"],
        reminder_offsets=[24 * 60, 60],
    )
    for day, title, description in WORKING_GROUPS:
        root = None
        for utc_time, zone, regions, label in EDITIONS:
            hour, minute = (int(part) for part in utc_time.split(":"))
            starts_at = datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)
            session, was_created = _ensure_session(
                midterm,
                title=f"{title} — {label}",
                starts_at=starts_at,
                duration_minutes=90,
                timezone=zone,
                description=description,
                format=SessionFormat.WORKING_GROUP,
                language="en",
                capacity=100,
                join_url=f"https://meet.example.org/mlas-{day:%m%d}-{hour:02d}",
                regions=regions,
                track="Working groups",
                edition_of=root,
            )
            created += was_created
            root = root or session
    _, was_created = _ensure_session(
        midterm,
        title="Mentorship of Library Associations Pilot: outcomes",
        starts_at=datetime(2026, 4, 30, 13, 30, tzinfo=UTC),
        duration_minutes=60,
        timezone="Europe/Amsterdam",
        description="Results of the mentorship pilot and the road to IFLA's centenary in 2027.",
        format=SessionFormat.PANEL,
        language="en",
        join_url="https://meet.example.org/mlas-mentorship",
        regions=["europe", "africa", "middle-east-north-africa", "latin-america-caribbean"],
        speakers=["MLAS Chair", "Mentorship pilot coordinators"],
    )
    created += was_created

    series = _ensure_event(
        section,
        "stronger-bolder-together-2027",
        title="Stronger, Bolder, Together: webinar series",
        description=(
            "Six webinars on what the world needs from its libraries in turbulent times, and "
            "what in turn we can do to respond. Times rotate so that no region always meets "
            "at night."
        ),
        timezone="Europe/Amsterdam",
        start_date=date(2027, 2, 10),
        end_date=date(2027, 4, 21),
        format=EventFormat.ONLINE,
        languages=["en", "fr", "es", "ar"],
    )
    for number, (starts_at, title) in enumerate(SERIES, start=1):
        _, was_created = _ensure_session(
            series,
            title=f"Webinar {number}: {title}",
            starts_at=starts_at,
            duration_minutes=75,
            timezone="UTC",
            format=SessionFormat.WEBINAR,
            language="en",
            capacity=500,
            join_url=f"https://meet.example.org/sbt-{number}",
            speakers=["IFLA President", "IFLA President-elect"],
        )
        created += was_created

    side = _ensure_event(
        section,
        "library-associations-side-event-2027",
        title="Library associations side event",
        description="A side event at 12pm New York time (see what time this is for you).",
        timezone="America/New_York",
        start_date=date(2027, 3, 16),
        end_date=date(2027, 3, 16),
        format=EventFormat.ONLINE,
        languages=["en", "es", "fr"],
    )
    _, was_created = _ensure_session(
        side,
        title="Side event: associations in turbulent times",
        starts_at=datetime(2027, 3, 16, 16, 0, tzinfo=UTC),
        duration_minutes=60,
        timezone="America/New_York",
        format=SessionFormat.PANEL,
        language="en",
        join_url="https://meet.example.org/side-event",
        regions=["north-america", "latin-america-caribbean", "europe"],
    )
    created += was_created
    return DemoResult(
        token=token,
        username=user.username,
        password=ORGANISER_PASSWORD,
        events=[midterm.slug, series.slug, side.slug],
        sessions_created=created,
    )
