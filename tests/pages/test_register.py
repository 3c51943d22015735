"""The registration form and its confirmation page, rendered by the server."""

from __future__ import annotations

import json
import re

import pytest
from rest_framework.settings import api_settings

from registrations.models import Participant, Question, Registration

from .html import texts

pytestmark = pytest.mark.django_db

URL = "/events/midterm/register/"
HOSTILE = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">'


def radios(html: str) -> list[tuple[str, str]]:
    """(name, value) of every session radio, in page order."""
    return re.findall(r'<input type="radio" name="(session-\d+)" value="(\d*)"', html)


def form(**values) -> dict:
    data = {
        "name": "Ana Souza",
        "email": "ana@example.org",
        "country": "BR",
        "timezone": "",
        "language": "en",
        "consent": "on",
    }
    data.update(values)
    return data


def test_register_page_offers_one_radio_group_per_session(client, offer):
    asia, europe, panel = offer
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert radios(html) == [
        (f"session-{asia.pk}", str(asia.pk)),
        (f"session-{asia.pk}", str(europe.pk)),
        (f"session-{asia.pk}", ""),
        (f"session-{panel.pk}", str(panel.pk)),
        (f"session-{panel.pk}", ""),
    ]
    assert texts(html, "session-group") == [
        "WG Asia (choose one edition) Tue 28 Apr, 05:00–06:00 12:00 in Tokyo · 05:00 your time "
        "· Outside 08:00–21:00 your time Tue 28 Apr, 14:00–15:00 · WG Europe 14:00 in Berlin "
        "· 1 seat left None of these",
        "Panel Tue 28 Apr, 17:00–18:00 17:00 in Berlin None of these",
    ]


