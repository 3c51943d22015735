from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Registrations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from events import hooks as event_hooks
        from registrations.permissions import grant_organiser_permissions
        from registrations.services import seats

        # Seats an organiser adds to a session go to its waitlist, in the same transaction.
        event_hooks.session_capacity_changed.connect(seats.receive_capacity_changed)

        # After this app's permissions exist (auth's handler runs first for each app).
        post_migrate.connect(
            grant_organiser_permissions,
            sender=self,
            dispatch_uid="registrations.grant_organiser_permissions",
        )
