"""Seats, waitlists, refusals, idempotence, erasure and the selectors others use."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from events import services as event_services
from events.models import Event, Region, Session
from registrations import hooks, selectors, services
from registrations.enums import RegistrationStatus
from registrations.errors import RegistrationsError
from registrations.models import Participant, Question, Registration, SessionRegistration

from .conftest import places

pytestmark = pytest.mark.django_db


def refusal(call) -> tuple[str | None, str]:
    with pytest.raises(RegistrationsError) as caught:
        call()
    return caught.value.field, caught.value.message


def test_register_participant_fills_seats_then_waitlists(make_session, register):
    session = make_session(capacity=2)
    for name in ("a", "b", "c", "d"):
        register(f"{name}@example.org", [session.pk])
    assert places(session) == [
        ("a@example.org", "confirmed", None),
        ("b@example.org", "confirmed", None),
        ("c@example.org", "waitlisted", 1),
        ("d@example.org", "waitlisted", 2),
    ]


def test_register_participant_suggests_zone_and_region_from_country(register):
    result = register("wanjiru@example.org", country="ke", language="FR")
    participant = Participant.objects.select_related("region").get(pk=result.participant.pk)
    assert (participant.country, participant.timezone, participant.region.code) == (
        "KE",
        "Africa/Nairobi",
        "africa",
    )
    assert (participant.language, result.created, len(participant.token)) == ("fr", True, 43)


def test_register_participant_again_changes_nothing_and_tells_the_owner(make_session, register):
    first, second = make_session("First", hour=9), make_session("Second", hour=14)
    asked = []
    hooks.registration_requested.connect(hear := lambda **kw: asked.append(kw))
    try:
        register("ann@example.org", [first.pk], name="Ann", organisation="Library A")
        again = register("ANN@Example.org", [second.pk, first.pk], name="Mallory", country="FR")
    finally:
        hooks.registration_requested.disconnect(hear)
    participant = Participant.objects.get()
    assert (again.created, again.requested, again.session_registrations) == (False, True, [])
    assert (participant.name, participant.organisation, participant.country) == (
        "Ann",
        "Library A",
        "",
    )
    assert (Registration.objects.count(), SessionRegistration.objects.count()) == (1, 1)
    assert [(item["registration"].pk, item["sessions"]) for item in asked] == [
        (again.registration.pk, [second.pk, first.pk])
    ]


def test_a_known_person_new_to_the_event_is_registered(section, event, make_session, register):
    session = make_session("First", hour=9)
    register("ann@example.org", [session.pk])
    other = event_services.publish_event(
        event=event_services.create_event(
            section=section,
            slug="other",
            title="Other",
            timezone="UTC",
            start_date=event.start_date,
            end_date=event.end_date,
            registration_closes_at=event.registration_closes_at,
        )
    )
    later = event_services.create_session(
        event=other, title="Later", starts_at=session.starts_at, duration_minutes=60
    )
    result = register("ann@example.org", [later.pk], event=other)
    assert (result.created, result.requested) == (False, False)
    assert [(place.session_id, place.status) for place in result.session_registrations] == [
        (later.pk, "confirmed")
    ]


def test_release_promotes_the_first_on_the_waitlist_and_closes_the_gap(make_session, register):
    session = make_session(capacity=1)
    results = [register(f"p{number}@example.org", [session.pk]) for number in range(4)]
    services.cancel_registration(participant=results[0].participant)
    assert places(session) == [
        ("p0@example.org", "cancelled", None),
        ("p1@example.org", "confirmed", None),
        ("p2@example.org", "waitlisted", 1),
        ("p3@example.org", "waitlisted", 2),
    ]
    services.drop_session(participant=results[2].participant, session=session)
    assert places(session)[2:] == [
        ("p2@example.org", "cancelled", None),
        ("p3@example.org", "waitlisted", 1),
    ]


def test_a_cancelled_registration_stays_cancelled_until_its_owner_adds_sessions(
    make_session, register
):
    session = make_session(capacity=1)
    first = register("ann@example.org", [session.pk])
    register("bob@example.org", [session.pk])
    services.cancel_registration(participant=first.participant)
    assert register("ann@example.org", [session.pk]).requested is True
    assert Registration.objects.get(participant=first.participant).status == "cancelled"
    assert places(session) == [
        ("ann@example.org", "cancelled", None),
        ("bob@example.org", "confirmed", None),
    ]
    # The owner, by their manage link, registers again by adding the session.
    services.add_sessions(participant=first.participant, sessions=[session.pk])
    assert places(session) == [
        ("ann@example.org", "waitlisted", 1),
        ("bob@example.org", "confirmed", None),
    ]
    assert Registration.objects.get(participant=first.participant).status == "registered"


def test_a_new_place_is_returned_as_stored(make_session, register):
    session = make_session(capacity=1)
    seat = register("a@example.org", [session.pk]).session_registrations
    waiting = register("b@example.org", [session.pk]).session_registrations
    unlimited = make_session(title="Open", hour=15, capacity=None)
    open_seat = register("c@example.org", [unlimited.pk]).session_registrations
    columns = ("pk", "participant_id", "session_id", "registration_id", "status")
    columns += ("waitlist_position", "created_at", "updated_at", "confirmed_at", "cancelled_at")
    returned = [
        tuple(getattr(place, column) for column in columns)
        for place in (*seat, *waiting, *open_seat)
    ]
    assert returned == list(SessionRegistration.objects.order_by("pk").values_list(*columns))
    assert [row[4:6] for row in returned] == [
        ("confirmed", None),
        ("waitlisted", 1),
        ("confirmed", None),
    ]


def test_seats_freed_without_the_services_go_to_the_waitlist_before_a_newcomer(
    make_session, register
):
    session = make_session(capacity=1)
    for name in ("a", "b", "c"):
        register(f"{name}@example.org", [session.pk])
    Session.objects.filter(pk=session.pk).update(capacity=2)  # no promotion ran
    register("d@example.org", [session.pk])
    assert places(session) == [
        ("a@example.org", "confirmed", None),
        ("b@example.org", "confirmed", None),
        ("c@example.org", "waitlisted", 1),
        ("d@example.org", "waitlisted", 2),
    ]


def test_raising_capacity_promotes_from_the_waitlist(make_session, register):
    session = make_session(capacity=1)
    for name in ("a", "b", "c", "d"):
        register(f"{name}@example.org", [session.pk])
    session = event_services.update_session(session=session, capacity=2)
    raised = places(session)
    lowered = places(event_services.update_session(session=session, capacity=1))
    unlimited = places(event_services.update_session(session=session, capacity=None))
    assert (raised, lowered, unlimited, services.fill_free_seats(session=session)) == (
        [
            ("a@example.org", "confirmed", None),
            ("b@example.org", "confirmed", None),
            ("c@example.org", "waitlisted", 1),
            ("d@example.org", "waitlisted", 2),
        ],
        raised,  # Lowering it takes no seat away.
        [
            ("a@example.org", "confirmed", None),
            ("b@example.org", "confirmed", None),
            ("c@example.org", "confirmed", None),
            ("d@example.org", "confirmed", None),
        ],
        [],
    )


def test_raising_capacity_of_a_cancelled_session_promotes_nobody(make_session, register):
    session = make_session(capacity=1)
    for name in ("a", "b"):
        register(f"{name}@example.org", [session.pk])
    event_services.cancel_session(session=session)
    event_services.update_session(session=session, capacity=5)
    assert places(session) == [
        ("a@example.org", "confirmed", None),
        ("b@example.org", "waitlisted", 1),
    ]


def test_raising_capacity_through_the_api_promotes(organiser, make_session, register):
    session = make_session(capacity=1)
    register("a@example.org", [session.pk])
    register("b@example.org", [session.pk])
    response = organiser.patch(f"/api/sessions/{session.pk}/", {"capacity": 2}, format="json")
    assert (response.status_code, places(session)) == (
        200,
        [("a@example.org", "confirmed", None), ("b@example.org", "confirmed", None)],
    )


def test_register_participant_refuses_outside_the_window(event, register):
    now = timezone.now()
    Event.objects.filter(pk=event.pk).update(registration_opens_at=now + timedelta(days=1))
    event.refresh_from_db()
    assert refusal(lambda: register("a@example.org"))[1].startswith(
        "Registration for this event opens at "
    )
    Event.objects.filter(pk=event.pk).update(
        registration_opens_at=now - timedelta(days=2), registration_closes_at=now
    )
    event.refresh_from_db()
    assert refusal(lambda: register("a@example.org")) == (
        None,
        "Registration for this event has closed.",
    )


def test_register_participant_refuses_draft_and_cancelled_events(section, register):
    draft = event_services.create_event(
        section=section,
        slug="draft",
        title="Draft",
        timezone="UTC",
        start_date=datetime(2027, 1, 1).date(),
        end_date=datetime(2027, 1, 1).date(),
    )
    assert refusal(lambda: register("a@example.org", event=draft)) == (
        None,
        "This event is not open for registration yet.",
    )
    event_services.publish_event(event=draft)
    event_services.cancel_event(event=draft)
    assert refusal(lambda: register("a@example.org", event=draft)) == (
        None,
        "This event is cancelled; it takes no registrations.",
    )


def test_register_participant_refuses_bad_sessions(section, event, make_session, register):
    other_event = event_services.publish_event(
        event=event_services.create_event(
            section=section,
            slug="other",
            title="Other",
            timezone="UTC",
            start_date=datetime(2026, 4, 28).date(),
            end_date=datetime(2026, 4, 28).date(),
        )
    )
    foreign = event_services.create_session(
        event=other_event,
        title="Elsewhere",
        starts_at=datetime(2026, 4, 28, 9, tzinfo=UTC),
        duration_minutes=30,
    )
    root = make_session("Finance — Asia", hour=3)
    edition = make_session("Finance — Americas", hour=18, edition_of=root)
    cancelled = event_services.cancel_session(session=make_session("Gone", hour=20))
    assert [
        refusal(lambda: register("a@example.org", [foreign.pk])),
        refusal(lambda: register("a@example.org", [cancelled.pk])),
        refusal(lambda: register("a@example.org", [root.pk, edition.pk])),
        refusal(lambda: register("a@example.org", [999999])),
    ] == [
        ("sessions", "“Elsewhere” belongs to another event."),
        ("sessions", "“Gone” is cancelled; it takes no registrations."),
        (
            "sessions",
            "“Finance — Asia” and “Finance — Americas” are editions of the same session; "
            "choose one.",
        ),
        ("sessions", "Unknown session: 999999."),
    ]
    assert Participant.objects.count() == 0


def test_register_participant_refuses_answers_that_do_not_fit(event, register):
    Question.objects.create(
        event=event,
        key="role",
        text="Your role",
        kind="choice",
        choices=["chair", "member"],
        required=True,
    )
    assert refusal(lambda: register("a@example.org")) == ("answers", "Please answer “Your role”.")
    result = register("a@example.org", answers={"role": "chair"})
    assert result.registration.answers == {"role": "chair"}


def test_repeat_registration_keeps_earlier_answers(event, register):
    Question.objects.create(event=event, key="note", text="Note", kind="text")
    register("a@example.org", answers={"note": "mine"})
    register("a@example.org", answers={"note": "overwritten by a stranger"})
    assert Registration.objects.get().answers == {"note": "mine"}


def test_repeat_registration_skips_another_edition_silently(make_session, register):
    root = make_session("Finance — Asia", hour=3)
    edition = make_session("Finance — Americas", hour=18, edition_of=root)
    first = register("a@example.org", [root.pk])
    again = register("a@example.org", [edition.pk])
    assert again.session_registrations == []
    assert places(edition) == []
    assert refusal(
        lambda: services.add_sessions(participant=first.participant, sessions=[edition.pk])
    ) == (
        "sessions",
        "You already have a place in another edition of “Finance — Americas”; drop it first.",
    )


def test_change_registration_swaps_editions_and_preferences(make_session, register):
    root = make_session("Finance — Asia", hour=3)
    edition = make_session("Finance — Americas", hour=18, edition_of=root)
    participant = register("a@example.org", [root.pk]).participant
    services.change_registration(
        participant=participant,
        drop=[root.pk],
        add=[edition.pk],
        timezone="America/Bogota",
        language="es",
        reminders=False,
    )
    participant.refresh_from_db()
    assert (participant.timezone, participant.language, participant.reminders) == (
        "America/Bogota",
        "es",
        False,
    )
    assert list(
        selectors.sessions_for_participant(participant).values_list("title", "registration_status")
    ) == [("Finance — Americas", "confirmed")]


def test_change_registration_is_all_or_nothing(make_session, register):
    session = make_session()
    participant = register("a@example.org", [session.pk]).participant
    with pytest.raises(RegistrationsError):
        services.change_registration(participant=participant, drop=[session.pk], add=[424242])
    assert places(session) == [("a@example.org", "confirmed", None)]


def test_cancelled_session_accepts_nobody_and_promotes_nobody(make_session, register):
    session = make_session(capacity=1)
    first = register("a@example.org", [session.pk])
    register("b@example.org", [session.pk])
    event_services.cancel_session(session=session)
    services.cancel_registration(participant=first.participant)
    assert places(session) == [
        ("a@example.org", "cancelled", None),
        ("b@example.org", "waitlisted", 1),
    ]
    assert refusal(lambda: register("c@example.org", [session.pk]))[0] == "sessions"


def test_rotate_token_invalidates_the_old_one(register):
    participant = register("a@example.org").participant
    old = participant.token
    new = services.rotate_token(participant=participant)
    assert (selectors.participant_by_token(old), selectors.participant_by_token(new)) == (
        None,
        participant,
    )


def test_erase_participant_anonymises_releases_seats_and_keeps_counts(make_session, register):
    session = make_session(capacity=1)
    victim = register("a@example.org", [session.pk], country="BR", answers={}).participant
    register("b@example.org", [session.pk])
    token = victim.token
    services.erase_participant(participant=victim)
    victim.refresh_from_db()
    assert (victim.email, victim.name, victim.country, victim.is_erased) == (
        f"erased-{victim.pk}@erased.invalid",
        "",
        "BR",
        True,
    )
    assert selectors.participant_by_token(token) is None
    assert places(session) == [
        (f"erased-{victim.pk}@erased.invalid", "cancelled", None),
        ("b@example.org", "confirmed", None),
    ]
    assert list(Registration.objects.values_list("status", flat=True).order_by("pk")) == [
        RegistrationStatus.ERASED,
        RegistrationStatus.REGISTERED,
    ]
    # The same address may register afresh.
    assert register("a@example.org").created is True


def test_export_participant_data_has_everything_but_the_token(make_session, register):
    session = make_session(capacity=5)
    participant = register(
        "a@example.org", [session.pk], name="Ann", country="FR", organisation="BnF"
    ).participant
    data = services.export_participant_data(participant=participant)
    assert data["participant"]["email"] == "a@example.org"
    assert participant.token not in str(data)
    assert data["registrations"][0]["sessions"] == [
        {
            "session": session.pk,
            "title": "Working group",
            "starts_at": "2026-04-28T12:00:00Z",
            "status": "confirmed",
            "waitlist_position": None,
            "created_at": data["registrations"][0]["sessions"][0]["created_at"],
            "cancelled_at": None,
        }
    ]


def test_email_is_unique_whatever_its_case(register):
    register("a@example.org")
    participant = Participant.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Participant.objects.create(
            email="A@EXAMPLE.ORG", name="Copy", token="x", token_hash="y" * 64
        )
    assert Participant.objects.get() == participant


def test_waitlist_position_only_when_waitlisted(make_session, register):
    session = make_session()
    place = register("a@example.org", [session.pk]).session_registrations[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionRegistration.objects.filter(pk=place.pk).update(waitlist_position=3)


def test_selectors_zone_weights_and_seat_counts(make_session, register):
    session = make_session(capacity=1)
    register("a@example.org", [session.pk], country="KE")
    register("b@example.org", [session.pk], country="KE", timezone="Africa/Lagos")
    register("c@example.org", [session.pk], country="US")
    register("d@example.org")
    assert selectors.registrant_zone_weights(session.event) == {
        "africa": {"Africa/Lagos": 1, "Africa/Nairobi": 1},
        "north-america": {"America/New_York": 1},
    }
    counts = selectors.session_seat_counts([session])
    assert (counts[session.pk], counts[session.pk].available) == (
        selectors.SeatCount(session.pk, 1, 1, 2),
        0,
    )


def test_participant_by_token_refuses_odd_input(register):
    register("a@example.org")
    assert [
        selectors.participant_by_token(value) for value in ("", "x" * 500, None, "a\x00" * 20)
    ] == [
        None,
        None,
        None,
        None,
    ]


def test_register_participant_returns_the_new_row_as_stored(register):
    kenya, nowhere = register("k@example.org", country="KE"), register("n@example.org")
    known = register("K@example.org", country="FR")
    stored = {
        participant.email: (participant.pk, participant.region_id)
        for participant in Participant.objects.all()
    }
    africa = Region.objects.get(code="africa").pk
    assert [
        (result.created, result.participant.pk, result.participant.region_id)
        for result in (kenya, nowhere, known)
    ] == [
        (True, *stored["k@example.org"]),
        (True, *stored["n@example.org"]),
        (False, *stored["k@example.org"]),
    ]
    assert (stored["k@example.org"][1], stored["n@example.org"][1]) == (africa, None)


def test_event_for_registration_knows_whether_it_has_questions(event):
    without = selectors.event_for_registration(event.slug)
    Question.objects.create(event=event, key="role", text="Role")
    with_one = selectors.event_for_registration(event.slug)
    assert (without, without.has_questions, with_one.has_questions) == (event, False, True)
    assert selectors.event_for_registration("no-such-event") is None
