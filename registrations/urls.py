from django.urls import path

from registrations import views

app_name = "registrations"

urlpatterns = [
    path(
        "events/<slug:slug>/registrations/",
        views.EventRegistrations.as_view(),
        name="event-registrations",
    ),
    path("registrations/<str:token>/", views.OwnRegistrations.as_view(), name="own"),
    path("registrations/<str:token>/export/", views.OwnDataExport.as_view(), name="export"),
    path("registrations/<str:token>/erase/", views.OwnDataErase.as_view(), name="erase"),
    path("registrations/<str:token>/rotate/", views.OwnTokenRotate.as_view(), name="rotate"),
]
