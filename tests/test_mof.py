"""A year on the Ministry of Finance's standard form (tests/years/mof, 财预〔2020〕10号): every
leaf score and the total computed by hand below, asserted from `bangfu score --format json`.

The ledger is the base year's (tests/cases/_base) with the cash payment D7 unsigned:
    D1 30000 festival central · D2 40000 living central · D3 30000 schooling central
    D4 50000 living province · D5 25000 medical city · D6 30000 living city
    D7 36000 daily union, cash, unsigned
    arrived 100000 + 50000 + 60000 + 40000 = 250000 (no carry-over); spent 241000.

Leaf by leaf (weight; method; by hand):
    预算执行率        10  execution_rate  10 × 241000 ÷ 250000 = 9.64
    生活救助人次      10  proportional    ≥3, actual 3 (D2 D4 D6): met → 10
    医疗救助人次      10  proportional    4人次以上, actual 1 (D5): 10 × 1 ÷ 4 = 2.5   (missed)
    现金发放有签名     5  manual, contradicted_by BF701: D7 unsigned → 0
    实名制发放率       5  proportional    100%, actual (241000 − 36000) ÷ 241000 = 0.850622…
                                          5 × 0.850622… = 4.2531… → 4.25 (declared 4: agrees at
                                          its printed precision, no finding)
    及时率（笔数）    10  all_or_nothing  100%, all 7 paid by 2023-12-31 → 10
    生活救助人次均     5  reverse         ≤45000元, actual 120000 ÷ 3 = 40000: met → 5 (ceiling)
    助学救助人次均     5  reverse         2.5万元以下, actual 30000: 5 × 25000 ÷ 30000 = 4.1666…
                                          → 4.17
    在档覆盖率        15  proportional    100%, H1–H4 archived (H4 graduating) all paid → 15
    社会影响          15  qualitative     部分达成 (60–80% = 9–12), declared 11 → 11
    服务对象满意度    10  proportional    target 95%以上, no survey result: declared 10 kept,
                                          flagged "no evidence" (BF309)
Total = 9.64 + 10 + 2.5 + 0 + 4.25 + 10 + 5 + 4.17 + 15 + 11 + 10 = 81.56 → 良 (80 ≤ 81.56 < 90).
Declared: every leaf as written sums to 10+10+10+5+4+10+5+5+15+11+10 = 95, the form says 95.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bangfu_eval.cli import app

MOF = Path(__file__).parent / "years" / "mof"


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    result = CliRunner().invoke(app, ["score", str(MOF), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _leaves(nodes: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for n in nodes:
        out.update(_leaves(n["children"]) if n["children"] else {n["label"]: n})
    return out


@pytest.fixture(scope="module")
def leaves(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return _leaves(doc["trees"][0]["nodes"])


BY_HAND = {
    "预算执行率": ("9.64", "execution_rate", ""),
    "生活救助人次": ("10", "proportional", ""),
    "医疗救助人次": ("2.5", "proportional", "missed"),
    "现金发放有签名": ("0", "manual", "contradicted"),
    "实名制发放率": ("4.25", "proportional", ""),
    "及时率（笔数）": ("10", "all_or_nothing", ""),
    "生活救助人次均金额": ("5", "reverse", ""),
    "助学救助人次均金额": ("4.17", "reverse", "missed"),
    "在档困难职工帮扶覆盖率": ("15", "proportional", ""),
    "帮扶工作社会影响": ("11", "qualitative", ""),
    "服务对象满意度": ("10", "proportional", "no_evidence"),
}


@pytest.mark.parametrize("label", list(BY_HAND))
def test_leaf_scores_as_computed_by_hand(leaves: dict[str, dict[str, Any]], label: str) -> None:
    score, method, status = BY_HAND[label]
    leaf = leaves[label]
    assert Decimal(leaf["score"]) == Decimal(score)
    assert leaf["method"] == method
    assert leaf["status"] == status


def test_total_grade_and_declared_totals(doc: dict[str, Any]) -> None:
    assert Decimal(doc["total"]) == Decimal("81.56")
    assert doc["grade"] == "良"
    assert doc["totals"] == {
        "computed": doc["total"],
        "declared": "95",
        "declared_leaves": "95",
        "grade": "良",
        "declared_grade": "优",
    }


def test_satisfaction_has_no_computed_score_and_keeps_the_declared(leaves: dict[str, dict[str, Any]]) -> None:
    leaf = leaves["服务对象满意度"]
    assert leaf["computed"] is None and leaf["leaf_declared"] == "10"


def test_contradiction_names_the_finding(leaves: dict[str, dict[str, Any]]) -> None:
    assert leaves["现金发放有签名"]["contradicted"] == ["BF701"]


def test_ceiling_target_met_in_its_direction(doc: dict[str, Any]) -> None:
    cost = next(t for t in doc["targets"] if t["id"] == "cost")
    assert cost["direction"] == "le" and cost["met"] is True  # 40000 ≤ 45000


def test_findings_one_per_discrepancy() -> None:
    from bangfu_eval.pipeline import run

    got = sorted((f.code, f.location.file) for f in run(MOF).findings)
    assert got == [
        ("BF306", "indicators.yaml"),  # 医疗救助人次 10 declared, 2.5 computed
        ("BF306", "indicators.yaml"),  # 现金发放有签名 contradicted by BF701
        ("BF306", "indicators.yaml"),  # 助学救助人次均金额 5 declared, 4.17 computed
        ("BF309", "indicators.yaml"),  # 服务对象满意度: full marks, no survey result
        ("BF404", "targets.yaml"),  # the satisfaction target has no actual
        ("BF701", "disbursements.yaml"),  # D7 cash without signature
        ("BF802", "project.yaml"),  # the evaluator's 95 against 81.56
        ("BF804", "project.yaml"),  # declared 优, computed 良
    ]


def test_text_scorecard_marks_and_fits_80_columns() -> None:
    from rich.cells import cell_len

    result = CliRunner().invoke(app, ["score", str(MOF)], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("总分 81.56") and "良" in lines[0]
    assert "申报总分 95" in lines[1]
    assert "申报“优”" in lines[2]
    assert max(cell_len(line) for line in lines) <= 80
    row = next(line for line in lines if "现金发放有签名" in line)
    assert "矛盾" in row


def test_an_acknowledged_finding_does_not_contradict(tmp_path: Path) -> None:
    """With BF701 acknowledged (the signature was obtained later), 现金发放有签名 keeps its 5:
    81.56 + 5 = 86.56."""
    import shutil

    from bangfu_eval.pipeline import run

    year = tmp_path / "y"
    shutil.copytree(MOF, year)
    with open(year / "project.yaml", "a", encoding="utf-8") as fh:
        fh.write("acknowledge:\n  - {code: BF701, file: disbursements.yaml, reason: 已补签名}\n")
    outcome = run(year)
    assert outcome.results is not None
    assert outcome.results.total == Decimal("86.56")
    assert "BF306" not in {f.code for f in outcome.findings if "现金" in f.message}
