"""Public writes are throttled with a readable answer; typed text never runs as HTML in the
admin's lists and forms; CRLF typed into a name never reaches an email header."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from rest_framework.settings import api_settings

pytestmark = pytest.mark.django_db

HOSTILE = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">'
ESCAPED = "&lt;script&gt;window.pwned=1&lt;/script&gt;"


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


def test_registration_throttle_answers_429_with_a_readable_message(api, event, monkeypatch):
    monkeypatch.setitem(api_settings.DEFAULT_THROTTLE_RATES, "registrations", "1/minute")
    url = f"/api/events/{event.slug}/registrations/"
    first = api.post(url, {"email": "a@example.org", "name": "A"}, format="json")
    second = api.post(url, {"email": "b@example.org", "name": "B"}, format="json")
    assert (first.status_code, second.status_code) == (201, 429)
    assert list(second.json()) == ["detail"]
    assert second.json()["detail"].startswith("Request was throttled. Expected available in ")
    assert int(second["Retry-After"]) > 0


def test_subscription_throttle_answers_429_with_a_readable_message(api, monkeypatch):
    monkeypatch.setitem(api_settings.DEFAULT_THROTTLE_RATES, "subscriptions", "1/minute")
    url = "/api/regions/europe/subscriptions/"
    first = api.post(url, {"email": "a@example.org", "language": "en"}, format="json")
    second = api.post(url, {"email": "b@example.org", "language": "en"}, format="json")
    assert (first.status_code, second.status_code) == (202, 429)
    assert list(second.json()) == ["detail"]
    assert second.json()["detail"].startswith("Request was throttled. Expected available in ")


@pytest.fixture
def hostile(event, organiser):
    """An event, session, participant and question whose every text field is a script."""
    from events import services
    from registrations import services as registrations
    from registrations.models import Question

    services.update_event(event=event, title=HOSTILE, description=HOSTILE)
    session = services.create_session(
        event=event,
        title=HOSTILE,
        description=HOSTILE,
        starts_at=datetime(2026, 4, 28, 10, tzinfo=UTC),
        ends_at=datetime(2026, 4, 28, 11, tzinfo=UTC),
        timezone="Europe/Amsterdam",
        speakers=[HOSTILE],
        track=HOSTILE[:100],
    )
    Question.objects.create(event=event, key="why", text=HOSTILE)
    registered = registrations.register_participant(
        event=event,
        email="ana@example.org",
        name=HOSTILE[:100],
        organisation=HOSTILE[:100],
        sessions=[session.pk],
    )
    return {"event": event, "session": session, "participant": registered.participant}


def test_admin_lists_and_forms_show_typed_script_as_text(client, organiser, hostile):
    from django.urls import reverse

    from registrations.models import Question, Registration

    client.force_login(organiser.user)
    urls = [
        reverse("admin:events_event_changelist"),
        reverse("admin:events_session_changelist"),
        reverse("admin:registrations_registration_changelist"),
        reverse("admin:registrations_participant_changelist"),
        reverse("admin:registrations_question_changelist"),
        reverse("admin:events_event_change", args=[hostile["event"].pk]),
        reverse("admin:events_session_change", args=[hostile["session"].pk]),
        reverse("admin:registrations_registration_change", args=[Registration.objects.get().pk]),
        reverse("admin:registrations_question_change", args=[Question.objects.get().pk]),
        "/admin/planner/",
    ]
    pages = {url: client.get(url) for url in urls}
    assert {url: page.status_code for url, page in pages.items()} == dict.fromkeys(urls, 200)
    assert [url for url, page in pages.items() if "<script>window.pwned" in page.text] == []
    assert [url for url, page in pages.items() if 'onerror="window' in page.text] == []
    listed = [
        url for url in urls[:5] if ESCAPED in pages[url].text or "&lt;script" in pages[url].text
    ]
    assert listed == urls[:5]


def test_crlf_in_subject_and_headers_never_reaches_an_email_header():
    from email import message_from_bytes, policy

    from notifications.models import OutboxMessage
    from notifications.outbox.dispatch import build_email
    from notifications.outbox.renderers import Rendered

    row = OutboxMessage(recipient="ana@example.org", message_id="<1@meridian.example>")
    rendered = Rendered(
        subject="Midterm\r\nBcc: victim@example.org",
        text="body",
        html="<p>body</p>",
        headers={"List-Unsubscribe": "<https://x.example/u>\r\nBcc: victim@example.org"},
    )
    sent = message_from_bytes(
        build_email(row, rendered).message().as_bytes(), policy=policy.default
    )
    assert (sent["Bcc"], sent["Subject"], sent["List-Unsubscribe"]) == (
        None,
        "Midterm Bcc: victim@example.org",
        "<https://x.example/u> Bcc: victim@example.org",
    )


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/events/midterm/registrations/", {"name": "Ana"}),
        ("/api/regions/europe/subscriptions/", {"language": "en"}),
    ],
)
def test_crlf_in_an_email_address_is_refused(api, event, url, body):
    from notifications.models import OutboxMessage

    response = api.post(
        url, {**body, "email": "ana@example.org\r\nBcc: victim@example.org"}, format="json"
    )
    assert (response.status_code, list(response.json()), OutboxMessage.objects.count()) == (
        400,
        ["email"],
        0,
    )


def _forged(number: int) -> dict:
    """A client that writes its own X-Forwarded-For, a new address each time."""
    return {"HTTP_X_FORWARDED_FOR": f"203.0.113.{number}", "REMOTE_ADDR": "198.51.100.7"}


@pytest.mark.parametrize(
    ("url", "scope", "body", "accepted"),
    [
        ("/api/events/midterm/registrations/", "registrations", {"name": "N"}, 201),
        ("/api/regions/europe/subscriptions/", "subscriptions", {"language": "en"}, 202),
    ],
)
def test_a_forged_forwarded_for_buys_no_fresh_budget(
    api, event, monkeypatch, url, scope, body, accepted
):
    monkeypatch.setitem(api_settings.DEFAULT_THROTTLE_RATES, scope, "10/minute")
    codes = [
        api.post(
            url, {**body, "email": f"p{n}@example.org"}, format="json", **_forged(n)
        ).status_code
        for n in range(25)
    ]
    assert (codes.count(accepted), codes.count(429)) == (10, 15)


def test_the_page_form_throttle_ignores_a_forged_forwarded_for(client, event, monkeypatch):
    monkeypatch.setitem(api_settings.DEFAULT_THROTTLE_RATES, "registrations", "3/minute")
    codes = [
        client.post(
            "/events/midterm/register/", {"email": f"p{n}@example.org", "name": "N"}, **_forged(n)
        ).status_code
        for n in range(6)
    ]
    assert codes.count(429) == 3


def test_behind_one_trusted_proxy_the_address_it_saw_is_the_client(api, event, monkeypatch):
    """The proxy appends the address it saw; what the client wrote before it is ignored."""
    monkeypatch.setattr(api_settings, "NUM_PROXIES", 1)
    monkeypatch.setitem(api_settings.DEFAULT_THROTTLE_RATES, "registrations", "2/minute")
    url = "/api/events/midterm/registrations/"

    def post(number: int, seen_by_proxy: str) -> int:
        forwarded = {"HTTP_X_FORWARDED_FOR": f"203.0.113.{number}, {seen_by_proxy}"}
        body = {"email": f"p{number}@example.org", "name": "N"}
        return api.post(url, body, format="json", **forwarded).status_code

    same_client = [post(number, "192.0.2.10") for number in range(4)]
    other_client = post(9, "192.0.2.11")
    assert (same_client, other_client) == ([201, 201, 429, 429], 201)
