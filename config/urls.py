from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from config.docs import ApiDocsView
from config.health import healthz
from planner.admin import planner_page

urlpatterns = [
    path("admin/planner/", admin.site.admin_view(planner_page), name="admin-planner"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", ApiDocsView.as_view(url_name="schema"), name="api-docs"),
    path("api/", include("events.urls")),
    path("api/", include("registrations.urls")),
    path("api/", include("planner.urls")),
    path("", include("notifications.urls")),
    path("healthz", healthz, name="healthz"),
    path("", include("calendars.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("pages.urls")),
]

handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.not_found"
handler500 = "config.errors.server_error"
