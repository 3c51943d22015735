"""scripts/update_messages.py: the list of entries left to translate after an update."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytestmark = pytest.mark.pure

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "update_messages.py"
_spec = importlib.util.spec_from_file_location("update_messages", SCRIPT)
update_messages = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(update_messages)


def test_untranslated_lists_empty_fuzzy_and_partial_entries(tmp_path):
    po_path = tmp_path / "django.po"
    po_path.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
        'msgid "Europe"\nmsgstr "Europe"\n\n'
        'msgid "Africa"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Asia"\nmsgstr "Asie et Océanie"\n\n'
        'msgid "%(count)d event"\nmsgid_plural "%(count)d events"\n'
        'msgstr[0] "%(count)d événement"\nmsgstr[1] ""\n',
        "utf-8",
    )
    assert update_messages.untranslated(po_path) == [
        "empty: Africa",
        "fuzzy: Asia",
        "empty: %(count)d event",
    ]


def test_has_javascript_gettext_ignores_dependencies(tmp_path, monkeypatch):
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "lib.js").write_text("gettext('x');", "utf-8")
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "app.js").write_text("const label = 'x';", "utf-8")
    monkeypatch.setattr(update_messages, "BASE_DIR", tmp_path)
    without = update_messages.has_javascript_gettext()
    (tmp_path / "static" / "app.js").write_text("const label = gettext('Europe');", "utf-8")
    assert (without, update_messages.has_javascript_gettext()) == (False, True)
