"""The seven-language catalogues: complete, compilable, faithful to every placeholder.

A failure names the catalogue and the entries to fix. After changing strings in the code, run
``python scripts/update_messages.py``, translate what it lists, then ``make setup``.
"""

from __future__ import annotations

import gettext
import importlib.util
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

pytestmark = pytest.mark.pure

BASE_DIR = Path(__file__).resolve().parent.parent
LOCALE_DIR = BASE_DIR / "locale"

_spec = importlib.util.spec_from_file_location(
    "compile_messages", BASE_DIR / "scripts" / "compile_messages.py"
)
compile_messages = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(compile_messages)

TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
LOCALES = [translation.to_locale(code) for code in TRANSLATED]

# The gettext manual's rules (integers only: Russian needs no fourth form for fractions).
PLURAL_FORMS = {
    "fr": "nplurals=2; plural=(n > 1);",
    "es": "nplurals=2; plural=(n != 1);",
    "de": "nplurals=2; plural=(n != 1);",
    "ru": (
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
        "(n%100<10 || n%100>=20) ? 1 : 2);"
    ),
    "ar": (
        "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
        "n%100>=11 ? 4 : 5);"
    ),
    "zh_Hans": "nplurals=1; plural=0;",
}

NAMED = re.compile(r"%\([^)]+\)[#0+-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|\{[A-Za-z_]\w*[^{}]*\}")
POSITIONAL = re.compile(r"%[#0+-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]|\{\d*\}")
HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")


def placeholders(text: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """Named placeholders and HTML tags as a set; positional ones (order and count matter)."""
    named = frozenset(NAMED.findall(text)) | frozenset(HTML_TAG.findall(text))
    positional = tuple(POSITIONAL.findall(NAMED.sub("", text)))
    return named, positional


def catalogue(locale: str):
    return compile_messages.read_catalogue(LOCALE_DIR / locale / "LC_MESSAGES" / "django.po")


def entries(locale: str):
    """(msgid, msgid_plural or None, msgstr forms, fuzzy) for every entry but the header."""
    for message in catalogue(locale):
        if not message.id:
            continue
        if message.pluralizable:
            yield message.id[0], message.id[1], tuple(message.string), message.fuzzy
        else:
            yield message.id, None, (message.string,), message.fuzzy


def test_placeholders_finds_named_positional_and_tags():
    assert placeholders("<b>%(count)d</b> {name} of %s, %d%% and {}") == (
        frozenset({"%(count)d", "{name}", "<b>", "</b>"}),
        ("%s", "%d", "%%", "{}"),
    )


def test_catalogues_cover_every_language_but_english():
    found = sorted(path.parent.parent.name for path in LOCALE_DIR.glob("*/LC_MESSAGES/django.po"))
    assert found == sorted(LOCALES) == sorted(PLURAL_FORMS)


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_compiles_to_a_catalogue_gettext_loads(locale):
    po_path = LOCALE_DIR / locale / "LC_MESSAGES" / "django.po"
    translations = gettext.GNUTranslations(io.BytesIO(compile_messages.compiled_bytes(po_path)))
    assert translations.info()["language"] == locale


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_compiled_file_is_up_to_date(locale):
    po_path = LOCALE_DIR / locale / "LC_MESSAGES" / "django.po"
    mo_path = po_path.with_suffix(".mo")
    current = mo_path.read_bytes() if mo_path.exists() else b""
    assert current == compile_messages.compiled_bytes(po_path), (
        f"{mo_path} is missing or stale: run `make setup` (scripts/compile_messages.py)"
    )


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_header_names_language_and_plural_forms(locale):
    headers = dict(catalogue(locale).mime_headers)
    assert (headers["Language"], headers["Plural-Forms"]) == (locale, PLURAL_FORMS[locale])


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_has_no_fuzzy_or_empty_entry(locale):
    assert catalogue(locale).fuzzy is False
    incomplete = [
        msgid for msgid, _plural, forms, fuzzy in entries(locale) if fuzzy or not all(forms)
    ]
    assert incomplete == []


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_keeps_every_placeholder(locale):
    mismatched = []
    for msgid, msgid_plural, forms, _fuzzy in entries(locale):
        named, positional = placeholders(msgid)
        if msgid_plural is not None:
            # Every plural form may stand for several numbers, so each keeps all of them.
            named |= placeholders(msgid_plural)[0]
        for form in forms:
            if placeholders(form) != (named, positional):
                mismatched.append((msgid, form))
    assert mismatched == []


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "Amérique latine et Caraïbes"),
        ("es", "América Latina y el Caribe"),
        ("de", "Lateinamerika und Karibik"),
        ("ru", "Латинская Америка и Карибский бассейн"),
        ("ar", "أمريكا اللاتينية ومنطقة البحر الكاريبي"),
        ("zh-hans", "拉丁美洲和加勒比"),
    ],
)
def test_django_translates_region_name(language, expected):
    with translation.override(language):
        assert translation.gettext("Latin America and the Caribbean") == expected


@pytest.mark.parametrize(
    ("language", "count", "expected"),
    [
        ("fr", 1, "Publication effectuée : 1 événement."),
        ("fr", 2, "Publication effectuée : 2 événements."),
        ("ru", 21, "Опубликовано: 21 мероприятие."),
        ("ru", 3, "Опубликовано: 3 мероприятия."),
        ("ru", 11, "Опубликовано: 11 мероприятий."),
        ("ar", 2, "تم النشر: 2 فعاليتان."),
        ("ar", 5, "تم النشر: 5 فعاليات."),
        ("zh-hans", 7, "已发布 7 个活动。"),
    ],
)
def test_django_picks_plural_form(language, count, expected):
    with translation.override(language):
        message = translation.ngettext(
            "%(count)d event %(verb)s.", "%(count)d events %(verb)s.", count
        ) % {"count": count, "verb": translation.gettext("published")}
    assert message == expected
