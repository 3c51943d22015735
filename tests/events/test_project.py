"""The project's edges: OpenAPI schema and docs, health, commands, demo data, regions, admin."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
import pytz
from django.core.management import call_command
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone
from openapi_spec_validator import validate

from core.regions import REGIONS, region_for_country
from events import services
from events.models import Event, Region, Section, Session

pytestmark = pytest.mark.django_db


def test_regions_data_cover_every_country_once():
    countries = [country for region in REGIONS for country in region.countries]
    assert sorted(countries) == sorted(pytz.country_names)
    assert (region_for_country("jp"), region_for_country("MA"), region_for_country("ZZ")) == (
        "asia-oceania",
        "middle-east-north-africa",
        None,
    )


def test_regions_loaded_by_migration_match_the_data():
    assert [
        (region.code, region.zones, region.languages, sorted(region.countries))
        for region in Region.objects.all()
    ] == [
        (data.code, list(data.zones), list(data.languages), sorted(data.countries))
        for data in REGIONS
    ]


def test_openapi_schema_is_valid(api):
    response = api.get("/api/schema/?format=json", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json() if hasattr(response, "json") else None
    validate(schema)
    paths = set(schema["paths"])
    assert {
        "/api/regions/",
        "/api/events/",
        "/api/events/{slug}/",
        "/api/events/{slug}/sessions/",
        "/api/sessions/{id}/",
    } <= paths


def test_swagger_ui_is_served(api):
    response = api.get("/api/docs/")
    assert response.status_code == 200
    assert b"swagger-ui" in response.content


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (
        200,
        {"status": "ok", "database": "ok", "broker": "not configured"},
    )


def test_healthz_reports_a_broken_broker(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "ok"
    assert response.json()["broker"].startswith("error: ")


def test_create_organiser_prints_the_token_last():
    out = io.StringIO()
    call_command("create_organiser", "ana", "--section", "new-section", stdout=out)
    lines = out.getvalue().strip().splitlines()
    section = Section.objects.get(slug="new-section")
    user = section.organisers.get()
    assert (user.username, user.is_staff, lines[-1]) == ("ana", True, user.auth_token.key)
    assert len(lines[-1]) == 40
    assert lines[-2] == "API token (send it as 'Authorization: Token …'):"


def test_create_organiser_refuses_bad_section_slug():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="lowercase letters, digits and hyphens"):
        call_command("create_organiser", "ana", "--section", "Bad Slug", stdout=io.StringIO())


def test_load_demo_is_dated_from_today_and_idempotent(settings, tmp_path):
    from notifications.models import OutboxMessage
    from planner.selectors import coverage_of

    today = timezone.localdate()
    call_command("load_demo", stdout=io.StringIO())
    midterm = Event.objects.get(slug="mlas-midterm-2026")
    # The organiser edits a session; loading again keeps the edit and adds nothing.
    plenary = midterm.sessions.get(title="Mentorship of Library Associations Pilot: outcomes")
    services.update_session(session=plenary, title="Mentorship pilot: outcomes")
    first = sorted(Session.objects.values_list("title", "starts_at", "timezone"))
    emails = OutboxMessage.objects.count()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert sorted(Session.objects.values_list("title", "starts_at", "timezone")) == first
    assert OutboxMessage.objects.count() == emails > 0  # nobody is written to twice
    assert "0 new sessions" in out.getvalue()
    assert (midterm.start_date, midterm.end_date, midterm.status) == (
        today + timedelta(days=14),
        today + timedelta(days=16),
        "published",
    )
    assert (
        midterm.title
        == f"{midterm.start_date.year} MLAS Midterm Meeting: Global Connection in Action"
    )
    # Each working group has an edition for every region, planned by the planner.
    roots = midterm.sessions.filter(edition_of__isnull=True, track="Working groups")
    assert roots.count() == 3
    assert all(root.editions.count() >= 1 for root in roots)
    coverage = coverage_of(midterm)
    assert [
        (region.region, region.comfortable_groups, region.groups) for region in coverage.regions
    ] == [(region.region, region.groups, region.groups) for region in coverage.regions]
    editions = Session.objects.filter(edition_of__in=roots)
    assert all(edition.title.endswith(" edition)") for edition in editions)
    series = Event.objects.get(slug="stronger-bolder-together-2027")
    assert series.sessions.count() == 6 and series.start_date > today
    held = Event.objects.get(slug="mlas-open-sessions")
    assert held.end_date < today
    assert all(session.recording_url for session in held.sessions.all())


def test_demo_editions_each_suit_their_regions():
    from core.time_rules import is_comfortable

    call_command("load_demo", stdout=io.StringIO())
    for session in Session.objects.filter(track="Working groups").prefetch_related("regions"):
        for region in session.regions.all():
            comfortable = [
                is_comfortable(session.starts_at, session.ends_at, zone) for zone in region.zones
            ]
            assert sum(comfortable) >= len(comfortable) - 1, (session.title, region.code)


def test_admin_lists_only_the_organisers_sections(client, make_organiser, event):
    other_client, other_section = make_organiser("other", "other-section")
    services.create_event(
        section=other_section,
        slug="foreign",
        title="Foreign event",
        timezone="UTC",
        start_date=date(2026, 1, 1),
        end_date=date(2026, 1, 1),
    )
    user = other_client.user
    user.set_password("pw-for-admin-test")
    user.save()
    client.login(request=HttpRequest(), username="other", password="pw-for-admin-test")
    listing = client.get("/admin/events/event/")
    assert listing.status_code == 200
    assert b"Foreign event" in listing.content
    assert b"Midterm meeting" not in listing.content
    assert client.get(f"/admin/events/event/{event.pk}/change/").status_code == 302


def test_admin_session_form_refuses_a_time_in_the_gap(admin_client, event):
    response = admin_client.post(
        "/admin/events/session/add/",
        {
            "event": event.pk,
            "title": "Spring forward",
            "local_start": "2026-03-29T02:30",
            "timezone": "Europe/Amsterdam",
            "fold": "",
            "duration_minutes": 30,
            "format": "talk",
            "language": "en",
            "status": "scheduled",
        },
    )
    assert response.status_code == 200
    assert "does not exist in Europe/Amsterdam" in response.content.decode()
    assert Session.objects.count() == 0


def test_admin_session_form_creates_through_the_services(admin_client, event):
    response = admin_client.post(
        "/admin/events/session/add/",
        {
            "event": event.pk,
            "title": "Americas edition",
            "local_start": "2026-04-28T14:00",
            "timezone": "America/New_York",
            "fold": "",
            "duration_minutes": 90,
            "format": "talk",
            "language": "en",
            "status": "scheduled",
            "regions": [Region.objects.get(code="north-america").pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    session = Session.objects.get()
    assert (session.starts_at.isoformat(), session.timezone, session.sequence) == (
        "2026-04-28T18:00:00+00:00",
        "America/New_York",
        0,
    )
    assert [region.code for region in session.regions.all()] == ["north-america"]


def test_database_vendor_matches_the_tier():
    import os

    expected = "postgresql" if os.environ.get("MERIDIAN_SERVICE_TIER") == "1" else "sqlite"
    assert connection.vendor == expected
