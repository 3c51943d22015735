"""Renderers of the participant emails: confirmation, registration request, reminder,
change notice, cancellation, seat from the waitlist, recording available, a seat given up.

Each builds its email from current data at send time, in the participant's current language
and zone (every time also in the session's own zone), or says ``Skip`` when the row is no
longer true: the participant left or was erased, the place is gone, the session moved or was
cancelled, reminders were switched off. Invitations are the calendars work's iMIP builders
(``calendars.ical``), so UID and SEQUENCE match every feed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from django.conf import settings
from django.core import signing
from django.utils import timezone, translation
from django.utils.html import format_html

from calendars import ical
from core import display
from events.enums import SessionStatus
from events.models import Session
from notifications.enums import MessageKind
from notifications.models import OutboxMessage
from notifications.outbox.renderers import (
    Rendered,
    Skip,
    one_click_headers,
    register,
    register_preparer,
    render_parts,
    session_context,
)
from registrations import services as registration_services
from registrations.enums import RegistrationStatus, SeatStatus
from registrations.models import Participant, Registration
from registrations.models import SessionRegistration as Place
from registrations.selectors import held_session_ids
from registrations.services.links import personal_join_url, seat_join_url

REMINDERS_OFF_SALT = "notifications.participants.reminders-off"
ACTIVE = (SeatStatus.CONFIRMED, SeatStatus.WAITLISTED)


# ------------------------------------------------------------------------------ batch data


@register_preparer
def prepare_participant_rows(messages: Iterable[OutboxMessage], cache: dict) -> None:
    """Load the participants and places of a claimed batch in two queries (not two per row)."""
    rows = [message for message in messages if message.participant_id]
    if not rows:
        return
    participants = cache.setdefault("participants", {})
    places = cache.setdefault("places", {})
    wanted = {row.participant_id for row in rows} - participants.keys()
    participants.update(Participant.objects.in_bulk(wanted))
    sessions = {row.session_id for row in rows if row.session_id}
    if sessions:
        for place in Place.objects.filter(participant_id__in=wanted, session_id__in=sessions):
            places[(place.participant_id, place.session_id)] = place


def _participant(message: OutboxMessage, cache: dict) -> Participant | None:
    participants = cache.setdefault("participants", {})
    if message.participant_id not in participants:
        participants[message.participant_id] = Participant.objects.filter(
            pk=message.participant_id
        ).first()
    participant = participants[message.participant_id]
    return None if participant is None or participant.is_erased else participant


def _place_of(participant_id: int, session_id: int, cache: dict) -> Place | None:
    """The participant's place in the session, from the batch's cache (read once)."""
    places = cache.setdefault("places", {})
    key = (participant_id, session_id)
    if key not in places:
        places[key] = Place.objects.filter(
            participant_id=participant_id, session_id=session_id
        ).first()
    return places[key]


def _place(message: OutboxMessage, cache: dict) -> Place | None:
    return _place_of(message.participant_id, message.session_id, cache)


# ---------------------------------------------------------------------------------- pieces


def reminders_off_token(participant: Participant) -> str:
    """The secret of a participant's one-click "no more reminders" link (it can do nothing
    else: the manage token stays out of headers that mail providers read). It names the
    participant's current token (a prefix of its digest), so rotating that token retires it."""
    return signing.Signer(salt=REMINDERS_OFF_SALT).sign(
        f"{participant.pk}.{participant.token_hash[:16]}"
    )


def reminders_off_url(participant: Participant) -> str:
    return f"{settings.SITE_URL}/reminders/{reminders_off_token(participant)}/off/"


def _zone(participant: Participant, session: Session | None = None) -> str:
    return participant.timezone or (session.timezone if session else "UTC")


def _join_link(participant: Participant, session: Session, cache: dict) -> str:
    """The participant's personal join link for ``session`` while their seat is confirmed
    (the meeting's own URL never goes out), else empty."""
    place = _place_of(participant.pk, session.pk, cache)
    if place is None:
        return ""
    place.session = session  # the one the email shows (its status decides)
    return seat_join_url(place, participant.token) or ""


def _calendar(session: Session, participant: Participant, *, method: str, join_url: str) -> str:
    entry = replace(ical.entry_from_session(session, site_url=settings.SITE_URL), join_url=join_url)
    person = ical.Participant(
        email=participant.email, name=participant.name, language=participant.language
    )
    build = ical.build_cancel if method == "CANCEL" else ical.build_request
    return build(entry, participant=person, organizer_email=settings.ORGANIZER_EMAIL).decode()


