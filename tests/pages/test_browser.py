"""The pages in a real browser (Debian's chromium through Playwright) against a live server.

One browser per module, a handful of pages. Screenshots of the event page in three languages
go to ``screenshots/`` at the project root (git-ignored).
"""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.conf import settings

from events import services
from events.organisers import create_organiser
from tests.conftest import CHROMIUM, REGISTRATION_OPEN_UNTIL, REQUIRE_BROWSER

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(settings.BASE_DIR) / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HOSTILE = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">'


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        message = f"Debian's chromium is missing at {CHROMIUM}: apt-get install -y chromium"
        if REQUIRE_BROWSER:
            pytest.fail(f"REQUIRE_BROWSER=1 but {message}", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM (used by the test
    # to write data) would otherwise refuse to run "from an async context".
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield launched
            launched.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def make_event(title: str = "Midterm meeting", session_title: str = "Working group"):
    _user, section, _token = create_organiser(username="organiser", section_slug="mlas")
    event = services.create_event(
        section=section,
        slug="midterm",
        title=title,
        timezone="Europe/Amsterdam",
        start_date=date(2026, 4, 28),
        end_date=date(2026, 4, 30),
        registration_closes_at=REGISTRATION_OPEN_UNTIL,
    )
    services.publish_event(event=event)
    session = services.create_session(
        event=event,
        title=session_title,
        starts_at=datetime(2026, 4, 28, 12, 0, tzinfo=UTC),
        duration_minutes=90,
        timezone="Europe/Berlin",
        capacity=40,
    )
    return event, session


def open_page(browser, url: str, *, zone: str, locale: str = "en-GB"):
    context = browser.new_context(timezone_id=zone, locale=locale)
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector(f'[data-zone-swap][data-viewer-zone="{zone}"]')
    return context, page


def test_browser_zones_see_the_same_session_at_their_local_times(browser, live_server):
    _event, session = make_event()
    seen = {}
    for zone in ("Asia/Tokyo", "America/Los_Angeles"):
        context, page = open_page(browser, f"{live_server.url}/events/midterm/", zone=zone)
        row = page.locator(f'.session[data-session-id="{session.pk}"]')
        seen[zone] = (
            row.locator(".session-time").inner_text(),
            row.locator(".time-pair").inner_text(),
            page.locator(".day h3").all_inner_texts(),
            {cookie["name"]: cookie["value"] for cookie in context.cookies()}.get("meridian_tz"),
        )
        context.close()
    assert seen == {
        "Asia/Tokyo": (
            "21:00–22:30",
            "14:00 in Berlin · 21:00 your time",
            ["Tuesday, 28 April 2026"],
            "Asia/Tokyo",
        ),
        "America/Los_Angeles": (
            "05:00–06:30",
            "14:00 in Berlin · 05:00 your time",
            ["Tuesday, 28 April 2026"],
            "America/Los_Angeles",
        ),
    }


def test_browser_viewer_changes_the_zone_and_sees_errors_in_place(browser, live_server):
    _event, session = make_event()
    context, page = open_page(
        browser, f"{live_server.url}/sessions/{session.pk}/", zone="Asia/Tokyo"
    )
    page.fill("#tz", "Moon/Base")
    page.click("#zone-form button[type=submit]")
    page.wait_for_selector("#tz-error:not([hidden])")
    error = (page.inner_text("#tz-error"), page.get_attribute("#tz", "aria-invalid"))
    page.fill("#tz", "America/Sao_Paulo")
    page.click("#zone-form button[type=submit]")
    page.wait_for_selector('#for-you[data-viewer-zone="America/Sao_Paulo"]')
    changed = (
        page.inner_text("#for-you .viewer-start"),
        page.is_hidden("#tz-error"),
        page.get_attribute("#tz", "aria-invalid"),
    )
    page.reload()  # the choice is remembered: the server renders it, no swap needed
    remembered = page.get_attribute("#for-you", "data-viewer-zone")
    context.close()
    assert (error, changed, remembered) == (
        (
            "“Moon/Base” is not a known time zone. Use an IANA name such as Africa/Nairobi.",
            "true",
        ),
        ("09:00", True, None),
        "America/Sao_Paulo",
    )


def test_browser_switches_to_arabic_right_to_left_and_screenshots(browser, live_server):
    make_event()
    SCREENSHOTS.mkdir(exist_ok=True)
    context, page = open_page(browser, f"{live_server.url}/events/midterm/", zone="Asia/Tokyo")
    page.screenshot(path=SCREENSHOTS / "event-en.png", full_page=True)
    seen = []
    for language in ("ar", "zh-hans"):
        page.select_option("#language-select", language)
        with page.expect_navigation():
            page.click(".language-form button")
        page.wait_for_selector('[data-zone-swap][data-viewer-zone="Asia/Tokyo"]')
        page.screenshot(path=SCREENSHOTS / f"event-{language}.png", full_page=True)
        seen.append(
            (
                page.get_attribute("html", "lang"),
                page.get_attribute("html", "dir"),
                page.evaluate("getComputedStyle(document.body).direction"),
                page.locator(".session-time").inner_text(),
            )
        )
    context.close()
    assert seen == [
        ("ar", "rtl", "rtl", "9:00 م–10:30 م"),
        ("zh-hans", "ltr", "ltr", "21:00–22:30"),
    ]
    assert sorted(path.name for path in SCREENSHOTS.glob("event-*.png")) == [
        "event-ar.png",
        "event-en.png",
        "event-zh-hans.png",
    ]


def test_browser_shows_a_hostile_title_as_text(browser, live_server):
    _event, session = make_event(title=HOSTILE, session_title=HOSTILE)
    dialogs = []
    context = browser.new_context(timezone_id="Europe/Berlin", locale="en-GB")
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    shown = []
    for path in ("/", "/events/midterm/", f"/sessions/{session.pk}/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("load")
        shown.append(
            (
                page.locator("h1, h3 a").last.inner_text()
                if path == "/"
                else page.locator("h1").inner_text(),
                page.evaluate("window.pwned === undefined"),
            )
        )
    context.close()
    assert (shown, dialogs) == ([(HOSTILE, True)] * 3, [])


def test_browser_registers_then_manages_drops_and_cancels(browser, live_server):
    event, session = make_event()
    panel = services.create_session(
        event=event,
        title="Panel",
        starts_at=datetime(2026, 4, 29, 12, 0, tzinfo=UTC),
        duration_minutes=60,
        timezone="Europe/Berlin",
    )
    SCREENSHOTS.mkdir(exist_ok=True)
    context = browser.new_context(timezone_id="Asia/Tokyo", locale="fr-FR")
    page = context.new_page()
    page.goto(f"{live_server.url}/events/midterm/register/")
    page.wait_for_url(re.compile(r"[?&]tz=Asia%2FTokyo"))  # the browser's zone, asked again
    page.screenshot(path=SCREENSHOTS / "register-fr.png", full_page=True)
    page.select_option("#language-select", "en")
    with page.expect_navigation():
        page.click(".language-form button")
    page.fill("#id_name", "Ana Souza")
    page.fill("#id_email", "ana@example.org")
    detected = page.input_value("#id_timezone")
    page.select_option("#id_country", "US")
    suggested = [(page.input_value("#id_timezone"), page.inner_text("#region-hint"))]
    page.select_option("#id_country", "JP")
    suggested.append((page.input_value("#id_timezone"), page.inner_text("#region-hint")))
    page.check(f'input[name="session-{session.pk}"][value="{session.pk}"]')
    page.check(f'input[name="session-{panel.pk}"][value="{panel.pk}"]')
    page.check("#id_consent")
    with page.expect_navigation():
        page.click("#register-form button[type=submit]:not([name])")
    confirmed = page.locator(".place").all_inner_texts()
    page.click(".manage-link")
    page.wait_for_selector(".manage")
    page.click(f'button[name="drop"][value="{session.pk}"]')
    page.wait_for_selector("#confirm")  # one tap gives nothing away: the page asks first
    asked = (page.inner_text("#confirm-question"), page.evaluate("document.activeElement.id"))
    page.click("#confirm button[type=submit]")
    page.wait_for_selector(".notice-success")
    after_drop = (page.inner_text(".notice-success"), page.locator(".place").all_text_contents())
    page.click('form[action$="/cancel/"] button:not([name])')
    page.wait_for_selector("#confirm")
    page.click("#confirm button[type=submit]")
    page.wait_for_selector(".notice-success")
    after_cancel = page.inner_text(".notice-success")
    context.close()
    assert detected == "Asia/Tokyo"
    assert suggested == [
        ("America/New_York", "Region: North America"),
        ("Asia/Tokyo", "Region: Asia and Oceania"),
    ]
    assert [" ".join(text.split()) for text in confirmed] == [
        "Tue 28 Apr, 21:00–22:30 Working group Confirmed",
        "Wed 29 Apr, 21:00–22:00 Panel Confirmed",
    ]
    assert (after_drop[0], [" ".join(t.split()) for t in after_drop[1]]) == (
        "You gave up your place in “Working group”.",
        ["Wed 29 Apr, 21:00–22:00 Panel Confirmed Drop: Panel"],
    )
    assert after_cancel == "Your registration for “Midterm meeting” is cancelled."
    assert asked == (
        "Give up your place in “Working group”? It goes to the next person on the waitlist "
        "at once.",
        "confirm",
    )
    assert (SCREENSHOTS / "register-fr.png").exists()


def test_browser_registration_error_is_shown_in_place_and_focused(browser, live_server):
    make_event()
    context = browser.new_context(timezone_id="Europe/Berlin", locale="en-GB")
    page = context.new_page()
    page.goto(f"{live_server.url}/events/midterm/register/")
    page.fill("#id_name", "Ana")
    page.fill("#id_email", "ana@example.org")
    page.fill("#id_timezone", "Moon/Base")
    page.check("#id_consent")
    with page.expect_navigation():
        page.click("#register-form button[type=submit]:not([name])")
    shown = (
        page.inner_text("#id_timezone_error"),
        page.get_attribute("#id_timezone", "aria-invalid"),
        page.evaluate("document.activeElement.id"),
        page.input_value("#id_name"),
    )
    context.close()
    assert shown == (
        "“Moon/Base” is not a known time zone. Use an IANA name such as Africa/Nairobi.",
        "true",
        "id_timezone",
        "Ana",
    )


def test_browser_a_country_of_several_zones_offers_them_to_choose_from(browser, live_server):
    make_event()
    context = browser.new_context(timezone_id="Europe/Lisbon", locale="en-GB")
    page = context.new_page()
    page.goto(f"{live_server.url}/events/midterm/register/")
    page.wait_for_url(re.compile(r"[?&]tz=Europe%2FLisbon"))
    hidden_before = page.is_hidden("#country-zones")
    page.select_option("#id_country", "BR")
    offered = page.locator("#country-zone option").all_inner_texts()
    suggested = page.input_value("#id_timezone")
    page.select_option("#country-zone", "America/Manaus")
    chosen = page.input_value("#id_timezone")
    page.select_option("#id_country", "KE")  # a choice among Brazil's zones: Kenya's now
    kept = (page.input_value("#id_timezone"), page.is_hidden("#country-zones"))
    context.close()
    assert (hidden_before, suggested, chosen, kept) == (
        True,
        "America/Sao_Paulo",
        "America/Manaus",
        ("Africa/Nairobi", True),
    )
    assert len(offered) == 16 and offered[0] == "São Paulo (UTC-03:00)"
    assert "Manaus (UTC-04:00)" in offered
