"""The registration API: public registration, privacy, organisers' list and CSV, self-service,
hostile input and query counts."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from registrations import selectors
from registrations.models import Participant, Question, SessionRegistration
from registrations.services.links import personal_join_url

from .conftest import places

pytestmark = pytest.mark.django_db

URL = "/api/events/midterm/registrations/"


@pytest.fixture(autouse=True)
def no_throttle_history():
    cache.clear()
    yield
    cache.clear()


def post(api, **body):
    body.setdefault("name", "Ann Lee")
    body.setdefault("email", "ann@example.org")
    return api.post(URL, body, format="json")


def token_of(response) -> str:
    return response.json()["manage_url"].rstrip("/").rsplit("/", 1)[1]


def test_post_registration_answers_with_places_and_links(api, make_session, settings):
    full, roomy = make_session("Full", hour=9, capacity=1), make_session("Roomy", hour=14)
    post(api, email="first@example.org", sessions=[full.pk])
    response = post(api, sessions=[full.pk, roomy.pk], country="KE")
    participant = Participant.objects.get(email="ann@example.org")
    assert response.status_code == 201
    assert response["Cache-Control"] == "no-store"
    seat = SessionRegistration.objects.get(participant=participant, session=roomy)
    assert response.json() == {
        "status": "registered",
        "sessions": [
            {
                "session": full.pk,
                "status": "waitlisted",
                "waitlist_position": 1,
                "personal_join_url": None,
            },
            {
                "session": roomy.pk,
                "status": "confirmed",
                "waitlist_position": None,
                "personal_join_url": personal_join_url(seat.pk, participant.token),
            },
        ],
        "timezone": "Africa/Nairobi",
        "timezone_assumed": True,
        "country_timezones": ["Africa/Nairobi"],
        "manage_url": f"{settings.SITE_URL}/registrations/{participant.token}/",
        "calendar_url": f"{settings.SITE_URL}/calendars/{participant.token}.ics",
    }


def test_a_zone_assumed_from_a_country_of_several_says_so_and_offers_the_others(api, make_session):
    session = make_session("Plenary")
    assumed = post(api, sessions=[session.pk], country="BR").json()
    given = post(
        api, email="bia@example.org", sessions=[session.pk], country="BR", timezone="America/Manaus"
    ).json()
    assert (assumed["timezone"], assumed["timezone_assumed"], assumed["country_timezones"][:3]) == (
        "America/Sao_Paulo",
        True,
        ["America/Sao_Paulo", "America/Noronha", "America/Belem"],
    )
    assert len(assumed["country_timezones"]) == 16
    assert (given["timezone"], given["timezone_assumed"], given["country_timezones"]) == (
        "America/Manaus",
        False,
        [],
    )


def test_post_registration_again_reveals_nothing_of_the_earlier_one(api, make_session):
    held = make_session("Held", hour=9, capacity=1)
    other = make_session("Other", hour=14)
    victim = post(api, email="victim@example.org", sessions=[held.pk, other.pk])
    post(api, email="someone@example.org", sessions=[held.pk])
    token = token_of(victim)
    # A stranger who knows the email asks for the session the victim holds, and another.
    known = post(api, email="Victim@Example.org", name="Mallory", sessions=[held.pk])
    fresh_in_full = post(api, email="stranger@example.org", sessions=[held.pk]).json()
    again = post(api, email="stranger@example.org", sessions=[held.pk])
    assert known.status_code == again.status_code == 202
    assert (
        known.json()
        == again.json()
        == {
            "status": "received",
            "sessions": [{"session": held.pk, "status": "received", "waitlist_position": None}],
            "detail": "This email address is already registered for this event, so nothing was "
            "changed. We have emailed it a link that adds these sessions (at most one email an "
            "hour).",
        }
    )
    assert token not in known.content.decode()
    assert fresh_in_full["sessions"][0]["status"] == "waitlisted"
    assert Participant.objects.get(email="victim@example.org").name == "Ann Lee"


def test_post_registration_refusals_are_4xx_with_messages(api, make_session, event):
    session = make_session()
    Question.objects.create(event=event, key="role", text="Role", kind="text", required=True)
    cases = [
        ({"sessions": [session.pk]}, {"answers": ["Please answer “Role”."]}),
        (
            {"answers": {"role": "x"}, "sessions": "1"},
            {"sessions": ['Expected a list of items but got type "str".']},
        ),
        (
            {"answers": {"role": "x"}, "sessions": [2**70]},
            {
                "sessions": {
                    "0": ["Ensure this value is less than or equal to 9223372036854775807."]
                }
            },
        ),
        ({"answers": {"role": "x"}, "email": "nope"}, {"email": ["Enter a valid email address."]}),
        (
            {"answers": {"role": "x"}, "name": "x" * 201},
            {"name": ["Ensure this field has no more than 200 characters."]},
        ),
        (
            {"answers": {"role": "x"}, "name": "Ann\x00"},
            {"name": ["Null characters are not allowed."]},
        ),
        (
            {"answers": {"role": "x"}, "name": "Ann\x07Bee"},
            {"name": ["Remove the control characters (line breaks, tabs or direction marks)."]},
        ),
        (
            {"answers": {"role": "x"}, "country": "ZZ"},
            {"country": ["Use a two-letter ISO 3166-1 country code, such as KE, BR or FR."]},
        ),
        (
            {"answers": {"role": "x\x00"}},
            {"answers": ["Remove the control characters from the answer to “Role”."]},
        ),
        ({"answers": "role"}, {"answers": ['Expected a dictionary of items but got type "str".']}),
    ]
    answers = [(post(api, **body).status_code, post(api, **body).json()) for body, _ in cases]
    assert answers == [(400, expected) for _, expected in cases]
    assert Participant.objects.count() == 0


@pytest.mark.parametrize("url", [URL, "/api/regions/europe/subscriptions/"])
def test_hostile_bodies_are_4xx_with_messages_in_the_callers_language(api, event, url, settings):
    nested = "[" * 100_000 + "]" * 100_000  # deeper than Python's JSON decoder goes
    too_big = '{"name": "' + "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE + '"}'
    answers = [
        (response.status_code, response.json())
        for response in (
            api.post(url, nested, content_type="application/json"),
            api.post(url, nested, content_type="application/json", HTTP_ACCEPT_LANGUAGE="fr"),
            api.post(url, too_big, content_type="application/json"),
            api.post(url, too_big, content_type="application/json", HTTP_ACCEPT_LANGUAGE="de"),
            api.post(url, "null", content_type="application/json", HTTP_ACCEPT_LANGUAGE="es"),
        )
    ]
    assert answers == [
        (400, {"detail": "The JSON is nested too deeply."}),
        (400, {"detail": "Le JSON est imbriqué trop profondément."}),
        (413, {"detail": "The request is too large: send at most 2560 KB."}),
        (413, {"detail": "Die Anfrage ist zu groß: Senden Sie höchstens 2560 KB."}),
        (400, {"detail": "Envíe un objeto JSON, no null."}),
    ]
    assert Participant.objects.count() == 0


def test_post_registration_keeps_hostile_text_as_text(api, organiser, event):
    response = post(api, name="<script>alert(1)</script>", organisation='=HYPERLINK("x")')
    assert response.status_code == 201
    listing = organiser.get(URL).json()["results"][0]
    assert (listing["name"], listing["organisation"]) == (
        "<script>alert(1)</script>",
        '=HYPERLINK("x")',
    )


def test_post_registration_for_unknown_event_is_404(api):
    assert api.post("/api/events/nope/registrations/", {}, format="json").status_code == 404


def test_post_registration_is_throttled_per_client(api, event, monkeypatch):
    monkeypatch.setitem(api_settings.DEFAULT_THROTTLE_RATES, "registrations", "2/minute")
    codes = [post(api, email=f"p{number}@example.org").status_code for number in range(3)]
    assert codes == [201, 201, 429]


def test_query_count_does_not_grow_with_registrations(api, make_session):
    session = make_session(capacity=5)

    def queries_for(email: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert post(api, email=email, country="FR", sessions=[session.pk]).status_code == 201
        return len(captured.captured_queries)

    first = queries_for("q0@example.org")
    for number in range(1, 20):
        post(api, email=f"filler{number}@example.org", sessions=[session.pk])
    assert queries_for("q1@example.org") == first


def test_new_registration_writes_each_row_once_and_reads_sessions_once(api, make_session):
    session = make_session(capacity=5)
    with CaptureQueriesContext(connection) as captured:
        assert post(api, email="q0@example.org", country="FR", sessions=[session.pk]).status_code
    statements = []
    for query in captured.captured_queries:
        tables = sorted(
            set(re.findall(r'\b"?((?:events|registrations|notifications)_[a-z]+)"?', query["sql"]))
        )
        if tables:  # Leaves out transaction control.
            locks = " FOR UPDATE" if " FOR UPDATE" in query["sql"] else ""
            verb = query["sql"].split()[0]
            if verb == "WITH":  # A write after a common table expression, or a read.
                write = re.search(r"\b(INSERT|UPDATE|DELETE)\b", query["sql"])
                verb = write.group(1) if write else "SELECT"
            statements.append((verb + locks, *tables))
    # The event (knowing whether it has questions); the participant with its region in one
    # INSERT; the registration; the session, read once and locked; the place, its status
    # worked out from the occupancy in the INSERT; the confirmation and the session's
    # reminders in one INSERT.
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    assert statements == [
        ("SELECT", "events_event", "registrations_question"),
        ("INSERT", "events_region", "registrations_participant"),
        ("INSERT", "registrations_registration"),
        ("SELECT" + lock, "events_session"),
        ("INSERT", "registrations_sessionregistration"),
        ("INSERT", "notifications_outboxmessage"),
    ]


def test_organiser_list_filters_and_counts(organiser, api, make_session, event):
    full = make_session("Full", hour=9, capacity=1)
    other = make_session("Other", hour=14)
    post(api, email="ke@example.org", name="Wanjiru", country="KE", sessions=[full.pk])
    post(api, email="fr@example.org", name="Sophie", country="FR", sessions=[full.pk, other.pk])
    response = organiser.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert body["sessions"] == [
        {
            "session": full.pk,
            "title": "Full",
            "capacity": 1,
            "confirmed": 1,
            "waitlisted": 1,
            "available": 0,
        },
        {
            "session": other.pk,
            "title": "Other",
            "capacity": None,
            "confirmed": 1,
            "waitlisted": 0,
            "available": None,
        },
    ]
    assert body["results"][1]["sessions"] == [
        {
            "session": full.pk,
            "title": "Full",
            "status": "waitlisted",
            "waitlist_position": 1,
            "first_joined_at": None,
            "last_joined_at": None,
        },
        {
            "session": other.pk,
            "title": "Other",
            "status": "confirmed",
            "waitlist_position": None,
            "first_joined_at": None,
            "last_joined_at": None,
        },
    ]

    def names(query: str) -> list[str]:
        return [row["name"] for row in organiser.get(f"{URL}?{query}").json()["results"]]

    assert [
        names("status=waitlisted"),
        names(f"session={other.pk}"),
        names(f"session={full.pk}&status=confirmed"),
        names("country=ke"),
        names("region=europe"),
        names("q=SOPH"),
        names("status=cancelled"),
    ] == [["Sophie"], ["Sophie"], ["Wanjiru"], ["Wanjiru"], ["Sophie"], ["Sophie"], []]


def test_organiser_list_refuses_bad_filters_and_strangers(organiser, api, make_organiser, event):
    stranger, _section = make_organiser("stranger", section="other-section")
    assert [
        api.get(URL).status_code,
        stranger.get(URL).status_code,
        organiser.get(f"{URL}?session=abc").status_code,
        organiser.get(f"{URL}?session={2**70}").status_code,
        organiser.get(f"{URL}?q=a%00b").status_code,
        organiser.get(f"{URL}?status=maybe").status_code,
        organiser.get(f"{URL}?format=xlsx").status_code,
    ] == [401, 403, 400, 400, 400, 400, 400]


def test_organiser_csv_opens_cleanly(organiser, api, make_session, event):
    session = make_session("Finance", hour=9, capacity=1)
    Question.objects.create(event=event, key="role", text="=Role", kind="text", position=1)
    Question.objects.create(event=event, key="first", text="First time?", kind="yes_no", position=2)
    post(
        api,
        email="a@example.org",
        name='Zoë, "the" chair',
        organisation="@lib",
        country="FR",
        sessions=[session.pk],
        answers={"role": "-1+2", "first": True},
    )
    post(
        api,
        email="b@example.org",
        name="+Bob",
        sessions=[session.pk],
        answers={"role": "line one\nline two"},
    )
    response = organiser.get(f"{URL}?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="midterm-registrations.csv"'
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert [row[1:] for row in rows] == [
        [
            "status",
            "email",
            "name",
            "organisation",
            "country",
            "region",
            "time zone",
            "language",
            "Finance (2026-04-28 09:00 UTC)",
            "'=Role",
            "First time?",
        ],
        [
            "registered",
            "a@example.org",
            'Zoë, "the" chair',
            "'@lib",
            "FR",
            "europe",
            "Europe/Paris",
            "en",
            "confirmed",
            "'-1+2",
            "yes",
        ],
        [
            "registered",
            "b@example.org",
            "'+Bob",
            "",
            "",
            "",
            "",
            "en",
            "waitlisted #1",
            "line one\nline two",
            "",
        ],
    ]


def test_self_service_get_shows_own_registrations_only(api, make_session, settings):
    session = make_session("Mine", capacity=3, join_url="https://meet.example.org/x")
    token = token_of(post(api, sessions=[session.pk], country="BR"))
    post(api, email="other@example.org", sessions=[session.pk])
    response = api.get(f"/api/registrations/{token}/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["participant"] == {
        "email": "ann@example.org",
        "name": "Ann Lee",
        "organisation": "",
        "country": "BR",
        "region": "latin-america-caribbean",
        "timezone": "America/Sao_Paulo",
        "language": "en",
        "reminders": True,
        "digest": False,
    }
    assert [registration["sessions"] for registration in body["registrations"]] == [
        [
            {
                "session": session.pk,
                "title": "Mine",
                "starts_at": "2026-04-28T12:00:00Z",
                "ends_at": "2026-04-28T13:00:00Z",
                "timezone": "Europe/Amsterdam",
                "session_status": "scheduled",
                "status": "confirmed",
                "waitlist_position": None,
                "personal_join_url": personal_join_url(
                    SessionRegistration.objects.get(
                        session=session, participant__email="ann@example.org"
                    ).pk,
                    token,
                ),
            },
        ]
    ]
    assert "meet.example.org" not in response.content.decode()
    assert body["manage_url"] == f"{settings.SITE_URL}/registrations/{token}/"


def test_self_service_patch_adds_drops_and_changes(api, make_session):
    full = make_session("Full", hour=9, capacity=1)
    other = make_session("Other", hour=14)
    holder = token_of(post(api, email="holder@example.org", sessions=[full.pk]))
    waiting = token_of(post(api, sessions=[other.pk]))
    response = api.patch(
        f"/api/registrations/{waiting}/",
        {
            "add_sessions": [full.pk],
            "drop_sessions": [other.pk],
            "timezone": "Asia/Tokyo",
            "language": "ja",
        },
        format="json",
    )
    assert (response.status_code, response.json()) == (
        400,
        {"language": ["Language must be one of: en, fr, es, de, ru, ar, zh-hans."]},
    )
    response = api.patch(
        f"/api/registrations/{waiting}/",
        {
            "add_sessions": [full.pk],
            "drop_sessions": [other.pk],
            "timezone": "Asia/Tokyo",
            "language": "zh-hans",
            "reminders": False,
        },
        format="json",
    )
    assert response.status_code == 200
    assert [
        (s["title"], s["status"], s["waitlist_position"])
        for s in response.json()["registrations"][0]["sessions"]
    ] == [
        ("Full", "waitlisted", 1),
        ("Other", "cancelled", None),
    ]
    assert api.delete(f"/api/registrations/{holder}/").status_code == 204
    assert places(full) == [
        ("holder@example.org", "cancelled", None),
        ("ann@example.org", "confirmed", None),
    ]
    participant = Participant.objects.get(email="ann@example.org")
    assert (participant.timezone, participant.language, participant.reminders) == (
        "Asia/Tokyo",
        "zh-hans",
        False,
    )


def test_self_service_delete_one_event(api, make_session):
    session = make_session()
    token = token_of(post(api, sessions=[session.pk]))
    assert [
        api.delete(f"/api/registrations/{token}/?event=nope").status_code,
        api.delete(f"/api/registrations/{token}/?event=midterm").status_code,
        api.delete(f"/api/registrations/{token}/?event=midterm").status_code,
    ] == [404, 204, 400]
    assert places(session) == [("ann@example.org", "cancelled", None)]


def test_self_service_export_rotate_erase(api, make_session):
    session = make_session()
    token = token_of(post(api, sessions=[session.pk]))
    export = api.get(f"/api/registrations/{token}/export/")
    assert export["Content-Disposition"] == 'attachment; filename="meridian-my-data.json"'
    assert export.json()["participant"]["email"] == "ann@example.org"
    rotated = api.post(f"/api/registrations/{token}/rotate/")
    new_token = token_of(rotated)
    assert (api.get(f"/api/registrations/{token}/").status_code, new_token != token) == (404, True)
    assert api.post(f"/api/registrations/{new_token}/erase/").status_code == 204
    assert api.get(f"/api/registrations/{new_token}/").status_code == 404
    assert SessionRegistration.objects.get().status == "cancelled"


@pytest.mark.parametrize("token", ["x", "A" * 43, "%00" * 30, "a" * 300, "..%2F..%2Fadmin"])
def test_self_service_wrong_token_is_404(api, token):
    assert [
        api.get(f"/api/registrations/{token}/").status_code,
        api.post(f"/api/registrations/{token}/rotate/").status_code,
        api.post(f"/api/registrations/{token}/erase/").status_code,
        api.get(f"/api/registrations/{token}/export/").status_code,
    ] == [404, 404, 404, 404]


def test_knowing_an_email_never_yields_the_token_or_sessions(api, make_session, organiser):
    session = make_session("Secret session", capacity=10)
    victim = token_of(post(api, email="victim@example.org", sessions=[session.pk]))
    attacker = APIClient()
    bodies = [
        attacker.post(URL, {"email": "victim@example.org", "name": "X"}, format="json"),
        attacker.post(
            URL,
            {"email": "VICTIM@example.org", "name": "X", "sessions": [session.pk]},
            format="json",
        ),
        attacker.get(URL),
        attacker.get("/api/registrations/victim@example.org/"),
    ]
    for response in bodies:
        assert victim not in response.content.decode()
        assert "Secret session" not in response.content.decode()
    assert selectors.participant_by_token(victim).email == "victim@example.org"


def test_a_legacy_zone_spelling_is_stored_and_shown_by_its_current_name(api, make_session):
    session = make_session("Plenary")
    response = post(api, sessions=[session.pk], country="NP", timezone="Asia/Katmandu")
    stored = Participant.objects.get().timezone
    changed = api.patch(
        f"/api/registrations/{token_of(response)}/", {"timezone": "Asia/Calcutta"}, format="json"
    )
    assert (response.json()["timezone"], stored, changed.status_code) == (
        "Asia/Kathmandu",
        "Asia/Kathmandu",
        200,
    )
    assert Participant.objects.get().timezone == "Asia/Kolkata"
