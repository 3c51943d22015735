from django.urls import path

from . import views

app_name = "pages"

urlpatterns = [
    path("", views.home, name="home"),
    path("events/<slug:slug>/", views.event_page, name="event"),
    path("sessions/<int:session_id>/", views.session_page, name="session"),
]
