"""What the participant pages show: places with their times and status, and their links.

Shaping only (no writes, no rules): the views hand these dictionaries to the templates.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from core import calendar_links
from pages.schedule import SessionView, view_session
from registrations.enums import SeatStatus


@dataclass(frozen=True)
class PlaceView:
    view: SessionView
    status: str  # confirmed / waitlisted
    waitlist_position: int | None

    @property
    def confirmed(self) -> bool:
        return self.status == SeatStatus.CONFIRMED


def place_views(places, *, zone: str, language: str) -> list[PlaceView]:
    """Active places (seat or waitlist), each with its session's times in ``zone``."""
    return [
        PlaceView(
            view=view_session(
                place.session,
                viewer_zone=zone,
                language=language,
                hours=settings.COMFORTABLE_HOURS,
                taken={},
            ),
            status=place.status,
            waitlist_position=place.waitlist_position,
        )
        for place in places
        if place.status in (SeatStatus.CONFIRMED, SeatStatus.WAITLISTED)
    ]


def personal_links(*, site: str, token: str) -> dict[str, str]:
    """The manage page and the personal feed (https, webcal, Google, Outlook) for a token.

    Built on the address the person is using (``site``), through the calendars app's helper.
    """
    feed = calendar_links.feed_links(
        site_url=site, path=f"/calendars/{token}.ics", name=_("My Meridian sessions")
    )
    return {"manage": site + reverse("pages:manage", args=[token]), **feed}
