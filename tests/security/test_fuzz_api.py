"""Schemathesis over every operation of ``/api/schema/``, through Django's WSGI application, with
an organiser's token (so the write routes run too) and a fixed seed: no 5xx, every 4xx a
readable JSON message (``detail`` or field lists), every documented answer matching the schema.

Each operation gets generated paths (mostly unknown objects) and the paths of real objects,
with valid and invalid inputs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

SEED = 20260428
EXAMPLES_PER_STRATEGY = 40  # x up to 4 strategies x 27 operations: about 3,000 cases
CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]


def readable_error(body) -> bool:
    """``{"detail": "message"}`` or ``{"field": ["message", …]}`` (lists may nest per item)."""

    def messages(value) -> bool:
        if isinstance(value, str):
            return bool(value.strip())
        if isinstance(value, list):
            return bool(value) and all(messages(item) for item in value)
        if isinstance(value, dict):
            return bool(value) and all(messages(item) for item in value.values())
        return False

    if not isinstance(body, dict) or not body:
        return False
    if "detail" in body:
        return isinstance(body["detail"], str) and bool(body["detail"].strip())
    return all(isinstance(value, list | dict) and messages(value) for value in body.values())


def _check_readable_4xx(response) -> None:
    if 400 <= response.status_code < 500 and response.status_code != 405:
        content_type = {name.lower(): value for name, value in response.headers.items()}
        assert "".join(content_type.get("content-type", [])).startswith("application/json"), (
            response.status_code,
            response.text[:300],
        )
        assert readable_error(response.json()), (response.status_code, response.text[:500])


@pytest.fixture
def fuzz_world(event, organiser, monkeypatch):
    """A published event with a session and a registered participant; throttles out of the way
    (their 429 is tested on its own)."""
    from rest_framework.settings import api_settings

    from events import services
    from registrations import services as registrations

    monkeypatch.setitem(api_settings.DEFAULT_THROTTLE_RATES, "registrations", "100000/minute")
    monkeypatch.setitem(api_settings.DEFAULT_THROTTLE_RATES, "subscriptions", "100000/minute")
    session = services.create_session(
        event=event,
        title="Working group",
        starts_at=datetime(2026, 4, 28, 10, tzinfo=UTC),
        ends_at=datetime(2026, 4, 28, 11, tzinfo=UTC),
        timezone="Europe/Amsterdam",
        regions=["europe"],
        capacity=3,
    )
    registered = registrations.register_participant(
        event=event, email="ana@example.org", name="Ana", sessions=[session.pk]
    )
    token = organiser.user.auth_token.key
    return {
        "headers": {"Authorization": f"Token {token}"},
        "paths": {
            "slug": event.slug,
            "id": session.pk,
            "pk": session.pk,
            "token": registered.participant.token,
            "code": "europe",
        },
    }


@pytest.mark.services
@pytest.mark.django_db
def test_api_schema_fuzzing_finds_no_error(fuzz_world):
    from django.core.wsgi import get_wsgi_application

    # As Django's test client does: the WSGI handler must not close the test's connection
    # (its transaction holds the data and is rolled back at the end).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        failures, cases = _fuzz(fuzz_world, get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert failures == [], "\n\n".join(failures)
    assert cases >= 1000, "the fuzzing ran too few cases to mean anything"


def _fuzz(fuzz_world: dict, application) -> tuple[list[str], int]:
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    failures: list[str] = []
    cases: list[str] = []
    for operation in operations:
        names = {parameter.name for parameter in operation.path_parameters}
        known = {name: value for name, value in fuzz_world["paths"].items() if name in names}
        variants = [
            (mode, paths)
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
            for paths in ([None, known] if names else [None])
        ]
        for mode, paths in variants:
            strategy = operation.as_strategy(generation_mode=mode, path_parameters=paths)

            @seed(SEED)
            @settings(
                max_examples=EXAMPLES_PER_STRATEGY,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
                derandomize=False,
                phases=[Phase.generate],  # no shrinking: the failure as found, within the budget
            )
            @given(case=strategy)
            def run(case):
                cases.append(case.operation.label)
                response = case.call(headers=fuzz_world["headers"])
                case.validate_response(response, checks=CHECKS, headers=fuzz_world["headers"])
                _check_readable_4xx(response)

            try:
                run()
            except Unsatisfiable:
                continue  # nothing to make invalid in this operation (no inputs, or only a path)
            except (Exception, BaseExceptionGroup) as error:  # report every operation's failure
                failures.append(f"{operation.label} [{mode.value}, paths={paths}]:\n{error}")
    print(f"schemathesis: {len(cases)} cases over {len(operations)} operations")
    return failures, len(cases)


@pytest.mark.pure
@pytest.mark.parametrize(
    ("body", "readable"),
    [
        ({"detail": "Not found."}, True),
        ({"email": ["Enter a valid email address."]}, True),
        ({"sessions": {"0": ["Unknown session."]}}, True),
        ({"detail": ""}, False),
        ({"email": []}, False),
        ({"email": "not a list"}, False),
        ([], False),
        ("<html>Server Error</html>", False),
    ],
)
def test_readable_error_accepts_only_messages(body, readable):
    assert readable_error(body) == readable
