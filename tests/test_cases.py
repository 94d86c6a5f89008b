"""One broken input per finding code (tests/cases/BFxxx.json): each is the clean base year with
one edit, and must give its code at the expected file, line and column, and nothing else but
the consequences the case lists under ``also`` (and says why, under ``also_because``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bangfu_eval.catalogue import CODES, PROVINCE_CODES
from bangfu_eval.pipeline import Outcome, run
from casekit import build, case_codes, load_case


@pytest.mark.parametrize("code", case_codes())
def test_case_gives_its_code_at_its_place(code: str, tmp_path: Path) -> None:
    case = load_case(code)
    year = build(case, tmp_path / "year")
    outcome = run(year, max_file_mb=case.get("max_file_mb", 200))
    found = sorted((f.code, f.location.file, f.location.line, f.location.column) for f in outcome.findings)
    assert tuple(case["expect"]) in found, found
    assert case["expect"][0] == code


@pytest.mark.parametrize("code", case_codes())
def test_case_gives_nothing_else(code: str, tmp_path: Path) -> None:
    case = load_case(code)
    outcome = run(build(case, tmp_path / "year"), max_file_mb=case.get("max_file_mb", 200))
    found = sorted((f.code, f.location.file, f.location.line, f.location.column) for f in outcome.findings)
    expected = sorted([tuple(case["expect"]), *map(tuple, case.get("also", []))])
    assert found == expected
    assert ("also" in case) is ("also_because" in case)


def test_every_code_has_a_case() -> None:
    assert set(case_codes()) == set(CODES) - PROVINCE_CODES  # those: tests/test_rollup.py


def test_clean_base_has_no_findings(base_year: Outcome) -> None:
    assert base_year.findings == []
    assert base_year.results is not None
