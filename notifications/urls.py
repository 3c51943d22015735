from django.urls import path

from notifications.digests import views
from notifications.participants import views as participant_views

app_name = "notifications"

urlpatterns = [
    path(
        "api/regions/<slug:code>/subscriptions/",
        views.RegionSubscriptionCreate.as_view(),
        name="region-subscriptions",
    ),
    path(
        "api/subscriptions/<slug:token>/confirm/",
        views.SubscriptionConfirm.as_view(),
        name="subscription-confirm-api",
    ),
    path(
        "api/subscriptions/<slug:token>/unsubscribe/",
        views.SubscriptionUnsubscribe.as_view(),
        name="subscription-unsubscribe-api",
    ),
    path("subscriptions/<slug:token>/confirm/", views.confirm_link, name="subscription-confirm"),
    path(
        "subscriptions/<slug:token>/unsubscribe/",
        views.unsubscribe_link,
        name="subscription-unsubscribe",
    ),
    path("reminders/<str:token>/off/", participant_views.reminders_off_link, name="reminders-off"),
]
