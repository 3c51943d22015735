"""Unmatched API paths answer like the API (found by the schemathesis run)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_api_path_no_route_matches_is_a_json_404(api):
    response = api.get("/api/events/not%20a%20slug/")
    assert (response.status_code, response["Content-Type"], response.json()) == (
        404,
        "application/json",
        {"detail": "Not found."},
    )


def test_page_path_no_route_matches_stays_an_html_404(client):
    response = client.get("/no/such/page/")
    assert (response.status_code, response["Content-Type"]) == (404, "text/html; charset=utf-8")


def test_api_error_handlers_answer_json(rf):
    from django.core.exceptions import PermissionDenied, SuspiciousOperation

    from config import errors

    request = rf.get("/api/events/")
    answers = [
        errors.bad_request(request, SuspiciousOperation()),
        errors.permission_denied(request, PermissionDenied()),
        errors.server_error(request),
    ]
    assert [(answer.status_code, answer["Content-Type"]) for answer in answers] == [
        (400, "application/json"),
        (403, "application/json"),
        (500, "application/json"),
    ]
