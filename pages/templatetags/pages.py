"""Small template helpers for the public pages (no markup is built here: templates escape)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core import calendar_links, display
from pages.viewer import site_url

register = template.Library()


@register.simple_tag(takes_context=True)
def session_calendar_links(context, session) -> dict[str, str]:
    """The calendars app's links for one session (.ics, webcal, Google, Outlook)."""
    site = site_url(context["request"])
    return calendar_links.session_links(
        site_url=site,
        session_id=session.pk,
        title=session.title,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        timezone=session.timezone,
        description=session.description,
        page_url=site + reverse("pages:session", args=[session.pk]),
    )


@register.simple_tag
def also_at_links(entry, language: str) -> str:
    """The other editions' times as one localized list of links to their pages.

    Each link is built with ``format_html`` (every value escaped); only the list separators
    come from CLDR, so the result is safe to insert into the translated sentence.
    """
    items = [
        format_html(
            '<a href="{}"><time datetime="{}">{}</time></a>',
            reverse("pages:session", args=[item.session_id]),
            item.starts_at.isoformat(),
            item.when,
        )
        for item in entry.alternatives
    ]
    return mark_safe(display.format_list(items, language))  # noqa: S308 - parts escaped above


@register.filter
def whole_minutes(value) -> int:
    """A duration (``timedelta``) in whole minutes, rounded up; 0 for nothing."""
    if not value:
        return 0
    return max(int((value.total_seconds() + 59) // 60), 1)
