"""Organisers see registrations and edit their events' questions in the admin."""

from events.organisers import extend_organiser_permissions

ORGANISER_CODENAMES = [
    "view_participant",
    "view_registration",
    "view_sessionregistration",
    "add_question",
    "change_question",
    "delete_question",
    "view_question",
]


def grant_organiser_permissions(sender=None, **kwargs) -> None:
    """post_migrate handler: add this app's permissions to the Organisers group."""
    extend_organiser_permissions(ORGANISER_CODENAMES)
