"""A region's digest lists every session aimed at the region, even one at an early hour in
the subscriber's zone, each with register and add-to-calendar links; organisers preview it
in any language and zone with ``preview_digest``."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from events import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def early_edition(section, settings):
    settings.SITE_URL = "https://meridian.example"
    day = timezone.localdate() + timedelta(days=2)
    event = services.create_event(
        section=section,
        slug="wg",
        title="Working groups",
        timezone="Asia/Kolkata",
        start_date=day,
        end_date=day,
    )
    session = services.create_session(
        event=event,
        title="Membership (Asia and Oceania edition)",
        local_start=timezone.datetime.combine(day, timezone.datetime.min.time()).replace(
            hour=6, minute=30
        ),
        timezone="Asia/Kolkata",
        duration_minutes=90,
        regions=["asia-oceania"],
    )
    services.publish_event(event=event)
    return session


def test_preview_lists_an_aimed_session_at_06_30_with_its_links(early_edition):
    out = io.StringIO()
    call_command(
        "preview_digest",
        "asia-oceania",
        "--language",
        "fr",
        "--timezone",
        "Asia/Calcutta",
        stdout=out,
    )
    lines = [line.strip() for line in out.getvalue().splitlines() if line.strip()]
    day = timezone.localdate() + timedelta(days=2)
    assert lines[0] == "Subject: Asie et Océanie : 1 séance cette semaine"
    assert lines[2:6] == [
        "* Membership (Asia and Oceania edition) (Working groups)",
        lines[3].split(",")[0] + ", 06:30–08:00 (Calcutta, UTC+05:30)",
        "S’inscrire : https://meridian.example/events/wg/register/",
        f"Ajouter à votre calendrier : https://meridian.example/sessions/{early_edition.pk}.ics",
    ]
    assert str(day.day) in lines[3]


def test_preview_refuses_an_unknown_region_or_zone(early_edition):
    with pytest.raises(CommandError, match="Unknown region"):
        call_command("preview_digest", "atlantis", stdout=io.StringIO())
    with pytest.raises(CommandError, match="not a known time zone"):
        call_command(
            "preview_digest", "asia-oceania", "--timezone", "Moon/Base", stdout=io.StringIO()
        )
