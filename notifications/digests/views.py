"""Digest subscriptions: the API (subscribe, confirm, unsubscribe) and the links in emails
(a confirm page and the RFC 8058 one-click unsubscribe POST). Logic lives in services."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from notifications.digests import services
from notifications.digests.serializers import (
    SubscriptionRequestSerializer,
    SubscriptionStateSerializer,
)
from notifications.link_pages import link_action


class RegionSubscriptionCreate(APIView):
    """Subscribe an address to a region's weekly digest; a confirmation email follows."""

    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "subscriptions"

    @extend_schema(request=SubscriptionRequestSerializer, responses={202: None})
    def post(self, request, code: str):
        serializer = SubscriptionRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.subscribe(
            region_code=code,
            email=data["email"],
            language=data["language"],
            timezone_name=data.get("timezone") or None,
        )
        return Response(
            {"detail": _("If this address can receive mail, a confirmation link is on its way.")},
            status=status.HTTP_202_ACCEPTED,
        )


class SubscriptionConfirm(APIView):
    authentication_classes: list = []

    @extend_schema(request=None, responses=SubscriptionStateSerializer)
    def post(self, request, token: str):
        subscription = services.confirm_subscription(token=token)
        return Response(SubscriptionStateSerializer(subscription).data)


class SubscriptionUnsubscribe(APIView):
    authentication_classes: list = []

    @extend_schema(request=None, responses=SubscriptionStateSerializer)
    def post(self, request, token: str):
        subscription = services.unsubscribe(token=token)
        return Response(SubscriptionStateSerializer(subscription).data)


@csrf_exempt  # the secret token in the URL is the credential; mail clients POST without a form
@require_http_methods(["GET", "POST"])
def confirm_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (link scanners must not confirm); POST confirms."""
    return link_action(
        request,
        question=_("Confirm your weekly digest subscription."),
        button=_("Confirm my subscription"),
        act=lambda: services.confirm_subscription(token=token),
        done=_("Thank you: your subscription is confirmed."),
    )


@csrf_exempt  # RFC 8058: the one-click POST comes from the mail provider, without a form
@require_http_methods(["GET", "POST"])
def unsubscribe_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; POST (the RFC 8058 one-click request) unsubscribes."""
    return link_action(
        request,
        question=_("Stop receiving this weekly digest?"),
        button=_("Unsubscribe"),
        act=lambda: services.unsubscribe(token=token),
        done=_("You are unsubscribed. No more digests will be sent."),
    )
