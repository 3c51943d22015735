"""Extracts every translatable string into the six catalogues, then says what needs translating.

Runs ``manage.py makemessages`` for fr, es, de, ru, ar and zh_Hans (domain ``django``; and
``djangojs`` when some JavaScript file calls ``gettext``), keeping only the entries the code
still uses (``--no-obsolete``). Source locations are written per file, not per line, so a
catalogue changes only when strings change. Needs GNU gettext (``xgettext``, ``msgmerge``);
compiling the catalogues (``scripts/compile_messages.py``) does not.

Afterwards it lists, per catalogue, the entries that are new (empty) or fuzzy (guessed by
msgmerge from a similar string): translate them, remove the ``#, fuzzy`` flags, then run
``python scripts/compile_messages.py`` and ``pytest tests/test_translations.py``.

Exit status: 0 when every entry is translated; 1 when some still need work; 2 when
makemessages failed.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

BASE_DIR = Path(__file__).resolve().parent.parent
LANGUAGES = ("fr", "es", "de", "ru", "ar", "zh_Hans")
IGNORED = (".venv", "venv", "tests", "bench", "scripts", "node_modules", "staticfiles", "var")
JS_GETTEXT = re.compile(r"\b(?:n|p|np)?gettext\s*\(")


def makemessages(*extra: str) -> None:
    command = [sys.executable, "manage.py", "makemessages", "--no-obsolete", "--add-location=file"]
    command += [option for language in LANGUAGES for option in ("-l", language)]
    command += [option for pattern in IGNORED for option in ("--ignore", pattern)]
    subprocess.run(command + list(extra), cwd=BASE_DIR, check=True)


def has_javascript_gettext() -> bool:
    for path in BASE_DIR.rglob("*.js"):
        relative = path.relative_to(BASE_DIR)
        if relative.parts[0] in IGNORED:
            continue
        if JS_GETTEXT.search(path.read_text(encoding="utf-8", errors="replace")):
            return True
    return False


def untranslated(po_path: Path) -> list[str]:
    """The msgids of ``po_path`` that are fuzzy or have an empty msgstr (in any plural form)."""
    with po_path.open("rb") as po_file:
        catalogue = read_po(po_file)
    pending = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            msgid = message.id[0] if isinstance(message.id, tuple) else message.id
            pending.append(("fuzzy: " if message.fuzzy else "empty: ") + msgid)
    return pending


def main() -> int:
    try:
        makemessages("-d", "django")
        if has_javascript_gettext():
            makemessages("-d", "djangojs")
    except subprocess.CalledProcessError as error:
        print(f"update_messages: makemessages failed ({error})", file=sys.stderr)
        return 2
    pending_total = 0
    for po_path in sorted((BASE_DIR / "locale").glob("*/LC_MESSAGES/*.po")):
        pending = untranslated(po_path)
        pending_total += len(pending)
        if pending:
            print(f"{po_path.relative_to(BASE_DIR)}: {len(pending)} to translate")
            for line in pending:
                print(f"    {line}")
    if pending_total:
        print(f"update_messages: {pending_total} entries need translating")
        return 1
    print("update_messages: every entry is translated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
