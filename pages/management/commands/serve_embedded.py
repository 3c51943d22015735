"""``serve_embedded``: the embedded default's server, for ``make run``.

Runs Django's development server (static files through WhiteNoise) and, beside it, the
in-process loop that does what Celery beat and workers do in production: each tick calls
the functions named in ``settings.EMBEDDED_TICKS``.
"""

import logging
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


def run_ticks(stop: threading.Event, interval: float) -> None:
    ticks = [import_string(path) for path in settings.EMBEDDED_TICKS]
    while not stop.wait(interval):
        for tick in ticks:
            try:
                tick()
            except Exception:  # the loop must outlive one failing tick; the error is logged
                logger.exception("embedded tick %s failed", tick.__name__)
            finally:
                close_old_connections()


class Command(BaseCommand):
    help = "Serve Meridian with the in-process dispatcher loop (the embedded default)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")
        parser.add_argument("--interval", type=float, default=settings.EMBEDDED_TICK_SECONDS)

    def handle(self, *args, host, port, interval, **options):
        stop = threading.Event()
        if settings.EMBEDDED_TICKS:
            threading.Thread(target=run_ticks, args=(stop, interval), daemon=True).start()
            self.stdout.write(f"In-process dispatcher: every {interval:g} s.")
        try:
            call_command("runserver", f"{host}:{port}", use_reloader=False)
        finally:
            stop.set()
