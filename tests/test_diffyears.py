"""bangfu diff: two synthetic years of one unit with known differences. The 2023 year is the
2022 one (same seed) with three more households, one household's category changed, one
household gone, and one indicator's weight moved; expectations are read from the files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from bangfu_eval.cli import app
from bangfu_eval.diffyears import against_previous
from bangfu_eval.pipeline import run
from bangfu_eval.privacy import mask_id_number
from casekit import synth

runner = CliRunner()


def next_year(year: Path) -> Path:
    for path in year.iterdir():
        text = path.read_text(encoding="utf-8")
        text = text.replace("year: 2022", "year: 2023").replace("2022-", "2023-").replace("2022年", "2023年")
        path.write_text(text, encoding="utf-8")
    return year


def homes(year: Path) -> list[dict]:
    return yaml.safe_load((year / "households.yaml").read_text(encoding="utf-8"))["households"]


@pytest.fixture(scope="module")
def years(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("unit")
    old = synth(root / "2022", households=20, seed=5)
    # the same unit a year on: the same seed gives the same first 20 households (ID numbers
    # depend on synth's --year, so the year is written forward here instead)
    new = next_year(synth(root / "2023", households=23, seed=5))
    path = new / "households.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    rows = [i for i, line in enumerate(lines) if line.startswith("  - {id: H")]
    first, second = rows[0], rows[1]
    category = re.search(r"category: (\w+)", lines[first]).group(1)
    other = "relative" if category == "deep" else "deep"
    lines[first] = lines[first].replace(f"category: {category}", f"category: {other}")
    del lines[second]
    path.write_text("".join(lines), encoding="utf-8")
    ind = new / "indicators.yaml"
    text = ind.read_text(encoding="utf-8")
    text = text.replace("资金到位率, weight: 40", "资金到位率, weight: 35").replace(
        "按时发放, weight: 30", "按时发放, weight: 35"
    )
    ind.write_text(text, encoding="utf-8")
    return old, new


def test_diff_lists_the_known_entries(years: tuple[Path, Path]) -> None:
    old, new = years
    result = runner.invoke(app, ["diff", str(old), str(new), "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    a, b = homes(old), homes(new)
    a_ids, b_ids = {h["id_number"] for h in a}, {h["id_number"] for h in b}
    assert sorted(p["id_number"] for p in doc["entered"]) == sorted(mask_id_number(x) for x in b_ids - a_ids)
    assert [p["id_number"] for p in doc["left"]] == [mask_id_number(x) for x in a_ids - b_ids]
    (changed,) = doc["changed_category"]
    assert changed["id_number"] == mask_id_number(b[0]["id_number"])
    labels = {"deep": "深度困难", "relative": "相对困难"}
    assert (changed["old_category"], changed["new_category"]) == (
        labels[a[0]["category"]],
        labels[b[0]["category"]],
    )
    assert doc["paid_both"] == len(a_ids & b_ids)
    defs = {(d["kind"], d["name"]): d for d in doc["definitions"]}
    assert defs[("indicator", "资金到位率")]["fields"] == [["weight", "40", "35"]]
    assert defs[("indicator", "按时发放")]["fields"] == [["weight", "30", "35"]]
    for d in doc["definitions"]:
        assert d["change"] == "changed"
    pays = yaml.safe_load((new / "disbursements.yaml").read_text(encoding="utf-8"))["disbursements"]
    total = next(c for c in doc["person_times"] if c["key"] == "total")
    assert int(total["new"]) == len(pays)
    for full in b_ids | a_ids:
        assert full not in result.stdout


def test_diff_text_and_markdown(years: tuple[Path, Path]) -> None:
    old, new = years
    for fmt, marker in (("text", "新增 3 户，退出 1 户，类别变化 1 户"), ("md", "## 定义变化的指标和目标")):
        result = runner.invoke(app, ["diff", str(old), str(new), "--format", fmt])
        assert result.exit_code == 0 and marker in result.stdout, result.output


def test_diff_of_a_broken_year_exits_1(years: tuple[Path, Path], tmp_path: Path) -> None:
    old, _ = years
    broken = synth(tmp_path / "2023", households=5)
    (broken / "funds.yaml").unlink()
    result = runner.invoke(app, ["diff", str(old), str(broken)])
    assert result.exit_code == 1
    assert runner.invoke(app, ["diff", str(old), str(tmp_path / "nowhere")]).exit_code == 2


def test_against_previous_finds_the_year_beside(years: tuple[Path, Path]) -> None:
    old, new = years
    d = against_previous(run(new))
    assert d is not None and (d.old_year, d.new_year) == (2022, 2023)
    assert against_previous(run(old)) is None  # no 2021 beside it


def test_diff_with_a_year_without_its_ledger(years: tuple[Path, Path], tmp_path: Path) -> None:
    old, _ = years
    new = synth(tmp_path / "2023", "--year", "2023", households=12, seed=5)
    (new / "households.yaml").unlink()
    (new / "disbursements.yaml").unlink()
    result = runner.invoke(app, ["diff", str(old), str(new), "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["households_known"] is False and doc["entered"] == doc["left"] == []
    assert doc["paid_both"] is None
    total = next(c for c in doc["person_times"] if c["key"] == "total")
    assert total["new"] is None and total["delta"] is None
    spent = next(c for c in doc["funds"] if c["key"] == "spent")
    declared = yaml.safe_load((new / "funds.yaml").read_text(encoding="utf-8"))["sources"]
    assert spent["new"] == str(sum(int(s["spent"]) for s in declared))
