"""Demo participants from several regions, registered for the demo webinar series.

Idempotent: a participant already in the database is left alone (registering them again
would email them the details a second time).
"""

from __future__ import annotations

from django.db import transaction

from events.models import Event
from registrations import services
from registrations.enums import RegistrationSource
from registrations.models import Participant

DEMO_EVENT = "stronger-bolder-together-2027"
PARTICIPANTS = (
    ("amina.odhiambo@example.org", "Amina Odhiambo", "Kenya Library Association", "KE", "en"),
    ("lucia.fernandez@example.org", "Lucía Fernández", "Colegio de Bibliotecarios", "AR", "es"),
    ("karim.haddad@example.org", "Karim Haddad", "Lebanese Library Association", "LB", "ar"),
    ("mei.lin@example.org", "林美", "Library Society of China", "CN", "zh-hans"),
    ("sophie.martin@example.org", "Sophie Martin", "ABF", "FR", "fr"),
    ("john.miller@example.org", "John Miller", "American Library Association", "US", "en"),
    ("priya.nair@example.org", "Priya Nair", "Indian Library Association", "IN", "en"),
)


@transaction.atomic
def load_demo_registrations() -> int:
    """Register the demo participants for the series (its first webinars); the count of
    participants in the demo. Does nothing when the series is missing."""
    event = Event.objects.filter(slug=DEMO_EVENT).first()
    if event is None:
        return 0
    sessions = list(event.sessions.order_by("starts_at").values_list("pk", flat=True))
    known = set(
        Participant.objects.filter(email__in=[row[0] for row in PARTICIPANTS]).values_list(
            "email", flat=True
        )
    )
    for number, (email, name, organisation, country, language) in enumerate(PARTICIPANTS):
        if email in known:
            continue
        services.register_participant(
            event=event,
            email=email,
            name=name,
            organisation=organisation,
            country=country,
            language=language,
            sessions=sessions[number % 3 : number % 3 + 3],
            source=RegistrationSource.DEMO,
        )
    return len(PARTICIPANTS)
