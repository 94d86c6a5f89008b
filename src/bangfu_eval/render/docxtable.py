"""Word tables built row by row from the row's own XML, in time linear in the cells.

python-docx's ``table.cell(r, c)`` rebuilds the table's cell grid on every call, so filling a
table with it costs rows² (a 900-row 公示 list took a minute). Here every cell is a copy of a
prepared ``<w:tc>`` (font, size, alignment, width) whose text is set, appended to a ``<w:tr>``
appended to the table: nothing already built is walked again.

Cells: ``MERGE_UP`` continues the cell above (a vertical merge, as the seed's tables merge
them), ``MERGE_LEFT`` widens the cell to its left (a horizontal span). Alignment after GB/T 9704
practice: header cells and short numbers (序号, 分值, 得分) centred, amounts and percentages
right-aligned, text left-aligned; every cell centred vertically.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from xml.sax.saxutils import escape

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm

from bangfu_eval.report_tables import MERGE_LEFT, MERGE_UP

LATIN_FONT = "Times New Roman"
CELL_FONT = "仿宋"
TABLE_PT = 10.5
ESCAPED = frozenset({"\\" + MERGE_UP, "\\" + MERGE_LEFT})
"""Data that reads like a merge mark, escaped by the template's cell filter: shown as written."""
CELL_MARGIN_TWIPS = 57  # 1 mm
CELL_PAD_MM = 3.0  # both margins and 1 mm of air: what a column needs beyond its text
SMALL_TABLE_ROWS = 16  # a table this short is kept on one page (no row stranded)

_AMOUNT = re.compile(r"^[-+−]?[\d,]*\d(\.\d+)?\s*(%|％|元|万元|人次|户|人|分)?$")
_SHORT_NUMBER = re.compile(r"^[-+]?\d{1,4}(\.\d{1,2})?$")


def column_alignment(rows: Sequence[Sequence[str]], header_rows: int, ncols: int) -> list[str | None]:
    """One alignment for each column whose body cells agree (all amounts: right; all short
    numbers: centre); None where cells differ and each cell decides (a form's mixed rows)."""
    out: list[str | None] = []
    for c in range(ncols):
        texts = {r[c] for r in rows[header_rows:] if c < len(r)}  # each distinct value once
        kinds = {
            alignment(t, False)
            for t in texts
            if t.strip() not in ("", "—", MERGE_UP, MERGE_LEFT, "合计", "总分", "小计")
        }
        out.append(kinds.pop() if len(kinds) == 1 else "left" if header_rows and kinds else None)
    return out


def alignment(text: str, header: bool, form: bool = False) -> str:
    """'center', 'right' or 'left' for a cell's text; in a form (cells decide one by one) a short
    word such as a name stays left like the text around it."""
    t = text.strip()
    if header or t in ("", "—", "合计", "总分", "小计") or (len(t) <= 2 and not form):
        return "center"  # headers, grades (优), severities (错误), dashes
    if _SHORT_NUMBER.fullmatch(t) and "," not in t and "." not in t:
        return "center"  # 序号, 分值, 得分, counts
    if _AMOUNT.fullmatch(t):
        return "right"
    return "left"


TABLE_STYLE = "BangfuTable"
"""The paragraph style of every table cell (font, size, spacing), so a cell's XML is short."""


def table_style(doc) -> None:  # type: ignore[no-untyped-def]
    """Add the cells' paragraph style once: 仿宋 10.5 pt, single spacing, no indent."""
    if any(s.style_id == TABLE_STYLE for s in doc.styles):
        return
    half_points = int(TABLE_PT * 2)
    doc.styles.element.append(
        parse_xml(
            f'<w:style {nsdecls("w")} w:type="paragraph" w:customStyle="1" w:styleId="{TABLE_STYLE}">'
            f'<w:name w:val="{TABLE_STYLE}"/><w:basedOn w:val="Normal"/><w:qFormat/>'
            '<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
            '<w:ind w:firstLine="0"/></w:pPr>'
            f'<w:rPr><w:rFonts w:ascii="{LATIN_FONT}" w:hAnsi="{LATIN_FONT}" w:eastAsia="{CELL_FONT}"/>'
            f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr></w:style>'
        )
    )


