"""The shipped catalogues translate every string: ``makemessages`` run on a copy of the project
must leave no empty or fuzzy msgstr in any of the six non-English languages."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

LOCALES = ["fr", "es", "de", "ru", "ar", "zh_Hans"]
NOT_COPIED = shutil.ignore_patterns(
    ".*",
    "__pycache__",
    "node_modules",
    "staticfiles",
    "screenshots",
    "var",
    "bench",
    "*.sqlite3",
    "*.egg-info",
    "*.png",
)

pytestmark = pytest.mark.pure


def _ignored_folders() -> tuple[str, ...]:
    """The folders ``scripts/update_messages.py`` leaves out (test code is not shipped)."""
    path = Path(settings.BASE_DIR) / "scripts" / "update_messages.py"
    spec = importlib.util.spec_from_file_location("update_messages", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.IGNORED


def untranslated(po_path: Path) -> list[str]:
    """The msgids of a catalogue that have no translation or only a fuzzy one."""
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def test_makemessages_leaves_no_untranslated_string(tmp_path):
    project = Path(settings.BASE_DIR)
    copy = tmp_path / "project"
    shutil.copytree(project, copy, ignore=NOT_COPIED)
    run = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--no-obsolete",
            "--no-location",
            *(f"--locale={locale}" for locale in LOCALES),
            *(option for folder in _ignored_folders() for option in ("--ignore", folder)),
        ],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    missing = {
        locale: untranslated(copy / "locale" / locale / "LC_MESSAGES" / "django.po")
        for locale in LOCALES
    }
    summary = {locale: (len(ids), ids[:5]) for locale, ids in missing.items() if ids}
    assert summary == {}
