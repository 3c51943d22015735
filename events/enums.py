from django.db import models
from django.utils.translation import gettext_lazy as _


class EventFormat(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")
    HYBRID = "hybrid", _("Hybrid")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


class SessionFormat(models.TextChoices):
    TALK = "talk", _("Talk")
    PANEL = "panel", _("Panel")
    WORKSHOP = "workshop", _("Workshop")
    WORKING_GROUP = "working_group", _("Working group")
    WEBINAR = "webinar", _("Webinar")
    BUSINESS_MEETING = "business_meeting", _("Business meeting")
    SOCIAL = "social", _("Social")


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")
