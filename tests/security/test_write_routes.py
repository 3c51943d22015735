"""Every write route (POST/PUT/PATCH/DELETE) of the URLconf is either listed here as public, or
refuses anonymous callers (401/403) and organisers of another section (403, or 404 where the
object is hidden from them), changing nothing in the database.

A new write route that is in neither list fails ``test_every_write_route_is_classified``."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
UNKNOWN_TOKEN = "u" * 43
SESSION_BODY = {
    "title": "Intruder's session",
    "local_start": "2026-04-29T12:00",
    "timezone": "Europe/Amsterdam",
    "duration_minutes": 60,
}

# Public writes, and why anyone may call them.
PUBLIC = {
    ("api/events/<slug:slug>/registrations/", "POST"): "public registration (throttled)",
    ("api/regions/<slug:code>/subscriptions/", "POST"): "digest subscription (throttled)",
    ("api/registrations/<str:token>/", "PATCH"): "self-service with the secret token",
    ("api/registrations/<str:token>/", "DELETE"): "self-service with the secret token",
    ("api/registrations/<str:token>/erase/", "POST"): "self-service with the secret token",
    ("api/registrations/<str:token>/rotate/", "POST"): "self-service with the secret token",
    ("api/subscriptions/<slug:token>/confirm/", "POST"): "confirm with the secret token",
    ("api/subscriptions/<slug:token>/unsubscribe/", "POST"): "unsubscribe with the secret token",
    ("subscriptions/<slug:token>/confirm/", "POST"): "confirm link from the email",
    ("subscriptions/<slug:token>/unsubscribe/", "POST"): "RFC 8058 one-click unsubscribe",
    ("events/<slug:slug>/register/", "POST"): "registration form (throttled like the API)",
    ("reminders/<str:token>/off/", "POST"): "RFC 8058 one-click reminders off (signed token)",
    ("regions/<slug:code>/subscribe/", "POST"): "digest subscription form (throttled)",
    **{
        (f"registrations/<str:token>/{action}/", "POST"): "manage page with the secret token"
        for action in ("sessions", "preferences", "rotate", "cancel", "erase")
    },
    **{
        ("i18n/setlang/", method): "Django's language switch: a cookie, no data"
        for method in WRITE_METHODS
    },
}
# Token routes among them: an unknown token is a 404 that changes nothing.
TOKEN_ROUTES = [key for key in PUBLIC if "<slug:token>" in key[0] or "<str:token>" in key[0]]

# Organisers of the object's section only: (route, method) -> a body that would succeed for them.
ORGANISER_ONLY = {
    ("api/events/", "POST"): {
        "section": "mlas",
        "slug": "intruders-event",
        "title": "Intruder's event",
        "timezone": "UTC",
        "start_date": "2026-06-01",
        "end_date": "2026-06-01",
    },
    ("api/events/<slug:slug>/", "PATCH"): {"title": "Taken over"},
    ("api/events/<slug:slug>/", "DELETE"): None,
    ("api/events/<slug:slug>/sessions/", "POST"): SESSION_BODY,
    ("api/sessions/<int:pk>/", "PATCH"): {"title": "Taken over"},
    ("api/sessions/<int:pk>/", "DELETE"): None,
    ("api/events/<slug:slug>/editions/", "POST"): {
        "session": "<session>",
        "regions": ["asia-oceania", "north-america"],
        "date": "2026-04-28",
    },
}
_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def _url(route: str, values: dict) -> str:
    return "/" + _CONVERTER.sub(lambda match: str(values[match[1]]), route)


def _snapshot() -> dict:
    """Every row of the project's tables (and users and tokens)."""
    labels = {"events", "registrations", "notifications", "pages", "auth", "authtoken"}
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.app_label in labels
    }


@pytest.fixture
def world(event, make_organiser):
    from events import services

    session = services.create_session(
        event=event,
        title="Working group",
        starts_at=datetime(2026, 4, 28, 10, tzinfo=UTC),
        ends_at=datetime(2026, 4, 28, 11, tzinfo=UTC),
        timezone="Europe/Amsterdam",
        regions=["europe", "africa", "middle-east-north-africa"],
    )
    intruder, _section = make_organiser("intruder", "other-section")
    return {
        "slug": event.slug,
        "pk": session.pk,
        "session_id": session.pk,
        "code": "europe",
        "token": UNKNOWN_TOKEN,
        "intruder": intruder,
        "event_pk": event.pk,
    }


