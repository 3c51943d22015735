"""PostgreSQL parses and plans the registration's statements once per connection: Django's
documented ``server_side_binding`` with psycopg's ``prepare_threshold`` (the default)."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = [pytest.mark.services, pytest.mark.django_db]


def test_postgresql_prepares_the_registrations_statements(api, event, make_session):
    if connection.vendor != "postgresql":
        pytest.skip("needs the service tier's PostgreSQL (DATABASE_URL is not PostgreSQL)")
    session = make_session("Prepared", capacity=100)
    for number in range(4):
        answer = api.post(
            f"/api/events/{event.slug}/registrations/",
            {"email": f"p{number}@example.org", "name": "P", "sessions": [session.pk]},
            format="json",
        )
        assert answer.status_code == 201
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert (
        connection.settings_dict["OPTIONS"].get("server_side_binding"),
        any("registrations_sessionregistration" in text for text in prepared),
        any("INSERT INTO" in text and "registrations_participant" in text for text in prepared),
    ) == (True, True, True)