def attach_invitation(
    rendered: Rendered,
    session: Session,
    participant: Participant,
    *,
    method: str,
    join_url: str = "",
) -> Rendered:
    """The iMIP part (``text/calendar; method=…``, read by mail clients as an invitation)
    and the same object as an ``.ics`` attachment."""
    calendar = _calendar(session, participant, method=method, join_url=join_url)
    rendered.alternatives.append((calendar, f"text/calendar; method={method}"))
    rendered.attachments.append((f"session-{session.pk}.ics", calendar, "application/ics"))
    return rendered


def _links(participant: Participant) -> dict[str, str]:
    return {
        "manage_url": registration_services.manage_url(participant.token),
        "calendar_url": registration_services.calendar_url(participant.token),
    }


def _render(template: str, participant: Participant, context: dict, *, language: str) -> Rendered:
    subject, text, html = render_parts(
        template, {"name": participant.name, **_links(participant), **context}, language=language
    )
    return Rendered(subject=subject, text=text, html=html)


def _session_email(
    template: str,
    session: Session,
    participant: Participant,
    *,
    language: str,
    cache: dict,
    without_join_link: bool = False,
    **extra,
) -> Rendered:
    """An email about one session, its times in the participant's zone (and the session's)."""
    zone = _zone(participant, session)
    shown = session_context(session, zone=zone, language=language, cache=cache)
    # A copy: the cached context is shared by the participants of a batch.
    shown = {
        **shown,
        "join_url": "" if without_join_link else _join_link(participant, session, cache),
    }
    context = {
        "session": shown,
        "timezone": display.zone_label(zone, language, [session.starts_at]),
        **extra,
    }
    return _render(template, participant, context, language=language)


def _in_language(renderer):
    """Run a renderer in the participant's current language (the row's is a fallback)."""

    def run(message: OutboxMessage, cache: dict) -> Rendered | Skip:
        participant = _participant(message, cache)
        if participant is None:
            return Skip("the participant was erased")
        language = participant.language or message.language
        with translation.override(language):
            return renderer(message, cache, participant, language)

    run.__name__ = renderer.__name__
    run.__doc__ = renderer.__doc__
    return run


# ------------------------------------------------------------------------------- the kinds


@register(MessageKind.REGISTRATION_CONFIRMED)
@_in_language
def render_registration_confirmed(message, cache, participant, language) -> Rendered | Skip:
    """The places asked for that are still held, with the invitations of the confirmed ones
    (inline when there is one: an iMIP message carries one UID) and the participant's links."""
    registration = (
        Registration.objects.filter(participant=participant, event_id=message.event_id)
        .select_related("event")
        .first()
    )
    if registration is None or registration.status != RegistrationStatus.REGISTERED:
        return Skip("the registration was cancelled")
    asked = message.payload.get("sessions") or []
    places = list(
        Place.objects.filter(participant=participant, session_id__in=asked, status__in=ACTIVE)
        .select_related("session", "session__event")
        .order_by("session__starts_at", "session_id")
    )
    if asked and not places:
        return Skip("none of the places asked for is held any more")
    zone = _zone(participant)
    items = [
        {
            **session_context(place.session, zone=zone, language=language, cache=cache),
            "waitlisted": place.status == SeatStatus.WAITLISTED,
            "position": place.waitlist_position,
            "join_url": seat_join_url(place, participant.token) or "",
        }
        for place in places
    ]
    separately = bool(message.payload.get("calendar_separately"))
    rendered = _render(
        "registration_confirmed",
        participant,
        {
            "event_title": registration.event.title,
            "items": items,
            "calendar_separately": separately,
            "timezone": display.zone_label(
                zone, language, [place.session.starts_at for place in places]
            ),
        },
        language=language,
    )
    confirmed = [
        place
        for place in places
        if place.status == SeatStatus.CONFIRMED and not place.session.is_cancelled
    ]
    if separately:
        return rendered  # each seat's invitation is a message of its own (calendar_update)
    for place in confirmed:
        # Planned with one seat: its invitation is this email's iMIP part. (Should more be
        # confirmed by now, each still gets its own UID's part only as an attachment.)
        calendar = _calendar(
            place.session,
            participant,
            method="REQUEST",
            join_url=personal_join_url(place.pk, participant.token),
        )
        rendered.attachments.append(
            (f"session-{place.session_id}.ics", calendar, "application/ics")
        )
        if place is confirmed[0]:
            rendered.alternatives.append((calendar, "text/calendar; method=REQUEST"))
    return rendered