def _write_routes(client: APIClient, values: dict) -> set[tuple[str, str]]:
    """(route, method) of every write the URLconf accepts: from a DRF view's handlers, and for
    plain Django views by asking (anything but 405 means the method is accepted)."""
    found = set()
    for route, pattern in _walk(get_resolver().url_patterns):
        if route.startswith("admin/"):
            continue  # the admin: staff sessions only, see test_admin_writes_need_a_staff_login
        view_class = getattr(pattern.callback, "cls", None)
        for method in WRITE_METHODS:
            if view_class is not None:
                accepted = method.lower() in view_class.http_method_names and hasattr(
                    view_class, method.lower()
                )
            else:
                url = _url(route, values)
                accepted = client.generic(method, url).status_code != 405
            if accepted:
                found.add((route, method))
    return found


def _body(key: tuple[str, str], values: dict) -> dict | None:
    body = ORGANISER_ONLY[key]
    if body is None:
        return None
    return {name: values["pk"] if value == "<session>" else value for name, value in body.items()}


def _call(client: APIClient, key: tuple[str, str], values: dict):
    route, method = key
    return client.generic(
        method,
        _url(route, values),
        data=None if _body(key, values) is None else json.dumps(_body(key, values)),
        content_type="application/json",
    )


def test_every_write_route_is_classified(world):
    assert _write_routes(APIClient(), world) == set(PUBLIC) | set(ORGANISER_ONLY)


def test_every_write_operation_of_the_schema_is_classified():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = {
        (path, method.upper())
        for path, item in schema["paths"].items()
        for method in item
        if method.upper() in WRITE_METHODS
    }
    routes = {
        (re.sub(r"\{\w+\}", "{}", "/" + _CONVERTER.sub("{}", route)), method)
        for route, method in set(PUBLIC) | set(ORGANISER_ONLY)
    }
    assert {(re.sub(r"\{\w+\}", "{}", path), method) for path, method in operations} <= routes


@pytest.mark.parametrize("key", sorted(ORGANISER_ONLY), ids=" ".join)
def test_organiser_route_refuses_anonymous_callers(world, key):
    before = _snapshot()
    response = _call(APIClient(), key, world)
    assert response.status_code in (401, 403), response.content
    assert set(response.json()) == {"detail"}
    assert _snapshot() == before


@pytest.mark.parametrize("key", sorted(ORGANISER_ONLY), ids=" ".join)
def test_organiser_route_refuses_an_organiser_of_another_section(world, key):
    before = _snapshot()
    response = _call(world["intruder"], key, world)
    assert response.status_code in (403, 404), response.content
    assert set(response.json()) == {"detail"}
    assert _snapshot() == before


@pytest.mark.parametrize("key", sorted(ORGANISER_ONLY), ids=" ".join)
def test_organiser_route_accepts_the_sections_organiser(world, organiser, key):
    """The bodies above are ones that work: the refusals are not input errors in disguise."""
    response = _call(organiser, key, world)
    assert response.status_code in (200, 201, 204), response.content


@pytest.mark.parametrize("key", sorted(TOKEN_ROUTES), ids=" ".join)
def test_token_route_with_an_unknown_token_is_404_and_changes_nothing(world, key):
    before = _snapshot()
    route, method = key
    response = APIClient().generic(
        method, _url(route, world), data="{}", content_type="application/json"
    )
    assert response.status_code == 404
    assert _snapshot() == before


def _admin_urls() -> list[str]:
    """Add, list, change and delete of every model in the admin (on its first row)."""
    from django.contrib import admin
    from django.urls import reverse

    urls = ["/admin/planner/"]
    for model in admin.site._registry:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls += [reverse(f"{name}_add"), reverse(f"{name}_changelist")]
        first = model.objects.order_by("pk").first()
        if first is not None:
            urls += [
                reverse(f"{name}_change", args=[first.pk]),
                reverse(f"{name}_delete", args=[first.pk]),
            ]
    return urls


def test_admin_writes_need_a_staff_login(world, client):
    """Every admin form answers an anonymous POST with the login page; nothing changes."""
    before = _snapshot()
    answers = {
        url: (response.status_code, response.headers.get("Location", "").split("?")[0])
        for url in _admin_urls()
        for response in [client.post(url, {"title": "Taken over", "post": "yes"})]
    }
    assert set(answers.values()) == {(302, "/admin/login/")}
    assert _snapshot() == before


def test_admin_hides_another_sections_objects_from_an_organiser(world, client):
    from django.urls import reverse

    client.force_login(world["intruder"].user)
    before = _snapshot()
    statuses = []
    for model, pk in (("event", world["event_pk"]), ("session", world["pk"])):
        change = reverse(f"admin:events_{model}_change", args=[pk])
        delete = reverse(f"admin:events_{model}_delete", args=[pk])
        statuses.append(client.post(change, {"title": "Taken over"}).status_code)
        statuses.append(client.post(delete, {"post": "yes"}).status_code)
    assert all(status in (302, 403, 404) for status in statuses), statuses
    assert _snapshot() == before
