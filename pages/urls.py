from django.urls import path

from pages import join_views, manage_views, region_views, register_views, views

app_name = "pages"

urlpatterns = [
    path("", views.home, name="home"),
    path("events/<slug:slug>/", views.event_page, name="event"),
    path("events/<slug:slug>/register/", register_views.register_page, name="register"),
    path("sessions/<int:session_id>/", views.session_page, name="session"),
    path("registrations/<str:token>/", manage_views.manage_page, name="manage"),
    path(
        "registrations/<str:token>/sessions/",
        manage_views.change_sessions,
        name="manage-sessions",
    ),
    path(
        "registrations/<str:token>/preferences/",
        manage_views.change_preferences,
        name="manage-preferences",
    ),
    path("registrations/<str:token>/rotate/", manage_views.rotate_links, name="manage-rotate"),
    path("registrations/<str:token>/cancel/", manage_views.cancel, name="manage-cancel"),
    path("registrations/<str:token>/erase/", manage_views.erase, name="manage-erase"),
    path("join/<str:token>/", join_views.join, name="join"),
    path("regions/<slug:code>/subscribe/", region_views.subscribe_page, name="region-subscribe"),
]
