"""Arabic on a phone and a laptop: an English title keeps its order inside the right-to-left
event page ("2026 MLAS Midterm Meeting." used to show as "MLAS Midterm Meeting… 2026" with the
full stop in front), and the manage page asks before a seat is given up. axe-core clean, no
console error or CSP violation, no sideways scroll."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from events import services as event_services
from events.organisers import create_organiser
from registrations import services as registration_services
from tests.pages.test_browser import browser  # noqa: F401 (the module's browser fixture)
from tests.pages.test_join_browser import SERIOUS, axe_source  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "2026 MLAS Midterm Meeting."


def a_registration():
    _user, section, _token = create_organiser(username="organiser", section_slug="mlas")
    first = timezone.localdate() + timedelta(days=10)
    event = event_services.create_event(
        section=section,
        slug="midterm",
        title=TITLE,
        description="Working groups, in three regional editions.",
        timezone="Europe/Amsterdam",
        start_date=first,
        end_date=first,
    )
    session = event_services.create_session(
        event=event,
        title="Financial Sustainability (Asia and Oceania edition)",
        local_start=timezone.datetime.combine(first, timezone.datetime.min.time()).replace(hour=9),
        timezone="Europe/Amsterdam",
        duration_minutes=90,
        capacity=100,
    )
    event_services.publish_event(event=event)
    result = registration_services.register_participant(
        event=event, email="karim@example.org", name="كريم", sessions=[session.pk]
    )
    return result.participant, session


@pytest.mark.parametrize("width", [1280, 375])
def test_browser_arabic_pages_isolate_english_titles(
    browser,  # noqa: F811
    live_server,
    axe_source,  # noqa: F811
    width,
):
    participant, session = a_registration()
    context = browser.new_context(
        timezone_id="Asia/Riyadh", locale="ar", viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    seen = []
    try:
        page.goto(f"{live_server.url}/events/midterm/")
        page.wait_for_selector('[data-zone-swap][data-viewer-zone="Asia/Riyadh"]')
        seen.append(
            (
                page.evaluate("document.documentElement.dir"),
                page.evaluate("getComputedStyle(document.querySelector('h1')).direction"),
                page.inner_text("h1"),
                page.evaluate(
                    "getComputedStyle(document.querySelector('.session-title bdi')).direction"
                ),
            )
        )
        page.evaluate(axe_source)
        violations = page.evaluate(SERIOUS)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth > document.documentElement.clientWidth"
        )
        page.goto(f"{live_server.url}/registrations/{participant.token}/")
        page.click(f'button[name="drop"][value="{session.pk}"]')
        page.wait_for_selector("#confirm")
        confirm_focused = page.evaluate("document.activeElement.id")
        page.evaluate(axe_source)
        violations += page.evaluate(SERIOUS)
        page.click("#confirm a")  # "No, keep it"
        page.wait_for_selector(".place")
        kept = page.locator(".place-status").all_inner_texts()
    finally:
        context.close()
    assert seen == [("rtl", "ltr", TITLE, "ltr")]
    assert (violations, overflow, problems, confirm_focused, kept) == (
        [],
        False,
        [],
        "confirm",
        ["مؤكَّد"],
    )
