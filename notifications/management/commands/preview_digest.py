"""``preview_digest``: what a region's next digest will say, in any language and zone, sent to
no one (for organisers; the console will show the same)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone as django_timezone

from core import time_rules
from core.languages import LANGUAGE_CODES
from notifications.digests import selectors
from notifications.digests.renderers import render_digest


class Command(BaseCommand):
    help = "Print a region's digest for the coming week (subject and text; --html for HTML)."

    def add_arguments(self, parser):
        parser.add_argument("region", help="Region code, e.g. asia-oceania")
        parser.add_argument("--language", default="en", choices=LANGUAGE_CODES)
        parser.add_argument("--timezone", default=None, help="Default: the region's first zone")
        parser.add_argument("--html", action="store_true", help="Print the HTML part too")

    def handle(self, *args, region, language, timezone: str | None, html, **options):
        found = selectors.region_by_code(region)
        if found is None:
            raise CommandError(f"Unknown region: {region}")
        try:
            zone = time_rules.current_zone_name(timezone or found.zones[0])
        except time_rules.TimeRuleError as error:
            raise CommandError(str(error.message)) from None
        rendered = render_digest(
            found,
            language=language,
            zone=zone,
            start=django_timezone.now(),
            cache={},
            unsubscribe="(unsubscribe link)",
        )
        if rendered is None:
            self.stdout.write(f"No session for {found.code} in the coming week: no digest.")
            return
        self.stdout.write(f"Subject: {rendered.subject}\n")
        self.stdout.write(rendered.text)
        if html:
            self.stdout.write(rendered.html)
