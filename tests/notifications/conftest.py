from __future__ import annotations

import pytest

from .smtp_sink import SmtpSink


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

    from notifications import services
    from notifications.models import Subscription

    services.subscribe(
        region_code="europe", email="ana@example.org", language="en", timezone_name="Europe/London"
    )
    subscription = Subscription.objects.get()
    return services.confirm_subscription(
        token=subscription.confirm_token, now=datetime(2026, 4, 20, 12, tzinfo=UTC)
    )
