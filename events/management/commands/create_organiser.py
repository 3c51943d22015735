"""``create_organiser USERNAME --section SLUG``: an organiser with an API token.

Creates the user (staff, in the Organisers group) and the section if either is missing,
adds the user to the section, and prints the token alone on the last line.
"""

from django.core.management.base import BaseCommand, CommandError

from events.organisers import OrganiserError, create_organiser


class Command(BaseCommand):
    help = "Create an organiser of a section (and the section if needed); print their API token."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--section", required=True, help="Section slug")
        parser.add_argument("--section-name", default=None)
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password", default=None, help="Admin password (none: token access only)"
        )

    def handle(self, *args, username, section, section_name, email, password, **options):
        try:
            user, section_obj, token = create_organiser(
                username=username,
                section_slug=section,
                section_name=section_name,
                email=email,
                password=password,
            )
        except OrganiserError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"Organiser {user.username} of section {section_obj.slug}.")
        self.stdout.write("API token (send it as 'Authorization: Token …'):")
        self.stdout.write(token)
