from __future__ import annotations

import pytest

from .smtp_sink import SmtpSink
from .stack import Stack


def _forget_broker_connections(app) -> None:
    # The app holds on to the pools of the first broker URL it used; dropping its hold (as
    # Celery does after a fork) makes it take kombu's pools for the URL now configured.
    # Not closed: kombu keeps them, per URL, for whoever uses that URL next.
    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


@pytest.fixture
def broker(settings):
    """``broker(url)`` points Celery's broker at ``url`` for this test only: Django's setting,
    the app's configuration and its connections, all put back afterwards."""
    from config.celery import app

    previous = app.conf.broker_url

    def use(url: str) -> None:
        settings.CELERY_BROKER_URL = url
        app.conf.broker_url = url
        _forget_broker_connections(app)

    yield use
    app.conf.broker_url = previous
    _forget_broker_connections(app)


@pytest.fixture
def smtp_sink(settings):
    """A real SMTP server on loopback, and Django's email pointed at it."""
    sink = SmtpSink()
    sink.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield sink
    sink.stop()


@pytest.fixture
def sink():
    """A bare SMTP sink on loopback (for worker processes; Django's settings untouched)."""
    sink = SmtpSink()
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture
def stack(sink, tmp_path):
    """Celery worker(s) and beat as processes, sending to ``sink`` (service tier)."""
    stack = Stack(smtp_port=sink.port, workdir=tmp_path)
    stack.purge()
    yield stack
    stack.stop()


@pytest.fixture
def site(settings):
    settings.SITE_URL = "https://meridian.example"
    return settings.SITE_URL


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Throttle counters live in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def confirmed_subscription(db):
    """A confirmed Europe digest subscription in London, its first digest due 27 April 2026."""
    from datetime import UTC, datetime

    from notifications.digests import services
    from notifications.models import Subscription

    services.subscribe(
        region_code="europe", email="ana@example.org", language="en", timezone_name="Europe/London"
    )
    subscription = Subscription.objects.get()
    return services.confirm_subscription(
        token=subscription.confirm_token, now=datetime(2026, 4, 20, 12, tzinfo=UTC)
    )


@pytest.fixture
def autumn_event(section):
    """A published event in the future (24 October – 6 November 2030, Europe/Amsterdam): its
    reminders are still ahead whenever the suite runs. Europe leaves summer time on 27 October
    2030, North America on 3 November."""
    from datetime import date

    from events import services as event_services

    event = event_services.create_event(
        section=section,
        slug="autumn",
        title="Autumn meeting",
        timezone="Europe/Amsterdam",
        start_date=date(2030, 10, 24),
        end_date=date(2030, 11, 6),
        languages=["en", "fr"],
    )
    return event_services.publish_event(event=event)


@pytest.fixture
def plenary(autumn_event):
    """Tuesday 29 October 2030, 13:00–14:30 UTC (14:00 in Amsterdam), two seats."""
    from datetime import UTC, datetime

    from events import services as event_services

    return event_services.create_session(
        event=autumn_event,
        title="Opening plenary",
        starts_at=datetime(2030, 10, 29, 13, 0, tzinfo=UTC),
        duration_minutes=90,
        join_url="https://meet.example/plenary",
        capacity=2,
    )


@pytest.fixture
def register(autumn_event):
    """Register someone for the autumn event through the registrations service."""
    from registrations import services as registration_services

    def register_(email: str, sessions=(), **values):
        values.setdefault("name", email.split("@")[0].title())
        return registration_services.register_participant(
            event=autumn_event, email=email, sessions=[item.pk for item in sessions], **values
        )

    return register_
