"""The link of a registration request email, followed in a browser as its owner would, in
English and Arabic, on a laptop and a phone: the manage page says what was asked, has the
session chosen in an open "add" section, and one click adds it. A cancelled registration is
taken up again the same way. axe-core clean, no console error or CSP violation, no sideways
scroll."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from events import services as event_services
from events.organisers import create_organiser
from registrations import services as registration_services
from registrations.models import Registration
from tests.pages.test_browser import browser  # noqa: F401 (the module's browser fixture)
from tests.pages.test_join_browser import SERIOUS, axe_source  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def a_request(*, cancelled: bool):
    """Karim holds the plenary (or held it, cancelled); someone asked for the workshop."""
    _user, section, _token = create_organiser(username="organiser", section_slug="mlas")
    first = timezone.localdate() + timedelta(days=10)
    event = event_services.create_event(
        section=section,
        slug="midterm",
        title="2026 MLAS Midterm Meeting",
        timezone="Europe/Amsterdam",
        start_date=first,
        end_date=first,
    )
    start = timezone.datetime.combine(first, timezone.datetime.min.time())
    plenary, workshop = (
        event_services.create_session(
            event=event,
            title=title,
            local_start=start.replace(hour=hour),
            timezone="Europe/Amsterdam",
            duration_minutes=60,
            capacity=100,
        )
        for title, hour in (("Opening plenary", 9), ("Metadata workshop", 14))
    )
    event_services.publish_event(event=event)
    owner = registration_services.register_participant(
        event=event, email="karim@example.org", name="كريم", sessions=[plenary.pk]
    ).participant
    if cancelled:
        registration_services.cancel_registration(participant=owner)
    asked = registration_services.register_participant(
        event=event, email="karim@example.org", name="Mallory", sessions=[workshop.pk]
    )
    assert asked.requested
    return owner, workshop


@pytest.mark.parametrize("cancelled", [False, True], ids=["registered", "cancelled"])
@pytest.mark.parametrize(
    ("locale", "width"), [("en", 1280), ("ar", 375), ("ar", 1280), ("en", 375)]
)
def test_browser_the_request_link_chooses_the_session_and_one_click_adds_it(
    browser,  # noqa: F811
    live_server,
    axe_source,  # noqa: F811
    locale,
    width,
    cancelled,
):
    owner, workshop = a_request(cancelled=cancelled)
    context = browser.new_context(
        timezone_id="Asia/Riyadh", locale=locale, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    try:
        page.goto(
            f"{live_server.url}/registrations/{owner.token}/?add={workshop.pk}"
            f"#event-{workshop.event_id}"
        )
        page.wait_for_selector(".notice-request")
        shown = (
            page.evaluate("document.documentElement.dir"),
            page.locator("details.add-sessions").evaluate("element => element.open"),
            page.locator(f'input[type=radio][value="{workshop.pk}"]').is_checked(),
        )
        page.evaluate(axe_source)
        violations = page.evaluate(SERIOUS)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth > document.documentElement.clientWidth"
        )
        page.click("details.add-sessions button[type=submit]")
        page.wait_for_selector(f'.place[data-session-id="{workshop.pk}"]')
        after = (
            page.locator(".notice-request").count(),
            page.locator(".place").count(),
        )
        page.evaluate(axe_source)
        violations += page.evaluate(SERIOUS)
    finally:
        context.close()
    direction = "rtl" if locale == "ar" else "ltr"
    assert (shown, violations, overflow, problems) == ((direction, True, True), [], False, [])
    # Registered: the plenary and the workshop; cancelled: the workshop alone, registered again.
    assert after == (0, 1 if cancelled else 2)
    assert Registration.objects.get(participant=owner).status == "registered"
