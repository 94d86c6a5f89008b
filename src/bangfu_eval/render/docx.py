"""The report as a Word document, built with python-docx from the template's Markdown.

Layout after GB/T 9704-2012: A4, 版心 156 × 225 mm (margins 37 / 35 / 28 / 26 mm); title in
小标宋 22 pt (二号), body in 仿宋 16 pt (三号) with a two-character first-line indent, first-level
headings 黑体, second-level 楷体; page numbers "— n —" in the footer. The East Asian font is set
on every run (w:eastAsia), which is what Word uses for Chinese text. Tables are Word tables with
a repeated header row; a cell ``^^`` is merged with the cell above. Layout hints are HTML
comments in the Markdown: ``<!-- right -->``, ``<!-- pagebreak -->``, ``<!-- landscape -->``,
``<!-- portrait -->``.
"""

from __future__ import annotations

import io
import itertools
import re
from dataclasses import dataclass

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from bangfu_eval.report import MERGE_UP

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋"
HEADING_FONTS = {2: "黑体", 3: "楷体", 4: BODY_FONT}
LATIN_FONT = "Times New Roman"
BODY_PT, TABLE_PT, TITLE_PT = 16, 10.5, 22
PORTRAIT = {"top": 37, "bottom": 35, "left": 28, "right": 26}
LANDSCAPE = {"top": 25, "bottom": 25, "left": 25, "right": 25}


@dataclass
class _State:
    align_right: bool = False


