"""bangfu report: Markdown golden file, Word read back, PDF, templates, refusals."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from typer.testing import CliRunner

from bangfu_eval.cli import app
from bangfu_eval.money import fmt_number, fmt_pct, fmt_wan, parse_money, prose_wan, prose_yuan
from bangfu_eval.narrative import declarations
from bangfu_eval.pipeline import Outcome, run
from bangfu_eval.render import pdf
from bangfu_eval.report_tables import leaves as report_leaves
from bangfu_eval.results import NodeResult, TreeResult
from bangfu_eval.selfeval import execution_leaf, targets_done_table
from casekit import BASE

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "2022"
GOLDEN = ROOT / "tests" / "golden" / "report-2022.md"
runner = CliRunner()


def _report(tmp_path: Path, name: str, *args: str, year: Path = DATA) -> Path:
    out = tmp_path / name
    result = runner.invoke(app, ["report", str(year), "--out", str(out), *args])
    assert result.exit_code == 0, result.output
    return out


def test_markdown_matches_golden(tmp_path: Path, update_golden: bool) -> None:
    """Update with: pytest tests/test_report.py --update-golden (and review the diff)."""
    text = _report(tmp_path, "r.md").read_text(encoding="utf-8")
    if update_golden:
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def _sentences(text: str) -> list[str]:
    """The report's prose: every line that is not a table row, a heading or a layout hint."""
    return [line for line in text.splitlines() if line and not line.startswith(("|", "#", "<!--"))]


def test_markdown_figures_come_from_the_calculation(tmp_path: Path, year2022: Outcome) -> None:
    r = year2022.results
    assert r is not None
    text = _report(tmp_path, "r.md").read_text(encoding="utf-8")
    assert f"共计{prose_yuan(r.funds.allocated)}元" in text  # the unit's style: 2914797元
    planned = year2022.year.project.project.planned_amount  # type: ignore[union-attr]
    assert f"| 合计 | {fmt_wan(planned)} | " in text
    assert f"| {fmt_wan(r.funds.arrived)} | {fmt_wan(r.funds.spent)} |" in text
    assert f"评价等次为“{r.grade}”" in text and f"得分{fmt_number(r.total)}分" in text
    assert "^^" not in text and "<<" not in text and "{{" not in text


def test_prose_keeps_the_units_style_and_its_own_second_declaration(
    tmp_path: Path, year2022: Outcome
) -> None:
    assert year2022.year is not None
    text = _report(tmp_path, "r.md").read_text(encoding="utf-8")
    for line in _sentences(text):
        assert not re.search(r"\d\.\d*0(万元|元|%)", line), line  # never 242.0000万元 in a sentence
        assert not re.search(r"\d,\d{3}", line), line
    planned = next(d for d in declarations(year2022.year) if d.names == ("project.planned_amount",))
    assert planned.offset is not None  # a placeholder in a paragraph of narrative.yaml
    own = prose_wan(parse_money(planned.text))
    assert f"计划使用帮扶资金{own}万元" in text  # the narrative's 200万元 stays as written
    computed = prose_wan(year2022.year.project.project.planned_amount)
    assert own != computed and f"| 计划投资额（万元） | {fmt_wan(parse_money(planned.text))} |" not in text


