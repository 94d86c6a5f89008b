"""bangfu score --format xlsx: the workbook opens with openpyxl and holds the computed figures,
rounded as displayed, with merged headers, number formats and frozen header rows."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from bangfu_eval.cli import app
from bangfu_eval.money import WAN, round_half_up
from bangfu_eval.pipeline import run
from bangfu_eval.render.scorecard import node_rows
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


def test_standard_form_lists_the_primary_trees_indicators(tmp_path: Path) -> None:
    """A year in the MOF form: one row per indicator with its target, actual, weight and score
    as computed by its method; the funds row's score is the 预算执行率 leaf's."""
    year = ROOT / "tests" / "years" / "mof"
    out = tmp_path / "自评表.xlsx"
    assert runner.invoke(app, ["score", str(year), "--out", str(out)]).exit_code == 0
    r = run(year).results
    assert r is not None
    form = openpyxl.load_workbook(out)["项目支出绩效自评表"]
    rows = {row[2] or row[0]: row for row in form.iter_rows(values_only=True) if row[0] or row[2]}
    leaves = [n for _, n in node_rows(r.primary.nodes, None) if not n.children]
    for leaf in leaves:
        row = rows[leaf.label]
        assert (row[5], row[6]) == (float(leaf.weight), float(leaf.score) if leaf.score is not None else None)
        assert row[3] == (leaf.target_text or None)
        assert (row[7] is not None) == (leaf.measure_met is False)
    execution = next(n for n in leaves if n.method == "execution_rate")
    assert form["H7"].value == float(execution.score or 0) and form["F7"].value == float(execution.weight)
    headers = [c.value for c in next(r for r in form.iter_rows() if r[0].value == "一级指标")]
    assert headers[:3] == ["一级指标", "二级指标", "三级指标"] and headers[-1] == "偏差原因分析及改进措施"


def test_workbook_masks_household_values_and_writes_no_formula(tmp_path: Path) -> None:
    """A household's name and numbers written into an indicator's text reach the workbook
    masked, and a text cell that starts with '=' stays text (no formula runs in Excel)."""
    import shutil

    import yaml

    year = tmp_path / "2022"
    shutil.copytree(DATA, year)
    first = yaml.safe_load((DATA / "households.yaml").read_text(encoding="utf-8"))["households"][0]
    secrets = [first["name"], first["id_number"], first["phone"], first["card_number"]]
    path = year / "indicators.yaml"
    text = path.read_text(encoding="utf-8")
    old = "criterion: 帮扶对象是否明确，是否实现在档困难职工帮扶全覆盖"
    assert old in text
    path.write_text(text.replace(old, f'criterion: "=HYPERLINK(1) {" ".join(secrets)}"', 1), encoding="utf-8")
    out = tmp_path / "自评表.xlsx"
    result = runner.invoke(app, ["score", str(year), "--out", str(out)])
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    texts = [str(c.value) for c in cells]
    assert any("HYPERLINK" in t for t in texts)  # the criterion is in the workbook …
    for secret in secrets:
        assert not any(secret in t for t in texts), secret  # … with the household's values masked
    assert all(c.data_type != "f" for c in cells)
