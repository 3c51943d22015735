"""``bdi``: user content (a title, a name) isolated from the text around it in HTML emails,
so that an English title keeps its order inside an Arabic sentence and the reverse."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def bdi(value) -> str:
    return format_html("<bdi>{}</bdi>", value)
