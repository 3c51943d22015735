"""How long the event page takes to render the demo schedule (13 sessions) in a few zones and
languages, on a throwaway SQLite database. Prints the median and worst of N renders each.

Run: .venv/bin/python bench/pages_render.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROUNDS = 30

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
database = Path(tempfile.mkdtemp()) / "bench.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{database}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from pages.demo.events import load_demo  # noqa: E402

call_command("migrate", verbosity=0)
load_demo()
client = Client()
for language, zone in (("en", "Asia/Tokyo"), ("ar", "America/Los_Angeles"), ("zh-hans", "UTC")):
    url = f"/events/mlas-midterm-2026/?tz={zone}"
    client.get(url, HTTP_ACCEPT_LANGUAGE=language)  # warm caches
    timings = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    print(
        f"event page {language:7} {zone:20} median {statistics.median(timings):6.1f} ms  "
        f"max {max(timings):6.1f} ms  ({len(response.content) // 1024} KiB, {ROUNDS} renders)"
    )
