"""Pure rules for what a participant types: text, email, country, zone, language, answers.

Framework-light (no database): every function takes plain values and returns the cleaned
value, or raises :class:`RegistrationsError` naming the field at fault with a message a
person can act on. The services call these before they touch a row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pytz
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from core import time_rules
from core.country_zones import most_populous_zone
from core.tokens import new_token as new_token  # the participant's links (services use it)
from registrations.enums import QuestionKind
from registrations.errors import RegistrationsError

NAME_MAX_LENGTH = 200
EMAIL_MAX_LENGTH = 254
ANSWER_MAX_LENGTH = 2000
MAX_ANSWERS = 50

# C0/C1 controls and the bidirectional overrides/isolates that can disguise text in exports.
_LINE_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# In free-text answers line breaks and tabs are fine.
_TEXT_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_KEY = re.compile(r"^[-a-zA-Z0-9_]{1,50}$")


@dataclass(frozen=True)
class QuestionRule:
    """What the rules need to know about a question (a ``Question`` row fits as well)."""

    key: str
    kind: str
    required: bool = False
    choices: tuple[str, ...] = ()
    text: str = ""


def clean_line(value: Any, *, field: str, max_length: int, required: bool = False) -> str:
    """One line of text: trimmed, no control characters, at most ``max_length`` characters."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise RegistrationsError(_("Send this as text."), field=field)
    value = value.strip()
    if required and not value:
        raise RegistrationsError(_("This field is required."), field=field)
    if len(value) > max_length:
        raise RegistrationsError(
            _("Use at most %(max)d characters.") % {"max": max_length}, field=field
        )
    if _LINE_FORBIDDEN.search(value):
        raise RegistrationsError(
            _("Remove the control characters (line breaks, tabs or direction marks)."),
            field=field,
        )
    return value


def normalise_email(value: Any) -> str:
    """A valid address, lower-cased: the same person whatever case they type."""
    email = clean_line(value, field="email", max_length=EMAIL_MAX_LENGTH, required=True)
    try:
        validate_email(email)
    except ValidationError:
        raise RegistrationsError(_("Enter a valid email address."), field="email") from None
    return email.lower()


def clean_country(value: Any) -> str:
    """An ISO 3166-1 alpha-2 code (upper-cased), or "" when none is given."""
    code = clean_line(value, field="country", max_length=2).upper()
    if code and code not in pytz.country_names:
        raise RegistrationsError(
            _("Use a two-letter ISO 3166-1 country code, such as KE, BR or FR."), field="country"
        )
    return code


def suggest_timezone(country: str) -> str:
    """The zone where most of the country's people live, or "" if none fits."""
    return most_populous_zone(country)


def clean_timezone(value: Any, *, country: str) -> str:
    """The zone given (a real IANA place), or the one suggested by the country, or ""."""
    zone = clean_line(value, field="timezone", max_length=64)
    if not zone:
        return suggest_timezone(country)
    try:
        return time_rules.current_zone_name(zone, field="timezone")
    except time_rules.TimeRuleError as error:
        raise RegistrationsError(error.message, field="timezone") from None


def clean_language(value: Any, *, supported: Iterable[str], default: str) -> str:
    """A supported language code (case-insensitive), the default when none is given."""
    code = clean_line(value, field="language", max_length=10).lower()
    supported = list(supported)
    if not code:
        return default
    if code not in supported:
        raise RegistrationsError(
            _("Language must be one of: %(choices)s.") % {"choices": ", ".join(supported)},
            field="language",
        )
    return code


def clean_answers(questions: Iterable[Any], answers: Any) -> dict[str, Any]:
    """Answers keyed by question key, checked against the questions' kinds and choices.

    Refuses unknown keys, missing required answers, choices not offered, and text that is
    too long or carries control characters. Empty optional answers are dropped.
    """
    if answers is None:
        answers = {}
    if not isinstance(answers, Mapping):
        raise RegistrationsError(
            _("Send the answers as an object keyed by question."), field="answers"
        )
    if len(answers) > MAX_ANSWERS:
        raise RegistrationsError(_("Too many answers."), field="answers")
    by_key = {question.key: question for question in questions}
    unknown = [key for key in answers if key not in by_key]
    if unknown:
        shown = [key for key in unknown if isinstance(key, str) and _KEY.match(key)]
        if shown:
            message = _("Unknown question: %(keys)s.") % {"keys": ", ".join(sorted(shown)[:5])}
        else:
            message = _("Unknown question.")
        raise RegistrationsError(message, field="answers")
    cleaned: dict[str, Any] = {}
    for key, question in by_key.items():
        value = answers.get(key)
        if isinstance(value, str):
            value = value.strip()
        if value is None or value == "":
            if question.required:
                raise RegistrationsError(
                    _("Please answer “%(question)s”.") % {"question": question.text or key},
                    field="answers",
                )
            continue
        cleaned[key] = _clean_answer(question, value)
    return cleaned


def _clean_answer(question: Any, value: Any) -> Any:
    label = question.text or question.key
    if question.kind == QuestionKind.YES_NO:
        if not isinstance(value, bool):
            raise RegistrationsError(
                _("Answer “%(question)s” with true or false.") % {"question": label},
                field="answers",
            )
        return value
    if not isinstance(value, str):
        raise RegistrationsError(
            _("Answer “%(question)s” with text.") % {"question": label}, field="answers"
        )
    if question.kind == QuestionKind.CHOICE:
        if value not in list(question.choices):
            raise RegistrationsError(
                _("For “%(question)s” choose one of: %(choices)s.")
                % {"question": label, "choices": ", ".join(question.choices)},
                field="answers",
            )
        return value
    if len(value) > ANSWER_MAX_LENGTH:
        raise RegistrationsError(
            _("Keep the answer to “%(question)s” to at most %(max)d characters.")
            % {"question": label, "max": ANSWER_MAX_LENGTH},
            field="answers",
        )
    if _TEXT_FORBIDDEN.search(value):
        raise RegistrationsError(
            _("Remove the control characters from the answer to “%(question)s”.")
            % {"question": label},
            field="answers",
        )
    return value
