from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The kinds of email register their renderers when their modules are imported.
        from notifications.digests import renderers as digest_renderers  # noqa: F401
        from notifications.digests import services as digest_services
        from notifications.outbox import (
            dispatch,
            tasks,  # noqa: F401 (the Celery tasks)
        )
        from notifications.participants import receivers
        from notifications.participants import renderers as participant_renderers  # noqa: F401

        receivers.connect()
        dispatch.before_tick.connect(digest_services.plan_due_digests)
