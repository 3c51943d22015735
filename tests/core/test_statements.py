"""core.statements: rows written and read as the ORM would, from SQL built once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.models.signals import post_init, post_save, pre_init, pre_save
from django.test.utils import CaptureQueriesContext

from core import statements
from events import services as event_services
from events.models import Event, Region, Session
from notifications.models import OutboxMessage
from registrations.models import Participant, Registration, SessionRegistration

pytestmark = pytest.mark.django_db

# Written through statements.insert on every registration: no signal may listen to them.
WRITTEN_WITHOUT_SIGNALS = (Participant, Registration, SessionRegistration, OutboxMessage)


def _row(model, pk) -> dict:
    row = model.objects.filter(pk=pk).values().get()
    return {
        name: value
        for name, value in row.items()
        if name not in ("id", "created_at", "updated_at", "token", "token_hash", "email")
    }


def _person(email: str, **values) -> Participant:
    values.setdefault("name", "Amina Diallo")
    return Participant(email=email, token=email, token_hash=email, **values)


def test_insert_writes_the_row_that_save_writes(event):
    saved = _person("saved@example.org", country="SN", timezone="Africa/Dakar")
    saved.save()
    inserted = _person("inserted@example.org", country="SN", timezone="Africa/Dakar")
    returned = statements.insert([inserted], returning=("pk", "region"))
    assert returned == [(inserted.pk, None)]
    assert _row(Participant, inserted.pk) == _row(Participant, saved.pk)
    stamped = Participant.objects.get(pk=inserted.pk)
    assert stamped.created_at is not None and stamped.updated_at is not None

    by_orm = Registration.objects.create(
        participant=saved, event=event, answers={"role": "chair", "n": [1, "é"]}
    )
    by_statement = Registration(
        participant=inserted, event=event, answers={"role": "chair", "n": [1, "é"]}
    )
    statements.insert([by_statement], returning=("pk",))
    assert _row(Registration, by_statement.pk) == {
        **_row(Registration, by_orm.pk),
        "participant_id": inserted.pk,
    }


SAMPLES = {str: ["", "Amina", "é\u200f"], bool: [True, False], type(None): [None]}


@pytest.mark.parametrize("model", WRITTEN_WITHOUT_SIGNALS)
def test_values_passed_as_they_are_are_what_the_fields_would_prepare(model):
    """insert() skips pre_save and get_db_prep_save for values of the types _preparers
    names: on this database, those calls would hand on each such value unchanged."""
    checked = []
    for attname, field, as_is in statements._preparers(model):
        instance = model()
        for kind in as_is:
            for value in SAMPLES[kind]:
                setattr(instance, attname, value)
                prepared = field.get_db_prep_save(
                    field.pre_save(instance, add=True), connection=connection
                )
                checked.append((attname, value, type(prepared), prepared))
    assert checked == [(attname, value, type(value), value) for attname, value, *_ in checked]
    assert len({attname for attname, *_ in checked}) >= 3  # not vacuous


def test_insert_computes_a_field_in_the_statement_and_skips_conflicts():
    africa = Region.objects.get(code="africa")
    person = _person("amina@example.org")
    expression = {"region_id": ("(SELECT id FROM events_region WHERE code = %s)", ["africa"])}
    assert statements.insert(
        [person], returning=("pk", "region"), ignore_conflicts=True, expressions=expression
    ) == [(person.pk, africa.pk)]
    again = _person("again@example.org")
    again.token_hash = person.token_hash  # unique: this row conflicts
    assert statements.insert([again], returning=("pk",), ignore_conflicts=True) == []
    assert again.pk is None
    assert list(Participant.objects.values_list("email", "region__code")) == [
        ("amina@example.org", "africa")
    ]
    with pytest.raises(ValueError, match="single row"):
        statements.insert(
            [_person("a@example.org"), _person("b@example.org")], expressions=expression
        )


def test_insert_of_many_rows_writes_them_all_in_batches_the_backend_takes():
    people = [_person(f"p{number}@example.org", name=f"P{number}") for number in range(120)]
    statements.insert(people, ignore_conflicts=True)
    assert sorted(Participant.objects.values_list("name", flat=True)) == sorted(
        f"P{number}" for number in range(120)
    )


def test_fetch_reads_what_the_orm_reads(event):
    event_services.update_event(event=event, reminder_offsets=[1440, 60])
    session = event_services.create_session(
        event=event,
        title="Working group",
        starts_at=datetime(2026, 4, 28, 12, tzinfo=UTC),
        duration_minutes=90,
        speakers=["Ana", "李"],
    )
    [found] = statements.fetch(
        Event,
        f"SELECT {statements.columns(Event, 'e')}, 42 FROM events_event e WHERE e.slug = %s",  # noqa: S608 (identifiers from model metadata)
        ["midterm"],
        extra=("answer",),
    )
    expected = Event.objects.get(pk=event.pk)
    assert (vars(found) | {"_state": None}) == (vars(expected) | {"_state": None, "answer": 42})
    assert (found.languages, found.reminder_offsets, found._state.adding) == (
        ["en", "fr"],
        [1440, 60],
        False,
    )
    [read] = statements.fetch(
        Session,
        f"SELECT {statements.columns(Session, 's')} FROM events_session s WHERE s.id = %s"  # noqa: S608 (identifiers from model metadata)
        + statements.for_update(Session),
        [session.pk],
        write=True,
    )
    assert (vars(read) | {"_state": None}) == (
        vars(Session.objects.get(pk=session.pk)) | {"_state": None}
    )
    assert statements.fetch(Event, "SELECT * FROM events_event WHERE slug = %s", ["none"]) == []


def test_statements_are_logged_like_the_orms():
    with CaptureQueriesContext(connection) as captured:
        statements.insert([_person("logged@example.org")], returning=("pk",))
    assert [query["sql"].split()[:3] for query in captured.captured_queries] == [
        ["INSERT", "INTO", '"registrations_participant"']
    ]


@pytest.mark.parametrize("model", WRITTEN_WITHOUT_SIGNALS, ids=lambda model: model.__name__)
def test_no_signal_listens_to_the_models_written_without_signals(model):
    listening = [
        signal
        for signal in (pre_init, post_init, pre_save, post_save)
        if signal.has_listeners(model)
    ]
    assert listening == []


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_inserted_instance_saves_as_an_update():
    inserted = _person("again@example.org", timezone="Africa/Dakar")
    statements.insert([inserted], returning=("pk",))
    inserted.name = "Amina D."
    inserted.save()
    assert list(
        Participant.objects.filter(email="again@example.org").values_list("pk", "name")
    ) == [(inserted.pk, "Amina D.")]
