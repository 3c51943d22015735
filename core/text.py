"""Cleaning of every value before it reaches a calendar (icalendar) or a calendar link.

icalendar escapes TEXT values (``\\n``, ``\\,``, ``\\;``) and folds lines at 75 octets
without splitting a UTF-8 character; it refuses CR/LF in a URI. What it lets through are
other control characters, which RFC 5545 forbids in TEXT, and line breaks in parameters and
URIs. These functions remove them so that no input can end a line and start a property.
"""

from __future__ import annotations

import re

# C0 controls other than TAB and LF, DEL, C1 controls, the Unicode line/paragraph
# separators that some readers treat as line ends, and the byte-order mark (icalendar 7
# drops it when writing, so a value holding one would not read back as it was sent).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
_LINE_BREAKS = re.compile("\r\n|\r|\u2028|\u2029")
_ANY_SPACE_RUN = re.compile(r"\s+")


def clean_text(value: str | None) -> str:
    """A TEXT value: line breaks kept as LF (icalendar writes them as ``\\n``), every other
    control character removed."""
    if not value:
        return ""
    return _CONTROL.sub("", _LINE_BREAKS.sub("\n", str(value)))


def clean_line(value: str | None) -> str:
    """A one-line value (a title, a name): every run of whitespace, line breaks included,
    becomes one space; control characters are removed."""
    if not value:
        return ""
    return _ANY_SPACE_RUN.sub(" ", _CONTROL.sub(" ", str(value))).strip()


def clean_parameter(value: str | None) -> str:
    """A parameter value (``CN=``): one line, without the double quote that would end it."""
    return clean_line(value).replace('"', "'")


def clean_uri(value: str | None) -> str:
    """A URI: empty unless it is an http(s) or mailto URI without spaces or controls."""
    if not value:
        return ""
    value = str(value).strip()
    if _CONTROL.search(value) or any(character.isspace() for character in value):
        return ""
    if not value.lower().startswith(("https://", "http://", "mailto:")):
        return ""
    return value
