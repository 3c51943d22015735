"""The admin's event pages save, as an organiser fills them in: the form is read from the page
(management form, defaults, prefixes), filled like a person would and posted back."""

from __future__ import annotations

from datetime import UTC, date, datetime
from html.parser import HTMLParser

import pytest
from django.test import Client

from events import services
from events.models import Event, Session

pytestmark = pytest.mark.django_db


class _Form(HTMLParser):
    """The values a browser would submit for the page's main form, before anyone types."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values: dict[str, list[str]] = {}
        self.select: str | None = None
        self.textarea: str | None = None
        self.in_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id", "").endswith("_form"):
            self.in_form = True
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.values.setdefault(name, []).append(attrs.get("value", "on"))
            elif kind not in ("submit", "button", "file"):
                self.values[name] = [attrs.get("value") or ""]
        elif tag == "select" and name:
            self.select = name
            self.values.setdefault(name, [] if "multiple" in attrs else [""])
        elif tag == "option" and self.select and "selected" in attrs:
            values = self.values[self.select]
            if values == [""]:
                values.clear()
            values.append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self.textarea = name
            self.values[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form":
            self.in_form = False

    def handle_data(self, data):
        if self.textarea:
            self.values[self.textarea][0] += data


def form_of(client: Client, url: str) -> dict[str, list[str] | str]:
    page = client.get(url)
    assert page.status_code == 200, page.content[:300]
    parser = _Form()
    parser.feed(page.content.decode())
    return parser.values


def add_inline_sessions(data: dict, rows: list[dict[str, str]]) -> None:
    """Copy the inline's empty form for each row, as "Add another session" does, and fill it."""
    template = {
        key.removeprefix("sessions-__prefix__-"): value
        for key, value in data.items()
        if key.startswith("sessions-__prefix__-")
    }
    assert {"title", "local_start", "timezone", "duration_minutes"} <= set(template)
    total = int(data["sessions-TOTAL_FORMS"][0])
    for offset, row in enumerate(rows):
        prefix = f"sessions-{total + offset}"
        data.update({f"{prefix}-{key}": value for key, value in {**template, **row}.items()})
    data["sessions-TOTAL_FORMS"] = str(total + len(rows))


@pytest.fixture
def browser(organiser):
    client = Client()
    client.force_login(organiser.user)
    return client


def post(client: Client, url: str, data: dict):
    answer = client.post(url, data)
    assert answer.status_code == 302, _errors(answer)
    return answer


def _errors(answer) -> str:
    html = answer.content.decode()
    return " | ".join(part[:300] for part in html.split('class="errorlist')[1:]) or html[:500]


def test_an_organiser_adds_an_event_with_sessions_in_three_zones(browser, section):
    data = form_of(browser, "/admin/events/event/add/")
    assert data["section"] == [str(section.pk)]  # their only section is preselected
    data.update(
        {
            "section": str(section.pk),
            "slug": "midterm-2027",
            "title": "Midterm meeting 2027",
            "timezone": "Europe/Amsterdam",
            "start_date": "2027-04-27",
            "end_date": "2027-04-29",
            "languages": ["en", "fr"],
            "reminder_offsets": ["1440", "60"],
            "missed_you_note": "on",
        }
    )
    add_inline_sessions(
        data,
        [
            {
                "title": "Opening",
                "local_start": "2027-04-27T14:00",
                "timezone": "Europe/Amsterdam",
                "duration_minutes": "90",
            },
            {
                "title": "Americas edition",
                "local_start": "2027-04-27T12:00",
                "timezone": "America/Sao_Paulo",
                "duration_minutes": "60",
            },
            {
                "title": "Asia–Oceania edition",
                "local_start": "2027-04-28T09:00",
                "timezone": "Asia/Kolkata",
                "duration_minutes": "60",
            },
        ],
    )
    post(browser, "/admin/events/event/add/", data)
    event = Event.objects.get(slug="midterm-2027")
    assert event.missed_you_note is True
    sessions = list(event.sessions.order_by("starts_at"))
    assert [(s.title, s.timezone, s.starts_at, s.ends_at, s.description) for s in sessions] == [
        (
            "Opening",
            "Europe/Amsterdam",
            datetime(2027, 4, 27, 12, tzinfo=UTC),
            datetime(2027, 4, 27, 13, 30, tzinfo=UTC),
            "",
        ),
        (
            "Americas edition",
            "America/Sao_Paulo",
            datetime(2027, 4, 27, 15, tzinfo=UTC),
            datetime(2027, 4, 27, 16, tzinfo=UTC),
            "",
        ),
        (
            "Asia–Oceania edition",
            "Asia/Kolkata",
            datetime(2027, 4, 28, 3, 30, tzinfo=UTC),
            datetime(2027, 4, 28, 4, 30, tzinfo=UTC),
            "",
        ),
    ]
    assert [s.sequence for s in sessions] == [0, 0, 0]


@pytest.fixture
def edited(section):
    event = services.create_event(
        section=section,
        slug="autumn",
        title="Autumn meeting",
        timezone="Europe/Amsterdam",
        start_date=date(2027, 10, 5),
        end_date=date(2027, 10, 6),
    )
    session = services.create_session(
        event=event,
        title="Plenary",
        timezone="Europe/Amsterdam",
        local_start=datetime(2027, 10, 5, 14, 0),
        duration_minutes=60,
        description="Kept as written.",
    )
    return event, session


