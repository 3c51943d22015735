"""The layers of DESIGN.md hold (import-linter), and an upward import breaks them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.pure

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("config", "core", "events", "registrations", "planner", "calendars", "notifications")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        env=dict(os.environ, PYTHONPATH=str(tree)),
        capture_output=True,
        text=True,
        timeout=120,
    )


def copy_tree(target: Path) -> Path:
    for name in (*PACKAGES, "pages"):
        shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")
    return target


def test_the_layer_contracts_hold():
    run = lint_imports(ROOT)
    assert (run.returncode, "0 broken" in run.stdout) == (0, True), run.stdout + run.stderr


@pytest.mark.parametrize(
    ("module", "upward", "broken"),
    [
        ("core/errors.py", "import events.models", "Apps depend one way"),
        ("events/services.py", "import registrations.services", "Apps depend one way"),
        ("registrations/hooks.py", "import notifications.participants.policy", "one way"),
        ("notifications/outbox/rows.py", "import notifications.participants", "outbox machinery"),
        ("planner/engine/slots.py", "import events.models", "are pure"),
    ],
)
def test_an_upward_import_breaks_a_contract(tmp_path, module, upward, broken):
    tree = copy_tree(tmp_path)
    path = tree / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{upward}  # noqa\n", encoding="utf-8")
    run = lint_imports(tree)
    assert run.returncode == 1, run.stdout
    assert f"{broken}" in run.stdout.split("Broken contracts")[1], run.stdout
