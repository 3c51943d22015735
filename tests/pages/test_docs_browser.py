"""The API docs page in a real browser: Swagger UI renders the schema with no console error
and no CSP violation (the policy admits only its one known inline style), at 1280 and 375 px."""

from __future__ import annotations

import pytest

from tests.pages.test_browser import browser  # noqa: F401 (the module's browser fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("width", [1280, 375])
def test_browser_api_docs_render_without_a_csp_violation(browser, live_server, width):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    try:
        page.goto(f"{live_server.url}/api/docs/")
        page.wait_for_selector(".swagger-ui .info .title")
        page.wait_for_selector(".opblock-tag")
        title = page.inner_text(".swagger-ui .info .title")
        tags = page.locator(".opblock-tag").all_inner_texts()
    finally:
        context.close()
    assert (title.split("\n")[0].strip(), problems) == ("Meridian API", [])
    assert "events" in [tag.split("\n")[0].strip() for tag in tags]
