"""What a participant changes about their emails from an email itself."""

from __future__ import annotations

from django.core import signing
from django.db import transaction
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from notifications.errors import NotificationsError
from notifications.participants.renderers import REMINDERS_OFF_SALT
from registrations import services as registration_services
from registrations.models import Participant


@transaction.atomic
def turn_off_reminders(*, token: str) -> None:
    """The one-click link of every reminder (RFC 8058): the participant gets no more
    reminders (their other emails go on). Twice is harmless; a bad or forged token, or
    one of an erased participant, is a 404."""
    try:
        pk, _dot, digest = (
            signing.Signer(salt=REMINDERS_OFF_SALT).unsign(token or "").partition(".")
        )
        pk = int(pk)
    except (signing.BadSignature, ValueError):
        pk, digest = None, ""
    participant = Participant.objects.filter(pk=pk, erased_at__isnull=True).first() if pk else None
    if participant is None or not constant_time_compare(participant.token_hash[:16], digest):
        raise NotificationsError(
            _("This link is not valid (any more)."), status_code=404, code="not_found"
        )
    if participant.reminders:
        registration_services.update_participant_preferences(
            participant=participant, reminders=False
        )
