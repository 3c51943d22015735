"""Pure CSV building for organisers' exports: opens cleanly in Excel and LibreOffice.

UTF-8 with a byte-order mark (Excel otherwise guesses a legacy code page), CRLF line ends,
and every cell that a spreadsheet would read as a formula neutralised with a leading
apostrophe (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: Any) -> str:
    """The cell as text; one that starts like a formula gets a leading apostrophe."""
    if value is None:
        return ""
    text = ("yes" if value else "no") if isinstance(value, bool) else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def build_csv(header: list[str], rows: Iterable[list[Any]]) -> str:
    """The whole document (BOM included) for a header row and data rows."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise_cell(cell) for cell in row])
    return buffer.getvalue()
