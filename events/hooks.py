"""What other apps learn when an event or a session changes.

``events.services`` calls these inside the transaction that made the change; the
registrations and notifications apps connect their receivers in their ``AppConfig.ready()``
(this app imports neither). Each hook is called with the keyword arguments documented here.
"""

from core.hooks import Hook

#: A scheduled session's time, zone, link, title or status changed (SEQUENCE rose).
#: Arguments: ``session``, ``changed`` (field names), ``previous`` (their values before).
session_changed = Hook("session_changed")

#: A session was cancelled (SEQUENCE rose). Arguments: ``session``.
session_cancelled = Hook("session_cancelled")

#: An organiser changed a scheduled session's capacity. Arguments: ``session``, ``previous``
#: (the capacity before; ``None``: no limit). Seats it added go to the waitlist in the same
#: transaction.
session_capacity_changed = Hook("session_capacity_changed")

#: A session's recording link was set where there was none. Arguments: ``session``.
session_recording_published = Hook("session_recording_published")

#: An organiser changed when the event's reminders go out. Arguments: ``event``,
#: ``previous`` (the ``reminder_offsets`` before).
event_reminder_offsets_changed = Hook("event_reminder_offsets_changed")
