"""Under ``make run`` each email is a file of its own that a mail program opens."""

from __future__ import annotations

from email import message_from_bytes, policy

from django.core.mail import EmailMultiAlternatives, get_connection


def test_each_message_is_one_eml_file_that_parses_back(tmp_path):
    connection = get_connection("core.mail_files.EmlFileBackend", file_path=str(tmp_path))
    messages = []
    for number in (1, 2):
        message = EmailMultiAlternatives(
            f"Your registration for R&D {number}",
            f"Hello {number}",
            "meridian@localhost",
            ["ana@example.org"],
            connection=connection,
        )
        message.attach_alternative(f"<p>Hello {number}</p>", "text/html")
        messages.append(message)
    assert connection.send_messages(messages) == 2
    files = sorted(tmp_path.glob("*.eml"))
    parsed = [message_from_bytes(path.read_bytes(), policy=policy.default) for path in files]
    assert [
        (path.name.split("-", 4)[-1], m["Subject"]) for path, m in zip(files, parsed, strict=True)
    ] == [
        ("Your-registration-for-R-D-1.eml", "Your registration for R&D 1"),
        ("Your-registration-for-R-D-2.eml", "Your registration for R&D 2"),
    ]
    assert [m.get_body(("html",)).get_content().strip() for m in parsed] == [
        "<p>Hello 1</p>",
        "<p>Hello 2</p>",
    ]
