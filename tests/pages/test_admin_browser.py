"""An organiser in the admin, in a real browser: logs in, adds an event with a session inline,
reaches the planner from the header and reads a heat map in colour. English and Arabic, at
1280 and 375 px, checked with axe-core, no console error or CSP violation."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from events import services as event_services
from events.models import Event
from events.organisers import create_organiser
from tests.pages.test_browser import browser  # noqa: F401 (the module's browser fixture)
from tests.pages.test_join_browser import SERIOUS, axe_source  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a long organiser passphrase"


def log_in(browser, live_server, *, locale: str, width: int):  # noqa: F811
    context = browser.new_context(
        timezone_id="Europe/Amsterdam", locale=locale, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "organiser")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")
    return context, page, problems


def organiser_with_event():
    _user, section, _token = create_organiser(
        username="organiser", section_slug="mlas", password=PASSWORD
    )
    event = event_services.create_event(
        section=section,
        slug="midterm",
        title="2026 MLAS Midterm Meeting.",
        timezone="Europe/Amsterdam",
        start_date=date(2027, 4, 27),
        end_date=date(2027, 4, 29),
    )
    event_services.create_session(
        event=event,
        title="Plenary",
        starts_at=datetime(2027, 4, 27, 12, tzinfo=UTC),
        duration_minutes=90,
    )
    return event


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("locale", ["en-GB", "ar"])
def test_browser_organiser_reaches_the_planner_and_sees_the_heat_map_in_colour(
    browser,  # noqa: F811
    live_server,
    axe_source,  # noqa: F811
    locale,
    width,
):
    event = organiser_with_event()
    context, page, problems = log_in(browser, live_server, locale=locale, width=width)
    try:
        with page.expect_navigation():
            page.click("a.planner-link")
        page.fill("input[name=date]", "2027-04-27")
        page.select_option("select[name=event]", str(event.pk))
        with page.expect_navigation():
            page.click(".planner-form input[type=submit]")
        page.wait_for_selector("table.heat")
        colours = page.evaluate(
            """() => [...document.querySelectorAll('table.heat tbody tr:first-child td')]
                 .map((cell) => getComputedStyle(cell).backgroundColor)"""
        )
        legend = page.evaluate(
            """() => [...document.querySelectorAll('.legend li')]
                 .map((item) => [item.className, getComputedStyle(item).backgroundColor])"""
        )
        direction = page.evaluate("document.documentElement.dir")
        page.evaluate(axe_source)
        violations = page.evaluate(SERIOUS)
    finally:
        context.close()
    assert len(colours) == 24 and "rgba(0, 0, 0, 0)" not in colours
    assert len(set(colours)) >= 3  # night, near and comfortable hours differ
    assert legend == [
        ["comfortable", "rgb(30, 107, 52)"],
        ["partial", "rgb(183, 221, 142)"],
        ["near", "rgb(246, 211, 101)"],
        ["far", "rgb(240, 138, 75)"],
        ["night", "rgb(140, 45, 58)"],
    ]
    assert (direction, violations, problems) == (
        "rtl" if locale == "ar" else "ltr",
        [],
        [],
    )


def test_browser_organiser_adds_an_event_with_a_session_inline(
    browser,  # noqa: F811
    live_server,
):
    organiser_with_event()
    context, page, problems = log_in(browser, live_server, locale="en-GB", width=1280)
    try:
        page.goto(f"{live_server.url}/admin/events/event/add/")
        page.fill("#id_title", "Autumn meeting")  # the slug follows the title
        page.select_option("#id_timezone", "America/Sao_Paulo")
        page.fill("#id_start_date", "2027-10-05")
        page.fill("#id_end_date", "2027-10-06")
        page.check("input[name=languages][value=es]")
        page.click(".add-row a")
        page.fill("#id_sessions-0-title", "Opening")
        page.fill("#id_sessions-0-local_start", "2027-10-05T12:00")
        page.select_option("#id_sessions-0-timezone", "America/Sao_Paulo")
        page.fill("#id_sessions-0-duration_minutes", "60")
        with page.expect_navigation():
            page.click("input[name=_save]")
        message = page.locator(".messagelist").inner_text()
    finally:
        context.close()
    event = Event.objects.get(slug="autumn-meeting")
    session = event.sessions.get()
    assert (event.section.slug, event.languages, event.reminder_offsets) == (
        "mlas",
        ["en", "es"],
        [1440, 60],
    )
    assert (session.title, session.starts_at) == ("Opening", datetime(2027, 10, 5, 15, tzinfo=UTC))
    assert "was added successfully" in message and problems == []
