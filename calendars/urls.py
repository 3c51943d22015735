"""The public and personal calendar feeds (the paths are the public contract)."""

from django.urls import path

from calendars import feeds
from calendars.personal import personal_calendar

urlpatterns = [
    path("events/<slug:slug>/calendar.ics", feeds.event_calendar, name="event-calendar"),
    path("sessions/<int:session_id>.ics", feeds.session_calendar, name="session-calendar"),
    path("regions/<slug:code>/calendar.ics", feeds.region_calendar, name="region-calendar"),
    path("calendars/<str:token>.ics", personal_calendar, name="personal-calendar"),
]