def _cell_xml(
    width_twips: int, align: str, bold: bool, keep: bool, span: int, vmerge: str
) -> tuple[str, str]:
    """One cell's XML before and after its text: width, span, vertical merge and centring, the
    paragraph's style and alignment (the schema's order of elements kept)."""
    k = "<w:keepNext/>" if keep else ""
    g = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    v = {"": "", "continue": "<w:vMerge/>", "restart": '<w:vMerge w:val="restart"/>'}[vmerge]
    r = "<w:rPr><w:b/><w:bCs/></w:rPr>" if bold else ""
    before = (
        f'<w:tc><w:tcPr><w:tcW w:w="{width_twips}" w:type="dxa"/>{g}{v}<w:vAlign w:val="center"/></w:tcPr>'
        f'<w:p><w:pPr><w:pStyle w:val="{TABLE_STYLE}"/>{k}<w:jc w:val="{align}"/></w:pPr>'
        f'<w:r>{r}<w:t xml:space="preserve">'
    )
    return before, "</w:t></w:r></w:p></w:tc>"


def _row_start(header: bool, whole: bool) -> str:
    """A row's start. ``whole`` rows may not break across pages; a long table's rows may, since
    LibreOffice drops a row that may not break when it opens a vertical merge at a page's foot
    (the row's text fell below the table and its figures were lost)."""
    keep = "<w:cantSplit/>" if whole else ""
    return "<w:tr><w:trPr>" + keep + ('<w:tblHeader w:val="true"/>' if header else "") + "</w:trPr>"


def _rows_xml(
    rows: Sequence[Sequence[str]], twips: list[int], header_rows: int, labels: frozenset[int] = frozenset()
) -> Iterator[str]:
    """The table's rows as XML text, a row at a time (each cell looks at most one row down).
    Rows in ``labels`` are set like headers (bold, centred) but not repeated on every page: the
    column titles in the middle of a form."""
    ncols = len(twips)
    small = len(rows) <= SMALL_TABLE_ROWS
    columns = column_alignment(rows, header_rows, ncols)
    made: dict[tuple[int, str, bool, bool, int, str], tuple[str, str]] = {}
    for r, row in enumerate(rows):
        repeat = r < header_rows
        header = repeat or r in labels
        keep = small and r < len(rows) - 1  # keep-with-next down to the last row: one page
        below_row = rows[r + 1] if r + 1 < len(rows) else ()
        parts = [_row_start(repeat, small or repeat)]
        c = 0
        while c < ncols:
            text = row[c] if c < len(row) else ""
            span = 1 + sum(1 for _ in itertools.takewhile(lambda t: t == MERGE_LEFT, row[c + 1 :]))
            shown = "" if text == MERGE_UP else text[1:] if text in ESCAPED else text
            align = "center" if header else columns[c] or alignment(shown, header, form=True)
            if shown in ("合计", "总分", "小计") or (not header and span > 1 and columns[c] is None):
                align = alignment(shown, header, form=True)
            below = below_row[c] if c < len(below_row) else None
            vmerge = "continue" if text == MERGE_UP else "restart" if below == MERGE_UP else ""
            key = (sum(twips[c : c + span]), align, header, keep, span, vmerge)
            before, after = made.get(key) or made.setdefault(key, _cell_xml(*key))
            parts += (before, escape(shown), after)
            c += span
        parts.append("</w:tr>")
        yield "".join(parts)


def add_table(  # type: ignore[no-untyped-def]
    doc,
    rows: Sequence[Sequence[str]],
    widths_mm: Sequence[float],
    header_rows: int = 1,
    labels: frozenset[int] = frozenset(),
) -> object:
    """Append a table of ``rows`` (text cells, merge markers) with the given column widths."""
    ncols = len(widths_mm)
    table_style(doc)
    table = doc.add_table(rows=0, cols=ncols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    twips = [int(Mm(w).twips) for w in widths_mm]
    for column, w in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(w)  # the grid: LibreOffice reads widths from here
    tbl = table._tbl
    margins = parse_xml(  # 1 mm a side, not Word's 1.9 mm: more text on one line
        f'<w:tblCellMar {nsdecls("w")}><w:left w:w="{CELL_MARGIN_TWIPS}" w:type="dxa"/>'
        f'<w:right w:w="{CELL_MARGIN_TWIPS}" w:type="dxa"/></w:tblCellMar>'
    )
    look = tbl.tblPr.find(qn("w:tblLook"))
    if look is not None:
        look.addprevious(margins)  # the schema orders tblCellMar before tblLook
    else:
        tbl.tblPr.append(margins)
    # all rows parsed at once by lxml (C), then moved into the table: no per-cell Python objects
    body = parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(_rows_xml(rows, twips, header_rows, labels))}</w:tbl>")
    tbl.extend(list(body))
    return table
