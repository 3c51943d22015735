"""An SMTP server on loopback (aiosmtpd) that counts what it accepts by Message-ID.

``fail_with`` makes it answer every DATA with that reply (e.g. "421 …"); ``stop()`` makes
the port refuse connections until ``start()`` again on the same port.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
from collections import Counter
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller

from tests.waiting import wait_until


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SinkHandler:
    def __init__(self):
        self.lock = threading.Lock()
        self.messages = []
        self.fail_with: str | None = None
        self.refused_data = 0
        # With ``hold_after`` set, the DATA reply after that many accepted messages waits
        # until ``holding`` is cleared: the sender then has exactly one message in flight.
        self.hold_after: int | None = None
        self.holding = False
        self.held = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if "reject" in address:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.fail_with:
            with self.lock:
                self.refused_data += 1
            return self.fail_with
        message = message_from_bytes(envelope.content, policy=policy.default)
        if self.hold_after is not None and len(self.messages) >= self.hold_after:
            self.held.set()
            while self.holding:
                await asyncio.sleep(0.05)
        with self.lock:
            self.messages.append(message)
        return "250 OK"


class SmtpSink:
    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.handler = SinkHandler()
        self.controller = None

    def start(self) -> None:
        # aiosmtpd logs every SMTP command at INFO (ten lines a message), in the process that
        # must also receive the messages: a 10,000-message test would spend its time logging.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self) -> list:
        with self.handler.lock:
            return list(self.handler.messages)

    def counts(self) -> Counter:
        """Accepted messages per Message-ID."""
        return Counter(message["Message-ID"] for message in self.messages)

    def wait_for(self, condition, *, timeout: float, interval: float = 0.2) -> bool:
        """Wait until ``condition(self)`` holds or the deadline passes; whether it held."""
        return bool(wait_until(lambda: condition(self), timeout=timeout, interval=interval))
