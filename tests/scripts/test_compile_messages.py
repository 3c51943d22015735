"""scripts/compile_messages.py: Babel-only compilation, fuzzy entries left out, clear failures."""

from __future__ import annotations

import gettext
import importlib.util
import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.pure

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "compile_messages.py"
_spec = importlib.util.spec_from_file_location("compile_messages", SCRIPT)
compile_messages = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(compile_messages)

HEADER = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: {locale}\\n"
"Plural-Forms: {plural_forms}\\n"

"""
FRENCH = "nplurals=2; plural=(n > 1);"


def write_po(root: Path, body: str, locale: str = "fr", plural_forms: str = FRENCH) -> Path:
    directory = root / locale / "LC_MESSAGES"
    directory.mkdir(parents=True)
    po_path = directory / "django.po"
    po_path.write_text(HEADER.format(locale=locale, plural_forms=plural_forms) + body, "utf-8")
    return po_path


def load_mo(po_path: Path) -> gettext.GNUTranslations:
    with po_path.with_suffix(".mo").open("rb") as mo_file:
        return gettext.GNUTranslations(mo_file)


def test_compile_messages_writes_mo_without_fuzzy_or_partial_entries(tmp_path, capsys):
    po_path = write_po(
        tmp_path,
        'msgid "Asia"\nmsgstr "Asie"\n\n'
        '#, fuzzy\nmsgid "Africa"\nmsgstr "Amérique"\n\n'
        'msgid "%(count)d event"\nmsgid_plural "%(count)d events"\n'
        'msgstr[0] "%(count)d événement"\nmsgstr[1] "%(count)d événements"\n\n'
        'msgid "%(count)d session"\nmsgid_plural "%(count)d sessions"\n'
        'msgstr[0] "%(count)d séance"\n',
    )
    assert compile_messages.main([str(tmp_path)]) == 0
    translations = load_mo(po_path)
    assert [
        translations.gettext("Asia"),
        translations.gettext("Africa"),
        translations.ngettext("%(count)d event", "%(count)d events", 1),
        translations.ngettext("%(count)d event", "%(count)d events", 2),
        translations.ngettext("%(count)d session", "%(count)d sessions", 2),
    ] == ["Asie", "Africa", "%(count)d événement", "%(count)d événements", "%(count)d sessions"]
    assert capsys.readouterr().out == "compile_messages: 1 catalogue(s) compiled\n"


def test_compile_messages_skips_fresh_mo_unless_forced(tmp_path, capsys):
    po_path = write_po(tmp_path, 'msgid "Europe"\nmsgstr "Europe"\n')
    assert compile_messages.main([str(tmp_path)]) == 0
    os.utime(po_path, (1_700_000_000, 1_700_000_000))
    os.utime(po_path.with_suffix(".mo"), (1_700_000_100, 1_700_000_100))
    assert compile_messages.main([str(tmp_path)]) == 0
    assert compile_messages.main([str(tmp_path), "--force"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "compile_messages: 1 catalogue(s) compiled",
        "compile_messages: 0 catalogue(s) compiled",
        "compile_messages: 1 catalogue(s) compiled",
    ]


@pytest.mark.parametrize(
    ("body", "plural_forms", "reason"),
    [
        ('msgid "Europe"\nmsgstr "Europe\n', FRENCH, "fr/LC_MESSAGES/django.po:8: not a keyword"),
        ('msgid "Europe"\nmsgstr Europe"\n', FRENCH, "fr/LC_MESSAGES/django.po:8: not a keyword"),
        ('msgid "Europe"\n', FRENCH, "missing msgstr for msgid 'Europe'"),
        ('msgid "Europe"\nmsgstr "Europe"\n', "nplurals=2; plural=(n >;", "bad Plural-Forms"),
        ('msgid "Europe"\nmsgstr "Europe"\n', "nplurals=2; plural=n.real;", "bad Plural-Forms"),
    ],
)
def test_compile_messages_refuses_broken_catalogue(tmp_path, capsys, body, plural_forms, reason):
    po_path = write_po(tmp_path, body, plural_forms=plural_forms)
    assert compile_messages.main([str(tmp_path)]) == 1
    errors = capsys.readouterr().err.splitlines()
    assert (len(errors), reason in errors[0], errors[1]) == (
        2,
        True,
        "compile_messages: 1 catalogue(s) not compiled",
    )
    assert errors[0].startswith(f"compile_messages: broken catalogue {po_path}")
    assert po_path.with_suffix(".mo").exists() is False
