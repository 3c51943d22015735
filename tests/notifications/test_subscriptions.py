from datetime import UTC, datetime

import pytest

from notifications.digests import services
from notifications.models import OutboxMessage, Subscription

ACCEPTED = {"detail": "If this address can receive mail, a confirmation link is on its way."}


def outbox_rows():
    return list(
        OutboxMessage.objects.order_by("id").values_list(
            "kind", "recipient", "language", "timezone", "region_code", "state"
        )
    )


def subscribe(api, email="Ana@Example.ORG", region="europe", **extra):
    return api.post(
        f"/api/regions/{region}/subscriptions/", {"email": email, **extra}, format="json"
    )


@pytest.mark.django_db
def test_subscribe_when_new_enqueues_one_confirmation(api):
    response = subscribe(api, language="fr", timezone="Europe/Paris")
    assert (response.status_code, response.json()) == (202, ACCEPTED)
    assert outbox_rows() == [
        ("subscription_confirm", "Ana@example.org", "fr", "Europe/Paris", "europe", "pending")
    ]
    assert list(Subscription.objects.values_list("email", "region__code", "state")) == [
        ("Ana@example.org", "europe", "pending")
    ]


@pytest.mark.django_db
def test_subscribe_when_repeated_answers_the_same_and_sends_nothing_more(api):
    first = subscribe(api)
    again = subscribe(api, email="ana@example.org")
    assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert len(outbox_rows()) == 1


@pytest.mark.django_db
def test_subscribe_when_already_confirmed_answers_the_same_and_sends_nothing(
    api, confirmed_subscription
):
    before = outbox_rows()
    response = subscribe(api, email="ana@example.org", language="de")
    assert (response.status_code, response.json()) == (202, ACCEPTED)
    assert outbox_rows() == before
    assert Subscription.objects.get().language == "en"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("region", "body", "status", "answer"),
    [
        ("atlantis", {"email": "a@example.org"}, 404, {"region": ["Unknown region."]}),
        ("europe", {"email": "not-an-address"}, 400, {"email": ["Enter a valid email address."]}),
        (
            "europe",
            {"email": "a@example.org", "timezone": "Mars/Olympus"},
            400,
            {
                "timezone": [
                    "“Mars/Olympus” is not a known time zone. Use an IANA name such as "
                    "Africa/Nairobi."
                ]
            },
        ),
        (
            "europe",
            {"email": "a@example.org", "language": "xx"},
            400,
            {"language": ['"xx" is not a valid choice.']},
        ),
    ],
)
def test_subscribe_when_input_is_bad_refuses_and_writes_nothing(api, region, body, status, answer):
    response = api.post(f"/api/regions/{region}/subscriptions/", body, format="json")
    assert (response.status_code, response.json()) == (status, answer)
    assert (Subscription.objects.count(), outbox_rows()) == (0, [])


@pytest.mark.django_db
def test_confirm_plans_the_first_digest_for_monday_eight_in_the_subscribers_zone(api):
    services.subscribe(region_code="europe", email="b@example.org", timezone_name="Europe/London")
    token = Subscription.objects.get().confirm_token
    services.confirm_subscription(token=token, now=datetime(2026, 3, 23, 12, tzinfo=UTC))
    digest = OutboxMessage.objects.get(kind="region_digest")
    assert (digest.due_at, digest.dedupe_key.endswith(":2026-W14"), digest.state) == (
        datetime(2026, 3, 30, 7, tzinfo=UTC),
        True,
        "pending",
    )
    assert Subscription.objects.values_list("state", "last_digest_week").get() == (
        "confirmed",
        "2026-W14",
    )


@pytest.mark.django_db
def test_confirm_api_twice_is_harmless_and_a_bad_token_is_404(api):
    services.subscribe(region_code="africa", email="c@example.org")
    token = Subscription.objects.get().confirm_token
    first = api.post(f"/api/subscriptions/{token}/confirm/")
    again = api.post(f"/api/subscriptions/{token}/confirm/")
    wrong = api.post("/api/subscriptions/not-a-token/confirm/")
    assert [(r.status_code, r.json()) for r in (first, again, wrong)] == [
        (200, {"region": "africa", "state": "confirmed"}),
        (200, {"region": "africa", "state": "confirmed"}),
        (404, {"detail": "This confirmation link is not valid (any more)."}),
    ]
    assert OutboxMessage.objects.filter(kind="region_digest").count() == 1


@pytest.mark.django_db
def test_confirm_link_get_shows_a_button_and_confirms_nothing(client):
    services.subscribe(region_code="africa", email="d@example.org")
    token = Subscription.objects.get().confirm_token
    response = client.get(f"/subscriptions/{token}/confirm/")
    assert (response.status_code, b'<form method="post">' in response.content) == (200, True)
    assert Subscription.objects.get().state == "pending"


@pytest.mark.django_db
def test_one_click_unsubscribe_post_ends_the_subscription_and_cancels_its_digest(
    client, confirmed_subscription
):
    response = client.post(
        f"/subscriptions/{confirmed_subscription.unsubscribe_token}/unsubscribe/",
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert list(OutboxMessage.objects.order_by("id").values_list("kind", "state")) == [
        ("subscription_confirm", "cancelled"),
        ("region_digest", "cancelled"),
    ]
    assert Subscription.objects.get().state == "unsubscribed"


@pytest.mark.django_db
def test_unsubscribe_api_with_unknown_token_is_404(api):
    response = api.post("/api/subscriptions/nope/unsubscribe/")
    assert (response.status_code, response.json()) == (
        404,
        {"detail": "This unsubscribe link is not valid."},
    )


@pytest.mark.django_db
def test_subscribe_after_unsubscribing_starts_a_new_pending_subscription(
    api, confirmed_subscription
):
    services.unsubscribe(token=confirmed_subscription.unsubscribe_token)
    response = subscribe(api, email="ana@example.org")
    subscription = Subscription.objects.get()
    assert (response.status_code, subscription.state) == (202, "pending")
    assert subscription.confirm_token != confirmed_subscription.confirm_token
    assert list(
        OutboxMessage.objects.filter(kind="subscription_confirm")
        .order_by("id")
        .values_list("state", flat=True)
    ) == ["cancelled", "pending"]


@pytest.mark.django_db
def test_plan_due_digests_plans_each_week_once(confirmed_subscription):
    # The first digest (27 April) is due: planning adds the next week's, once.
    now = datetime(2026, 4, 27, 7, 30, tzinfo=UTC)
    planned = [services.plan_due_digests(now=now), services.plan_due_digests(now=now)]
    assert planned == [1, 0]
    assert list(
        OutboxMessage.objects.filter(kind="region_digest")
        .order_by("due_at")
        .values_list("due_at", flat=True)
    ) == [datetime(2026, 4, 27, 7, tzinfo=UTC), datetime(2026, 5, 4, 7, tzinfo=UTC)]
