"""Admin logins can't be brute-forced: failures are limited per account and per client
address (django-axes), with a clear page; staff lift a lock; API tokens are unaffected."""

from __future__ import annotations

import pytest
from axes.utils import reset
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def staff():
    return get_user_model().objects.create_user(
        username="staffer", password="the-right-password", is_staff=True
    )


def attempt(client, username: str, password: str, address: str = "198.51.100.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client, staff):
    wrong = [attempt(client, "staffer", f"guess-{n}").status_code for n in range(5)]
    right = attempt(client, "staffer", "the-right-password")
    elsewhere = attempt(client, "staffer", "the-right-password", address="192.0.2.50")
    # The fifth failure is answered with the lock; the right password then fails too.
    assert (wrong, right.status_code, elsewhere.status_code) == ([200] * 4 + [429], 429, 429)
    html = right.content.decode()
    assert "Too many failed logins" in html and "15 minutes" in html
    assert client.get("/admin/").status_code == 302  # not logged in


def test_one_address_trying_many_accounts_is_locked_too(client, staff):
    for number in range(5):
        attempt(client, f"someone{number}", "guess")
    assert attempt(client, "staffer", "the-right-password").status_code == 429
    # Another address may still log in to the account.
    assert attempt(client, "staffer", "the-right-password", address="192.0.2.9").status_code == 302


def test_staff_lift_a_lock_and_the_login_works_again(client, staff):
    for number in range(5):
        attempt(client, "staffer", f"guess-{number}", address=f"192.0.2.{number}")
    assert attempt(client, "staffer", "the-right-password", address="192.0.2.20").status_code == 429
    call_command("axes_reset_username", "staffer")
    assert attempt(client, "staffer", "the-right-password", address="192.0.2.20").status_code == 302


def test_the_lockout_page_is_translated(client, staff):
    for number in range(5):
        attempt(client, "staffer", f"guess-{number}")
    answer = client.post(
        LOGIN,
        {"username": "staffer", "password": "x"},
        REMOTE_ADDR="198.51.100.7",
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert (answer.status_code, "Trop de connexions échouées" in answer.content.decode()) == (
        429,
        True,
    )


def test_token_authenticated_api_calls_are_unaffected_by_a_lock(make_organiser, client):
    api, _section = make_organiser(username="locked-organiser")
    for number in range(6):
        attempt(client, "locked-organiser", f"guess-{number}")
    assert attempt(client, "locked-organiser", "anything").status_code == 429
    assert api.get("/api/events/").status_code == 200
    reset(username="locked-organiser")
