"""Organiser accounts: a staff user in the Organisers group, member of a section, with a token."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from core.errors import DomainError
from events.models import Section

ORGANISERS_GROUP = "Organisers"
ORGANISER_PERMISSIONS = (
    ("events", "event", ("add", "change", "delete", "view")),
    ("events", "session", ("add", "change", "delete", "view")),
    ("events", "section", ("change", "view")),
    ("events", "region", ("view",)),
)


class OrganiserError(DomainError):
    pass


def organisers_group() -> Group:
    """The group whose model permissions let organisers use the admin (rows are scoped there)."""
    group, _created = Group.objects.get_or_create(name=ORGANISERS_GROUP)
    wanted = []
    for app_label, model, actions in ORGANISER_PERMISSIONS:
        wanted += [f"{action}_{model}" for action in actions]
        del app_label
    permissions = Permission.objects.filter(codename__in=wanted)
    group.permissions.add(*permissions)
    return group


def extend_organiser_permissions(codenames: list[str]) -> None:
    """Other apps call this to grant organisers their models' permissions."""
    organisers_group().permissions.add(*Permission.objects.filter(codename__in=codenames))


@transaction.atomic
def create_organiser(
    *,
    username: str,
    section_slug: str,
    section_name: str | None = None,
    email: str = "",
    password: str | None = None,
) -> tuple[object, Section, str]:
    """Create (or reuse) an organiser of a section; return the user, section and token key."""
    username = (username or "").strip()
    if not username or len(username) > 150:
        raise OrganiserError(_("Give a username of at most 150 characters."), field="username")
    if slugify(section_slug) != section_slug or not section_slug:
        raise OrganiserError(
            _("A section slug uses lowercase letters, digits and hyphens only."), field="section"
        )
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults={"email": email})
    user.is_staff = True
    if password:
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    user.save()
    user.groups.add(organisers_group())
    section, _created = Section.objects.get_or_create(
        slug=section_slug,
        defaults={"name": section_name or section_slug.replace("-", " ").title()},
    )
    section.organisers.add(user)
    token, _created = Token.objects.get_or_create(user=user)
    return user, section, token.key
