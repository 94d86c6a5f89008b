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

import copy
import itertools
import re
from collections.abc import Sequence

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm

from bangfu_eval.report import MERGE_LEFT, MERGE_UP

LATIN_FONT = "Times New Roman"
CELL_FONT = "仿宋"
TABLE_PT = 10.5
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
        kinds = {
            alignment(r[c], False)
            for r in rows[header_rows:]
            if c < len(r) and r[c].strip() not in ("", "—", MERGE_UP, MERGE_LEFT, "合计", "总分", "小计")
        }
        out.append(kinds.pop() if len(kinds) == 1 else "left" if header_rows and kinds else None)
    return out


def alignment(text: str, header: bool) -> str:
    """'center', 'right' or 'left' for a cell's text."""
    t = text.strip()
    if header or not t or t in ("—", "合计", "总分", "小计"):
        return "center"
    if _SHORT_NUMBER.fullmatch(t) and "," not in t and "." not in t:
        return "center"  # 序号, 分值, 得分, counts
    if _AMOUNT.fullmatch(t):
        return "right"
    return "left"


def _tc(width_twips: int, align: str, bold: bool, keep: bool) -> object:
    """The prototype of one cell: width, vertical centring, paragraph alignment, the run's fonts."""
    b = "<w:b/><w:bCs/>" if bold else ""
    k = "<w:keepNext/>" if keep else ""
    half_points = int(TABLE_PT * 2)
    return parse_xml(
        f'<w:tc {nsdecls("w")}><w:tcPr><w:tcW w:w="{width_twips}" w:type="dxa"/>'
        '<w:vAlign w:val="center"/></w:tcPr>'
        f'<w:p><w:pPr>{k}<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
        f'<w:ind w:firstLine="0"/><w:jc w:val="{align}"/></w:pPr>'
        f'<w:r><w:rPr><w:rFonts w:ascii="{LATIN_FONT}" w:hAnsi="{LATIN_FONT}" w:eastAsia="{CELL_FONT}"/>'
        f'{b}<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>'
        '<w:t xml:space="preserve"></w:t></w:r></w:p></w:tc>'
    )


class _Cells:
    """Prototype cells by (width, alignment, bold, keep-with-next), copied for each cell."""

    def __init__(self) -> None:
        self._made: dict[tuple[int, str, bool, bool], object] = {}

    def make(self, text: str, width: int, align: str, bold: bool, keep: bool):  # type: ignore[no-untyped-def]
        key = (width, align, bold, keep)
        proto = self._made.get(key)
        if proto is None:
            proto = self._made[key] = _tc(width, align, bold, keep)
        tc = copy.deepcopy(proto)
        tc.find(".//" + qn("w:t")).text = text  # type: ignore[attr-defined]
        return tc


def _row_xml(cant_split: bool, header: bool):  # type: ignore[no-untyped-def]
    parts = "<w:cantSplit/>" if cant_split else ""
    if header:
        parts += '<w:tblHeader w:val="true"/>'
    return parse_xml(f"<w:tr {nsdecls('w')}><w:trPr>{parts}</w:trPr></w:tr>")


def add_table(doc, rows: Sequence[Sequence[str]], widths_mm: Sequence[float], header_rows: int = 1) -> object:  # type: ignore[no-untyped-def]
    """Append a table of ``rows`` (text cells, merge markers) with the given column widths."""
    ncols = len(widths_mm)
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
    small = len(rows) <= SMALL_TABLE_ROWS
    columns = column_alignment(rows, header_rows, ncols)
    cells = _Cells()
    for r, row in enumerate(rows):
        header = r < header_rows
        keep = small and r < len(rows) - 1  # keep-with-next down to the last row
        tr = _row_xml(cant_split=True, header=header)
        c = 0
        while c < ncols:
            text = row[c] if c < len(row) else ""
            span = 1 + sum(1 for _ in itertools.takewhile(lambda t: t == MERGE_LEFT, row[c + 1 :]))
            width = sum(twips[c : c + span])
            merged_up = text == MERGE_UP
            shown = "" if merged_up else text
            align = "center" if header else columns[c] or alignment(shown, header)
            if shown in ("合计", "总分", "小计") or (not header and span > 1 and columns[c] is None):
                align = alignment(shown, header)
            tc = cells.make(shown, width, align, header, keep)
            props = tc.find(qn("w:tcPr"))  # type: ignore[attr-defined]
            at = 1  # after w:tcW: the schema orders gridSpan, vMerge, …, vAlign
            if span > 1:
                props.insert(at, parse_xml(f'<w:gridSpan {nsdecls("w")} w:val="{span}"/>'))
                at += 1
            below = rows[r + 1][c] if r + 1 < len(rows) and c < len(rows[r + 1]) else None
            if merged_up:
                props.insert(at, parse_xml(f"<w:vMerge {nsdecls('w')}/>"))
            elif below == MERGE_UP:
                props.insert(at, parse_xml(f'<w:vMerge {nsdecls("w")} w:val="restart"/>'))
            tr.append(tc)
            c += span
        tbl.append(tr)
    return table
