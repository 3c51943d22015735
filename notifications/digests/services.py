"""Writes for digest subscriptions and digest planning. Keyword-only and atomic; refusals
raise :class:`NotificationsError` with a message a person can act on."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import time_rules, tokens
from core.languages import LANGUAGE_CODES
from notifications.digests import selectors
from notifications.digests import windows as digests
from notifications.enums import MessageKind, SubscriptionState
from notifications.errors import NotificationsError
from notifications.models import Subscription
from notifications.outbox import queue

SUPPORTED_LANGUAGES = frozenset(LANGUAGE_CODES)
PLAN_BATCH = 500


def new_link_tokens(*, confirm: bool = True, unsubscribe: bool = True) -> dict[str, str]:
    """Fresh secrets (256 bits each) for a subscription's confirm and/or unsubscribe link,
    with their digests: the field values to set on the subscription."""
    fields = {}
    for name, wanted in (("confirm_token", confirm), ("unsubscribe_token", unsubscribe)):
        if wanted:
            token = tokens.new_token()
            fields[name], fields[f"{name}_hash"] = token, tokens.hash_token(token)
    return fields


def _clean_email(email: str) -> str:
    email = (email or "").strip()
    try:
        if len(email) > 254:
            raise ValidationError("too long")
        validate_email(email)
    except ValidationError:
        raise NotificationsError(_("Enter a valid email address."), field="email") from None
    local, _at, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


@transaction.atomic
def subscribe(
    *, region_code: str, email: str, language: str = "en", timezone_name: str | None = None
) -> None:
    """Ask for a region's weekly digest (double opt-in).

    Sends a confirmation email unless the address is already confirmed; a repeated request
    sends at most one confirmation per day and answers the same, so it reveals nothing about
    the address. The zone defaults to the region's first representative zone.
    """
    region = selectors.region_by_code(region_code)
    if region is None:
        raise NotificationsError(_("Unknown region."), field="region", status_code=404)
    email = _clean_email(email)
    if language not in SUPPORTED_LANGUAGES:
        raise NotificationsError(
            _("Language must be one of: %(choices)s.")
            % {"choices": ", ".join(sorted(SUPPORTED_LANGUAGES))},
            field="language",
        )
    zone = time_rules.current_zone_name(timezone_name or region.zones[0], field="timezone")
    subscription = (
        Subscription.objects.select_for_update().filter(email__iexact=email, region=region).first()
    )
    if subscription is None:
        subscription = Subscription.objects.create(
            email=email,
            region=region,
            language=language,
            timezone=zone,
            **new_link_tokens(),
        )
    elif subscription.state == SubscriptionState.CONFIRMED:
        return
    else:
        # Pending or unsubscribed: the request stands as a fresh one (new confirmation link).
        if subscription.state == SubscriptionState.UNSUBSCRIBED:
            for field, value in new_link_tokens(unsubscribe=False).items():
                setattr(subscription, field, value)
        subscription.state = SubscriptionState.PENDING
        subscription.language = language
        subscription.timezone = zone
        subscription.save()
    today = timezone.now().date().isoformat()
    queue.enqueue(
        kind=MessageKind.SUBSCRIPTION_CONFIRM,
        recipient=subscription.email,
        dedupe_key=(
            f"subscription-confirm:{subscription.pk}:{subscription.confirm_token_hash[:12]}:{today}"
        ),
        language=subscription.language,
        timezone_name=subscription.timezone,
        region_code=region.code,
        subscription=subscription,
    )


def _next_digest_row(subscription: Subscription, now: datetime) -> dict:
    """The outbox row of the subscription's next digest; notes its week on the subscription."""
    due, week = digests.next_digest_due(now, subscription.timezone)
    subscription.last_digest_week = week
    subscription.next_digest_at = due
    return {
        "kind": MessageKind.REGION_DIGEST,
        "recipient": subscription.email,
        "dedupe_key": f"region-digest:{subscription.pk}:{week}",
        "due_at": due,
        "language": subscription.language,
        "timezone_name": subscription.timezone,
        "region_code": subscription.region.code,
        "subscription": subscription,
    }


@transaction.atomic
def confirm_subscription(*, token: str, now: datetime | None = None) -> Subscription:
    """Confirm a subscription from the link in its email, and plan its first digest.

    Confirming twice is harmless. An unknown token, or one of an ended subscription, is a
    404 (the link is not valid any more).
    """
    subscription = selectors.subscription_by_confirm_token(token)
    if subscription is None or subscription.state == SubscriptionState.UNSUBSCRIBED:
        raise NotificationsError(
            _("This confirmation link is not valid (any more)."), status_code=404, code="not_found"
        )
    subscription = (
        Subscription.objects.select_for_update().select_related("region").get(pk=subscription.pk)
    )
    if subscription.state == SubscriptionState.CONFIRMED:
        return subscription
    now = now or timezone.now()
    subscription.state = SubscriptionState.CONFIRMED
    subscription.confirmed_at = now
    queue.enqueue_many([_next_digest_row(subscription, now)])
    subscription.save()
    return subscription


@transaction.atomic
def unsubscribe(*, token: str) -> Subscription:
    """End a subscription (the one-click link of every digest). Its pending digests are
    cancelled. Unsubscribing twice is harmless; an unknown token is a 404."""
    subscription = selectors.subscription_by_unsubscribe_token(token)
    if subscription is None:
        raise NotificationsError(
            _("This unsubscribe link is not valid."), status_code=404, code="not_found"
        )
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.state != SubscriptionState.UNSUBSCRIBED:
        subscription.state = SubscriptionState.UNSUBSCRIBED
        subscription.unsubscribed_at = timezone.now()
        subscription.save()
    queue.cancel_pending(subscription=subscription)
    return subscription


@transaction.atomic
def rotate_link_tokens(*, subscription: Subscription) -> Subscription:
    """Give a subscription new confirm and unsubscribe links; the old ones stop working at
    once. Emails not sent yet carry the new links (they are rendered at send time)."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    for field, value in new_link_tokens().items():
        setattr(subscription, field, value)
    subscription.tokens_rotated_at = timezone.now()
    subscription.save()
    return subscription


def plan_due_digests(*, now: datetime | None = None) -> int:
    """Plan the next weekly digest of every confirmed subscription whose planned one is due.

    Each subscription has one planned digest row a week ahead (Monday 08:00 in its zone,
    keyed by ISO week, so at most one per week however often this runs). Returns how many
    subscriptions were planned.
    """
    now = now or timezone.now()
    planned = 0
    while True:
        with transaction.atomic():
            batch = list(
                Subscription.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("region")
                .filter(state=SubscriptionState.CONFIRMED, next_digest_at__lte=now)
                .order_by("next_digest_at", "id")[:PLAN_BATCH]
            )
            queue.enqueue_many([_next_digest_row(item, now) for item in batch])
            Subscription.objects.bulk_update(batch, ["last_digest_week", "next_digest_at"])
        planned += len(batch)
        if len(batch) < PLAN_BATCH:
            return planned
