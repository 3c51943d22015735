"""When an event stops taking registrations: the pure rule, the service and the API."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events import services as event_services
from registrations import services
from registrations.errors import RegistrationsError
from registrations.window import registration_closes_at

OVER = "This event is over; it takes no more registrations."


@pytest.mark.pure
def test_registration_closes_at_prefers_the_explicit_time():
    explicit = datetime(2026, 4, 1, 12, tzinfo=UTC)
    assert (
        registration_closes_at(
            closes_at=explicit,
            last_session_ends_at=datetime(2026, 4, 30, 18, tzinfo=UTC),
            end_date=date(2026, 4, 30),
            timezone="Europe/Amsterdam",
        )
        == explicit
    )


@pytest.mark.pure
def test_registration_closes_at_the_end_of_the_last_session():
    assert registration_closes_at(
        closes_at=None,
        last_session_ends_at=datetime(2026, 4, 30, 15, 30, tzinfo=UTC),
        end_date=date(2026, 4, 30),
        timezone="Europe/Amsterdam",
    ) == datetime(2026, 4, 30, 15, 30, tzinfo=UTC)


@pytest.mark.pure
@pytest.mark.parametrize(
    ("zone", "end_date", "closes"),
    [
        ("Europe/Amsterdam", date(2026, 4, 30), datetime(2026, 4, 30, 22, tzinfo=UTC)),
        ("Pacific/Kiritimati", date(2026, 4, 30), datetime(2026, 4, 30, 10, tzinfo=UTC)),
        ("America/New_York", date(2026, 11, 1), datetime(2026, 11, 2, 5, tzinfo=UTC)),
        # Santiago's clocks jump from 24:00 to 01:00: the day ends when the gap does.
        ("America/Santiago", date(2026, 9, 5), datetime(2026, 9, 6, 4, tzinfo=UTC)),
    ],
)
def test_registration_closes_without_sessions_at_the_end_of_the_last_day(zone, end_date, closes):
    assert (
        registration_closes_at(
            closes_at=None, last_session_ends_at=None, end_date=end_date, timezone=zone
        )
        == closes
    )


def _event(section, slug: str, *, first: date, last: date, zone: str = "UTC", **values):
    event = event_services.create_event(
        section=section,
        slug=slug,
        title=slug.title(),
        timezone=zone,
        start_date=first,
        end_date=last,
        **values,
    )
    return event_services.publish_event(event=event)


def _refusal(event) -> str | None:
    try:
        services.register_participant(event=event, email="ann@example.org", name="Ann")
    except RegistrationsError as error:
        return error.message
    return None


@pytest.mark.django_db
def test_register_participant_closes_when_the_last_session_ends(section):
    now = timezone.now()
    today = now.astimezone(UTC).date()
    event = _event(
        section, "today", first=today - timedelta(days=1), last=today + timedelta(days=1)
    )
    ended = event_services.create_session(
        event=event, title="Ended", starts_at=now - timedelta(hours=2), duration_minutes=60
    )
    refused = _refusal(event)
    later = event_services.create_session(
        event=event, title="Later", starts_at=now + timedelta(hours=1), duration_minutes=60
    )
    while_later_is_ahead = _refusal(event)
    event_services.cancel_session(session=later)
    after_cancelling_it = _refusal(event)
    assert (ended.title, refused, while_later_is_ahead, after_cancelling_it) == (
        "Ended",
        OVER,
        None,
        OVER,
    )


@pytest.mark.django_db
def test_register_participant_without_sessions_closes_after_the_last_day(section):
    today = timezone.now().astimezone(UTC).date()
    # Pago Pago (UTC-11): its last day ended yesterday, whatever the hour now.
    past = _event(
        section,
        "past",
        first=today - timedelta(days=3),
        last=today - timedelta(days=2),
        zone="Pacific/Pago_Pago",
    )
    # Kiritimati (UTC+14): tomorrow there ends no earlier than today's end in UTC.
    coming = _event(
        section,
        "coming",
        first=today,
        last=today + timedelta(days=1),
        zone="Pacific/Kiritimati",
    )
    assert (_refusal(past), _refusal(coming)) == (OVER, None)


@pytest.mark.django_db
def test_explicit_closing_time_outlasts_the_event(section):
    last_year = _event(
        section,
        "last-year",
        first=date(2025, 4, 28),
        last=date(2025, 4, 30),
        registration_closes_at=timezone.now() + timedelta(days=1),
    )
    assert _refusal(last_year) is None


@pytest.mark.django_db
def test_api_refuses_registration_for_a_past_event(api, section):
    cache.clear()  # the endpoint's throttle history
    event = _event(section, "april", first=date(2026, 4, 28), last=date(2026, 4, 30))
    session = event_services.create_session(
        event=event,
        title="Plenary",
        starts_at=datetime(2026, 4, 28, 12, tzinfo=UTC),
        duration_minutes=60,
    )
    response = api.post(
        "/api/events/april/registrations/",
        {"email": "ann@example.org", "name": "Ann", "sessions": [session.pk]},
        format="json",
    )
    assert (response.status_code, response.json(), session.registrations.count()) == (
        400,
        {"detail": OVER},
        0,
    )


@pytest.mark.django_db
def test_add_sessions_refused_once_the_event_is_over(section):
    now = timezone.now()
    today = now.astimezone(UTC).date()
    event = _event(
        section, "today", first=today - timedelta(days=1), last=today + timedelta(days=1)
    )
    first = event_services.create_session(
        event=event, title="First", starts_at=now - timedelta(hours=3), duration_minutes=60
    )
    last = event_services.create_session(
        event=event, title="Last", starts_at=now + timedelta(hours=1), duration_minutes=60
    )
    result = services.register_participant(
        event=event, email="ann@example.org", name="Ann", sessions=[last.pk]
    )
    event_services.cancel_session(session=last)
    with pytest.raises(RegistrationsError) as caught:
        services.add_sessions(participant=result.participant, sessions=[first.pk])
    assert caught.value.message == OVER


@pytest.mark.django_db
def test_window_costs_a_query_only_once_the_event_has_begun(section):
    today = timezone.now().astimezone(UTC).date()
    begun = _event(
        section, "begun", first=today - timedelta(days=1), last=today + timedelta(days=1)
    )
    coming = _event(
        section, "coming", first=today + timedelta(days=3), last=today + timedelta(days=4)
    )
    counts = []
    for number, event in enumerate((begun, coming)):
        with CaptureQueriesContext(connection) as queries:
            services.register_participant(event=event, email=f"p{number}@example.org", name="P")
        counts.append(len(queries))
    assert counts[0] - counts[1] == 1
