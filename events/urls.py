from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("regions/", views.RegionList.as_view(), name="region-list"),
    path("events/", views.EventListCreate.as_view(), name="event-list"),
    path("events/<slug:slug>/", views.EventDetail.as_view(), name="event-detail"),
    path(
        "events/<slug:slug>/sessions/",
        views.EventSessionListCreate.as_view(),
        name="event-sessions",
    ),
    path("sessions/<int:pk>/", views.SessionDetail.as_view(), name="session-detail"),
]