def set_font(run, east_asia: str, size: float, bold: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Latin and East Asian fonts on one run (python-docx sets only the Latin one)."""
    run.font.name = LATIN_FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)


def _margins(section, orient: str) -> None:  # type: ignore[no-untyped-def]
    landscape = orient == "landscape"
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    m = LANDSCAPE if landscape else PORTRAIT
    section.top_margin, section.bottom_margin = Mm(m["top"]), Mm(m["bottom"])
    section.left_margin, section.right_margin = Mm(m["left"]), Mm(m["right"])


def _field(paragraph, instruction: str) -> None:  # type: ignore[no-untyped-def]
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._element.append(el)
    set_font(run, BODY_FONT, 14)


def _header_footer(section, draft: bool) -> None:  # type: ignore[no-untyped-def]
    section.footer.is_linked_to_previous = False
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(p.add_run("— "), BODY_FONT, 14)
    _field(p, "PAGE")
    set_font(p.add_run(" —"), BODY_FONT, 14)
    if draft:
        section.header.is_linked_to_previous = False
        h = section.header.paragraphs[0]
        h.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = h.add_run("草稿 DRAFT — 未经审核，不得报送")
        set_font(run, "黑体", 12, bold=True)
        run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)


def _paragraph(
    doc,
    text: str,
    state: _State,
    *,
    font: str = BODY_FONT,  # type: ignore[no-untyped-def]
    size: float = BODY_PT,
    bold: bool = False,
    indent: bool = True,
    center: bool = False,
) -> None:
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing = Pt(28) if size >= BODY_PT else None
    fmt.space_after = Pt(0)
    if state.align_right:
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif indent:
        fmt.first_line_indent = Pt(size * 2)
    if text.startswith("**") and text.endswith("**") and len(text) > 4:
        text, bold = text[2:-2], True
    set_font(p.add_run(text), font, size, bold)
    state.align_right = False


def _cells(line: str) -> list[str]:
    inner = line.strip()[1:-1]
    parts = re.split(r"(?<!\\)\|", inner)
    return [c.strip().replace("\\|", "|") for c in parts]


def _text_mm(text: str, size_pt: float = TABLE_PT) -> float:
    """Printed width of ``text``: a CJK character is one em, other characters about half, and
    a quarter em where CJK meets Latin or digits (Word and LibreOffice space them apart)."""
    em = size_pt * 25.4 / 72
    wide = [ord(ch) > 0x2E7F for ch in text]
    width = sum(em if w else em * 0.55 for w in wide)
    return width + em * 0.25 * sum(a != b for a, b in itertools.pairwise(wide))


MODERATE = 36.0  # mm: a column this wide or narrower is never wrapped to make room


def _widths(rows: list[list[str]], total_mm: float) -> list[float]:
    """Column widths: every column gets its natural width (its longest cell on one line) when
    they all fit; otherwise columns up to MODERATE mm keep theirs and the long text columns
    share the rest in proportion to their length. Slack is spread over all columns."""
    n = len(rows[0])
    pad = 4.4  # cell margins (about 1.9 mm a side) and a little air
    natural = [max((_text_mm(r[i]) for r in rows if r[i] != MERGE_UP), default=0) + pad for i in range(n)]
    widths = list(natural)
    if sum(natural) > total_mm:
        # moderate columns (names of units, dates: up to MODERATE mm) keep one line each;
        # the long text columns (criteria, requirements) share the rest in proportion
        texts = [i for i in range(n) if natural[i] > MODERATE] or list(range(n))
        room = max(total_mm - sum(natural[i] for i in range(n) if i not in texts), total_mm * 0.3)
        share = room / sum(natural[i] for i in texts)
        for i in texts:
            widths[i] = natural[i] * share
    slack = total_mm - sum(widths)
    return [w + slack * w / sum(widths) for w in widths] if slack > 0 else widths


def _table(doc, lines: list[str], text_width_mm: float) -> None:  # type: ignore[no-untyped-def]
    rows = [_cells(line) for line in lines if not re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", line.strip())]
    ncols = max(len(r) for r in rows)
    rows = [r + [""] * (ncols - len(r)) for r in rows]
    table = doc.add_table(rows=len(rows), cols=ncols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = _widths(rows, text_width_mm)
    for c, column in enumerate(table.columns):
        column.width = Mm(widths[c])  # the grid: LibreOffice reads widths from here
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            cell.width = Mm(widths[c])
            p = cell.paragraphs[0]
            p.paragraph_format.space_after = Pt(0)
            shown = "" if text == MERGE_UP else MERGE_UP if text == "\\" + MERGE_UP else text
            set_font(p.add_run(shown), BODY_FONT, TABLE_PT, bold=(r == 0))
    for r, row in enumerate(table.rows):
        props = row._tr.get_or_add_trPr()
        keep = OxmlElement("w:cantSplit")  # a row never breaks across pages
        props.append(keep)
        if r == 0:
            repeat = OxmlElement("w:tblHeader")  # the header row repeats on every page
            repeat.set(qn("w:val"), "true")
            props.append(repeat)
    for c in range(ncols):
        r = 1
        while r < len(rows):
            if rows[r][c] == MERGE_UP:
                start = r - 1
                while r < len(rows) and rows[r][c] == MERGE_UP:
                    r += 1
                table.cell(start, c).merge(table.cell(r - 1, c))
            else:
                r += 1


def _chinese_defaults(doc) -> None:  # type: ignore[no-untyped-def]
    """Document defaults: East Asian text is zh-CN in 仿宋, so no viewer guesses Japanese."""
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), BODY_FONT)
    for attr in ("w:eastAsiaTheme",):
        fonts.attrib.pop(qn(attr), None)


class _Builder:
    """Walks the template's Markdown line by line and adds Word elements."""

    def __init__(self, draft: bool) -> None:
        self.doc = Document()
        self.draft = draft
        self.orient = "portrait"
        self.state = _State()
        _chinese_defaults(self.doc)
        _margins(self.doc.sections[0], "portrait")
        _header_footer(self.doc.sections[0], draft)

    def hint(self, line: str) -> None:
        hint = line[4 : line.index("-->")].strip()
        rest = line[line.index("-->") + 3 :].strip()
        if hint in ("landscape", "portrait") and hint != self.orient:
            self.orient = hint
            section = self.doc.add_section()
            _margins(section, hint)
            _header_footer(section, self.draft)
        elif hint == "pagebreak":
            self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif hint == "right":
            self.state.align_right = True
        if rest:
            _paragraph(self.doc, rest, self.state)

    def table(self, block: list[str]) -> None:
        sec = self.doc.sections[-1]
        width = int(sec.page_width or 0) - int(sec.left_margin or 0) - int(sec.right_margin or 0)
        _table(self.doc, block, width / Mm(1))

    def text(self, line: str) -> None:
        heading = re.match(r"^(#{1,4}) (.*)$", line)
        if heading and len(heading.group(1)) == 1:
            _paragraph(
                self.doc,
                heading.group(2),
                self.state,
                font=TITLE_FONT,
                size=TITLE_PT,
                center=True,
                indent=False,
            )
        elif heading:
            level = len(heading.group(1))
            _paragraph(
                self.doc, heading.group(2), self.state, font=HEADING_FONTS[level], size=BODY_PT, indent=True
            )
        elif line.startswith("> "):
            _paragraph(self.doc, line[2:].replace("**", ""), self.state, font="黑体", size=14, indent=False)
        else:
            _paragraph(self.doc, line, self.state)


def render(source: str, draft: bool) -> bytes:
    """The .docx bytes for the template's Markdown ``source``."""
    b = _Builder(draft)
    lines = source.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        i += 1
        if line.startswith("|"):
            block = [line]
            while i < len(lines) and lines[i].startswith("|"):
                block.append(lines[i].rstrip())
                i += 1
            b.table(block)
        elif line.startswith("<!--"):
            b.hint(line)
        elif line:
            b.text(line)
    buf = io.BytesIO()
    b.doc.save(buf)
    return buf.getvalue()
