"""The embedded default's mail: one ``.eml`` file per message in ``EMAIL_FILE_PATH``.

Django's file backend appends every message of a connection to one log file, which a mail
program cannot open. Each message here is a file of its own, named after when it was written
and its subject, so a newcomer running ``make run`` opens ``var/mail/*.eml`` in any mail
program (or reads it as text) and sees the email rendered, attachments and invitations
included.
"""

from __future__ import annotations

import itertools
import re
import threading
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

_NOT_FILE_SAFE = re.compile(r"[^A-Za-z0-9._-]+")
_counter = itertools.count(1)
_lock = threading.Lock()


class EmlFileBackend(BaseEmailBackend):
    def __init__(self, *args, file_path: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.directory = Path(file_path or settings.EMAIL_FILE_PATH)

    def send_messages(self, email_messages) -> int:
        if not email_messages:
            return 0
        self.directory.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            data = message.message().as_bytes(linesep="\r\n")
            with _lock:
                number = next(_counter)
            stamp = datetime.now(tz=UTC).strftime("%Y%m%d-%H%M%S-%f")
            subject = _NOT_FILE_SAFE.sub("-", str(message.subject))[:60].strip("-") or "message"
            (self.directory / f"{stamp}-{number:05d}-{subject}.eml").write_bytes(data)
            sent += 1
        return sent
