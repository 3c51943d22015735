from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every app uses: errors, API bases, time rules, display, tokens, languages.
    It has no models and imports no other app of the project."""

    name = "core"
    verbose_name = _("Core")
