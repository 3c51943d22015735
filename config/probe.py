"""The container's health probe: ``python -m config.probe`` exits 0 when ``/healthz`` says ok.

It asks the gunicorn the container runs (the port of ``config/gunicorn.py``'s ``bind``), with
a ``Host`` header the site accepts (the first of ``ALLOWED_HOSTS``): a probe from 127.0.0.1
would otherwise be refused as a disallowed host in production.
"""

from __future__ import annotations

import http.client
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def probe_host(allowed_hosts: list[str]) -> str:
    """A concrete host name that ``ALLOWED_HOSTS`` accepts."""
    for host in allowed_hosts:
        if host == "*":
            return "localhost"
        return host.lstrip(".") or "localhost"
    return "localhost"


def probe_port(bind: str) -> int:
    """The port of a gunicorn ``bind`` (``0.0.0.0:8000``, ``[::]:8000``, ``:8000``)."""
    return int(bind.rsplit(":", 1)[1])


def main(timeout: float = 4.0) -> int:
    from django.conf import settings

    from config import gunicorn

    connection = http.client.HTTPConnection("127.0.0.1", probe_port(gunicorn.bind), timeout=timeout)
    try:
        connection.request(
            "GET",
            "/healthz",
            headers={"Host": probe_host(settings.ALLOWED_HOSTS)},
        )
        response = connection.getresponse()
        body = response.read(2000).decode("utf-8", "replace")
    except OSError as error:
        print(f"healthz unreachable: {error}", file=sys.stderr)
        return 1
    finally:
        connection.close()
    if response.status != 200:
        print(f"healthz answered {response.status}: {body}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
