"""Benchmark: where one registration's CPU goes, in one process (no server, no concurrency).

Uses bench/registrations.py's database, event and sessions (PostgreSQL, created and dropped
here), then registers new people one after another three ways, alternating, and prints the
CPU time of this process per registration for each:

- ``request``: the whole request through the WSGI handler (middleware, DRF, view, service);
- ``view work``: what the view does (the event read, the checks of the request, the service);
- ``service``: ``register_participant`` alone.

The differences say what the HTTP stack and the view cost; PostgreSQL's own CPU is not
counted (bench/registrations.py measures it under load).

    .venv/bin/python bench/registrations_inprocess.py [--count 300] [--rounds 3]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("bench_registrations", HERE / "registrations.py")
load = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(load)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    load.recreate_database()
    load.setup_django()
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from django.db import connection

    from registrations import selectors, services
    from registrations.serializers import validated_registration_request

    call_command("migrate", verbosity=0)
    _event, sessions = load.make_event()
    session_id = sessions[0].pk
    application = get_wsgi_application()
    event = selectors.event_for_registration("bench")
    counter = iter(range(10**9))

    def body() -> dict:
        number = next(counter)
        return {
            "email": f"inprocess-{number}@example.org",
            "name": f"Load {number}",
            "country": "BR",
            "sessions": [session_id],
        }

    def request() -> None:
        load.register_through_wsgi(application, body())

    def view_work() -> None:
        data = json.loads(json.dumps(body()))
        found = selectors.event_for_registration("bench")
        services.register_participant(event=found, **validated_registration_request(data))

    def service() -> None:
        services.register_participant(event=event, **body())

    ways = {"request": request, "view work": view_work, "service": service}
    figures: dict[str, list[float]] = {name: [] for name in ways}
    try:
        for way in ways.values():  # warm every path (imports, prepared statements)
            for _ in range(30):
                way()
        for _ in range(args.rounds):
            for name, way in ways.items():
                began = time.process_time()
                for _ in range(args.count):
                    way()
                figures[name].append((time.process_time() - began) * 1000 / args.count)
        print(
            f"CPU per registration in this process, median of {args.rounds} rounds of "
            f"{args.count}, PostgreSQL {load.DATABASE_URL}:"
        )
        for name, values in figures.items():
            print(
                f"  {name:9}  {statistics.median(values):.2f} ms  "
                f"({', '.join(f'{value:.2f}' for value in values)})"
            )
    finally:
        connection.close()
        load.drop_database()
    return 0


if __name__ == "__main__":
    sys.exit(main())
