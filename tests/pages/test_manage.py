"""The manage page reached by the secret link, and every action on it."""

from __future__ import annotations

import pytest

from registrations import services
from registrations.models import Participant, SessionRegistration

from .html import texts

pytestmark = pytest.mark.django_db

PRIVATE = ("no-store", "no-referrer", "noindex, nofollow")


def private_headers(response) -> tuple[str, str, str]:
    return (response["Cache-Control"], response["Referrer-Policy"], response["X-Robots-Tag"])


@pytest.fixture
def ana(event, offer):
    """Ana holds the European edition (its only seat) and the panel; Bea waits for Europe."""
    _asia, europe, panel = offer
    result = services.register_participant(
        event=event,
        email="ana@example.org",
        name="Ana",
        timezone="America/Sao_Paulo",
        sessions=[europe.pk, panel.pk],
    )
    services.register_participant(
        event=event, email="bea@example.org", name="Bea", sessions=[europe.pk]
    )
    return result.participant


def page(client, participant) -> str:
    response = client.get(f"/registrations/{participant.token}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def test_manage_page_shows_places_with_status_privately(client, ana):
    bea = Participant.objects.get(email="bea@example.org")
    response = client.get(f"/registrations/{ana.token}/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert (response.status_code, private_headers(response)) == (200, PRIVATE)
    assert texts(html, "place") == [
        "Tue 28 Apr, 09:00–10:00 WG Europe Confirmed Drop: WG Europe",
        "Tue 28 Apr, 12:00–13:00 Panel Confirmed Drop: Panel",
    ]
    assert texts(page(client, bea), "place") == [
        "Tue 28 Apr, 12:00–13:00 WG Europe Waitlisted #1 Drop: WG Europe"
    ]
    assert texts(html, "manage-link") == [f"http://testserver/registrations/{ana.token}/"]
    assert f'href="/api/registrations/{ana.token}/export/"' in html
    export = client.get(f"/api/registrations/{ana.token}/export/")
    assert (export["Content-Disposition"], export.json()["participant"]["name"]) == (
        'attachment; filename="meridian-my-data.json"',
        "Ana",
    )


def test_manage_page_with_a_wrong_token_is_a_private_404(client, ana):
    response = client.get("/registrations/" + "x" * 43 + "/", HTTP_ACCEPT_LANGUAGE="en")
    assert (response.status_code, private_headers(response)) == (404, PRIVATE)
    assert texts(response.content.decode(), "not-found")[0].startswith("It may be mistyped")


def test_manage_drop_gives_the_seat_to_the_waitlist(client, ana, offer):
    _asia, europe, _panel = offer
    response = client.post(
        f"/registrations/{ana.token}/sessions/",
        {"drop": europe.pk, "confirm": "1"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert (response.status_code, response["Location"]) == (303, f"/registrations/{ana.token}/")
    html = page(client, ana)
    bea = Participant.objects.get(email="bea@example.org")
    assert texts(html, "notice-success") == ["You gave up your place in “WG Europe”."]
    assert texts(html, "place") == ["Tue 28 Apr, 12:00–13:00 Panel Confirmed Drop: Panel"]
    assert texts(page(client, bea), "place") == [
        "Tue 28 Apr, 12:00–13:00 WG Europe Confirmed Drop: WG Europe"
    ]


def test_manage_drop_of_a_session_not_held_is_refused_in_place(client, ana, offer):
    asia, _europe, _panel = offer
    response = client.post(
        f"/registrations/{ana.token}/sessions/",
        {"drop": asia.pk, "confirm": "1"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert texts(response.content.decode(), "field-error") == [
        f"You have no place in session {asia.pk}."
    ]


def test_manage_add_offers_only_groups_not_held_and_adds(client, event, offer):
    asia, europe, panel = offer
    participant = services.register_participant(
        event=event, email="c@example.org", name="C", timezone="Europe/Berlin", sessions=[panel.pk]
    ).participant
    html = page(client, participant)
    assert texts(html, "session-group") == [
        "WG Asia (choose one edition) Tue 28 Apr, 05:00–06:00 12:00 in Tokyo · 05:00 your time "
        "· Outside 08:00–21:00 your time Tue 28 Apr, 14:00–15:00 · WG Europe 14:00 in Berlin "
        "· 1 seat left None of these"
    ]
    response = client.post(
        f"/registrations/{participant.token}/sessions/",
        {"event": "midterm", f"session-{asia.pk}": europe.pk},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 303
    html = page(client, participant)
    assert texts(html, "notice-success") == ["Added: your seats are confirmed."]
    assert texts(html, "place") == [
        "Tue 28 Apr, 14:00–15:00 WG Europe Confirmed Drop: WG Europe",
        "Tue 28 Apr, 17:00–18:00 Panel Confirmed Drop: Panel",
    ]
    assert texts(html, "session-group") == []


def test_manage_add_of_another_edition_is_refused_in_place(client, ana, offer):
    asia, _europe, _panel = offer
    response = client.post(
        f"/registrations/{ana.token}/sessions/",
        {"event": "midterm", f"session-{asia.pk}": asia.pk},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert texts(response.content.decode(), "error-summary") == [
        "Please correct 1 problem. Choose at least one session to add."
    ]
    assert list(ana.session_registrations.values_list("session__title", "status")) == [
        ("WG Europe", "confirmed"),
        ("Panel", "confirmed"),
    ]


def test_manage_preferences_change_zone_language_and_reminders(client, ana):
    response = client.post(
        f"/registrations/{ana.token}/preferences/",
        {"timezone": "Asia/Tokyo", "language": "fr", "digest": "on"},
    )
    ana.refresh_from_db()
    assert response.status_code == 303
    assert (ana.timezone, ana.language, ana.reminders, ana.digest) == (
        "Asia/Tokyo",
        "fr",
        False,
        True,
    )
    assert texts(page(client, ana), "zone-summary") == [
        "Times are shown for Tokyo (Japan Standard Time)."
    ]


def test_manage_preferences_refusal_shows_next_to_the_zone(client, ana):
    response = client.post(
        f"/registrations/{ana.token}/preferences/",
        {"timezone": "UTC+3", "language": "en", "reminders": "on"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = response.content.decode()
    ana.refresh_from_db()
    assert response.status_code == 400
    assert texts(html, "field-error") == [
        "“UTC+3” is a fixed offset, not a time zone: it ignores daylight saving time. "
        "Give the place instead, for example America/New_York or Asia/Kolkata."
    ]
    assert 'aria-invalid="true" autofocus' in html
    assert ana.timezone == "America/Sao_Paulo"


def test_manage_rotate_shows_the_new_links_and_the_old_ones_die(client, ana):
    old = ana.token
    response = client.post(f"/registrations/{old}/rotate/", HTTP_ACCEPT_LANGUAGE="en")
    ana.refresh_from_db()
    assert (response.status_code, response["Location"]) == (303, f"/registrations/{ana.token}/")
    html = page(client, ana)
    assert texts(html, "manage-link") == [f"http://testserver/registrations/{ana.token}/"]
    assert f'value="http://testserver/calendars/{ana.token}.ics"' in html
    assert old not in html
    assert client.get(f"/registrations/{old}/").status_code == 404


def test_manage_cancel_one_event_then_all(client, ana, section):
    from events import services as event_services

    other = event_services.publish_event(
        event=event_services.create_event(
            section=section,
            slug="other",
            title="Other",
            timezone="UTC",
            start_date=ana.created_at.date(),
            end_date=ana.created_at.date(),
        )
    )
    services.register_participant(event=other, email="ana@example.org", name="Ana")
    client.post(f"/registrations/{ana.token}/cancel/", {"event": "midterm", "confirm": "1"})
    after_one = list(ana.registrations.order_by("event__slug").values_list("event__slug", "status"))
    html = page(client, ana)
    client.post(f"/registrations/{ana.token}/cancel/", {"all": "1", "confirm": "1"})
    after_all = list(ana.registrations.order_by("event__slug").values_list("event__slug", "status"))
    assert after_one == [("midterm", "cancelled"), ("other", "registered")]
    assert texts(html, "notice-success") == [
        "Your registration for “Midterm meeting” is cancelled."
    ]
    assert after_all == [("midterm", "cancelled"), ("other", "cancelled")]
    assert Participant.objects.get(email="bea@example.org").session_registrations.get().status == (
        "confirmed"
    )


def test_manage_erase_asks_first_then_erases(client, ana):
    token = ana.token
    confirm = client.get(f"/registrations/{token}/erase/", HTTP_ACCEPT_LANGUAGE="en")
    untouched = Participant.objects.get(pk=ana.pk).erased_at
    erased = client.post(f"/registrations/{token}/erase/", HTTP_ACCEPT_LANGUAGE="en")
    ana.refresh_from_db()
    assert (confirm.status_code, untouched, private_headers(confirm)) == (200, None, PRIVATE)
    assert f'action="/registrations/{token}/erase/"' in confirm.content.decode()
    assert (erased.status_code, private_headers(erased)) == (200, PRIVATE)
    assert texts(erased.content.decode(), "erased") == [
        "Your personal data is gone and your places are released. "
        "Your personal links no longer work."
    ]
    assert (ana.name, ana.erased_at is not None) == ("", True)
    assert client.get(f"/registrations/{token}/").status_code == 404


def test_dropping_a_seat_or_cancelling_asks_first_and_changes_nothing_until_confirmed(
    client, ana, offer
):
    _asia, europe, _panel = offer
    url = f"/registrations/{ana.token}/"
    asked = client.post(f"{url}sessions/", {"drop": europe.pk}, HTTP_ACCEPT_LANGUAGE="en")
    cancel = client.post(f"{url}cancel/", {"event": "midterm"}, HTTP_ACCEPT_LANGUAGE="en")
    html, cancel_html = asked.content.decode(), cancel.content.decode()
    assert (asked.status_code, cancel.status_code) == (200, 200)
    assert texts(html, "notice-confirm") == [
        "Give up your place in “WG Europe”? It goes to the next person on the waitlist at once. "
        "Yes, give up my place No, keep it"
    ]
    assert texts(cancel_html, "notice-confirm") == [
        "Cancel your registration for “Midterm meeting”? Every place you hold in it is "
        "released. Yes, cancel No, keep it"
    ]
    assert 'name="confirm" value="1"' in html
    assert sorted(
        SessionRegistration.objects.filter(participant=ana).values_list("status", flat=True)
    ) == ["confirmed", "confirmed"]
    client.post(f"{url}sessions/", {"drop": europe.pk, "confirm": "1"})
    assert SessionRegistration.objects.get(participant=ana, session=europe).status == "cancelled"


def test_the_manage_page_switches_language_with_a_get_form(client, ana):
    response = client.get(f"/registrations/{ana.token}/?language=fr", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert (response.status_code, response.cookies["django_language"].value) == (200, "fr")
    assert '<html lang="fr"' in html and "Votre inscription" in html
    assert '<form method="get" class="language-form">' in html
