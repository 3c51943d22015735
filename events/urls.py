from django.urls import path

from . import planner_views, views

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
    path("planner/", planner_views.PlannerView.as_view(), name="planner"),
    path("planner/series/", planner_views.SeriesPlannerView.as_view(), name="planner-series"),
    path(
        "events/<slug:slug>/coverage/",
        planner_views.EventCoverageView.as_view(),
        name="event-coverage",
    ),
    path(
        "events/<slug:slug>/editions/",
        planner_views.EventEditionsView.as_view(),
        name="event-editions",
    ),
]
