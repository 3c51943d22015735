"""What each participant is told when events, sessions and registrations change: the
receivers of ``events.hooks`` and ``registrations.hooks``, connected by
``NotificationsConfig.ready()``. Each one hands the moment to one function of
:mod:`notifications.participants.policy`."""

from __future__ import annotations

from events import hooks as event_hooks
from notifications.participants import policy
from registrations import hooks as registration_hooks


def _session_changed(*, session, changed, previous) -> None:
    policy.plan_change_notices(session=session, changed=changed, previous=previous)


def _session_cancelled(*, session) -> None:
    policy.plan_cancellation_notices(session=session)


def _recording_published(*, session) -> None:
    policy.plan_recording_notices(session=session)


def _reminder_offsets_changed(*, event, previous) -> None:
    policy.replan_event_reminders(event=event)


def _participant_registered(*, registration, session_registrations, created) -> None:
    policy.plan_registration_emails(
        registration=registration, places=session_registrations, fresh=created
    )


def _registration_requested(*, registration, sessions) -> None:
    policy.plan_registration_request(registration=registration, sessions=sessions)


def _sessions_added(*, registration, session_registrations) -> None:
    if session_registrations:
        policy.plan_registration_emails(registration=registration, places=session_registrations)


def _sessions_dropped(*, session_registrations) -> None:
    policy.drop_place_emails(places=session_registrations)


def _seat_confirmed_from_waitlist(*, session_registration) -> None:
    policy.plan_waitlist_promotion(place=session_registration)


def _registration_cancelled(*, registration, session_registrations) -> None:
    policy.drop_place_emails(places=session_registrations)


def _preferences_changed(*, participant) -> None:
    policy.follow_participant_preferences(participant=participant)


def _participant_erased(*, participant) -> None:
    policy.forget_participant_emails(participant=participant)


def connect() -> None:
    event_hooks.session_changed.connect(_session_changed)
    event_hooks.session_cancelled.connect(_session_cancelled)
    event_hooks.session_recording_published.connect(_recording_published)
    event_hooks.event_reminder_offsets_changed.connect(_reminder_offsets_changed)
    registration_hooks.participant_registered.connect(_participant_registered)
    registration_hooks.registration_requested.connect(_registration_requested)
    registration_hooks.sessions_added.connect(_sessions_added)
    registration_hooks.sessions_dropped.connect(_sessions_dropped)
    registration_hooks.seat_confirmed_from_waitlist.connect(_seat_confirmed_from_waitlist)
    registration_hooks.registration_cancelled.connect(_registration_cancelled)
    registration_hooks.participant_preferences_changed.connect(_preferences_changed)
    registration_hooks.participant_erased.connect(_participant_erased)
