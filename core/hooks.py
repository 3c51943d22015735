"""Explicit registries of receivers: how a lower app tells upper ones that something happened.

A lower app declares a :class:`Hook` for each moment (``events.hooks``,
``registrations.hooks``) and its services call it inside the transaction that made the
change; an upper app connects its receivers in its ``AppConfig.ready()``. The lower app never
imports the upper one, and whatever a receiver records commits or rolls back with the change.
Unlike Django's signals, receivers are called with keyword arguments only, in the order they
were connected, and an exception in one is the caller's exception (nothing is swallowed).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Receiver = Callable[..., Any]


class Hook:
    """One moment other apps may hear of. Call it with keyword arguments to tell them."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.receivers: list[Receiver] = []

    def connect(self, receiver: Receiver) -> Receiver:
        """Add ``receiver`` (once: connecting it again changes nothing). Returns it, so that
        this can decorate a function."""
        if receiver not in self.receivers:
            self.receivers.append(receiver)
        return receiver

    def disconnect(self, receiver: Receiver) -> None:
        if receiver in self.receivers:
            self.receivers.remove(receiver)

    def __call__(self, **arguments: Any) -> None:
        for receiver in tuple(self.receivers):
            receiver(**arguments)

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self.receivers)} receivers>"
