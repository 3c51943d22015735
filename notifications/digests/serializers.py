"""API shapes for digest subscriptions. They check types; the rules live in services."""

from rest_framework import serializers

from core.languages import LANGUAGE_CODES

LANGUAGE_CHOICES = list(LANGUAGE_CODES)


class SubscriptionRequestSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES, required=False, default="en")
    timezone = serializers.CharField(max_length=64, required=False, allow_blank=True)


class SubscriptionStateSerializer(serializers.Serializer):
    region = serializers.CharField(source="region.code")
    state = serializers.CharField()
