"""GB/T 9704 layout of the Word outputs, read back with python-docx; the 公示 list's notices."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from typer.testing import CliRunner

from bangfu_eval.cli import app
from bangfu_eval.pipeline import Outcome
from bangfu_eval.render.docx import BODY_PT, TITLE_BREAKS, TITLE_PT, _text_mm, _title_lines

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "2022"
runner = CliRunner()


def _write(tmp_path: Path, *args: str) -> Document:  # type: ignore[valid-type]
    out = tmp_path / "out.docx"
    result = runner.invoke(app, [*args, str(DATA), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return Document(str(out))


def test_a_long_title_breaks_after_a_word_into_lines_that_fit() -> None:
    title = "海口市总工会2022年度帮扶资金支出项目绩效评价报告"
    lines = _title_lines(title, 156)
    assert len(lines) == 2 and "".join(lines) == title
    assert all(_text_mm(line, TITLE_PT) <= 156 for line in lines)
    assert lines[0].endswith(TITLE_BREAKS) or lines[0][-1].isdigit()
    assert _title_lines("短标题", 156) == ["短标题"]


def test_report_title_signature_and_annex_marks(tmp_path: Path, year2022: Outcome) -> None:
    assert year2022.year is not None
    doc = _write(tmp_path, "report")
    paragraphs = doc.paragraphs
    n = year2022.year.narrative
    first = next(i for i, p in enumerate(paragraphs) if p.text and n.subtitle in p.text)
    lines = []
    i = first
    while paragraphs[i].text:
        assert paragraphs[i].alignment == WD_ALIGN_PARAGRAPH.CENTER
        lines.append(paragraphs[i].text)
        i += 1
    assert "".join(lines) == n.subtitle + n.title and len(lines) > 1  # broken, not wrapped
    assert paragraphs[i].text == ""  # the blank line after the title
    issuer = year2022.year.project.project.issuer
    signature = next(p for p in paragraphs if p.text == issuer)
    assert signature.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert signature.paragraph_format.right_indent == Pt(BODY_PT * 4)  # 右空四字
    assert signature.paragraph_format.space_before and signature.paragraph_format.space_before > 0
    annexes = [p for p in paragraphs if p.text.startswith("附件")]
    assert [p.text for p in annexes] == [f"附件{k}" for k in range(2, 7)]
    for p in annexes:
        assert p.alignment in (None, WD_ALIGN_PARAGRAPH.LEFT) and not p.paragraph_format.first_line_indent
        assert p.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"


def test_amounts_right_and_numbers_centred(tmp_path: Path) -> None:
    doc = _write(tmp_path, "report")
    budget = next(
        t for t in doc.tables if t.rows[0].cells[0].text == "资金来源" and "执行率" in t.rows[0].cells[3].text
    )
    row = budget.rows[1]
    assert row.cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert budget.rows[0].cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    xml = budget._tbl.xml
    assert xml.count('w:vAlign w:val="center"') == sum(len(r.cells) for r in budget.rows)


def test_publicity_notices_signed_by_the_unit_with_their_own_page_numbers(
    tmp_path: Path, year2022: Outcome
) -> None:
    assert year2022.year is not None and year2022.year.disbursements is not None
    doc = _write(tmp_path, "publicity")
    project = year2022.year.project.project
    batches = year2022.year.disbursements.batches
    texts = [p.text for p in doc.paragraphs]
    # a title broken into lines: the unit's name, then the rest
    titles = [texts[i - 1] + t for i, t in enumerate(texts) if t.endswith("年度帮扶资金发放公示")]
    assert len(titles) == len(batches) and all(t.startswith(project.unit) for t in titles)
    signatures = [
        p for p in doc.paragraphs if p.text == project.unit and p.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    ]
    assert len(signatures) == len(batches)
    body = "\n".join(p.text for p in doc.paragraphs)
    assert body.count(f"监督电话：{project.phone}") == len(batches)
    restarts = [s for s in doc.sections if 'w:start="1"' in s._sectPr.xml]
    assert len(restarts) == len(batches) - 1  # every notice after the first starts again at 1
    amounts = [t.rows[1].cells[5].paragraphs[0].alignment for t in doc.tables]
    assert set(amounts) == {WD_ALIGN_PARAGRAPH.RIGHT}


def test_the_forms_column_titles_are_set_like_headers(tmp_path: Path) -> None:
    doc = _write(tmp_path, "report")
    form = next(t for t in doc.tables if t.rows[0].cells[0].text == "项目名称")
    titles = next(row for row in form.rows if row.cells[0].text == "一级指标")
    for cell in titles.cells:
        assert cell.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert cell.paragraphs[0].runs[0].bold
    assert form.rows[0]._tr.trPr.find(qn("w:tblHeader")) is None  # a form: nothing repeats
    first = form.rows[0].cells[0].paragraphs[0]
    assert not (first.runs and first.runs[0].bold)


def test_long_tables_let_rows_break_and_small_ones_keep_them_whole(tmp_path: Path) -> None:
    """LibreOffice drops a row that may not break when it opens a vertical merge at a page's foot
    (附件6 lost a 3-point row that way): only short tables and repeated headers keep rows whole."""
    from bangfu_eval.render.docxtable import SMALL_TABLE_ROWS

    doc = _write(tmp_path, "report")
    sizes = set()
    for t in doc.tables:
        rows = t._tbl.tr_lst
        body = [tr for tr in rows if tr.find(qn("w:trPr")) is None or tr.trPr.find(qn("w:tblHeader")) is None]
        whole = [tr.trPr is not None and tr.trPr.find(qn("w:cantSplit")) is not None for tr in body]
        small = len(rows) <= SMALL_TABLE_ROWS
        sizes.add(small)
        assert all(whole) if small else not any(whole)
    assert sizes == {True, False}
