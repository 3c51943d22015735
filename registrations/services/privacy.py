"""A participant's rights over their data: a copy of all of it, and its erasure."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone as django_timezone

from registrations import cleaning, hooks, selectors
from registrations.enums import RegistrationStatus
from registrations.models import Participant, Registration
from registrations.services.links import hash_token
from registrations.services.seats import release_registration


def export_participant_data(*, participant: Participant) -> dict[str, Any]:
    """Everything stored about the participant, as plain JSON-ready data (the secret token
    excepted: the person holds it already)."""
    registrations = selectors.registrations_of_participant(participant)
    return {
        "participant": {
            "email": participant.email,
            "name": participant.name,
            "organisation": participant.organisation,
            "country": participant.country,
            "region": participant.region.code if participant.region else None,
            "timezone": participant.timezone,
            "language": participant.language,
            "reminders": participant.reminders,
            "digest": participant.digest,
            "digest_consented_at": _iso(participant.digest_consented_at),
            "privacy_consented_at": _iso(participant.privacy_consented_at),
            "created_at": _iso(participant.created_at),
            "updated_at": _iso(participant.updated_at),
        },
        "registrations": [
            {
                "event": registration.event.slug,
                "event_title": registration.event.title,
                "status": registration.status,
                "source": registration.source,
                "answers": registration.answers,
                "created_at": _iso(registration.created_at),
                "cancelled_at": _iso(registration.cancelled_at),
                "sessions": [
                    {
                        "session": place.session_id,
                        "title": place.session.title,
                        "starts_at": _iso(place.session.starts_at),
                        "status": place.status,
                        "waitlist_position": place.waitlist_position,
                        "created_at": _iso(place.created_at),
                        "cancelled_at": _iso(place.cancelled_at),
                    }
                    for place in registration.session_registrations.all()
                ],
            }
            for registration in registrations
        ],
    }


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None


@transaction.atomic
def erase_participant(*, participant: Participant) -> Participant:
    """Erase a participant's personal data: name, email, organisation and answers go, every
    place is released (waitlists move up), the token dies. The rows stay, anonymised, so
    organisers' counts (by session, country, region) remain right."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    now = django_timezone.now()
    for registration in Registration.objects.select_for_update().filter(participant=participant):
        registration.participant = participant
        release_registration(registration, now, RegistrationStatus.ERASED)
    token = cleaning.new_token()
    participant.email = f"erased-{participant.pk}@erased.invalid"
    participant.name = ""
    participant.organisation = ""
    participant.reminders = False
    participant.digest = False
    participant.digest_consented_at = None
    participant.token, participant.token_hash = token, hash_token(token)
    participant.erased_at = now
    participant.save()
    hooks.participant_erased(participant=participant)
    return participant
