"""What other apps learn about registrations: one hook per moment.

``registrations.services`` calls these inside the transaction that made the change; the
notifications app connects its receivers in its ``AppConfig.ready()`` (this app does not
import it). Each hook is called with the keyword arguments documented here.
"""

from core.hooks import Hook

#: A public registration went through. Arguments: ``registration``,
#: ``session_registrations`` (the places asked for in this call), ``created`` (the
#: participant is new: their links have not been sent yet).
participant_registered = Hook("participant_registered")

#: Someone asked, by the public registration, for sessions of an event the address is
#: already registered for (active or cancelled); nothing was changed. Arguments:
#: ``registration`` (locked until the transaction ends), ``sessions`` (the ids asked for).
registration_requested = Hook("registration_requested")

#: A participant added sessions through their manage link. Arguments: ``registration``,
#: ``session_registrations``.
sessions_added = Hook("sessions_added")

#: A participant gave up places (seats or waitlist places) in one action: one session, or
#: several through one change of their manage link. Arguments: ``session_registrations``.
sessions_dropped = Hook("sessions_dropped")

#: A waitlisted participant got a seat because one was released.
#: Arguments: ``session_registration``.
seat_confirmed_from_waitlist = Hook("seat_confirmed_from_waitlist")

#: A participant cancelled their registration; these places were released.
#: Arguments: ``registration``, ``session_registrations``.
registration_cancelled = Hook("registration_cancelled")

#: A participant changed their preferences (zone, language, reminders, …) themselves.
#: Arguments: ``participant``.
participant_preferences_changed = Hook("participant_preferences_changed")

#: A participant's personal data was erased (the row anonymised, seats released).
#: Arguments: ``participant``.
participant_erased = Hook("participant_erased")
