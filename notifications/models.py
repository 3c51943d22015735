"""The outbox (one row per email, the source of truth for every message) and digest
subscriptions. Writes go through ``notifications.outbox.rows`` and
``notifications.digests.services``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from notifications.enums import OutboxState, SubscriptionState


class Subscription(models.Model):
    """A person's subscription to a region's weekly digest (double opt-in)."""

    email = models.EmailField(_("email"), max_length=254)
    region = models.ForeignKey(
        "events.Region",
        on_delete=models.CASCADE,
        related_name="subscriptions",
        verbose_name=_("region"),
    )
    language = models.CharField(_("language"), max_length=10, default="en")
    timezone = models.CharField(_("time zone"), max_length=64)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=SubscriptionState.choices,
        default=SubscriptionState.PENDING,
    )
    # The links' secrets (kept: emails are rendered at send time and carry them) and their
    # SHA-256 digests, by which a presented link is looked up (``core.tokens``).
    confirm_token = models.CharField(max_length=64, editable=False)
    confirm_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    unsubscribe_token = models.CharField(max_length=64, editable=False)
    unsubscribe_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    tokens_rotated_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    # The ISO week ("2026-W14") and due instant of the last digest planned for it.
    last_digest_week = models.CharField(max_length=10, blank=True)
    next_digest_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("digest subscription")
        verbose_name_plural = _("digest subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["email", "region"], name="one_subscription_per_region")
        ]
        indexes = [models.Index(fields=["state", "next_digest_at"])]

    def __str__(self) -> str:
        return f"{self.email} → {self.region_id}"


class OutboxMessage(models.Model):
    """One email: what it is about, when it is due, and what became of it.

    A row is written in the transaction of the change that causes it. Dispatch claims due
    rows under a lease (``lease_owner`` + ``lease_expires_at``); only the lease holder may
    record the outcome. The message itself is rendered from current data at send time.
    """

    kind = models.CharField(_("kind"), max_length=40)
    recipient = models.EmailField(_("recipient"), max_length=254)
    language = models.CharField(_("language"), max_length=10, default="en")
    timezone = models.CharField(_("time zone"), max_length=64, default="UTC")
    # What the email is about (each nullable: a kind uses the ones it needs).
    event = models.ForeignKey(
        "events.Event", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    session = models.ForeignKey(  # indexed by outbox_session, which starts with it
        "events.Session",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    participant_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    region_code = models.CharField(max_length=40, blank=True)
    subscription = models.ForeignKey(
        Subscription, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    payload = models.JSONField(default=dict, blank=True)

    due_at = models.DateTimeField(_("due at"))
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    state = models.CharField(
        _("state"), max_length=20, choices=OutboxState.choices, default=OutboxState.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    lease_owner = models.CharField(max_length=64, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    smtp_code = models.PositiveSmallIntegerField(_("SMTP code"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    # Unique by constraints in Meta: unique=True would add a LIKE-only index to each on
    # PostgreSQL, written with every row and read by no query.
    dedupe_key = models.CharField(max_length=200)
    message_id = models.CharField(_("Message-ID"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["state", "lease_expires_at"], name="outbox_leases"),
            models.Index(fields=["session", "state"], name="outbox_session"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["dedupe_key"], name="outbox_dedupe_key_unique"),
            models.UniqueConstraint(fields=["message_id"], name="outbox_message_id_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient} ({self.state})"
