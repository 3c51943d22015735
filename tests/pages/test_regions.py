"""Region digest pages: subscribe, and the confirm and unsubscribe pages of the emails."""

from __future__ import annotations

import pytest
from rest_framework.settings import api_settings

from notifications.digests import services
from notifications.models import OutboxMessage, Subscription

from .html import texts

pytestmark = pytest.mark.django_db


def test_subscribe_page_offers_the_form_and_404s_an_unknown_region(client):
    page = client.get("/regions/africa/subscribe/", HTTP_ACCEPT_LANGUAGE="fr")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<html lang="fr" dir="ltr">' in html
    assert 'action="/regions/africa/subscribe/"' in html
    assert client.get("/regions/atlantis/subscribe/").status_code == 404


def test_subscribe_page_sends_one_confirmation_and_says_so(client):
    response = client.post(
        "/regions/europe/subscribe/",
        {"email": "ana@example.org", "language": "de", "timezone": "Europe/Berlin"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert texts(response.content.decode(), "sent") == [
        "If this address can receive mail, a confirmation link is on its way."
    ]
    assert list(
        Subscription.objects.values_list("email", "language", "timezone", "region__code", "state")
    ) == [("ana@example.org", "de", "Europe/Berlin", "europe", "pending")]
    assert list(OutboxMessage.objects.values_list("kind", "recipient")) == [
        ("subscription_confirm", "ana@example.org")
    ]


def test_subscribe_page_shows_errors_in_place_and_writes_nothing(client):
    response = client.post(
        "/regions/europe/subscribe/",
        {"email": "not-an-address", "language": "en", "timezone": ""},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert texts(html, "field-error") == ["Enter a valid email address."]
    assert 'aria-describedby="id_email_error" aria-invalid="true" autofocus' in html
    assert Subscription.objects.count() == 0


def test_subscribe_page_is_throttled_like_the_api(client, monkeypatch):
    monkeypatch.setitem(api_settings.DEFAULT_THROTTLE_RATES, "subscriptions", "1/minute")
    codes = [
        client.post(
            "/regions/europe/subscribe/", {"email": f"p{n}@example.org", "language": "en"}
        ).status_code
        for n in range(2)
    ]
    assert codes == [200, 429]


def test_confirm_page_asks_then_confirms(client):
    services.subscribe(region_code="africa", email="d@example.org")
    token = Subscription.objects.get().confirm_token
    asked = client.get(f"/subscriptions/{token}/confirm/", HTTP_ACCEPT_LANGUAGE="en")
    done = client.post(f"/subscriptions/{token}/confirm/", HTTP_ACCEPT_LANGUAGE="en")
    wrong = client.post("/subscriptions/nope/confirm/", HTTP_ACCEPT_LANGUAGE="en")
    assert [
        (r.status_code, texts(r.content.decode(), "subscription-message"))
        for r in (asked, done, wrong)
    ] == [
        (200, ["Confirm your weekly digest subscription."]),
        (200, ["Thank you: your subscription is confirmed."]),
        (404, ["This confirmation link is not valid (any more)."]),
    ]
    assert 'class="skip-link"' in asked.content.decode()


def test_unsubscribe_page_asks_and_the_one_click_post_still_works(client):
    services.subscribe(region_code="africa", email="e@example.org")
    subscription = Subscription.objects.get()
    services.confirm_subscription(token=subscription.confirm_token)
    url = f"/subscriptions/{subscription.unsubscribe_token}/unsubscribe/"
    asked = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    one_click = client.post(
        url, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert texts(asked.content.decode(), "subscription-message") == [
        "Stop receiving this weekly digest?"
    ]
    assert (one_click.status_code, Subscription.objects.get().state) == (200, "unsubscribed")


def test_home_links_every_regions_digest(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert texts(html, "region-list") == [
        "Africa Asia and Oceania Europe Latin America and the Caribbean "
        "Middle East and North Africa North America"
    ]
    assert 'href="/regions/north-america/subscribe/"' in html
