"""Digest subscription links: 256-bit tokens looked up by their digest, rotatable, and the
links of subscriptions made before the digests existed still valid after the migration."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

from core import tokens
from notifications.digests import selectors, services
from notifications.models import OutboxMessage, Subscription
from notifications.outbox import renderers


def subscribe(email="ana@example.org"):
    services.subscribe(region_code="europe", email=email, timezone_name="Europe/London")
    return Subscription.objects.get(email=email)


@pytest.mark.django_db
def test_a_new_subscription_has_two_256_bit_tokens_stored_with_their_digests():
    subscription = subscribe()
    confirm, unsubscribe = subscription.confirm_token, subscription.unsubscribe_token
    assert (
        len(confirm),
        len(unsubscribe),
        confirm != unsubscribe,
        subscription.confirm_token_hash,
        subscription.unsubscribe_token_hash,
    ) == (43, 43, True, tokens.hash_token(confirm), tokens.hash_token(unsubscribe))


@pytest.mark.django_db
def test_lookup_goes_by_the_digest_never_the_token():
    subscription = subscribe()
    token = subscription.confirm_token
    with CaptureQueriesContext(connection) as queries:
        found = selectors.subscription_by_confirm_token(token)
    [query] = [item["sql"] for item in queries.captured_queries]
    assert (found, tokens.hash_token(token) in query, token in query) == (
        subscription,
        True,
        False,
    )


@pytest.mark.django_db
def test_the_digest_columns_are_unique_indexes():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Subscription._meta.db_table)
    unique_columns = sorted(
        column
        for constraint in constraints.values()
        if constraint["unique"] and not constraint["primary_key"]
        for column in constraint["columns"]
        if column.endswith("token") or column.endswith("token_hash")
    )
    assert unique_columns == ["confirm_token_hash", "unsubscribe_token_hash"]


@pytest.mark.django_db
def test_tokens_are_not_interchangeable_and_implausible_ones_cost_no_query(
    django_assert_num_queries,
):
    subscription = subscribe()
    assert (
        selectors.subscription_by_confirm_token(subscription.unsubscribe_token),
        selectors.subscription_by_unsubscribe_token(subscription.confirm_token),
        selectors.subscription_by_unsubscribe_token(subscription.unsubscribe_token),
    ) == (None, None, subscription)
    assert selectors.subscription_by_confirm_token(subscription.confirm_token_hash) is None
    with django_assert_num_queries(0):
        assert [
            selectors.subscription_by_confirm_token(token) for token in ("", "short", "x" * 65)
        ] == [None, None, None]


@pytest.mark.django_db
def test_rotating_the_links_kills_the_old_ones_and_unsent_emails_carry_the_new_ones(
    api, client, site
):
    subscription = subscribe()
    old_confirm, old_unsubscribe = subscription.confirm_token, subscription.unsubscribe_token
    rotated = services.rotate_link_tokens(subscription=subscription)
    stale = [
        api.post(f"/api/subscriptions/{old_confirm}/confirm/").status_code,
        client.post(f"/subscriptions/{old_unsubscribe}/unsubscribe/").status_code,
    ]
    new_links = {rotated.confirm_token, rotated.unsubscribe_token}
    assert (stale, rotated.tokens_rotated_at is not None, new_links & {old_confirm}) == (
        [404, 404],
        True,
        set(),
    )
    # The confirmation not sent yet is rendered at send time: it carries the new link.
    text = renderers.render(OutboxMessage.objects.get(kind="subscription_confirm"), {}).text
    assert (
        f"https://meridian.example/subscriptions/{rotated.confirm_token}/confirm/" in text,
        old_confirm in text,
    ) == (True, False)
    assert api.post(f"/api/subscriptions/{rotated.confirm_token}/confirm/").json() == {
        "region": "europe",
        "state": "confirmed",
    }
    assert api.post(f"/api/subscriptions/{rotated.unsubscribe_token}/unsubscribe/").json() == {
        "region": "europe",
        "state": "unsubscribed",
    }


@pytest.mark.django_db
def test_admin_action_gives_the_chosen_subscriptions_new_links(client, django_user_model):
    first, second = subscribe("ana@example.org"), subscribe("ben@example.org")
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    response = client.post(
        "/admin/notifications/subscription/",
        {"action": "rotate_links", "_selected_action": [first.pk]},
        follow=True,
    )
    first_now, second_now = (
        Subscription.objects.get(pk=first.pk),
        Subscription.objects.get(pk=second.pk),
    )
    assert (
        response.status_code,
        [str(message) for message in response.context["messages"]],
        first_now.confirm_token != first.confirm_token,
        second_now.confirm_token == second.confirm_token,
    ) == (200, ["1 subscription has new links."], True, True)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migration_keeps_the_links_of_existing_subscriptions_valid():
    executor = MigrationExecutor(connection)
    before = [("notifications", "0001_initial")]
    latest = executor.loader.graph.leaf_nodes("notifications")
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        OldSubscription = old.get_model("notifications", "Subscription")
        region = old.get_model("events", "Region").objects.get(code="europe")
        confirm, unsubscribe = tokens.new_token(), tokens.new_token()
        OldSubscription.objects.create(
            email="ana@example.org",
            region=region,
            timezone="Europe/London",
            confirm_token=confirm,
            unsubscribe_token=unsubscribe,
        )
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
    finally:
        MigrationExecutor(connection).migrate(latest)
    subscription = selectors.subscription_by_confirm_token(confirm)
    confirmed = services.confirm_subscription(
        token=confirm, now=datetime(2026, 4, 20, 12, tzinfo=UTC)
    )
    assert (
        subscription.email,
        confirmed.state,
        selectors.subscription_by_unsubscribe_token(unsubscribe),
    ) == ("ana@example.org", "confirmed", subscription)