@register(MessageKind.REGISTRATION_REQUESTED)
@_in_language
def render_registration_requested(message, cache, participant, language) -> Rendered | Skip:
    """Someone asked for sessions of an event this address is registered for; nothing was
    changed. The sessions asked for that the participant does not hold yet (and that still
    take registrations), with a link to the manage page that has them chosen, ready to add;
    or, when nothing is missing, the reminder that they hold them, and their links."""
    registration = (
        Registration.objects.filter(participant=participant, event_id=message.event_id)
        .select_related("event")
        .first()
    )
    if registration is None or registration.status == RegistrationStatus.ERASED:
        return Skip("the registration is gone")
    active = registration.status == RegistrationStatus.REGISTERED
    asked = message.payload.get("sessions") or []
    held = held_session_ids(registration) if active else set()
    missing = list(
        Session.objects.filter(pk__in=[pk for pk in asked if pk not in held])
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("event")
        .order_by("starts_at", "pk")
    )
    if not active and not missing:
        return Skip("the registration is cancelled and nothing asked for can be added")
    zone = _zone(participant)
    items = [
        session_context(session, zone=zone, language=language, cache=cache) for session in missing
    ]
    apply_url = ""
    if missing:
        chosen = ",".join(str(session.pk) for session in missing)
        apply_url = (
            f"{registration_services.manage_url(participant.token)}?add={chosen}"
            f"#event-{registration.event_id}"
        )
    return _render(
        "registration_requested",
        participant,
        {
            "event_title": registration.event.title,
            "active": active,
            "items": items,
            "apply_url": apply_url,
            "timezone": display.zone_label(
                zone, language, [session.starts_at for session in missing]
            ),
        },
        language=language,
    )


def _planned_start(message: OutboxMessage) -> datetime | None:
    value = message.payload.get("starts_at")
    return datetime.fromisoformat(value) if value else None


@register(MessageKind.SESSION_REMINDER)
@_in_language
def render_session_reminder(message, cache, participant, language) -> Rendered | Skip:
    """A reminder with the join link and the one-click "no more reminders" headers."""
    session = message.session
    if session is None or session.is_cancelled:
        return Skip("the session was cancelled")
    if _planned_start(message) != session.starts_at:
        return Skip("the session moved since this reminder was planned")
    if not participant.reminders:
        return Skip("the participant switched reminders off")
    place = _place(message, cache)
    if place is None or place.status != SeatStatus.CONFIRMED:
        return Skip("the participant has no seat in the session")
    if timezone.now() >= session.starts_at:
        return Skip("the session has started")
    url = reminders_off_url(participant)
    rendered = _session_email(
        "session_reminder",
        session,
        participant,
        language=language,
        cache=cache,
        reminders_off_url=url,
    )
    rendered.headers.update(one_click_headers(url))
    return rendered


def _still_changed(session: Session, previous: dict) -> dict[str, bool]:
    """Which announced values differ now from before the first edit of the notice."""
    now = {
        "starts_at": session.starts_at.isoformat(),
        "ends_at": session.ends_at.isoformat(),
        "join_url": session.join_url,
        "status": session.status,
    }
    return {field: previous[field] != value for field, value in now.items() if field in previous}


@register(MessageKind.SESSION_CHANGED)
@_in_language
def render_session_changed(message, cache, participant, language) -> Rendered | Skip:
    """The session as it is now, what it was before, and the updated invitation."""
    session = message.session
    if session is None or session.is_cancelled:
        return Skip("the session was cancelled (its cancellation says so)")
    place = _place(message, cache)
    if place is None or place.status != SeatStatus.CONFIRMED:
        return Skip("the participant has no seat in the session")
    previous = message.payload.get("previous", {})
    differs = _still_changed(session, previous)
    if not any(differs.values()):
        return Skip("the edits were undone: nothing differs from what was announced")
    zone = _zone(participant, session)
    moved = differs.get("starts_at") or differs.get("ends_at")
    before = ""
    if moved:
        before = display.format_span(
            datetime.fromisoformat(previous.get("starts_at", session.starts_at.isoformat())),
            datetime.fromisoformat(previous.get("ends_at", session.ends_at.isoformat())),
            zone=zone,
            language=language,
        )
    rendered = _session_email(
        "session_changed",
        session,
        participant,
        language=language,
        cache=cache,
        moved=moved,
        before=before,
        link_changed=differs.get("join_url", False),
        restored=differs.get("status", False),
    )
    return attach_invitation(
        rendered,
        session,
        participant,
        method="REQUEST",
        join_url=_join_link(participant, session, cache),
    )


@register(MessageKind.SESSION_CANCELLED)
@_in_language
def render_session_cancelled(message, cache, participant, language) -> Rendered | Skip:
    """The cancellation; a confirmed seat also gets the iMIP ``CANCEL``."""
    session = message.session
    if session is None or not session.is_cancelled:
        return Skip("the session is scheduled again")
    place = _place(message, cache)
    if place is None or place.status not in ACTIVE:
        return Skip("the participant holds no place in the session")
    rendered = _session_email(
        "session_cancelled", session, participant, language=language, cache=cache
    )
    if place.status == SeatStatus.CONFIRMED:
        attach_invitation(rendered, session, participant, method="CANCEL")
    return rendered