def test_register_page_lists_the_sessions_with_times_and_seats(client, offer):
    html = client.get(URL + "?tz=Asia/Tokyo", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert texts(html, "choice-when") == [
        "Tue 28 Apr, 12:00–13:00",
        "Tue 28 Apr, 21:00–22:00",
        "Wed 29 Apr, 00:00–01:00",
    ]
    assert texts(html, "choice-detail") == [
        "12:00 in Tokyo",
        "14:00 in Berlin · 21:00 your time · Outside 08:00–21:00 your time · 1 seat left",
        "Tue 28 Apr 17:00 in Berlin · Wed 29 Apr 00:00 your time · Outside 08:00–21:00 your time",
    ]


def test_register_new_participant_sees_places_and_personal_links(client, offer):
    asia, europe, panel = offer
    response = client.post(
        URL,
        form(**{f"session-{asia.pk}": str(europe.pk), f"session-{panel.pk}": str(panel.pk)}),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = response.content.decode()
    participant = Participant.objects.get()
    assert (response.status_code, response["Cache-Control"], response["Referrer-Policy"]) == (
        200,
        "no-store",
        "no-referrer",
    )
    assert texts(html, "place") == [
        "Tue 28 Apr, 09:00–10:00 WG Europe Confirmed",
        "Tue 28 Apr, 12:00–13:00 Panel Confirmed",
    ]
    assert texts(html, "zone-summary") == [
        "Times are shown for São Paulo (Brasilia Standard Time)."
    ]
    assert texts(html, "manage-link") == [f"http://testserver/registrations/{participant.token}/"]
    assert f'value="http://testserver/calendars/{participant.token}.ics"' in html
    assert f'href="webcal://testserver/calendars/{participant.token}.ics"' in html
    assert (participant.name, participant.country, participant.region.code) == (
        "Ana Souza",
        "BR",
        "latin-america-caribbean",
    )


def test_register_full_session_puts_the_newcomer_on_the_waitlist(client, offer, event):
    _asia, europe, _panel = offer
    client.post(
        URL, form(email="first@example.org", **{f"session-{europe.edition_of_id}": europe.pk})
    )
    html = client.post(
        URL, form(timezone="Europe/Berlin", **{f"session-{europe.edition_of_id}": europe.pk})
    ).content.decode()
    assert texts(html, "place") == ["Tue 28 Apr, 14:00–15:00 WG Europe Waitlisted #1"]
    assert texts(html, "waitlist-note") == [
        "When a seat is released it goes to the first on the waitlist."
    ]


def test_register_again_with_a_known_email_reveals_nothing(client, offer):
    asia, europe, panel = offer
    client.post(URL, form(**{f"session-{asia.pk}": str(europe.pk)}))
    token = Participant.objects.get().token
    response = client.post(URL, form(name="Someone else", **{f"session-{panel.pk}": panel.pk}))
    html = response.content.decode()
    assert response.status_code == 200
    assert texts(html, "check-email") == [
        "This email address is already registered for this event, so nothing was changed. "
        "We have emailed it a link that adds these sessions (at most one email an hour)."
    ]
    assert texts(html, "asked") == ["Panel"]
    assert (token in html, texts(html, "place"), Participant.objects.get().name) == (
        False,
        [],
        "Ana Souza",
    )
    # Nothing was added: the panel waits for the owner's click in the email.
    assert list(
        Participant.objects.get().session_registrations.values_list("session_id", flat=True)
    ) == [europe.pk]


def test_register_two_values_for_one_group_take_one_edition(client, offer):
    asia, europe, _panel = offer
    data = form()
    data[f"session-{asia.pk}"] = [str(asia.pk), str(europe.pk)]
    client.post(URL, data)
    assert list(
        Participant.objects.get().session_registrations.values_list("session_id", flat=True)
    ) == [europe.pk]


def test_register_errors_show_in_place_and_write_nothing(client, offer):
    response = client.post(URL, form(name="", consent=""), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 400
    assert texts(html, "field-error") == [
        "This field is required.",
        "Please agree so that we can register you.",
    ]
    assert (
        '<input type="text" name="name" maxlength="200" autocomplete="name" '
        'aria-describedby="id_name_error" aria-invalid="true" autofocus required id="id_name">'
    ) in html
    assert Participant.objects.count() == 0


def test_register_service_refusal_shows_next_to_its_field(client, offer):
    response = client.post(URL, form(timezone="Moon/Base"), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 400
    assert texts(html, "field-error") == [
        "“Moon/Base” is not a known time zone. Use an IANA name such as Africa/Nairobi."
    ]
    assert 'aria-describedby="id_timezone_error id_timezone_helptext" aria-invalid="true"' in html
    assert 'value="Moon/Base"' in html
    assert Participant.objects.count() == 0


def test_register_answers_the_events_questions(client, offer, event):
    Question.objects.create(
        event=event, key="diet", text="Diet?", kind="choice", choices=["veg", "any"], required=True
    )
    Question.objects.create(event=event, key="first", text="First time?", kind="yes_no")
    Question.objects.create(event=event, key="why", text="Why <b>join</b>?", kind="text")
    missing = client.post(URL, form(), HTTP_ACCEPT_LANGUAGE="en")
    answered = client.post(
        URL, form(**{"answer-diet": "veg", "answer-first": "no", "answer-why": "To learn"})
    )
    assert (missing.status_code, texts(missing.content.decode(), "field-error")) == (
        400,
        ["This field is required."],
    )
    assert "Why &lt;b&gt;join&lt;/b&gt;?" in missing.content.decode()
    assert answered.status_code == 200
    assert Registration.objects.get().answers == {"diet": "veg", "first": False, "why": "To learn"}


def test_register_suggests_zone_and_region_from_the_country_without_script(client, offer):
    response = client.post(URL, form(country="JP", suggest="1"), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert texts(html, "region-hint") == ["Region: Asia and Oceania"]
    assert re.search(r'<input type="text" name="timezone" value="([^"]*)"', html).group(1) == (
        "Asia/Tokyo"
    )
    assert Participant.objects.count() == 0


def test_register_page_gives_the_script_its_country_map(client, offer):
    html = client.get(URL, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    hints = json.loads(
        re.search(r'id="country-hints" type="application/json">(.*?)</script>', html).group(1)
    )
    assert (hints["JP"], hints["KE"]) == (
        {"zone": "Asia/Tokyo", "region": "Asie et Océanie"},
        {"zone": "Africa/Nairobi", "region": "Afrique"},
    )
    assert '<option value="DE">Allemagne</option>' in html


def test_register_is_throttled_like_the_api(client, offer, monkeypatch):
    monkeypatch.setitem(api_settings.DEFAULT_THROTTLE_RATES, "registrations", "2/minute")
    codes = [client.post(URL, form(email=f"p{n}@example.org")).status_code for n in range(3)]
    assert codes == [200, 200, 429]
    assert Participant.objects.count() == 2


def test_register_shows_hostile_names_as_text(client, offer):
    html = client.post(URL, form(name=HOSTILE)).content.decode()
    token = Participant.objects.get().token
    manage = client.get(f"/registrations/{token}/").content.decode()
    assert ["<script>window.pwned" in page for page in (html, manage)] == [False, False]
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in manage


def test_register_page_of_a_draft_or_unknown_event_is_404(client, section):
    assert client.get("/events/nope/register/").status_code == 404


def test_register_page_in_arabic_is_right_to_left(client, offer):
    html = client.get(URL + "?tz=Asia/Tokyo", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert texts(html, "choice-when")[0] == "الثلاثاء، 28 أبريل، 12:00 م–1:00 م"
