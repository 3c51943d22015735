"""Reads ``docker-compose.yml`` and ``.env.example`` the way Docker Compose would, so tests can
check them and start the same commands, with the same environment, as local processes."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
APP_SERVICES = ("migrate", "web", "worker", "beat")

_INTERPOLATION = re.compile(r"\$\{(?P<name>[A-Z0-9_]+)(?::-(?P<default>[^}]*))?\}")
_ENV_LINE = re.compile(r"^#?\s*(?P<name>[A-Z][A-Z0-9_]*)=(?P<value>.*)$")


def load_compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def interpolate(value: str, variables: dict[str, str]) -> str:
    """Compose's ``${NAME}`` / ``${NAME:-default}`` substitution (``$$`` is a literal ``$``)."""

    def substitute(match: re.Match) -> str:
        found = variables.get(match["name"])
        if found:
            return found
        return match["default"] or ""

    return _INTERPOLATION.sub(substitute, value).replace("$$", "$")


def interpolated_names(compose: dict) -> set[str]:
    """Every variable the compose file interpolates."""
    return {match["name"] for match in _INTERPOLATION.finditer(yaml.safe_dump(compose))}


def env_example() -> dict[str, str]:
    """The variables ``.env.example`` sets, and those it documents commented out (``# NAME=…``),
    with their example values."""
    variables = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        match = _ENV_LINE.match(line.strip())
        if match:
            variables[match["name"]] = match["value"]
    return variables


def env_example_active() -> dict[str, str]:
    """Only the variables ``.env.example`` sets (what ``cp .env.example .env`` gives)."""
    return {
        name: value
        for name, value in env_example().items()
        if any(line.startswith(f"{name}=") for line in ENV_EXAMPLE.read_text().splitlines())
    }


def service_command(compose: dict, name: str, variables: dict[str, str]) -> list[str]:
    return [interpolate(str(part), variables) for part in compose["services"][name]["command"]]


def service_environment(compose: dict, name: str, variables: dict[str, str]) -> dict[str, str]:
    """What a service's process sees: its ``env_file`` (``.env``, made from ``.env.example``)
    overlaid by its ``environment``, interpolated with ``variables``."""
    service = compose["services"][name]
    environment = dict(env_example_active()) if service.get("env_file") else {}
    for key, value in (service.get("environment") or {}).items():
        environment[key] = interpolate(str(value), variables)
    return environment
