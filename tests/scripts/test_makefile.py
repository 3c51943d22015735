"""``make run PORT=…``: every link the demo prints, emails and serves follows the port."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("make") is None, reason="needs GNU make")
def test_make_run_on_another_port_points_site_url_at_it():
    dry = subprocess.run(
        ["make", "-n", "run", "PORT=8765"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    given = subprocess.run(
        ["make", "-n", "run", "PORT=8765", "SITE_URL=https://meridian.example"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "SITE_URL=http://127.0.0.1:8765 .venv/bin/python manage.py load_demo" in dry
    assert "SITE_URL=http://127.0.0.1:8765 .venv/bin/python manage.py serve_embedded" in dry
    assert "SITE_URL=https://meridian.example .venv/bin/python manage.py load_demo" in given
