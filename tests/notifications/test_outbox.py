from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import transaction

from notifications.enums import MessageKind
from notifications.models import OutboxMessage
from notifications.outbox import queue, wakes
from notifications.outbox import rows as outbox

T0 = datetime(2026, 4, 20, 12, tzinfo=UTC)


def add(key, due=T0, **extra):
    return queue.enqueue(
        kind=MessageKind.SUBSCRIPTION_CONFIRM,
        recipient=f"{key}@example.org",
        dedupe_key=key,
        due_at=due,
        **extra,
    )


def states():
    return dict(OutboxMessage.objects.values_list("dedupe_key", "state"))


@pytest.mark.django_db
def test_enqueue_when_the_key_was_used_writes_nothing():
    first = add("a")
    again = add("a")
    assert (first is not None, again, OutboxMessage.objects.count()) == (True, None, 1)


@pytest.mark.django_db
def test_enqueue_with_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="no renderer"):
        queue.enqueue(kind="telegram", recipient="a@example.org", dedupe_key="x")


@pytest.mark.django_db
def test_claim_batch_takes_due_pending_rows_in_due_order_under_one_lease():
    add("late", due=T0 - timedelta(minutes=5))
    add("early", due=T0 - timedelta(minutes=10))
    add("future", due=T0 + timedelta(minutes=1))
    claimed = outbox.claim_batch(owner="w1", limit=10, lease_seconds=60, now=T0)
    assert [(m.dedupe_key, m.state, m.attempts, m.lease_owner) for m in claimed] == [
        ("early", "sending", 1, "w1"),
        ("late", "sending", 1, "w1"),
    ]
    assert claimed[0].lease_expires_at == T0 + timedelta(seconds=60)
    assert outbox.claim_batch(owner="w2", limit=10, lease_seconds=60, now=T0) == []


@pytest.mark.django_db
def test_outcome_after_the_lease_was_recovered_is_not_written():
    add("a")
    [message] = outbox.claim_batch(owner="slow", limit=1, lease_seconds=30, now=T0)
    later = T0 + timedelta(seconds=31)
    assert outbox.recover_expired_leases(max_attempts=5, now=later) == 1
    [again] = outbox.claim_batch(owner="fast", limit=1, lease_seconds=30, now=later)
    written = [
        outbox.mark_sent(pk=message.pk, owner="slow", now=later),
        outbox.mark_skipped(pk=message.pk, owner="slow", reason="stale", now=later),
        outbox.mark_sent(pk=again.pk, owner="fast", now=later),
    ]
    assert written == [False, False, True]
    assert OutboxMessage.objects.values_list("state", "attempts", "lease_owner").get() == (
        "sent",
        2,
        "",
    )


@pytest.mark.django_db
def test_recover_expired_leases_fails_rows_out_of_attempts():
    add("a")
    add("b")
    outbox.claim_batch(owner="dead", limit=2, lease_seconds=30, now=T0)
    OutboxMessage.objects.filter(dedupe_key="a").update(attempts=3)
    outbox.recover_expired_leases(max_attempts=3, now=T0 + timedelta(minutes=1))
    assert states() == {"a": "failed", "b": "pending"}


@pytest.mark.django_db
def test_release_unattempted_gives_the_attempt_back():
    add("a")
    outbox.claim_batch(owner="w", limit=1, lease_seconds=30, now=T0)
    retry_at = T0 + timedelta(seconds=30)
    pk = OutboxMessage.objects.get().pk
    outbox.release_unattempted(pks=[pk], owner="w", next_attempt_at=retry_at)
    assert OutboxMessage.objects.values_list("state", "attempts", "next_attempt_at").get() == (
        "pending",
        0,
        retry_at,
    )


@pytest.mark.django_db
def test_wake_is_registered_once_per_transaction_for_rows_due_now(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        add("now-1", due=datetime.now(UTC))
        add("now-2", due=datetime.now(UTC))
        add("later", due=datetime.now(UTC) + timedelta(days=1))
    assert callbacks == [queue.wake]


@pytest.mark.django_db
def test_a_wake_the_broker_refused_does_not_hold_back_the_next(settings, broker, tmp_path, caplog):
    from django.core.cache import cache

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    broker("redis://127.0.0.1:1/0")  # nothing listens there
    queue.wake()
    assert (cache.get(wakes.WAKE_PENDING_KEY), "could not wake a worker" in caplog.text) == (
        None,
        True,
    )


@pytest.mark.django_db
def test_a_pending_wake_is_marked_in_a_shared_cache_and_cleared_when_its_drain_starts(
    settings, tmp_path
):
    from django.core.cache import cache

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    settings.CELERY_BROKER_URL = ""  # the embedded default: no wake is sent, nothing marked
    queue.wake()
    unmarked = cache.get(wakes.WAKE_PENDING_KEY)
    cache.add(wakes.WAKE_PENDING_KEY, 1, 10)
    wakes.wake_received()
    assert (unmarked, cache.get(wakes.WAKE_PENDING_KEY)) == (None, None)


@pytest.mark.django_db
def test_outbox_status_prints_counts_and_the_oldest_due_row(capsys):
    add("a", due=datetime(2026, 1, 1, tzinfo=UTC))
    add("b", due=datetime(2026, 1, 2, tzinfo=UTC))
    OutboxMessage.objects.filter(dedupe_key="b").update(state="sent")
    call_command("outbox_status")
    lines = capsys.readouterr().out.splitlines()
    pk = OutboxMessage.objects.get(dedupe_key="a").pk
    assert lines[:3] == [
        "state      kind                        count",
        "pending    subscription_confirm            1",
        "sent       subscription_confirm            1",
    ]
    assert lines[3].startswith(
        f"Oldest due: #{pk} subscription_confirm due 2026-01-01T00:00:00+00:00 ("
    )
