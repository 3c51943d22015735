"""The Celery application. Wired here, configured from Django settings (``CELERY_*``).

Celery is the production path for background work; the embedded default (no broker
configured) runs the same task functions in-process instead, so nothing requires a broker.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("meridian")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
