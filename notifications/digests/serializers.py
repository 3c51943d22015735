"""API shapes for digest subscriptions. They check types; the rules live in services."""

from django.conf import settings
from rest_framework import serializers

LANGUAGE_CHOICES = [code for code, _name in settings.LANGUAGES]


class SubscriptionRequestSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES, required=False, default="en")
    timezone = serializers.CharField(max_length=64, required=False, allow_blank=True)


class SubscriptionStateSerializer(serializers.Serializer):
    region = serializers.CharField(source="region.code")
    state = serializers.CharField()
