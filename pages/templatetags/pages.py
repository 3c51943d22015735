"""Small template helpers for the public pages (no markup is built here: templates escape)."""

from django import template

from ..calendar_links import SessionCalendarLinks, session_calendar_links

register = template.Library()


@register.filter
def calendar_links(session) -> SessionCalendarLinks:
    return session_calendar_links(session)