@register(MessageKind.WAITLIST_PROMOTED)
@_in_language
def render_waitlist_promoted(message, cache, participant, language) -> Rendered | Skip:
    """A seat from the waitlist, with the invitation."""
    session = message.session
    if session is None or session.is_cancelled:
        return Skip("the session was cancelled")
    place = _place(message, cache)
    if place is None or place.status != SeatStatus.CONFIRMED:
        return Skip("the participant has no seat in the session any more")
    if timezone.now() >= session.ends_at:
        return Skip("the session is over")
    rendered = _session_email(
        "waitlist_promoted", session, participant, language=language, cache=cache
    )
    return attach_invitation(
        rendered,
        session,
        participant,
        method="REQUEST",
        join_url=_join_link(participant, session, cache),
    )


@register(MessageKind.RECORDING_AVAILABLE)
@_in_language
def render_recording_available(message, cache, participant, language) -> Rendered | Skip:
    """The recording link of a session the participant held a place in."""
    session = message.session
    if session is None or not session.recording_url:
        return Skip("the session has no recording")
    place = _place(message, cache)
    if place is None or place.status not in ACTIVE:
        return Skip("the participant holds no place in the session")
    # The organisers' choice per event: a confirmed seat whose join link was never used.
    missed = (
        session.event.missed_you_note
        and place.status == SeatStatus.CONFIRMED
        and place.first_joined_at is None
    )
    return _session_email(
        "recording_available",
        session,
        participant,
        language=language,
        cache=cache,
        missed_you=missed,
    )


@register(MessageKind.SESSION_DROPPED)
@_in_language
def render_session_dropped(message, cache, participant, language) -> Rendered | Skip:
    """The participant gave up their seat: the iMIP ``CANCEL`` takes the session out of the
    calendar the invitation put it in (no join link: the place is gone)."""
    if message.payload.get("sessions"):
        return _render_places_given_up(message, cache, participant, language)
    session = message.session
    if session is None:
        return Skip("the session was deleted")
    place = _place(message, cache)
    if place is not None and place.status in ACTIVE:
        return Skip("the participant holds a place in the session again")
    rendered = _session_email(
        "session_dropped",
        session,
        participant,
        language=language,
        cache=cache,
        without_join_link=True,
    )
    return attach_invitation(rendered, session, participant, method="CANCEL")


def _render_places_given_up(message, cache, participant, language) -> Rendered | Skip:
    """Several seats given up in one action (a cancelled registration): one email lists
    them; each seat's CANCEL for calendars travels in its own calendar_update message."""
    asked = message.payload["sessions"]
    places = list(
        Place.objects.filter(participant=participant, session_id__in=asked)
        .exclude(status__in=ACTIVE)
        .select_related("session", "session__event")
        .order_by("session__starts_at", "session_id")
    )
    if not places:
        return Skip("the participant holds those places again")
    zone = _zone(participant)
    items = [
        session_context(place.session, zone=zone, language=language, cache=cache)
        for place in places
    ]
    return _render(
        "places_given_up",
        participant,
        {
            "event_title": places[0].session.event.title,
            "items": items,
            "timezone": display.zone_label(
                zone, language, [place.session.starts_at for place in places]
            ),
        },
        language=language,
    )


@register(MessageKind.CALENDAR_UPDATE)
@_in_language
def render_calendar_update(message, cache, participant, language) -> Rendered | Skip:
    """One seat's invitation (``REQUEST``) or removal (``CANCEL``) for calendars, with a
    one-line body: the email the person reads about the action is sent beside it."""
    session = message.session
    if session is None:
        return Skip("the session was deleted")
    method = message.payload.get("method")
    place = _place(message, cache)
    if method == "REQUEST":
        if place is None or place.status != SeatStatus.CONFIRMED or session.is_cancelled:
            return Skip("the seat is not confirmed any more")
        join_url = personal_join_url(place.pk, participant.token)
    elif method == "CANCEL":
        if place is not None and place.status in ACTIVE:
            return Skip("the participant holds a place in the session again")
        join_url = ""
    else:
        return Skip("unknown calendar method")
    subject, text, html = render_parts(
        "calendar_update",
        {
            "title": session.title,
            "title_html": format_html("<bdi>{}</bdi>", session.title),
            "method": method,
            "name": participant.name,
        },
        language=language,
    )
    rendered = Rendered(subject=subject, text=text, html=html)
    return attach_invitation(rendered, session, participant, method=method, join_url=join_url)
