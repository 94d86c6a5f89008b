"""Audit variants with their exact expected set of findings (tests/cases/audit/: 脱困 against 死亡
exits, the archive requirement per source, …; the codes' own cases are tests/test_cases.py's),
and the related places and masking of the 重复享受 findings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bangfu_eval.pipeline import run
from casekit import CASES, build, load_case

VARIANTS = sorted(p.stem for p in (CASES / "audit").glob("*.json"))


def _found(year: Path) -> list[tuple[str, str, int, int]]:
    outcome = run(year)
    return sorted((f.code, f.location.file, f.location.line, f.location.column) for f in outcome.findings)


@pytest.mark.parametrize("name", VARIANTS)
def test_variant_gives_exactly_its_findings(name: str, tmp_path: Path) -> None:
    case = json.loads((CASES / "audit" / f"{name}.json").read_text(encoding="utf-8"))
    assert _found(build(case, tmp_path / "year")) == sorted(map(tuple, case["expect_all"]))


def test_shared_card_is_masked_and_names_the_first_household(tmp_path: Path) -> None:
    outcome = run(build(load_case("BF903"), tmp_path / "year"))
    (f,) = [f for f in outcome.findings if f.code == "BF903"]
    assert "6217000011112222" not in f.message and "6217 0000" not in f.message
    assert "尾号 ************2222" in f.message and "H1" in f.message
    assert [(r.file, r.line) for r in f.related] == [("households.yaml", 3)]


def test_several_sources_name_every_payment_of_the_month(tmp_path: Path) -> None:
    outcome = run(build(load_case("BF708"), tmp_path / "year"))
    (f,) = [f for f in outcome.findings if f.code == "BF708"]
    assert [(r.file, r.line) for r in f.related] == [("disbursements.yaml", 8)]
    assert "2 笔" in f.message


def test_one_targets_band_problems_are_one_finding_with_their_places(tmp_path: Path) -> None:
    outcome = run(build(load_case("BF401"), tmp_path / "year"))
    (f,) = outcome.findings
    assert f.code == "BF401" and "之间的值没有等级" in f.message  # the gap, folded in
    assert [(r.file, r.line, r.column) for r in f.related] == [("targets.yaml", 11, 9)]
    assert "BF403" in f.help
