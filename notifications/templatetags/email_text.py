"""``bdi`` (HTML) and ``isolate`` (text): user content (a title, a name) isolated from the
text around it in emails, so that an English title keeps its order inside an Arabic sentence
and the reverse."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def bdi(value) -> str:
    return format_html("<bdi>{}</bdi>", value)


FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE = "\u2068", "\u2069"


@register.filter
def isolate(value, rtl=False) -> str:
    """In a right-to-left text email, user content between Unicode isolates (FSI … PDI), so
    that "2026 MLAS Midterm Meeting." keeps its order inside an Arabic sentence (plain text
    has no markup for it). Left-to-right emails are left as they are."""
    if not rtl or not value:
        return value
    return f"{FIRST_STRONG_ISOLATE}{value}{POP_DIRECTIONAL_ISOLATE}"
