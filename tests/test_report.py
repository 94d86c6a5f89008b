"""bangfu report: Markdown golden file, Word read back, PDF, templates, refusals."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from typer.testing import CliRunner

from bangfu_eval.cli import app
from bangfu_eval.money import fmt_wan, fmt_yuan
from bangfu_eval.pipeline import Outcome
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
    text = _report(tmp_path, "r.md", "--draft").read_text(encoding="utf-8")
    if update_golden:
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_markdown_figures_come_from_the_calculation(tmp_path: Path, year2022: Outcome) -> None:
    r = year2022.results
    assert r is not None
    text = _report(tmp_path, "r.md", "--draft").read_text(encoding="utf-8")
    assert f"共计{fmt_yuan(r.funds.allocated)}元" in text
    planned = year2022.year.project.project.planned_amount  # type: ignore[union-attr]
    assert f"| 合计 | {fmt_wan(planned)} | " in text
    assert f"| {fmt_wan(r.funds.arrived)} | {fmt_wan(r.funds.spent)} |" in text
    assert f"评价等次：{r.grade}" in text
    assert "^^" not in text and "{{" not in text


def test_errors_refuse_the_report_and_draft_stamps_it(tmp_path: Path) -> None:
    refused = runner.invoke(app, ["report", str(DATA), "--out", str(tmp_path / "r.md")])
    assert refused.exit_code == 1
    assert not (tmp_path / "r.md").exists()
    text = _report(tmp_path, "d.md", "--draft").read_text(encoding="utf-8")
    assert text.startswith("> **草稿")


def test_clean_year_is_not_a_draft(tmp_path: Path) -> None:
    text = _report(tmp_path, "r.md", year=BASE).read_text(encoding="utf-8")
    assert "草稿" not in text
    assert "未发现问题" in text


def test_docx_reads_back_with_tables_fonts_and_figures(tmp_path: Path, year2022: Outcome) -> None:
    r = year2022.results
    assert r is not None
    doc = Document(str(_report(tmp_path, "r.docx", "--draft")))
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
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert fmt_wan(r.funds.arrived) in cells and fmt_wan(r.funds.spent) in cells
    assert "^^" not in cells
    body = doc.element.body.xml
    assert "w:vMerge" in body  # merged cells, as in the seed's tables
    assert "PAGE" in doc.sections[0].footer._element.xml
    assert "草稿" in doc.sections[0].header.paragraphs[0].text
    for t in doc.tables:
        assert t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_docx_masks_personal_data(tmp_path: Path) -> None:
    doc = Document(str(_report(tmp_path, "r.docx", "--draft")))
    xml = doc.element.body.xml
    for name in ("符永强", "胡博", "韩群", "覃湘"):
        assert name not in xml
    assert "66237804" not in xml and "****7804" in xml


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_docx_converts_to_pdf(tmp_path: Path, year2022: Outcome) -> None:
    r = year2022.results
    assert r is not None
    docx_path = _report(tmp_path, "r.docx", "--draft")
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
    runner.invoke(app, ["report", str(year), "--out", str(tmp_path / "r.docx"), "--draft"])
    assert {p.name: p.read_bytes() for p in year.iterdir()} == before
