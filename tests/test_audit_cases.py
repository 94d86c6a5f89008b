"""Audit cases with their exact expected set of findings: the new person-level codes' own cases
(tests/cases/BF505–…) give their code and nothing else, and the variants under tests/cases/audit/
(脱困 against 死亡 exits, archive requirement per source, …) give exactly ``expect_all``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bangfu_eval.pipeline import run
from casekit import CASES, build, load_case

EXACT_CODES = ["BF505", "BF506", "BF507"]
VARIANTS = sorted(p.stem for p in (CASES / "audit").glob("*.json"))


def _found(year: Path) -> list[tuple[str, str, int, int]]:
    outcome = run(year)
    return sorted((f.code, f.location.file, f.location.line, f.location.column) for f in outcome.findings)


@pytest.mark.parametrize("code", EXACT_CODES)
def test_new_code_case_gives_only_its_code(code: str, tmp_path: Path) -> None:
    case = load_case(code)
    expected = sorted([tuple(case["expect"]), *map(tuple, case.get("also", []))])
    assert _found(build(case, tmp_path / "year")) == expected


@pytest.mark.parametrize("name", VARIANTS)
def test_variant_gives_exactly_its_findings(name: str, tmp_path: Path) -> None:
    case = json.loads((CASES / "audit" / f"{name}.json").read_text(encoding="utf-8"))
    assert _found(build(case, tmp_path / "year")) == sorted(map(tuple, case["expect_all"]))
