"""The pages' forms. They shape what a browser posts (types, presence, one edition per group)
into the keyword arguments of one service; every rule stays in the services.

A service refuses with a ``DomainError`` naming a field; :meth:`ServiceForm.show_error` puts
its message next to that field (or its section), and :meth:`ServiceForm.mark_invalid` wires
``aria-invalid``/``aria-describedby`` and focuses the first field at fault.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.languages import language_choices
from pages.countries import country_choices
from pages.schedule import ChoiceGroup
from registrations import cleaning
from registrations.enums import QuestionKind

YES, NO = "yes", "no"
NONE = ""


def zone_input() -> forms.TextInput:
    """A zone name typed with suggestions from the page's ``zone-options`` list."""
    return forms.TextInput(
        attrs={"list": "zone-options", "dir": "ltr", "autocomplete": "off", "spellcheck": "false"}
    )


class ServiceForm(forms.Form):
    """A form whose service errors land in place. ``sections`` maps a service's field name
    that no single form field carries (``sessions``, ``answers``) to the fields it covers."""

    sections: dict[str, list[str]]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.sections = {}
        self.section_errors: dict[str, str] = {}

    def show_error(self, error: DomainError) -> None:
        field = error.field
        message = str(error.message)
        if field in self.sections:
            self.section_errors[field] = message
        elif field in self.fields:
            self.add_error(field, message)
        else:
            self.add_error(None, message)
        self.mark_invalid()

    def mark_invalid(self) -> None:
        """Describe each field at fault by its error and focus the first one (works without
        script: ``autofocus``)."""
        faulty: list[tuple[str, str]] = []
        for name in self.fields:
            if name in self.errors:
                faulty.append((name, f"{self[name].auto_id}_error"))
            for section, members in self.sections.items():
                if name in members and section in self.section_errors:
                    faulty.append((name, f"{section}-error"))
        for index, (name, error_id) in enumerate(faulty):
            attrs = self.fields[name].widget.attrs
            described = [error_id]
            if self.fields[name].help_text:
                described.append(f"{self[name].auto_id}_helptext")
            attrs["aria-describedby"] = " ".join(described)
            attrs["aria-invalid"] = "true"
            if index == 0:
                attrs["autofocus"] = True

    @property
    def error_count(self) -> int:
        return len(self.errors) + len(self.section_errors)


def _session_field(group: ChoiceGroup) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=group.title,
        required=False,
        choices=[(str(view.session.id), view.session.title) for view in group.options]
        + [(NONE, _("None of these"))],
        widget=forms.RadioSelect,
        initial=NONE,
    )


