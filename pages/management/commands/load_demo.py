"""``load_demo``: load the demo section, events and sessions (idempotent) and print access."""

from django.conf import settings
from django.core.management.base import BaseCommand

from pages.demo.events import load_demo
from pages.demo.registrations import load_demo_registrations


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print the organiser's login and API token."

    def handle(self, *args, **options):
        result = load_demo()
        participants = load_demo_registrations()
        site = settings.SITE_URL
        self.stdout.write(
            f"Demo loaded: {len(result.events)} events, {result.sessions_created} new sessions."
        )
        self.stdout.write(f"Demo registrations: {participants} participants.")
        for slug in result.events:
            self.stdout.write(f"  {site}/api/events/{slug}/sessions/?tz=Asia/Tokyo")
        self.stdout.write(
            f"Admin: {site}/admin/  user {result.username} password {result.password}"
        )
        self.stdout.write(f"Emails are written to {settings.EMAIL_FILE_PATH}/ (one .eml each)")
        self.stdout.write("Organiser's API token (send it as 'Authorization: Token …'):")
        self.stdout.write(result.token)
