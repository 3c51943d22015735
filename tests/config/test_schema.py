"""The OpenAPI schema says what the API answers (mismatches found by the schemathesis run)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_schema_session_local_is_documented_but_optional(schema):
    session = schema["components"]["schemas"]["Session"]
    assert ("local" in session["properties"], "local" in session["required"]) == (True, False)


def test_schema_participant_region_may_be_null(schema):
    region = schema["components"]["schemas"]["Participant"]["properties"]["region"]
    assert region.get("nullable") is True


def test_schema_organiser_registration_list_is_a_page_or_csv(schema):
    answer = schema["paths"]["/api/events/{slug}/registrations/"]["get"]["responses"]["200"]
    page = schema["components"]["schemas"]["OrganiserRegistrationPage"]
    assert {
        media: body["schema"].get("$ref", body["schema"].get("type"))
        for media, body in answer["content"].items()
    } == {
        "application/json": "#/components/schemas/OrganiserRegistrationPage",
        "text/csv": "string",
    }
    assert sorted(page["properties"]) == ["count", "next", "previous", "results", "sessions"]


@pytest.mark.django_db
def test_organiser_registration_list_matches_its_schema(organiser, event, schema):
    answer = organiser.get(f"/api/events/{event.slug}/registrations/")
    page = schema["components"]["schemas"]["OrganiserRegistrationPage"]
    assert (answer.status_code, sorted(answer.json())) == (200, sorted(page["properties"]))


GOLDEN = Path(__file__).with_name("openapi.yaml")


@pytest.mark.pure  # once, on the embedded default: integer bounds follow the database backend
def test_schema_equals_the_golden_file():
    """The public contract does not change by accident: a change to the API updates
    ``openapi.yaml`` in the same commit (``python manage.py spectacular --file
    tests/config/openapi.yaml``)."""
    output = io.StringIO()
    call_command("spectacular", stdout=output)
    assert output.getvalue() == GOLDEN.read_text(encoding="utf-8")
