"""A participant opens their personal join link before the session, in a real browser:
English and Arabic, at 1280 and 375 px, checked with axe-core, and no console error or CSP
violation. (Debian's chromium through Playwright; axe-core from tests/events/js.)"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from events import services as event_services
from events.organisers import create_organiser
from registrations import services as registration_services
from registrations.services.links import join_token
from tests.conftest import REQUIRE_BROWSER
from tests.pages.test_browser import browser  # noqa: F401 (the module's browser fixture)

# serialized_rollback: the database is left as the migrations made it (the migration tests
# after this one restore their rows into it).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE = Path(__file__).resolve().parent.parent / "events" / "js" / "node_modules" / "axe-core"
MEETING = "https://meet.example.org/wg-secret"
SERIOUS = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((violation) => ["serious", "critical"].includes(violation.impact))
    .map((violation) => violation.id + ": " + violation.nodes.map((n) => n.target).join(" "));
}"""


@pytest.fixture
def axe_source() -> str:
    path = AXE / "axe.min.js"
    if not path.exists():
        message = f"axe-core is missing at {path}: run make setup (npm install)"
        if REQUIRE_BROWSER:
            pytest.fail(f"REQUIRE_BROWSER=1 but {message}", pytrace=False)
        pytest.skip(message)
    return path.read_text(encoding="utf-8")


def seat_link(live_server) -> str:
    _user, section, _token = create_organiser(username="organiser", section_slug="mlas")
    today = timezone.now().date()
    event = event_services.create_event(
        section=section,
        slug="midterm",
        title="2026 MLAS Midterm Meeting.",
        timezone="America/New_York",
        start_date=today,
        end_date=today + timedelta(days=2),
        registration_closes_at=timezone.now() + timedelta(days=1),
    )
    event_services.publish_event(event=event)
    session = event_services.create_session(
        event=event,
        title="Working group (Asia–Oceania edition)",
        starts_at=(timezone.now() + timedelta(hours=3)).replace(second=0, microsecond=0),
        duration_minutes=60,
        timezone="Asia/Kolkata",
        join_url=MEETING,
    )
    result = registration_services.register_participant(
        event=event, email="ana@example.org", name="Ana", sessions=[session.pk]
    )
    [seat] = result.session_registrations
    return f"{live_server.url}/join/{join_token(seat.pk, result.participant.token)}/"


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("locale", ["en-GB", "ar"])
def test_browser_join_link_before_the_session_counts_down(
    browser,  # noqa: F811
    live_server,
    axe_source,
    locale,
    width,
):
    url = seat_link(live_server)
    context = browser.new_context(
        timezone_id="Asia/Kathmandu", locale=locale, viewport={"width": width, "height": 800}
    )
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    try:
        page.goto(url)
        page.wait_for_function(
            "document.querySelector('.countdown-value').textContent.includes(':')"
        )
        language = page.evaluate("document.documentElement.lang")
        direction = page.evaluate("document.documentElement.dir")
        title_direction = page.locator("h1").get_attribute("dir")
        countdown = page.locator(".countdown-value").inner_text()
        html = page.content()
        overflow = page.evaluate(
            "document.documentElement.scrollWidth > document.documentElement.clientWidth"
        )
        page.evaluate(axe_source)  # through the debugger, not a page script: CSP untouched
        violations = page.evaluate(SERIOUS)
    finally:
        context.close()
    expected_language, expected_direction = ("ar", "rtl") if locale == "ar" else ("en", "ltr")
    hours = int(countdown.split(":")[0])
    assert (
        language,
        direction,
        title_direction,
        hours in (2, 3),
        MEETING in html,
        overflow,
        violations,
        problems,
    ) == (expected_language, expected_direction, "auto", True, False, False, [], [])
