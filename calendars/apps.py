from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    name = "calendars"
    verbose_name = _("Calendars")

    def ready(self) -> None:
        from calendars.feed_cache import connect_signals

        # Feed states are cached: any write to an event or session starts a new generation.
        connect_signals()
