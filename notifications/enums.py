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
    """Every kind of email. Phase 2 adds registration kinds here and a renderer for each."""

    SUBSCRIPTION_CONFIRM = "subscription_confirm", _("Digest subscription confirmation")
    REGION_DIGEST = "region_digest", _("Weekly region digest")


class SubscriptionState(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
