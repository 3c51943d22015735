"""The languages of every page and email, defined once (from ``settings.LANGUAGES``)."""

from django.conf import settings

#: Language codes in the order of ``settings.LANGUAGES`` (English first).
LANGUAGE_CODES: tuple[str, ...] = tuple(code for code, _name in settings.LANGUAGES)


def language_choices() -> list[tuple[str, str]]:
    """``(code, name)`` pairs for a form, the names in the active language."""
    return [(code, str(name)) for code, name in settings.LANGUAGES]
