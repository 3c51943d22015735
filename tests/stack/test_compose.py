"""The compose file parses and names only commands, modules and settings that exist."""

from __future__ import annotations

import importlib
import re
import runpy
import sys
from pathlib import Path

import pytest

from .compose import (
    APP_SERVICES,
    ROOT,
    env_example,
    interpolated_names,
    load_compose,
    service_command,
)

pytestmark = pytest.mark.pure

VENV_BIN = Path(sys.executable).parent
SETTINGS_SOURCE = (ROOT / "config" / "settings.py").read_text()
GUNICORN_SOURCE = (ROOT / "config" / "gunicorn.py").read_text()
README = (ROOT / "README.md").read_text()
SETTINGS_VARIABLE = re.compile(r"env\.\w+\(\s*\"([A-Z][A-Z0-9_]*)\"")
GUNICORN_VARIABLE = re.compile(r"os\.environ\.get\(\"([A-Z][A-Z0-9_]*)\"")
README_TABLE_NAME = re.compile(r"^\|[^|]*", re.MULTILINE)


def _readme_table_names() -> set[str]:
    """Every backticked name in the first column of README's tables."""
    names = set()
    for cell in README_TABLE_NAME.findall(README):
        names.update(re.findall(r"`([A-Z][A-Z0-9_]*)`", cell))
    return names


def _option(command: list[str], flag: str) -> str:
    return command[command.index(flag) + 1]


def test_compose_has_the_stack_services():
    assert sorted(load_compose()["services"]) == sorted(
        [*APP_SERVICES, "postgres", "redis", "mail"]
    )


def test_compose_commands_name_executables_of_the_venv():
    compose = load_compose()
    executables = {name: service_command(compose, name, {})[0] for name in APP_SERVICES}
    assert executables == {
        "migrate": "python",
        "web": "gunicorn",
        "worker": "celery",
        "beat": "celery",
    }
    for executable in set(executables.values()):
        path = Path(sys.executable) if executable == "python" else VENV_BIN / executable
        assert path.exists(), f"{executable} is not installed in {VENV_BIN}"


def test_compose_web_names_a_wsgi_application_and_a_gunicorn_config_that_load():
    command = service_command(load_compose(), "web", {})
    module_name, attribute = command[1].split(":")
    application = getattr(importlib.import_module(module_name), attribute)
    config = runpy.run_path(str(ROOT / _option(command, "--config")))
    assert (callable(application), config["bind"], config["accesslog"]) == (
        True,
        "0.0.0.0:8000",
        "-",
    )


def test_compose_celery_services_name_the_project_app_and_its_tasks():
    compose = load_compose()
    apps = {name: _option(service_command(compose, name, {}), "-A") for name in ("worker", "beat")}
    celery_app = importlib.import_module(apps["worker"]).celery_app
    celery_app.loader.import_default_modules()
    assert (apps, celery_app.main) == ({"worker": "config", "beat": "config"}, "meridian")
    scheduled = {entry["task"] for entry in celery_app.conf.beat_schedule.values()}
    assert scheduled <= set(celery_app.tasks), "beat schedules a task no module defines"


def test_compose_migrate_runs_an_existing_management_command():
    from django.core.management import get_commands

    command = service_command(load_compose(), "migrate", {})
    assert (command[:2], (ROOT / command[1]).is_file(), get_commands()[command[2]]) == (
        ["python", "manage.py"],
        True,
        "django.core",
    )


def test_compose_runs_exactly_one_beat_that_cannot_be_scaled():
    services = load_compose()["services"]
    beats = [name for name, service in services.items() if "beat" in service.get("command", [])]
    assert beats == ["beat"]
    assert services["beat"].get("deploy", {}).get("replicas", 1) == 1


def test_compose_redis_never_evicts_queue_keys():
    command = load_compose()["services"]["redis"]["command"]
    assert _option(command, "--maxmemory-policy") == "noeviction"


def test_compose_health_checks_and_named_volumes():
    compose = load_compose()
    services = compose["services"]
    with_health_checks = {name for name, service in services.items() if "healthcheck" in service}
    assert {"web", "postgres", "redis"} <= with_health_checks
    mounted = {
        volume.split(":")[0]
        for service in services.values()
        for volume in service.get("volumes", [])
    }
    assert mounted == set(compose["volumes"]) == {"postgres-data", "redis-data", "beat-schedule"}


def test_compose_web_health_check_is_the_probe_module():
    from config import probe

    test = load_compose()["services"]["web"]["healthcheck"]["test"]
    assert (test, callable(probe.main)) == (["CMD", "python", "-m", "config.probe"], True)


def test_compose_migrations_run_once_before_the_long_running_services():
    services = load_compose()["services"]
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }


def test_env_example_lists_only_variables_that_something_reads():
    read = (
        set(SETTINGS_VARIABLE.findall(SETTINGS_SOURCE))
        | set(GUNICORN_VARIABLE.findall(GUNICORN_SOURCE))
        | interpolated_names(load_compose())
    )
    assert set(env_example()) - read == set()


def test_every_setting_read_from_the_environment_is_documented_in_readme():
    documented = _readme_table_names()
    read = (
        set(SETTINGS_VARIABLE.findall(SETTINGS_SOURCE))
        | set(GUNICORN_VARIABLE.findall(GUNICORN_SOURCE))
        | interpolated_names(load_compose())
    )
    assert read - documented == set()


def test_probe_host_is_one_allowed_hosts_accepts():
    from config.probe import probe_host, probe_port

    assert [
        probe_host(["meridian.example.org", "other"]),
        probe_host([".example.org"]),
        probe_host(["*"]),
        probe_host([]),
        probe_port("0.0.0.0:8000"),
        probe_port("[::]:8001"),
    ] == ["meridian.example.org", "example.org", "localhost", "localhost", 8000, 8001]
