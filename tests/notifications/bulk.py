"""Participants seated in a session in bulk, for the service tier and the benchmark: tens of
thousands of rows in seconds (the registration service's one-by-one rules are not what these
measure). Their reminders are planned by ``notifications.participants.policy`` as in production."""

from __future__ import annotations

from django.utils import timezone

from notifications.participants import policy as planning
from registrations.models import Participant, Registration, SessionRegistration

LANGUAGES = ["en", "fr", "es", "de", "ru", "ar", "zh-hans"]
ZONES = ["Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "Africa/Lagos"]


def seat_participants(session, count: int) -> list[Participant]:
    """``count`` participants with confirmed seats in ``session``, in seven languages and five
    zones, and their reminders planned."""
    now = timezone.now()
    participants = Participant.objects.bulk_create(
        [
            Participant(
                email=f"person{index}@example.org",
                name=f"Person {index}",
                timezone=ZONES[index % len(ZONES)],
                language=LANGUAGES[index % len(LANGUAGES)],
                token=f"token-{index:08d}-{'x' * 30}",
                token_hash=f"{index:064d}",
                privacy_consented_at=now,
            )
            for index in range(count)
        ],
        batch_size=2000,
    )
    registrations = Registration.objects.bulk_create(
        [Registration(participant=person, event=session.event) for person in participants],
        batch_size=2000,
    )
    SessionRegistration.objects.bulk_create(
        [
            SessionRegistration(
                registration=registration,
                participant=registration.participant,
                session=session,
                status="confirmed",
                confirmed_at=now,
            )
            for registration in registrations
        ],
        batch_size=2000,
    )
    planning.schedule_reminders(session=session, participants=participants, fresh=True)
    return participants
