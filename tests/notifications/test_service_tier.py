"""The outbox with real parts: PostgreSQL, Redis, a Celery worker and beat as processes, and
an SMTP server on loopback counting messages by Message-ID."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from events import services as event_services
from events.models import Region
from notifications.digests import services
from notifications.enums import MessageKind
from notifications.models import OutboxMessage, Subscription
from notifications.outbox import queue, wakes
from notifications.outbox import rows as outbox
from notifications.outbox.ratelimit import TokenBucket

pytestmark = [
    pytest.mark.services,
    # serialized_rollback puts the regions (a data migration) back after each flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LANGUAGES = ["en", "fr", "es", "de", "ru", "ar", "zh-hans"]
ZONES = ["Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "Africa/Lagos"]


def make_backlog(count: int) -> set[str]:
    """``count`` pending subscriptions, each with a confirmation due now; their Message-IDs."""
    regions = list(Region.objects.all())
    subscriptions = Subscription.objects.bulk_create(
        [
            Subscription(
                email=f"person{index}@example.org",
                region=regions[index % len(regions)],
                language=LANGUAGES[index % len(LANGUAGES)],
                timezone=ZONES[index % len(ZONES)],
                **services.new_link_tokens(),
            )
            for index in range(count)
        ],
        batch_size=1000,
    )
    queue.enqueue_many(
        {
            "kind": MessageKind.SUBSCRIPTION_CONFIRM,
            "recipient": subscription.email,
            "dedupe_key": f"backlog:{subscription.pk}",
            "language": subscription.language,
            "timezone_name": subscription.timezone,
            "subscription": subscription,
        }
        for subscription in subscriptions
    )
    return set(OutboxMessage.objects.values_list("message_id", flat=True))


def all_delivered(expected: set[str]):
    return lambda sink: set(sink.counts()) >= expected


def test_backlog_is_delivered_by_worker_and_beat_none_missing_none_doubled(sink, stack):
    expected = make_backlog(3000)
    stack.start_worker()
    stack.start_beat()
    assert sink.wait_for(all_delivered(expected), timeout=180), stack.logs()
    counts = sink.counts()
    assert (set(counts), max(counts.values())) == (expected, 1)
    assert OutboxMessage.objects.filter(state="sent").count() == 3000


def test_worker_killed_mid_batch_loses_nothing_and_doubles_at_most_one(sink, stack):
    expected = make_backlog(1500)
    sink.handler.hold_after, sink.handler.holding = 300, True
    worker = stack.start_worker()
    stack.start_beat()
    # The worker is now mid-batch: message 301 is in flight, the sink has not answered.
    assert sink.handler.held.wait(timeout=120), stack.logs()
    stack.kill_worker(worker)
    in_flight = OutboxMessage.objects.filter(state="sending").count()
    sink.handler.holding = False  # the server accepts the message whose sender died
    stack.start_worker()
    assert sink.wait_for(all_delivered(expected), timeout=180), stack.logs()
    counts = sink.counts()
    doubled = sum(count - 1 for count in counts.values())
    assert (set(counts), doubled <= 1, 0 < in_flight <= 50) == (expected, True, True)
    assert OutboxMessage.objects.exclude(state="sent").count() == 0


def test_smtp_answering_421_then_refusing_connections_delays_but_loses_nothing(sink, stack):
    expected = make_backlog(400)
    sink.handler.fail_with = "421 4.3.2 Service not available, closing channel"
    stack.start_worker()
    stack.start_beat()

    def errors_like(text):
        return lambda _sink: OutboxMessage.objects.filter(last_error__contains=text).exists()

    assert sink.wait_for(errors_like("421"), timeout=60), stack.logs()
    sink.stop()
    assert sink.wait_for(errors_like("Connection refused"), timeout=60), stack.logs()
    assert sink.messages == []
    sink.handler.fail_with = None
    sink.start()
    assert sink.wait_for(all_delivered(expected), timeout=180), stack.logs()
    counts = sink.counts()
    assert (set(counts), max(counts.values())) == (expected, 1)


def test_two_drains_on_one_backlog_never_claim_the_same_row():
    make_backlog(2000)
    claims: dict[str, list[int]] = {"a": [], "b": []}
    start = threading.Barrier(2)

    def claimer(name: str) -> None:
        try:
            start.wait()
            while batch := outbox.claim_batch(owner=name, limit=25, lease_seconds=60):
                claims[name].extend(message.pk for message in batch)
        finally:
            connection.close()

    threads = [threading.Thread(target=claimer, args=(name,)) for name in claims]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    first, second = set(claims["a"]), set(claims["b"])
    assert (len(first & second), len(first | second)) == (0, 2000)
    assert (len(claims["a"]) + len(claims["b"]), bool(first), bool(second)) == (2000, True, True)


def test_digests_across_dst_weeks_go_out_once_per_subscriber_at_eight_local(sink, stack):
    section = event_services.ensure_section(slug="mlas")
    event = event_services.create_event(
        section=section,
        slug="spring-series",
        title="Spring webinar series",
        timezone="Europe/London",
        start_date=date(2026, 3, 1),
        end_date=date(2026, 4, 30),
        languages=["en"],
    )
    event_services.publish_event(event=event)
    for week in range(6):  # Wednesdays 4 March … 8 April, aimed at the three regions
        event_services.create_session(
            event=event,
            title=f"Webinar {week + 1}",
            starts_at=datetime(2026, 3, 4, 14, tzinfo=UTC) + timedelta(weeks=week),
            duration_minutes=60,
            regions=["europe", "north-america", "asia-oceania"],
        )
    people = {
        "london@example.org": ("europe", "Europe/London"),  # DST from 29 March
        "newyork@example.org": ("north-america", "America/New_York"),  # DST from 8 March
        "sydney@example.org": ("asia-oceania", "Australia/Sydney"),  # DST ends 5 April
    }
    for email, (region, zone) in people.items():
        services.subscribe(region_code=region, email=email, timezone_name=zone)
        token = Subscription.objects.get(email=email).confirm_token
        services.confirm_subscription(token=token, now=datetime(2026, 2, 28, 12, tzinfo=UTC))
    # Six weekly planning passes, each run twice (a repeated tick plans nothing more).
    for week in range(5):
        now = datetime(2026, 3, 2, 23, tzinfo=UTC) + timedelta(weeks=week)
        services.plan_due_digests(now=now)
        services.plan_due_digests(now=now)
    digests = OutboxMessage.objects.filter(kind="region_digest", due_at__lt=datetime.now(UTC))
    expected = set(digests.values_list("message_id", flat=True))
    stack.start_worker()
    stack.start_beat()
    assert sink.wait_for(all_delivered(expected), timeout=120), stack.logs()
    received = {message["Message-ID"]: message["To"] for message in sink.messages}
    counts = sink.counts()
    assert (len(expected), set(counts) & expected, max(counts.values())) == (18, expected, 1)
    local = {}
    for row in digests.order_by("due_at"):
        assert received[row.message_id] == row.recipient
        when = row.due_at.astimezone(ZoneInfo(row.timezone))
        local.setdefault(row.recipient, []).append(
            (when.date().isoformat(), when.strftime("%a %H:%M"))
        )
    mondays = ["2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23", "2026-03-30", "2026-04-06"]
    assert local == {email: [(day, "Mon 08:00") for day in mondays] for email in people}


def test_send_rate_bucket_in_redis_is_shared_by_clients(settings):
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    key = "meridian:test:bucket"
    client.delete(key)
    first = TokenBucket(client=client, rate=5, key=key)
    second = TokenBucket(client=redis.Redis.from_url(settings.REDIS_URL), rate=5, key=key)
    waits = [first.try_take() for _ in range(3)] + [second.try_take() for _ in range(2)]
    over = second.try_take()
    client.delete(key)
    assert (waits, 0 < over <= 0.2) == ([0.0] * 5, True)


def _commit_due_row(key: str) -> None:
    """One transaction that enqueues an email due now (its commit wakes a worker)."""
    queue.enqueue(
        kind=MessageKind.SUBSCRIPTION_CONFIRM, recipient=f"{key}@example.org", dedupe_key=key
    )


def _queued_tasks(settings) -> list[str]:
    """Names of the tasks waiting in the broker's default queue (Redis, kombu's layout)."""
    import json

    import redis

    raw = redis.Redis.from_url(settings.REDIS_URL).lrange("celery", 0, -1)
    return [json.loads(message)["headers"]["task"] for message in raw]


def test_a_burst_of_commits_sends_one_wake_until_a_drain_starts(stack, broker, settings):
    broker(settings.REDIS_URL)
    queued = []
    for number in range(5):
        _commit_due_row(f"burst-{number}")
        queued.append(len(_queued_tasks(settings)))
    wakes.wake_received()  # what the drain task does first: later commits need a new wake
    _commit_due_row("after-the-drain-began")
    queued.append(len(_queued_tasks(settings)))
    assert (queued, _queued_tasks(settings)) == (
        [1, 1, 1, 1, 1, 2],
        ["notifications.drain", "notifications.drain"],
    )


def test_without_a_shared_cache_every_commit_sends_its_wake(stack, broker, settings):
    broker(settings.REDIS_URL)
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    for number in range(3):
        _commit_due_row(f"alone-{number}")
    assert _queued_tasks(settings) == ["notifications.drain"] * 3


def test_a_commit_wakes_a_worker_without_waiting_for_beat_and_so_do_later_ones(
    sink, stack, api, broker, settings
):
    broker(settings.REDIS_URL)
    stack.start_worker()  # no beat: only the wakes after commits can make it send
    first = api.post(
        "/api/regions/africa/subscriptions/",
        {"email": "first@example.org", "language": "fr", "timezone": "Africa/Dakar"},
        format="json",
    )
    expected = set(OutboxMessage.objects.values_list("message_id", flat=True))
    assert (first.status_code, len(expected)) == (202, 1)
    assert sink.wait_for(all_delivered(expected), timeout=60), stack.logs()
    later = [
        api.post(
            "/api/regions/asia-oceania/subscriptions/",
            {"email": f"later{number}@example.org", "language": "en", "timezone": "Asia/Tokyo"},
            format="json",
        ).status_code
        for number in range(3)
    ]
    expected = set(OutboxMessage.objects.values_list("message_id", flat=True))
    assert (later, len(expected)) == ([202, 202, 202], 4)
    assert sink.wait_for(all_delivered(expected), timeout=60), stack.logs()
    assert sorted(message["To"] for message in sink.messages) == [
        "first@example.org",
        "later0@example.org",
        "later1@example.org",
        "later2@example.org",
    ]
