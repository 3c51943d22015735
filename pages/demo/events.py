"""Demo data that feels like the seeds, dated from the day it is loaded so that a newcomer
can always register: a section's three-day online midterm meeting two weeks ahead whose
working-group sessions get their regional editions from the planner (so the coverage report
is complete), a six-session webinar series that rotates its hour, a side event at noon New
York time, and a meeting already held whose sessions offer their recordings.

Loading is idempotent: an event that exists is left as it is (an organiser may have edited
it), and nothing is created or sent twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from core.display import format_date_range
from core.regions import REGIONS
from events import services
from events.enums import EventFormat, SessionFormat
from events.models import Event, Section
from events.organisers import create_organiser
from planner import services as planner_services

SECTION_SLUG = "mlas"
SECTION_NAME = "Management of Library Associations Section"
ORGANISER = "mlas-organiser"
ORGANISER_PASSWORD = "meridian-demo"  # noqa: S105 - demo account, printed for the reader

MIDTERM_STARTS_IN = timedelta(days=14)
# The working groups meet at noon UTC for Europe, Africa and MENA; the planner adds the
# editions the other regions need.
ROOT_REGIONS = ["europe", "africa", "middle-east-north-africa"]
ALL_REGIONS = [region.code for region in REGIONS]

WORKING_GROUPS = (
    (
        "Financial Sustainability of Library Associations",
        "How associations diversify funding, strengthen governance and plan for sustainable "
        "growth. Linked to IFLA Strategy Impact Areas 02 and 03.",
    ),
    (
        "Membership: Recruitment, Retention and Engagement",
        "Strategies that help associations attract, retain and meaningfully engage their "
        "members, so that all voices are heard and valued.",
    ),
    (
        "Marketing and Communications (Public Awareness)",
        "Communication strategies, advocacy messages and visibility within and beyond the "
        "library sector.",
    ),
)

# Days after the first webinar (a week after loading) and the UTC hour: the hour rotates so
# that no region always meets at night.
SERIES = (
    (0, 12, "Communities' diverse expectations of libraries"),
    (14, 22, "The impact we should not underestimate"),
    (28, 16, "Telling our story is an investment"),
    (42, 7, "Closing the perceptions gap around innovation"),
    (56, 13, "Intellectual freedom as a radical proposition"),
    (70, 1, "A legitimate and necessary voice"),
)

HELD = (
    (13, "Open session: associations after the pandemic"),
    (20, "Open session: the view from the regions"),
)


@dataclass
class DemoResult:
    token: str
    username: str
    password: str
    events: list[str]
    sessions_created: int


def _ensure_event(section: Section, slug: str, **values) -> tuple[Event, bool]:
    """The demo event, created (as a draft, published once filled) only when missing."""
    event = Event.objects.filter(slug=slug).first()
    if event is not None:
        return event, False
    return services.create_event(section=section, slug=slug, **values), True


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def _midterm(section: Section, today: date) -> tuple[Event, int]:
    first = today + MIDTERM_STARTS_IN
    days = [first + timedelta(days=offset) for offset in range(3)]
    event, created = _ensure_event(
        section,
        "mlas-midterm-2026",
        title=f"{first.year} MLAS Midterm Meeting: Global Connection in Action",
        description=(
            f"The MLAS Midterm Meeting takes place online on "
            f"{format_date_range(days[0], days[-1], 'en')}, scheduled to allow participants "
            "from all regions of the world to attend sessions in time zones that suit them "
            "best. The programme showcases the progress of the MLAS working groups, the "
            "outcomes of the mentorship pilot, and discussions connecting MLAS priorities to "
            "IFLA's strategic goals and centenary vision."
        ),
        timezone="Europe/Amsterdam",
        start_date=days[0],
        end_date=days[-1],
        format=EventFormat.ONLINE,
        languages=["en", "fr", "es", "de", "ru", "ar", "zh-hans"],
        reminder_offsets=[24 * 60, 60],
    )
    if not created:
        return event, 0
    made = 0
    for day, (title, description) in zip(days, WORKING_GROUPS, strict=True):
        root = services.create_session(
            event=event,
            title=title,
            starts_at=_at(day, 12),
            duration_minutes=90,
            timezone="Europe/Amsterdam",
            description=description,
            format=SessionFormat.WORKING_GROUP,
            language="en",
            capacity=100,
            join_url=f"https://meet.example.org/mlas-{day:%m%d}",
            regions=ROOT_REGIONS,
            track="Working groups",
        )
        editions = planner_services.create_proposed_editions(
            session=root, regions=ALL_REGIONS, first_day=day, last_day=day
        )
        for edition in editions:
            services.update_session(
                session=edition,
                description=description,
                format=SessionFormat.WORKING_GROUP,
                capacity=100,
                join_url=f"https://meet.example.org/mlas-{day:%m%d}-{edition.pk}",
                track="Working groups",
            )
        made += 1 + len(editions)
    services.create_session(
        event=event,
        title="Mentorship of Library Associations Pilot: outcomes",
        starts_at=_at(days[-1], 14, 30),
        duration_minutes=60,
        timezone="Europe/Amsterdam",
        description="Results of the mentorship pilot and the road to IFLA's centenary in 2027.",
        format=SessionFormat.PANEL,
        language="en",
        join_url="https://meet.example.org/mlas-mentorship",
        regions=["europe", "africa", "middle-east-north-africa", "latin-america-caribbean"],
        speakers=["MLAS Chair", "Mentorship pilot coordinators"],
    )
    services.publish_event(event=event)
    return event, made + 1


def _series(section: Section, today: date) -> tuple[Event, int]:
    first = today + timedelta(days=7)
    event, created = _ensure_event(
        section,
        "stronger-bolder-together-2027",
        title="Stronger, Bolder, Together: webinar series",
        description=(
            "Six webinars on what the world needs from its libraries in turbulent times, and "
            "what in turn we can do to respond. Times rotate so that no region always meets "
            "at night."
        ),
        timezone="Europe/Amsterdam",
        start_date=first - timedelta(days=1),
        end_date=first + timedelta(days=SERIES[-1][0] + 1),
        format=EventFormat.ONLINE,
        languages=["en", "fr", "es", "ar"],
    )
    if not created:
        return event, 0
    for number, (offset, hour, title) in enumerate(SERIES, start=1):
        services.create_session(
            event=event,
            title=f"Webinar {number}: {title}",
            starts_at=_at(first + timedelta(days=offset), hour),
            duration_minutes=75,
            timezone="UTC",
            format=SessionFormat.WEBINAR,
            language="en",
            capacity=500,
            join_url=f"https://meet.example.org/sbt-{number}",
            speakers=["IFLA President", "IFLA President-elect"],
        )
    services.publish_event(event=event)
    return event, len(SERIES)


def _side_event(section: Section, today: date) -> tuple[Event, int]:
    day = today + timedelta(days=30)
    event, created = _ensure_event(
        section,
        "library-associations-side-event-2027",
        title="Library associations side event",
        description="A side event at 12pm New York time (see what time this is for you).",
        timezone="America/New_York",
        start_date=day,
        end_date=day,
        format=EventFormat.ONLINE,
        languages=["en", "es", "fr"],
    )
    if not created:
        return event, 0
    services.create_session(
        event=event,
        title="Side event: associations in turbulent times",
        local_start=datetime.combine(day, time(12, 0)),
        timezone="America/New_York",
        duration_minutes=60,
        format=SessionFormat.PANEL,
        language="en",
        join_url="https://meet.example.org/side-event",
        regions=["north-america", "latin-america-caribbean", "europe"],
    )
    services.publish_event(event=event)
    return event, 1


def _held_meeting(section: Section, today: date) -> tuple[Event, int]:
    """A meeting already over: its page says so and offers the recordings."""
    first = today - timedelta(days=45)
    event, created = _ensure_event(
        section,
        "mlas-open-sessions",
        title="MLAS Open Sessions",
        description="Two open sessions held online; their recordings are available.",
        timezone="Europe/Amsterdam",
        start_date=first,
        end_date=first + timedelta(days=1),
        format=EventFormat.ONLINE,
        languages=["en", "fr", "es"],
    )
    if not created:
        return event, 0
    for number, (hour, title) in enumerate(HELD):
        services.create_session(
            event=event,
            title=title,
            starts_at=_at(first + timedelta(days=number), hour),
            duration_minutes=60,
            timezone="Europe/Amsterdam",
            format=SessionFormat.PANEL,
            language="en",
            recording_url=f"https://media.example.org/mlas-open-{number + 1}",
        )
    services.publish_event(event=event)
    return event, len(HELD)


@transaction.atomic
def load_demo(today: date | None = None) -> DemoResult:
    """Load the demo (dated from ``today``, the local date by default); idempotent."""
    today = today or timezone.localdate()
    user, section, token = create_organiser(
        username=ORGANISER,
        section_slug=SECTION_SLUG,
        section_name=SECTION_NAME,
        email="mlas-organiser@example.org",
        password=ORGANISER_PASSWORD,
    )
    loaded = [build(section, today) for build in (_midterm, _series, _side_event, _held_meeting)]
    return DemoResult(
        token=token,
        username=user.username,
        password=ORGANISER_PASSWORD,
        events=[event.slug for event, _made in loaded],
        sessions_created=sum(made for _event, made in loaded),
    )
