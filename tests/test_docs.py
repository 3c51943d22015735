"""The project documents its own contract: every file the README and docs/ link to exists,
and the contract page names every public route of the schema's paths."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
LINK = re.compile(r"\]\(([^)#]+)(?:#[^)]*)?\)")

pytestmark = pytest.mark.pure


def test_every_relative_link_in_the_docs_points_to_a_file():
    missing = []
    for document in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for target in LINK.findall(document.read_text(encoding="utf-8")):
            if "://" in target:
                continue
            if not (document.parent / target).resolve().exists():
                missing.append(f"{document.relative_to(ROOT)} -> {target}")
    assert missing == []
    assert "docs/contract.md" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_contract_page_names_the_schema_and_the_contract_routes():
    contract = (ROOT / "docs" / "contract.md").read_text(encoding="utf-8")
    schema = yaml.safe_load((ROOT / "tests" / "config" / "openapi.yaml").read_text("utf-8"))
    for route in ("/api/regions/", "/api/events/{slug}/registrations/", "/api/planner/"):
        assert route in contract and route.rstrip("/") + "/" in schema["paths"]
    assert "/api/schema/" in contract and "tests/config/openapi.yaml" in contract
