from django.urls import path

from planner import views

app_name = "planner"

urlpatterns = [
    path("planner/", views.PlannerView.as_view(), name="planner"),
    path("planner/series/", views.SeriesPlannerView.as_view(), name="planner-series"),
    path(
        "events/<slug:slug>/coverage/",
        views.EventCoverageView.as_view(),
        name="event-coverage",
    ),
    path(
        "events/<slug:slug>/editions/",
        views.EventEditionsView.as_view(),
        name="event-editions",
    ),
]