def test_an_organiser_edits_only_the_description_of_an_event(browser, edited):
    event, session = edited
    url = f"/admin/events/event/{event.pk}/change/"
    data = form_of(browser, url)
    data["description"] = "Agenda to follow."
    post(browser, url, data)
    event.refresh_from_db()
    session.refresh_from_db()
    assert (event.description, session.description, session.sequence) == (
        "Agenda to follow.",
        "Kept as written.",
        0,
    )


def test_an_event_with_no_sessions_saves(browser, section):
    data = form_of(browser, "/admin/events/event/add/")
    data.update(
        {
            "slug": "lonely",
            "title": "Lonely",
            "timezone": "UTC",
            "start_date": "2027-01-05",
            "end_date": "2027-01-05",
        }
    )
    post(browser, "/admin/events/event/add/", data)
    assert Event.objects.get(slug="lonely").sessions.count() == 0


def test_changing_a_session_time_inline_goes_through_the_time_rules(browser, edited):
    event, session = edited
    url = f"/admin/events/event/{event.pk}/change/"
    data = form_of(browser, url)
    assert data["sessions-0-local_start"] == ["2027-10-05T14:00"]
    data["sessions-0-local_start"] = "2027-10-06T09:30"
    post(browser, url, data)
    session.refresh_from_db()
    assert (session.starts_at, session.ends_at, session.sequence, session.description) == (
        datetime(2027, 10, 6, 7, 30, tzinfo=UTC),
        datetime(2027, 10, 6, 8, 30, tzinfo=UTC),
        1,
        "Kept as written.",
    )


def test_an_inline_time_outside_the_event_is_refused_in_place_and_nothing_is_saved(browser, edited):
    event, session = edited
    url = f"/admin/events/event/{event.pk}/change/"
    data = form_of(browser, url)
    data["title"] = "Renamed"
    data["sessions-0-local_start"] = "2027-10-09T09:30"
    answer = browser.post(url, data)
    assert answer.status_code == 200
    assert "errorlist" in answer.content.decode()
    event.refresh_from_db()
    session.refresh_from_db()
    assert (event.title, session.starts_at) == (
        "Autumn meeting",
        datetime(2027, 10, 5, 12, tzinfo=UTC),
    )


def test_an_inline_session_is_deleted(browser, edited):
    event, session = edited
    url = f"/admin/events/event/{event.pk}/change/"
    data = form_of(browser, url)
    data["sessions-0-DELETE"] = "on"
    post(browser, url, data)
    assert not Session.objects.filter(pk=session.pk).exists()


def test_the_standalone_session_page_saves(browser, edited):
    _event, session = edited
    url = f"/admin/events/session/{session.pk}/change/"
    data = form_of(browser, url)
    data["title"] = "Plenary (moved)"
    data["local_start"] = "2027-10-05T16:00"
    post(browser, url, data)
    session.refresh_from_db()
    assert (session.title, session.starts_at, session.sequence) == (
        "Plenary (moved)",
        datetime(2027, 10, 5, 14, tzinfo=UTC),
        1,
    )


def test_the_event_form_offers_languages_and_reminders_as_choices(browser, section):
    event = services.create_event(
        section=section,
        slug="odd",
        title="Odd reminders",
        timezone="Asia/Kathmandu",
        start_date=date(2027, 3, 1),
        end_date=date(2027, 3, 1),
        languages=["en", "ar"],
        reminder_offsets=[90, 1440],
    )
    url = f"/admin/events/event/{event.pk}/change/"
    data = form_of(browser, url)
    html = browser.get(url).content.decode()
    assert (data["languages"], data["reminder_offsets"], data["timezone"]) == (
        ["en", "ar"],
        ["1440", "90"],
        ["Asia/Kathmandu"],
    )
    assert "1 hour and 30 minutes" in html and "In UTC." in html
    data["reminder_offsets"] = ["10080", "60"]
    post(browser, url, data)
    event.refresh_from_db()
    assert event.reminder_offsets == [10080, 60]


def test_publishing_in_the_form_goes_through_the_service_and_back_to_draft_is_refused(
    browser, edited
):
    event, _session = edited
    url = f"/admin/events/event/{event.pk}/change/"
    data = form_of(browser, url)
    data["status"] = "published"
    post(browser, url, data)
    event.refresh_from_db()
    assert event.status == "published"
    data = form_of(browser, url)
    data["status"] = "draft"
    answer = browser.post(url, data)
    assert answer.status_code == 200
    assert "cannot go back to draft" in answer.content.decode()
    event.refresh_from_db()
    assert event.status == "published"


def test_moving_the_dates_away_from_a_session_is_refused_in_place(browser, edited):
    event, _session = edited
    url = f"/admin/events/event/{event.pk}/change/"
    data = form_of(browser, url)
    data["start_date"], data["end_date"] = "2027-11-01", "2027-11-02"
    answer = browser.post(url, data)
    assert answer.status_code == 200 and 'class="errorlist' in answer.content.decode()
    event.refresh_from_db()
    assert event.start_date == date(2027, 10, 5)
