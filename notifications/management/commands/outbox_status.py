"""``outbox_status``: rows per state and kind, and the oldest due row."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from notifications.digests import selectors


class Command(BaseCommand):
    help = "Show the outbox: counts per state and kind, and the oldest due row."

    def handle(self, *args, **options):
        now = timezone.now()
        counts = selectors.outbox_counts()
        if not counts:
            self.stdout.write("The outbox is empty.")
            return
        self.stdout.write(f"{'state':<10} {'kind':<24} {'count':>8}")
        for row in counts:
            self.stdout.write(f"{row['state']:<10} {row['kind']:<24} {row['count']:>8}")
        oldest = selectors.oldest_due(now)
        if oldest is None:
            self.stdout.write("Nothing is due.")
        else:
            late = int((now - oldest.due_at).total_seconds())
            self.stdout.write(
                f"Oldest due: #{oldest.pk} {oldest.kind} due {oldest.due_at.isoformat()} "
                f"({late} s ago, {oldest.attempts} attempts)"
            )
