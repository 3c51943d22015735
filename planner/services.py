"""Planner writes: propose the editions a session needs and create them in one step.

Editions are created through :func:`events.services.create_session` with ``edition_of`` the
root session, so every time rule, SEQUENCE rule and hook applies to them as to any session.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from core.display import format_list
from core.regions import REGIONS
from events import services
from events.models import Session
from planner import engine
from planner import selectors as planner_selectors
from planner.errors import PlannerError


def edition_title(root: Session, region_names: list[str]) -> str:
    """``Working group (Asia and Oceania edition)``, in the session's own language."""
    language = root.language or "en"
    with translation.override(language):
        regions = format_list([str(name) for name in region_names], language)
        title = _("%(title)s (%(regions)s edition)") % {"title": root.title, "regions": regions}
    field = Session._meta.get_field("title")
    return title[: field.max_length]


@dataclass(frozen=True)
class EditionsRequest:
    """What the planner was asked for a session, after defaults were filled in."""

    root: Session
    regions: tuple[str, ...]
    first_day: date
    last_day: date
    hours: tuple[int, int]


def editions_request(
    *,
    session: Session,
    regions: Iterable[str] | None = None,
    first_day: date | None = None,
    last_day: date | None = None,
    hours: Sequence[int] | None = None,
) -> tuple[EditionsRequest, list[Session]]:
    """Fill in the defaults: the group's target regions (all six when one names none), the
    event's days and the configured comfortable hours. Days outside the event are refused."""
    root, members = planner_selectors.edition_group_of(session)
    event = root.event
    if root.is_cancelled:
        raise PlannerError(_("This session is cancelled; it cannot get editions."), field="session")
    if regions is None:
        named = [tuple(region.code for region in member.regions.all()) for member in members]
        union = sorted({code for codes in named for code in codes})
        regions = union if union and all(named) else list(engine.REGION_ORDER)
    if first_day is None:
        first_day, last_day = event.start_date, last_day or event.end_date
    last_day = last_day or first_day
    if first_day < event.start_date or last_day > event.end_date:
        raise PlannerError(
            _("Editions must fall within the event's dates, %(first)s to %(last)s.")
            % {"first": event.start_date.isoformat(), "last": event.end_date.isoformat()},
            field="date",
        )
    request = EditionsRequest(
        root=root,
        regions=tuple(regions),
        first_day=first_day,
        last_day=last_day,
        hours=engine.check_hours(tuple(hours or settings.COMFORTABLE_HOURS)),
    )
    return request, members


def propose_editions_for(request: EditionsRequest, members: list[Session]):
    """The planner's proposal for a session's group, the existing editions counted in."""
    event = request.root.event
    return engine.propose_editions(
        regions=request.regions,
        first_day=request.first_day,
        last_day=request.last_day,
        zone=event.timezone,
        duration_minutes=request.root.duration_minutes,
        hours=request.hours,
        weights=planner_selectors.registrant_zone_weights(event),
        existing=[member.starts_at for member in members],
        host_zone=event.timezone,
    )


@transaction.atomic
def create_proposed_editions(
    *,
    session: Session,
    regions: Iterable[str] | None = None,
    first_day: date | None = None,
    last_day: date | None = None,
    hours: Sequence[int] | None = None,
    option: int = 0,
) -> list[Session]:
    """Propose the fewest editions that give every region a comfortable one and create the
    chosen option's new editions, each aimed at the regions it serves, in the zone of the
    first of them. All are created or none.

    Raises PlannerError when the session already suits every region or the option does not
    exist, PlannerError when no start can serve a region.
    """
    request, members = editions_request(
        session=session, regions=regions, first_day=first_day, last_day=last_day, hours=hours
    )
    proposal = propose_editions_for(request, members)
    if proposal.new_editions == 0:
        raise PlannerError(
            _("“%(title)s” already has a comfortable edition for every chosen region.")
            % {"title": request.root.title},
            field="session",
        )
    if not 0 <= option < len(proposal.options):
        raise PlannerError(
            _("Choose an option between 0 and %(last)s.") % {"last": len(proposal.options) - 1},
            field="option",
        )
    root = request.root
    weights = planner_selectors.registrant_zone_weights(root.event)
    created = []
    names = {region.code: region.name for region in REGIONS}
    for edition in proposal.options[option].editions:
        if edition.existing:
            continue
        main_zone = engine.prepare_regions(edition.serves[:1], weights)[0].main_zone
        created.append(
            services.create_session(
                event=root.event,
                title=edition_title(root, [names[code] for code in edition.serves]),
                starts_at=edition.slot.starts_at,
                ends_at=edition.slot.ends_at,
                timezone=main_zone,
                regions=list(edition.serves),
                edition_of=root,
                language=root.language,
            )
        )
    return created
