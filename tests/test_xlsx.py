"""bangfu score --format xlsx: the workbook opens with openpyxl and holds the computed figures,
rounded as displayed, with merged headers, number formats and frozen header rows."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from bangfu_eval.cli import app
from bangfu_eval.money import WAN, round_half_up
from bangfu_eval.pipeline import run
from casekit import BASE

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "2022"
runner = CliRunner()


def test_scorecard_workbook(tmp_path: Path) -> None:
    out = tmp_path / "自评表.xlsx"
    result = runner.invoke(app, ["score", str(DATA), "--force", "--out", str(out)])
    assert result.exit_code == 0, result.output
    outcome = run(DATA)
    r = outcome.results
    assert r is not None and outcome.year is not None
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "项目支出绩效自评表"
    assert [t for t in wb.sheetnames if t.startswith("指标体系-")] == [
        f"指标体系-{t.source}" for t in r.trees
    ]
    form = wb["项目支出绩效自评表"]
    assert form["A1"].value == "项目支出绩效自评表" and "A1:H1" in {str(m) for m in form.merged_cells.ranges}
    assert form["B3"].value == outcome.year.project.project.name
    assert form.freeze_panes == "A3"
    assert form["E7"].value == float(round_half_up(r.funds.spent / WAN, 4))
    assert form["E7"].number_format == "#,##0.0000"
    assert form["G7"].value == float(round_half_up(r.funds.utilisation or 0, 4))
    assert form["G7"].number_format == "0.00%"
    last = max(row for row in range(1, form.max_row + 1) if form.cell(row, 8).value is not None)
    assert (form.cell(last, 7).value, form.cell(last, 8).value) == (float(r.total), r.grade)

    funds = wb["资金来源"]
    assert funds["A2"].value == "资金来源" and funds.freeze_panes == "A3"
    total_row = 3 + len(r.funds.sources)
    assert funds.cell(total_row, 1).value == "合计"
    assert funds.cell(total_row, 4).value == float(round_half_up(r.funds.arrived, 2))
    assert funds.cell(total_row, 4).number_format == "#,##0.00"

    tree = wb[f"指标体系-{r.primary.source}"]
    merged = [m for m in tree.merged_cells.ranges if m.min_row >= 3]
    assert merged, "group cells are merged down over their indicators"
    head = [c.value for c in tree[2]]
    col = head.index("得分") + 1
    scores = [tree.cell(row, col).value for row in range(3, tree.max_row)]
    assert sum(s for s in scores if s is not None) == r.primary.score
    assert tree.cell(tree.max_row, col).value == r.primary.score
    assert tree.cell(tree.max_row, 1).value == "合计"


def test_xlsx_needs_out_and_never_overwrites(tmp_path: Path) -> None:
    assert runner.invoke(app, ["score", str(DATA), "--force", "--format", "xlsx"]).exit_code == 2
    out = tmp_path / "自评表.xlsx"
    out.write_bytes(b"mine")
    result = runner.invoke(app, ["score", str(BASE), "--out", str(out)])
    assert result.exit_code == 2 and out.read_bytes() == b"mine"
    assert runner.invoke(app, ["score", str(BASE), "--out", str(out), "--force"]).exit_code == 0
    assert openpyxl.load_workbook(out).sheetnames[0] == "项目支出绩效自评表"
