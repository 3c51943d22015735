from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from events import feeds
from events.planner_admin import planner_page
from registrations.feeds import personal_calendar

from .health import healthz

urlpatterns = [
    path("admin/planner/", admin.site.admin_view(planner_page), name="admin-planner"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/", include("events.urls")),
    path("api/", include("registrations.urls")),
    path("", include("notifications.urls")),
    path("healthz", healthz, name="healthz"),
    path("events/<slug:slug>/calendar.ics", feeds.event_calendar, name="event-calendar"),
    path("sessions/<int:session_id>.ics", feeds.session_calendar, name="session-calendar"),
    path("regions/<slug:code>/calendar.ics", feeds.region_calendar, name="region-calendar"),
    path("calendars/<str:token>.ics", personal_calendar, name="personal-calendar"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("pages.urls")),
]

handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.not_found"
handler500 = "config.errors.server_error"
