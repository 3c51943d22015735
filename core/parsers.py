"""Request parsers for the API: DRF's, with hostile bodies answered as bad requests."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with two bodies refused as bad requests: one nested deeper than
    Python's decoder goes (``[[[[…]]]]``: a few kilobytes are enough; it would raise
    RecursionError, a 500), and ``null`` (no endpoint takes it; DRF's serializers would
    answer it with an untranslated message)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("The JSON is nested too deeply.")) from None
        if data is None:
            raise ParseError(_("Send a JSON object, not null."))
        return data