def test_design_card_usage_writes_a_draft_and_says_how_to_finalise(tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    result = runner.invoke(app, ["report", str(DATA), "--out", str(out)])
    assert result.exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("> **草稿")
    assert "草稿" in result.stderr and "acknowledge" in result.stderr and "--final" in result.stderr
    final = runner.invoke(app, ["report", str(DATA), "--out", str(tmp_path / "f.md"), "--final"])
    assert final.exit_code == 1
    assert not (tmp_path / "f.md").exists()


def test_clean_year_is_not_a_draft(tmp_path: Path) -> None:
    text = _report(tmp_path, "r.md", "--final", year=BASE).read_text(encoding="utf-8")
    assert "草稿" not in text
    assert "未发现问题" in text


def _section(text: str, heading: str) -> str:
    start = text.index(heading)
    return text[start : text.index("\n### ", start + 1)]


def test_problems_are_plain_chinese_and_the_list_is_separate(tmp_path: Path, year2022: Outcome) -> None:
    text = _report(tmp_path, "r.md").read_text(encoding="utf-8")
    problems = _section(text, "存在的问题及原因")
    assert not re.search(r"BF\d{3}|\.yaml|\d+:\d+", problems)
    errors = [f for f in year2022.findings if f.severity.value == "error"]
    assert problems.count("是") >= 1 and len(errors) > 0
    assert "【待填写】" in _section(text, "改进措施")
    body = text[: text.index("# 问题清单")]
    assert not re.search(r"\.yaml|\.csv|\bbangfu\b|improvements", body)  # the unit's document only
    tail = text[text.index("# 问题清单") :]
    assert "附件" not in text[text.index("# 问题清单") - 40 : text.index("# 问题清单")]
    for f in year2022.findings:
        if f.severity.value != "info" or f.code == "BF803":
            assert f"| {f.location.file} | 第{f.location.line}行 |" in tail
    assert "错误" in tail and "警告" in tail
    assert not re.search(r"\b(error|warning|info)\b", text)


def test_annex3_total_row_and_annex5_form(tmp_path: Path, year2022: Outcome) -> None:
    r = year2022.results
    assert r is not None
    text = _report(tmp_path, "r.md").read_text(encoding="utf-8")
    w = fmt_number(r.primary.weight)
    assert f"| 总分 | {w} |  | {w} |  | {w} |" in text
    annex5 = text[text.index("<!-- annex -->附件5") : text.index("<!-- annex -->附件6")]
    grade_row = next(line for line in annex5.splitlines() if line.startswith("| 评价等次 |"))
    assert grade_row.endswith(f"| {r.grade} |")
    assert "评价工作组组长（签字）" in annex5 and "项目单位负责人（签字并盖章）" in annex5
    assert "| 项目 | 内容 |" not in annex5  # no invented header row


def test_previous_year_beside_gives_a_comparison(tmp_path: Path) -> None:
    this, before = tmp_path / "2023", tmp_path / "2022"
    shutil.copytree(BASE, this)
    shutil.copytree(BASE, before)
    project = before / "project.yaml"
    project.write_text(project.read_text(encoding="utf-8").replace("year: 2023", "year: 2022"), "utf-8")
    text = _report(tmp_path, "r.md", year=this).read_text(encoding="utf-8")
    assert "与2022年相比" in text and "| 项目 | 2022年 | 2023年 | 增减 | 增减率 |" in text
    shutil.rmtree(before)
    text = _report(tmp_path, "r2.md", year=this).read_text(encoding="utf-8")
    assert "相比" not in text


def _docx_tables(doc: object) -> list[list[list[str]]]:
    return [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]  # type: ignore[attr-defined]


def test_docx_reads_back_with_tables_fonts_and_figures(tmp_path: Path, year2022: Outcome) -> None:
    r = year2022.results
    assert r is not None and year2022.year is not None
    doc = Document(str(_report(tmp_path, "r.docx")))
    first = doc.sections[0]

    def mm(v: object) -> int:
        return round(v.mm)  # type: ignore[attr-defined]

    assert (mm(first.page_width), mm(first.page_height)) == (210, 297)  # A4
    assert (mm(first.top_margin), mm(first.bottom_margin)) == (37, 35)  # GB/T 9704
    assert (mm(first.left_margin), mm(first.right_margin)) == (28, 26)
    assert any(mm(s.page_width) == 297 for s in doc.sections)  # the wide tables: landscape
    runs = [run for p in doc.paragraphs for run in p.runs if run.text.strip()]
    east = {run._element.rPr.rFonts.get(qn("w:eastAsia")) for run in runs}
    assert None not in east and {"仿宋", "黑体", "楷体", "方正小标宋简体"} <= east
    title = next(run for run in runs if "绩效评价报告" in run.text)
    assert title.font.size == Pt(22)
    annex = next(p for p in doc.paragraphs if p.text == "附件2")
    assert annex.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    assert annex.alignment is None or annex.alignment == WD_ALIGN_PARAGRAPH.LEFT
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert fmt_wan(r.funds.arrived) in cells and fmt_wan(r.funds.spent) in cells
    assert "^^" not in cells and "<<" not in cells
    body = doc.element.body.xml
    assert "w:vMerge" in body and "w:gridSpan" in body  # merged cells, as in the printed forms
    for section in doc.sections:
        assert "PAGE" in section.footer._element.xml and "PAGE" in section.even_page_footer._element.xml
    assert doc.settings.odd_and_even_pages_header_footer
    assert first.footer.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert first.even_page_footer.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert "草稿" in doc.sections[0].header.paragraphs[0].text
    assert doc.core_properties.author == year2022.year.project.project.issuer
    assert year2022.year.narrative.title in doc.core_properties.title


def test_docx_self_evaluation_form_and_annex5_grade_row(tmp_path: Path, year2022: Outcome) -> None:
    r = year2022.results
    assert r is not None
    tables = _docx_tables(Document(str(_report(tmp_path, "r.docx"))))
    form = next(t for t in tables if t[0][0] == "项目名称")
    labels = [row[0] for row in form]
    for label in (
        "主管部门",
        "项目资金（万元）",
        "年度资金总额",
        "其中：本年财政拨款",
        "上年结转资金",
        "其他资金",
    ):
        assert label in labels
    assert "年度总体目标" in labels
    header = labels.index("一级指标")
    assert form[header][3:8] == ["年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
    leaves = list(report_leaves(r.primary.nodes))
    body = form[header + 1 : -1]
    assert len(body) == len(leaves)
    assert [row[5] for row in body] == [fmt_number(leaf.weight) for _, leaf in leaves]
    assert [row[6] for row in body] == [fmt_number(leaf.score) for _, leaf in leaves]
    assert form[-1][0] == "总分" and form[-1][5:7] == [
        fmt_number(r.primary.weight),
        fmt_number(r.primary.score),
    ]
    funds = form[labels.index("年度资金总额")]
    assert funds[4] == fmt_wan(r.funds.spent) and funds[6] == fmt_pct(r.figures["funds.execution_rate"].value)
    grade_rows = [row for t in tables for row in t if row[0] == "评价等次"]
    assert grade_rows and all(row[-1] == r.grade for row in grade_rows)


def test_docx_shows_officials_in_full(tmp_path: Path, year2022: Outcome) -> None:
    assert year2022.year is not None
    xml = Document(str(_report(tmp_path, "r.docx"))).element.body.xml
    p = year2022.year.project
    for person in [p.project.responsible_person, *(e.name for e in p.evaluation.evaluators)]:
        assert person in xml
    assert p.project.phone in xml


@pytest.mark.parametrize(
    ("out", "fmt"),
    [("r.txt", None), ("r.md", "docx"), ("r.docx", "md"), ("-", "docx")],
)
def test_suffix_decides_and_a_mismatch_is_a_usage_error(tmp_path: Path, out: str, fmt: str | None) -> None:
    target = out if out == "-" else str(tmp_path / out)
    args = ["report", str(BASE), "--out", target] + (["--format", fmt] if fmt else [])
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert list(tmp_path.iterdir()) == []


def test_out_dash_writes_markdown_to_stdout(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", str(BASE), "--out", "-"])
    assert result.exit_code == 0
    assert result.stdout.startswith("<!-- annex -->附件2") and "# 问题清单" in result.stdout


def test_pdf_without_libreoffice_says_how_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "converter", lambda: None)
    result = runner.invoke(app, ["report", str(BASE), "--out", str(tmp_path / "r.pdf")])
    assert result.exit_code == 2
    assert "LibreOffice" in result.stderr and "apt-get install" in result.stderr
    assert not (tmp_path / "r.pdf").exists()


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_files_get_the_users_umask(tmp_path: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        out = _report(tmp_path, "r.md", year=BASE)
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_pdf_through_libreoffice(tmp_path: Path, year2022: Outcome) -> None:
    r = year2022.results
    assert r is not None
    pdf_path = _report(tmp_path, "direct.pdf")
    assert pdf_path.read_bytes().startswith(b"%PDF")
    docx_path = _report(tmp_path, "r.docx")
    subprocess.run(
        [str(ROOT / "scripts" / "docx-to-pdf.sh"), str(docx_path), str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdf = tmp_path / "r.pdf"
    assert pdf.stat().st_size > 10_000
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        flat = "".join(text.split())  # LibreOffice spaces CJK from digits
        assert "附件3" in flat and fmt_wan(r.funds.arrived) in flat


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("标题\n\n{{ nope }}\n", 3),
        ("{% for x in %}\n", 1),
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}\n", 1),
    ],
)
def test_broken_or_hostile_template_is_a_clear_error(tmp_path: Path, body: str, line: int) -> None:
    tdir = tmp_path / "t"
    tdir.mkdir()
    (tdir / "report.md.j2").write_text(body, encoding="utf-8")
    out = tmp_path / "r.md"
    result = runner.invoke(app, ["report", str(BASE), "--out", str(out), "--template", str(tdir)])
    assert result.exit_code == 2
    assert f"report.md.j2:{line}" in result.output
    assert not out.exists()


def test_unit_template_with_filters(tmp_path: Path) -> None:
    tdir = tmp_path / "t"
    tdir.mkdir()
    (tdir / "report.md.j2").write_text(
        "# {{ title }}\n\n到位 {{ results.funds.arrived | wan }} 万元（{{ results.funds.arrived"
        " | capital }}），等次 {{ grade }}\n",
        encoding="utf-8",
    )
    text = _report(tmp_path, "r.md", "--template", str(tdir), year=BASE).read_text("utf-8")
    assert "到位 25.0000 万元（贰拾伍万元整），等次 优" in text


def test_refuses_data_directory_and_existing_output(tmp_path: Path) -> None:
    year = tmp_path / "y"
    shutil.copytree(BASE, year)
    inside = runner.invoke(app, ["report", str(year), "--out", str(year / "r.md")])
    assert inside.exit_code == 2 and not (year / "r.md").exists()
    out = _report(tmp_path, "r.md", year=year)
    out.write_text("mine", encoding="utf-8")
    again = runner.invoke(app, ["report", str(year), "--out", str(out)])
    assert again.exit_code == 2 and out.read_text(encoding="utf-8") == "mine"
    forced = runner.invoke(app, ["report", str(year), "--out", str(out), "--force"])
    assert forced.exit_code == 0 and out.read_text(encoding="utf-8") != "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.md", "y"]  # no temp files left


def test_data_tree_is_byte_identical_after_every_command(tmp_path: Path) -> None:
    year = tmp_path / "y"
    shutil.copytree(DATA, year)
    before = {p.name: p.read_bytes() for p in year.iterdir()}
    runner.invoke(app, ["check", str(year)])
    runner.invoke(app, ["score", str(year), "--force"])
    runner.invoke(app, ["report", str(year), "--out", str(tmp_path / "r.docx")])
    assert {p.name: p.read_bytes() for p in year.iterdir()} == before


def test_an_acknowledgement_keeps_the_units_declared_figure(tmp_path: Path) -> None:
    year = tmp_path / "y"
    shutil.copytree(BASE, year)
    narrative = year / "narrative.yaml"
    text = narrative.read_text(encoding="utf-8")
    narrative.write_text(
        text.replace("{{ funds.arrived = 250000 }}", "{{ funds.arrived = 250001 }}"), "utf-8"
    )
    plain = _report(tmp_path, "plain.md", year=year).read_text(encoding="utf-8")
    assert "全年到位资金250000元" in plain  # BF201: the computed figure, and a draft
    project = year / "project.yaml"
    ack = "acknowledge:\n  - {code: BF201, file: narrative.yaml, reason: 以财务决算为准}\n"
    project.write_text(project.read_text(encoding="utf-8") + ack, "utf-8")
    kept = _report(tmp_path, "kept.md", "--final", year=year).read_text(encoding="utf-8")
    assert "全年到位资金250001元" in kept and "草稿" not in kept


def test_indicators_scored_against_a_target_join_the_targets_table(year2022: Outcome) -> None:
    r = year2022.results
    assert r is not None
    path, leaf = next(
        (p, x) for p, x in report_leaves(r.primary.nodes) if x.measure_value is not None and not x.target_text
    )
    scored = dataclasses.replace(leaf, target_text="≥100.00%")
    parent = dataclasses.replace(
        path[-1], children=tuple(scored if c is leaf else c for c in path[-1].children)
    )
    tree = _swap(r.primary, path[-1], parent)
    table = targets_done_table(dataclasses.replace(r, primary=tree), {})
    expected = ["≥100.00%", fmt_pct(leaf.measure_value), fmt_number(leaf.weight), fmt_number(leaf.score)]
    assert len(table.rows) == len(targets_done_table(r, {}).rows) + 1
    assert [x[2:6] for x in table.rows].count(expected) == 1 + [
        x[2:6] for x in targets_done_table(r, {}).rows
    ].count(expected)


def _swap(tree: TreeResult, old: NodeResult, new: NodeResult) -> TreeResult:
    def walk(n: NodeResult) -> NodeResult:
        if n is old:
            return new
        return dataclasses.replace(n, children=tuple(walk(c) for c in n.children)) if n.children else n

    return dataclasses.replace(tree, nodes=tuple(walk(n) for n in tree.nodes))


def test_a_mof_year_puts_its_execution_rate_score_in_the_form(tmp_path: Path) -> None:
    mof = ROOT / "tests" / "years" / "mof"
    outcome = run(mof)
    assert outcome.results is not None
    leaf = execution_leaf(outcome.results)
    assert leaf is not None and leaf.score is not None
    text = _report(tmp_path, "mof.md", year=mof).read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| 年度资金总额 |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[5:8] == [
        fmt_number(leaf.weight),
        fmt_pct(outcome.results.figures["funds.execution_rate"].value),
        fmt_number(leaf.score),
    ]
