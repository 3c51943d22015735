"""Small template helpers for the public pages (no markup is built here: templates escape)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from events import display

from ..calendar_links import SessionCalendarLinks, session_calendar_links

register = template.Library()


@register.filter
def calendar_links(session) -> SessionCalendarLinks:
    return session_calendar_links(session)


@register.simple_tag
def also_at_links(entry, language: str) -> str:
    """The other editions' times as one localized list of links to their pages.

    Each link is built with ``format_html`` (every value escaped); only the list separators
    come from CLDR, so the result is safe to insert into the translated sentence.
    """
    links = [
        format_html(
            '<a href="{}"><time datetime="{}">{}</time></a>',
            reverse("pages:session", args=[item.session_id]),
            item.starts_at.isoformat(),
            item.when,
        )
        for item in entry.alternatives
    ]
    return mark_safe(display.format_list(links, language))  # noqa: S308 - parts escaped above
