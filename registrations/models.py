"""Participants, their registrations for events and their places in sessions.

Writes go through ``registrations.services`` (seats and waitlists are only consistent there);
these models hold data and thin helpers.
"""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from events.models import Event, Region, Session
from registrations.enums import QuestionKind, RegistrationSource, RegistrationStatus, SeatStatus

ACTIVE_SEAT_STATUSES = (SeatStatus.CONFIRMED, SeatStatus.WAITLISTED)


class Participant(models.Model):
    """A person who registers. The email is unique whatever its case (stored lower-cased).

    ``token`` is the secret in their links and calendar feed; lookups go through
    ``token_hash`` (SHA-256, indexed) so that no comparison runs on the secret itself.
    """

    email = models.EmailField(_("email"), max_length=254)
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    region = models.ForeignKey(
        Region,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participants",
        verbose_name=_("region"),
    )
    timezone = models.CharField(_("time zone"), max_length=64, blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    reminders = models.BooleanField(_("reminders"), default=True)
    digest = models.BooleanField(_("regional digest"), default=False)
    digest_consented_at = models.DateTimeField(_("digest consent given"), null=True, blank=True)
    privacy_consented_at = models.DateTimeField(_("privacy notice accepted"), null=True)
    token = models.CharField(_("secret token"), max_length=64, editable=False)
    token_hash = models.CharField(max_length=64, editable=False)
    token_rotated_at = models.DateTimeField(_("token rotated"), null=True, blank=True)
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["email"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        # Declared here rather than with db_index/unique on the fields: on PostgreSQL those
        # add a second, LIKE-only index per field, which no query uses and every
        # registration would write.
        constraints = [
            models.UniqueConstraint(Lower("email"), name="participant_email_unique_ci"),
            models.UniqueConstraint(fields=["token_hash"], name="participant_token_hash_unique"),
        ]
        indexes = [models.Index(fields=["email"], name="participant_email")]

    def __str__(self) -> str:
        return self.name or self.email

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None


class Question(models.Model):
    """An extra question an event's organisers ask at registration (answers keyed by ``key``)."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="questions", verbose_name=_("event")
    )
    key = models.SlugField(
        _("key"), max_length=50, help_text=_("The name of the answer in the API and exports.")
    )
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.TEXT
    )
    choices = models.JSONField(
        _("choices"), default=list, blank=True, help_text=_("For a choice question.")
    )
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["event", "position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["event", "key"], name="question_key_unique_per_event")
        ]

    def __str__(self) -> str:
        return self.text


class Registration(models.Model):
    """A participant's registration for an event, with their answers to its questions."""

    # No index of their own: (participant, event) and (event, status) serve both.
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("participant"),
        db_index=False,
    )
    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("event"),
        db_index=False,
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.REGISTERED,
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    source = models.CharField(
        _("source"),
        max_length=10,
        choices=RegistrationSource.choices,
        default=RegistrationSource.API,
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "event"], name="registration_unique_per_event"
            )
        ]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self) -> str:
        return f"{self.participant} · {self.event}"


class SessionRegistration(models.Model):
    """A participant's place in a session: a confirmed seat, a waitlist position, or cancelled.

    Waitlist positions of a session run 1..n without gaps (kept so by the services).
    """

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="session_registrations",
        verbose_name=_("registration"),
    )
    # No index of their own: (participant, session) and (session, status, position) serve both.
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="session_registrations",
        verbose_name=_("participant"),
        db_index=False,
    )
    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("session"),
        db_index=False,
    )
    status = models.CharField(_("status"), max_length=12, choices=SeatStatus.choices)
    waitlist_position = models.PositiveIntegerField(_("waitlist position"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # Attendance: the first and the last use of the seat's personal join link.
    first_joined_at = models.DateTimeField(_("first joined"), null=True, blank=True)
    last_joined_at = models.DateTimeField(_("last joined"), null=True, blank=True)

    class Meta:
        ordering = ["session__starts_at", "id"]
        verbose_name = _("session registration")
        verbose_name_plural = _("session registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "session"], name="session_registration_unique"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status=SeatStatus.WAITLISTED, waitlist_position__gte=1)
                    | (
                        ~models.Q(status=SeatStatus.WAITLISTED)
                        & models.Q(waitlist_position__isnull=True)
                    )
                ),
                name="waitlist_position_only_when_waitlisted",
            ),
        ]
        indexes = [models.Index(fields=["session", "status", "waitlist_position"])]

    def __str__(self) -> str:
        return f"{self.participant} · {self.session} · {self.status}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_SEAT_STATUSES