def _question_field(question) -> forms.Field:
    required = bool(question.required)
    if question.kind == QuestionKind.CHOICE:
        choices = [(choice, choice) for choice in question.choices]
        if not required:
            choices.append((NONE, _("No answer")))
        return forms.ChoiceField(
            label=question.text, required=required, choices=choices, widget=forms.RadioSelect
        )
    if question.kind == QuestionKind.YES_NO:
        choices = [(YES, _("Yes")), (NO, _("No"))]
        if not required:
            choices.append((NONE, _("No answer")))
        return forms.ChoiceField(
            label=question.text, required=required, choices=choices, widget=forms.RadioSelect
        )
    return forms.CharField(
        label=question.text,
        required=required,
        max_length=cleaning.ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def session_field_name(group: ChoiceGroup) -> str:
    return f"session-{group.root_id}"


def answer_field_name(question) -> str:
    return f"answer-{question.key}"


class SessionChoiceMixin:
    """One radio group per session: only one edition can be picked."""

    def add_session_groups(self, groups: Iterable[ChoiceGroup]) -> None:
        self.groups = list(groups)
        for group in self.groups:
            self.fields[session_field_name(group)] = _session_field(group)
        self.sections["sessions"] = [session_field_name(group) for group in self.groups]

    def chosen_sessions(self) -> list[int]:
        return [
            int(value)
            for group in self.groups
            if (value := self.cleaned_data.get(session_field_name(group)))
        ]

    def bound_groups(self) -> list[dict[str, Any]]:
        """Per group: the group, its bound field and its radios paired with their sessions'
        views (the last radio, "none of these", with None)."""
        bound = []
        for group in self.groups:
            field = self[session_field_name(group)]
            views = [*group.options, None]
            bound.append(
                {"group": group, "field": field, "choices": list(zip(field, views, strict=True))}
            )
        return bound


class RegistrationForm(SessionChoiceMixin, ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=cleaning.NAME_MAX_LENGTH)
    email = forms.CharField(
        label=_("Email"),
        max_length=cleaning.EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}),
        help_text=_("Your confirmation and your personal links go to this address."),
    )
    organisation = forms.CharField(
        label=_("Organisation"), max_length=cleaning.NAME_MAX_LENGTH, required=False
    )
    country = forms.ChoiceField(
        label=_("Country"),
        required=False,
        help_text=_("It suggests your time zone and your region."),
    )
    timezone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        required=False,
        widget=zone_input(),
        help_text=_("A place such as Asia/Tokyo; leave it empty to use your country's."),
    )
    language = forms.ChoiceField(label=_("Language for emails"))
    digest = forms.BooleanField(
        label=_("Send me the weekly digest of sessions for my region"), required=False
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that Meridian keeps these details to run this event and sends me the "
            "emails about it. I can download or erase them at any time."
        ),
        error_messages={"required": _("Please agree so that we can register you.")},
    )

    def __init__(self, *args: Any, groups: Iterable[ChoiceGroup], questions, language: str, **kw):
        super().__init__(*args, **kw)
        self.fields["country"].choices = [(NONE, _("Choose a country")), *country_choices(language)]
        self.fields["language"].choices = language_choices()
        digest, consent = self.fields.pop("digest"), self.fields.pop("consent")
        self.add_session_groups(groups)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[answer_field_name(question)] = _question_field(question)
        self.sections["answers"] = [answer_field_name(q) for q in self.questions]
        self.fields["digest"], self.fields["consent"] = digest, consent
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["organisation"].widget.attrs["autocomplete"] = "organization"

    def bound_questions(self) -> list[forms.BoundField]:
        return [self[answer_field_name(question)] for question in self.questions]

    def answers(self) -> dict[str, Any]:
        answers: dict[str, Any] = {}
        for question in self.questions:
            value = self.cleaned_data.get(answer_field_name(question))
            if value in (None, NONE):
                continue
            if question.kind == QuestionKind.YES_NO:
                value = value == YES
            answers[question.key] = value
        return answers

    def service_arguments(self) -> dict[str, Any]:
        """The keyword arguments of ``registrations.services.register_participant``."""
        data = self.cleaned_data
        return {
            "email": data["email"],
            "name": data["name"],
            "organisation": data["organisation"],
            "country": data["country"],
            "timezone": data["timezone"],
            "language": data["language"],
            "sessions": self.chosen_sessions(),
            "answers": self.answers(),
            "digest": data["digest"],
        }


class AddSessionsForm(SessionChoiceMixin, ServiceForm):
    """Sessions a registered participant adds from their manage page (or registers again
    with). ``preselected``: some were chosen by the link of a registration request email."""

    preselected = False

    def __init__(self, *args: Any, groups: Iterable[ChoiceGroup], **kw):
        super().__init__(*args, **kw)
        self.add_session_groups(groups)


class PreferencesForm(ServiceForm):
    timezone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        required=False,
        widget=zone_input(),
        help_text=_("Times in your emails and on this page are shown in this zone."),
    )
    language = forms.ChoiceField(label=_("Language for emails"))
    reminders = forms.BooleanField(label=_("Send me reminders before my sessions"), required=False)
    digest = forms.BooleanField(
        label=_("Send me the weekly digest of sessions for my region"), required=False
    )

    def __init__(self, *args: Any, **kw):
        super().__init__(*args, **kw)
        self.fields["language"].choices = language_choices()

    def service_arguments(self) -> dict[str, Any]:
        """The keyword arguments of ``update_participant_preferences`` (besides the person)."""
        return dict(self.cleaned_data)


class SubscribeForm(ServiceForm):
    email = forms.CharField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}),
    )
    language = forms.ChoiceField(label=_("Language of the digest"))
    timezone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        required=False,
        widget=zone_input(),
        help_text=_("The digest arrives on Monday morning in this zone."),
    )

    def __init__(self, *args: Any, **kw):
        super().__init__(*args, **kw)
        self.fields["language"].choices = language_choices()

    def service_arguments(self) -> dict[str, Any]:
        """The keyword arguments of ``notifications.digests.services.subscribe`` (besides the
        region)."""
        data = self.cleaned_data
        return {
            "email": data["email"],
            "language": data["language"],
            "timezone_name": data["timezone"] or None,
        }
