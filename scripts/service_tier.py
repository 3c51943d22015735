"""Runs the service tier: the suite again on PostgreSQL with Redis, plus what only they show.

PostgreSQL comes from SERVICE_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/meridian)
and Redis from SERVICE_REDIS_URL (default redis://127.0.0.1:6379/15). When either is not
reachable the tier is skipped with the reason, unless REQUIRE_SERVICES=1, which makes it fail.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from urllib.parse import urlparse

DATABASE_URL = os.environ.get("SERVICE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/meridian")
REDIS_URL = os.environ.get("SERVICE_REDIS_URL", "redis://127.0.0.1:6379/15")
REQUIRED = os.environ.get("REQUIRE_SERVICES", "") == "1"


def reachable(url: str, default_port: int) -> str | None:
    """None when a TCP connection to the URL's host opens, else why not."""
    parsed = urlparse(url)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or default_port
    try:
        with socket.create_connection((host, port), timeout=3):
            return None
    except OSError as error:
        return f"{parsed.scheme} at {host}:{port} is not reachable ({error.strerror or error})"


def main() -> int:
    problems = [
        problem
        for problem in (reachable(DATABASE_URL, 5432), reachable(REDIS_URL, 6379))
        if problem
    ]
    if problems:
        reason = "; ".join(problems)
        if REQUIRED:
            print(f"service tier FAILED: {reason} (REQUIRE_SERVICES=1)", file=sys.stderr)
            return 1
        print(
            f"service tier SKIPPED: {reason}. Start them, or set SERVICE_DATABASE_URL / "
            "SERVICE_REDIS_URL, to run it."
        )
        return 0
    env = dict(
        os.environ,
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=REDIS_URL,
        MERIDIAN_SERVICE_TIER="1",
    )
    command = [sys.executable, "-m", "pytest", "-m", "not pure and not browser", *sys.argv[1:]]
    print(
        "service tier:", " ".join(command), f"(DATABASE_URL={DATABASE_URL}, REDIS_URL={REDIS_URL})"
    )
    return subprocess.call(command, env=env)


if __name__ == "__main__":
    sys.exit(main())
