"""Compiles every ``locale/*/LC_MESSAGES/*.po`` catalogue to its ``.mo`` beside it.

Uses Babel's pure-Python reader and writer, so a fresh machine needs no GNU gettext. Fuzzy
entries, and plural entries missing a form, are left out of the ``.mo`` (Django shows the
English text for them). A ``.mo`` is rewritten only when its ``.po`` is newer, so running this
on every ``make setup`` is cheap.

Exit status: 0 when every catalogue compiled; 1, naming each broken file and the reason, when a
catalogue cannot be read (syntax error, bad Plural-Forms, unknown locale). A broken catalogue's
old ``.mo`` is left as it was; its ``.po`` stays the newer file, so every following run reports
it again until it is fixed.

    python scripts/compile_messages.py            # the project's locale/ directory
    python scripts/compile_messages.py --force    # rewrite every .mo
    python scripts/compile_messages.py DIR ...    # other locale directories
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from gettext import c2py
from pathlib import Path

from babel.core import UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po

BASE_DIR = Path(__file__).resolve().parent.parent


class CatalogueError(Exception):
    """A .po file that cannot be compiled; the message names the file and the reason."""


# A .po line is a comment, or an optional keyword followed by exactly one C string. Babel reads
# an unterminated string by cutting its last character, so the syntax is checked here first.
PO_LINE = re.compile(r'(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"(?:[^"\\]|\\.)*"')


def check_syntax(po_path: Path, text: str) -> None:
    """Raises CatalogueError at the first line that is not a comment, keyword or whole string."""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("#~"):
            stripped = stripped[2:].strip()
        elif stripped.startswith("#"):
            continue
        if stripped and not PO_LINE.fullmatch(stripped):
            raise CatalogueError(f"{po_path}:{number}: not a keyword and a quoted string: {line!r}")


def read_catalogue(po_path: Path) -> Catalog:
    """Parses ``po_path`` strictly; raises CatalogueError naming the file and the reason.

    Besides the syntax, checks that the Plural-Forms header is an expression gettext can evaluate
    (Django would fail on every request in that language otherwise).
    """
    locale = po_path.parent.parent.name
    try:
        text = po_path.read_bytes().decode("utf-8")
        check_syntax(po_path, text)
        catalogue = read_po(io.StringIO(text), locale=locale, abort_invalid=True)
    except (PoFileError, UnknownLocaleError, ValueError, UnicodeDecodeError, OSError) as error:
        raise CatalogueError(f"{po_path}: {error}") from error
    try:
        c2py(catalogue.plural_expr)
    except (ValueError, SyntaxError) as error:
        raise CatalogueError(f"{po_path}: bad Plural-Forms {catalogue.plural_forms!r}") from error
    return catalogue


def compiled_bytes(po_path: Path) -> bytes:
    """The .mo content for ``po_path``. Raises CatalogueError.

    Fuzzy entries and plural entries with an empty form are left out, so gettext falls back to
    the English text instead of showing a guess or an empty string.
    """
    catalogue = read_catalogue(po_path)
    for message in list(catalogue):
        if message.id and message.pluralizable and not all(message.string):
            catalogue.delete(message.id, message.context)
    buffer = io.BytesIO()
    write_mo(buffer, catalogue, use_fuzzy=False)
    return buffer.getvalue()


def compile_catalogue(po_path: Path) -> Path:
    """Writes ``po_path``'s .mo beside it and returns its path.

    Raises CatalogueError when the .po cannot be parsed; no .mo is written then.
    """
    mo_path = po_path.with_suffix(".mo")
    mo_path.write_bytes(compiled_bytes(po_path))
    return mo_path


def catalogues(locale_dirs: list[Path]) -> list[Path]:
    return sorted(
        path for directory in locale_dirs for path in directory.glob("*/LC_MESSAGES/*.po")
    )


def is_stale(po_path: Path) -> bool:
    """Whether the .mo differs from what the .po compiles to now (by content, not time: a
    fresh clone gives every file the same time, and a new Babel writes its own header)."""
    mo_path = po_path.with_suffix(".mo")
    return not mo_path.exists() or mo_path.read_bytes() != compiled_bytes(po_path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("locale_dirs", nargs="*", type=Path, default=[BASE_DIR / "locale"])
    parser.add_argument("--force", action="store_true", help="rewrite every .mo")
    parser.add_argument("--quiet", action="store_true", help="print only errors")
    options = parser.parse_args(argv)

    errors: list[str] = []
    compiled = 0
    for po_path in catalogues(options.locale_dirs):
        if not options.force and not is_stale(po_path):
            continue
        try:
            compile_catalogue(po_path)
        except CatalogueError as error:
            errors.append(str(error))
            continue
        compiled += 1
    for error in errors:
        print(f"compile_messages: broken catalogue {error}", file=sys.stderr)
    if errors:
        print(f"compile_messages: {len(errors)} catalogue(s) not compiled", file=sys.stderr)
        return 1
    if not options.quiet:
        print(f"compile_messages: {compiled} catalogue(s) compiled")
    return 0


if __name__ == "__main__":
    sys.exit(main())
