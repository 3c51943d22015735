"""Benchmark: instructions one public registration costs the web process (valgrind callgrind).

Unlike time, an instruction count hardly moves with what the rest of a shared host is
doing, so it tells two versions of the hot path apart where bench/registrations.py's
figures (which vary by up to half from hour to hour) cannot. PostgreSQL's own work is not
counted: bench/registrations.py measures it.

Creates its own database (bench/registrations.py's event and sessions), then runs this
script twice under ``valgrind --tool=callgrind``: once registering nobody and once
registering ``--count`` new people through the WSGI handler (each run first registers 20
people to warm up), each time on a freshly created database. The difference, divided by the
count, is the figure printed.

    .venv/bin/python bench/registrations_instructions.py [--count 200]

Takes about a minute (valgrind runs Python some fifty times slower). Needs valgrind.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
os.environ.setdefault(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/meridian_bench_instructions"
)
_spec = importlib.util.spec_from_file_location("bench_registrations", HERE / "registrations.py")
load = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(load)
WARM = 20


def prepare() -> None:
    load.recreate_database()
    load.setup_django()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    load.make_event()
    connection.close()


def register(count: int) -> None:
    """Register WARM, then ``count`` new people through the WSGI handler (under valgrind)."""
    load.setup_django()
    from django.core.wsgi import get_wsgi_application

    from events.models import Session

    session_id = Session.objects.values_list("pk", flat=True).get(title="Session 0")
    application = get_wsgi_application()
    for number in range(WARM + count):
        load.register_through_wsgi(
            application,
            {
                "email": f"instructions-{number}@example.org",
                "name": f"Load {number}",
                "country": "BR",
                "sessions": [session_id],
            },
        )


def instructions(count: int) -> int:
    """Instructions of one run registering ``count`` people, on a fresh database."""
    prepare()
    with tempfile.TemporaryDirectory() as folder:
        run = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={folder}/callgrind.out",
                sys.executable,
                __file__,
                "--register",
                str(count),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    found = re.search(r"Collected : (\d+)", run.stderr)
    if run.returncode != 0 or found is None:
        raise SystemExit(f"the run under valgrind failed:\n{run.stderr[-2000:]}")
    return int(found.group(1))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--register", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.register is not None:
        register(args.register)
        return 0
    if shutil.which("valgrind") is None:
        print("not measured: valgrind is not installed (Debian: apt-get install valgrind)")
        return 0
    try:
        base = instructions(0)
        loaded = instructions(args.count)
    finally:
        load.drop_database()
    print(
        f"instructions per registration in the web process: "
        f"{(loaded - base) / args.count / 1e6:.2f} M "
        f"(callgrind, {args.count} registrations after {WARM}, PostgreSQL {load.DATABASE_URL})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
