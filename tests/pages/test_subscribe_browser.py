"""A Sydney reader opens a region's digest sign-up page: the zone is filled in from the device
and the page says so (it used to say Asia/Kolkata). English and Arabic, 1280 and 375 px,
axe-core, no console error or CSP violation."""

from __future__ import annotations

import re

import pytest

from core.regions import REGIONS_BY_CODE
from events.models import Region
from tests.pages.test_browser import browser  # noqa: F401 (the module's browser fixture)
from tests.pages.test_join_browser import SERIOUS, axe_source  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("locale", ["en-GB", "ar"])
def test_browser_digest_sign_up_fills_the_zone_from_the_device(
    browser,  # noqa: F811
    live_server,
    axe_source,  # noqa: F811
    locale,
    width,
):
    # Earlier transactional tests may have flushed the regions the migration loaded.
    data = REGIONS_BY_CODE["asia-oceania"]
    Region.objects.get_or_create(
        code=data.code,
        defaults={
            "name": str(data.name),
            "countries": list(data.countries),
            "zones": list(data.zones),
            "languages": list(data.languages),
        },
    )
    context = browser.new_context(
        timezone_id="Australia/Sydney", locale=locale, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    try:
        page.goto(f"{live_server.url}/regions/asia-oceania/subscribe/")
        page.wait_for_url(re.compile(r"[?&]tz=Australia%2FSydney"))
        page.wait_for_selector(".zone-source")
        zone = page.input_value("#id_timezone")
        note = page.inner_text(".zone-source")
        direction = page.evaluate("document.documentElement.dir")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth > document.documentElement.clientWidth"
        )
        page.evaluate(axe_source)
        violations = page.evaluate(SERIOUS)
    finally:
        context.close()
    assert (zone, direction, overflow, violations, problems) == (
        "Australia/Sydney",
        "rtl" if locale == "ar" else "ltr",
        False,
        [],
        [],
    )
    city = "سيدني" if locale == "ar" else "Sydney"
    assert city in note and ("Filled in from your device" in note) == (locale != "ar")
