from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")
    CANCELLED = "cancelled", _("Cancelled")


class MessageKind(models.TextChoices):
    """Every kind of email; each has a renderer (``notifications.outbox.renderers``)."""

    SUBSCRIPTION_CONFIRM = "subscription_confirm", _("Digest subscription confirmation")
    REGION_DIGEST = "region_digest", _("Weekly region digest")
    REGISTRATION_CONFIRMED = "registration_confirmed", _("Registration confirmation")
    # Someone asked for sessions of an event the address is already registered for: nothing
    # changed; the owner reads what was asked and a link that applies it.
    REGISTRATION_REQUESTED = "registration_requested", _("Registration request")
    SESSION_REMINDER = "session_reminder", _("Session reminder")
    SESSION_CHANGED = "session_changed", _("Session change notice")
    SESSION_CANCELLED = "session_cancelled", _("Session cancellation")
    WAITLIST_PROMOTED = "waitlist_promoted", _("Seat from the waitlist")
    RECORDING_AVAILABLE = "recording_available", _("Recording available")
    SESSION_DROPPED = "session_dropped", _("Place given up")
    # One seat's invitation, update or cancellation for calendars, with a one-line body: when
    # one action touches several seats, the person reads one email and each UID travels in
    # its own iMIP message (RFC 6047 expects one UID per message).
    CALENDAR_UPDATE = "calendar_update", _("Calendar update")


class SubscriptionState(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
