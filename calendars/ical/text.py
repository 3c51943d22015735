"""The TEXT value type of the iCalendar builder (cleaning is :mod:`core.text`)."""

import icalendar


class Text(icalendar.vText):
    """A TEXT value escaped exactly as RFC 5545 §3.3.11 says.

    icalendar's own escaping first turns a literal ``\\N`` into a line break (it takes it for
    an escaped newline), so a title that contains ``\\N`` would change; this escapes the
    backslash first and nothing else before it.
    """

    def to_ical(self) -> bytes:
        escaped = (
            str(self)
            .replace("\\", "\\\\")
            .replace(";", "\\;")
            .replace(",", "\\,")
            .replace("\r\n", "\\n")
            .replace("\n", "\\n")
            .replace("\r", "\\n")
        )
        return escaped.encode(self.encoding)
