"""The report as a Word document, built with python-docx from the template's Markdown.

Layout after GB/T 9704-2012: A4, 版心 156 × 225 mm (margins 37 / 35 / 28 / 26 mm); title in
小标宋 22 pt (二号), centred, broken between words when it does not fit one line, with a blank
line after it; body in 仿宋 16 pt (三号) with a two-character first-line indent, first-level
headings 黑体, second-level 楷体; "附件N" at the top left in 黑体; the signature block 右空四字
with space above; page numbers "— n —" in 4号 (14 pt) half-width digits, odd pages right and
even pages left (一字 from the edge of the 版心), 7 mm below it. The East Asian font is set on
every run (w:eastAsia), which is what Word uses for Chinese text. Tables: see docxtable.py.

Layout hints are HTML comments in the Markdown (invisible there): ``<!-- annex -->附件N``,
``<!-- signature -->text`` (右空四字), ``<!-- sign -->text`` (a signature line, left, with room
to sign), ``<!-- right -->``, ``<!-- centre -->``, ``<!-- header N -->`` (the next table has N
header rows, 0 for a form; ``header 0 rows 2,8`` sets rows 2 and 8 like headers),
``<!-- pagebreak -->``, ``<!-- landscape -->`` / ``<!-- portrait -->`` (a new section),
``<!-- newpages -->`` (a new section whose page numbers start again at 1).
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
from dataclasses import dataclass
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from bangfu_eval.render.docxtable import CELL_PAD_MM, add_table
from bangfu_eval.report_tables import MERGE_LEFT, MERGE_UP

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋"
HEADING_FONTS = {2: "黑体", 3: "楷体", 4: BODY_FONT}
LATIN_FONT = "Times New Roman"
BODY_PT, TABLE_PT, TITLE_PT, PAGE_NUMBER_PT = 16, 10.5, 22, 14
PORTRAIT = {"top": 37, "bottom": 35, "left": 28, "right": 26}
LANDSCAPE = {"top": 25, "bottom": 25, "left": 25, "right": 25}
FOOTER_MM = {"portrait": 23, "landscape": 13}  # page number 7 mm below the 版心
TITLE_BREAKS = ("工会", "年度", "资金", "项目", "中心", "关于", "的")
"""A title line may end after these (a break never splits a word)."""


@dataclass
class _State:
    align: str = ""  # "", "right", "centre", "signature", "sign", "annex"
    header_rows: int = 1
    labels: frozenset[int] = frozenset()
    signature_started: bool = False


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
    section.footer_distance = Mm(FOOTER_MM[orient])


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
    set_font(run, BODY_FONT, PAGE_NUMBER_PT)


def _page_number(footer, align: WD_ALIGN_PARAGRAPH, restart: bool) -> None:  # type: ignore[no-untyped-def]
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0]
    p.alignment = align
    em = Pt(PAGE_NUMBER_PT)
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        p.paragraph_format.right_indent = em  # 右空一字
    else:
        p.paragraph_format.left_indent = em  # 左空一字
    set_font(p.add_run("— "), BODY_FONT, PAGE_NUMBER_PT)
    _field(p, "PAGE")
    set_font(p.add_run(" —"), BODY_FONT, PAGE_NUMBER_PT)


def _draft_stamp(header) -> None:  # type: ignore[no-untyped-def]
    header.is_linked_to_previous = False
    h = header.paragraphs[0]
    h.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = h.add_run("草稿 — 未经审核，不得报送")
    set_font(run, "黑体", 12, bold=True)
    run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)


def _header_footer(section, draft: bool, restart: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Page numbers on odd pages right and on even pages left; the draft stamp on both."""
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT, restart)
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, restart)
    if restart:
        number = OxmlElement("w:pgNumType")
        number.set(qn("w:start"), "1")
        section._sectPr.append(number)
    if draft:
        _draft_stamp(section.header)
        _draft_stamp(section.even_page_header)


def _title_lines(text: str, width_mm: float) -> list[str]:
    """The title on one line, or broken after a word (TITLE_BREAKS, or the end of a run of
    digits) into lines that fit, as evenly as possible."""
    if _text_mm(text, TITLE_PT) <= width_mm:
        return [text]
    cuts = [m.end() for w in TITLE_BREAKS for m in re.finditer(re.escape(w), text)]
    cuts += [m.end() for m in re.finditer(r"\d+", text)]
    fits = [
        c
        for c in set(cuts)
        if 0 < c < len(text) and max(_text_mm(text[:c], TITLE_PT), _text_mm(text[c:], TITLE_PT)) <= width_mm
    ]
    if not fits:
        return [text]
    best = min(fits, key=lambda c: abs(_text_mm(text[:c], TITLE_PT) - _text_mm(text[c:], TITLE_PT)))
    return [text[:best], text[best:]]


def _paragraph(
    doc,  # type: ignore[no-untyped-def]
    text: str,
    state: _State,
    *,
    font: str = BODY_FONT,
    size: float = BODY_PT,
    bold: bool = False,
    indent: bool = True,
    center: bool = False,
    keep: bool = False,
):
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing = Pt(28) if size >= BODY_PT else None
    fmt.space_after = Pt(0)
    fmt.keep_with_next = keep
    align, state.align = state.align, ""
    if align == "signature":
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        fmt.right_indent = Pt(BODY_PT * 4)  # 右空四字
        if not state.signature_started:
            fmt.space_before = Pt(28 * 2)  # room above the signature block
        state.signature_started = True
    elif align == "sign":
        fmt.space_before = Pt(28)
        text = text + "　" * 8
    elif align == "annex":
        font, indent = "黑体", False
        fmt.keep_with_next = True
    elif align == "right":
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif center or align == "centre":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif indent:
        fmt.first_line_indent = Pt(size * 2)
    if align != "signature":
        state.signature_started = False
    if text.startswith("**") and text.endswith("**") and len(text) > 4:
        text, bold = text[2:-2], True
    set_font(p.add_run(text), font, size, bold)
    return p


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


def _alone(row: list[str], i: int) -> bool:
    """The cell is not widened over its right neighbours (its width does not size column i)."""
    return i + 1 >= len(row) or row[i + 1] != MERGE_LEFT


MODERATE = 36.0  # mm: a column this wide or narrower is never wrapped to make room


TEXT_FLOOR_MM = 5 * TABLE_PT * 25.4 / 72 + CELL_PAD_MM
"""A text column squeezed to share the page keeps at least five characters a line."""


def _floor(widths: list[float], texts: list[int], natural: list[float]) -> None:
    """Raise squeezed text columns to TEXT_FLOOR_MM, taking the room from the wider ones."""
    floor = {i: min(natural[i], TEXT_FLOOR_MM) for i in texts}
    short = [i for i in texts if widths[i] < floor[i]]
    if not short:
        return
    need = sum(floor[i] - widths[i] for i in short)
    wide = [i for i in texts if i not in short]
    spare = sum(widths[i] - floor[i] for i in wide)
    if spare <= need:
        return
    for i in short:
        widths[i] = floor[i]
    for i in wide:
        widths[i] -= need * (widths[i] - floor[i]) / spare


HEAD_ONE_LINE_CHARS = 4
"""A column title this short stays on one line; a longer one may take two when room is short."""


def _two_line_head(rows: list[list[str]], i: int, natural: float) -> float:
    """A column's width when its title (row 0) may wrap onto two lines: the widest of the body's
    cells and half the title (a short title keeps its one line)."""
    body = {r[i] for r in rows[1:] if r[i] not in (MERGE_UP, MERGE_LEFT) and _alone(r, i)}
    widest = max((_text_mm(t) for t in body), default=0)
    head = _text_mm(rows[0][i]) if rows[0][i] not in (MERGE_UP, MERGE_LEFT) and _alone(rows[0], i) else 0
    em = TABLE_PT * 25.4 / 72
    return min(natural, max(widest, head / 2 + em, min(head, HEAD_ONE_LINE_CHARS * em)) + CELL_PAD_MM)


def _widths(rows: list[list[str]], total_mm: float) -> list[float]:
    """Column widths: every column gets its natural width (its longest cell on one line) when
    they all fit; otherwise columns up to MODERATE mm (and 1.2 times their share of the width)
    keep theirs and the long text columns
    share the rest in proportion to their length. Slack is spread over all columns."""
    n = len(rows[0])
    pad = CELL_PAD_MM
    natural = []
    for i in range(n):  # each distinct text measured once: a long list repeats its values
        distinct = {r[i] for r in rows if r[i] not in (MERGE_UP, MERGE_LEFT) and _alone(r, i)}
        natural.append(max((_text_mm(t) for t in distinct), default=0) + pad)
    widths = list(natural)
    if sum(natural) > total_mm:
        natural = [_two_line_head(rows, i, natural[i]) for i in range(n)]
        widths = list(natural)
    if sum(natural) > total_mm:
        # moderate columns (names of units, dates: up to MODERATE mm) keep one line each;
        # the long text columns (criteria, requirements) share the rest in proportion
        moderate = min(MODERATE, 1.2 * total_mm / n)  # a column wider than its share may wrap
        texts = [i for i in range(n) if natural[i] > moderate] or list(range(n))
        room = max(total_mm - sum(natural[i] for i in range(n) if i not in texts), total_mm * 0.3)
        share = room / sum(natural[i] for i in texts)
        for i in texts:
            widths[i] = natural[i] * share
        _floor(widths, texts, natural)
    slack = total_mm - sum(widths)
    return [w + slack * w / sum(widths) for w in widths] if slack > 0 else widths


def _table(doc, lines: list[str], text_width_mm: float, header_rows: int, labels: frozenset[int]) -> None:  # type: ignore[no-untyped-def]
    rows = [_cells(line) for line in lines if not re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", line.strip())]
    ncols = max(len(r) for r in rows)
    rows = [r + [""] * (ncols - len(r)) for r in rows]
    add_table(doc, rows, _widths(rows, text_width_mm), header_rows, labels)


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
        self.doc.settings.odd_and_even_pages_header_footer = True
        _margins(self.doc.sections[0], "portrait")
        _header_footer(self.doc.sections[0], draft)

    def _new_section(self, orient: str, restart: bool) -> None:
        self.orient = orient
        if len(self.doc.element.body) <= 1 and not restart:  # nothing written yet: turn the first page
            _margins(self.doc.sections[0], orient)
            return
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        _margins(section, orient)
        _header_footer(section, self.draft, restart)

    def hint(self, line: str) -> None:
        hint = line[4 : line.index("-->")].strip()
        rest = line[line.index("-->") + 3 :].strip()
        if hint in ("landscape", "portrait") and hint != self.orient:
            self._new_section(hint, restart=False)
        elif hint == "newpages":
            self._new_section("portrait", restart=True)
        elif hint == "pagebreak":
            self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif hint in ("right", "centre", "signature", "sign", "annex"):
            self.state.align = hint
        elif hint.startswith("header "):
            words = hint.split()  # header N [rows a,b,…]: N repeated header rows, a, b … set alike
            self.state.header_rows = int(words[1])
            if len(words) > 3 and words[2] == "rows":
                self.state.labels = frozenset(int(x) for x in words[3].split(",") if x.strip().isdigit())
        if rest:
            self.text(rest)

    def width_mm(self) -> float:
        sec = self.doc.sections[-1]
        width = int(sec.page_width or 0) - int(sec.left_margin or 0) - int(sec.right_margin or 0)
        return width / Mm(1)

    def table(self, block: list[str]) -> None:
        _table(self.doc, block, self.width_mm(), self.state.header_rows, self.state.labels)
        self.state.header_rows, self.state.labels = 1, frozenset()

    def title(self, text: str) -> None:
        for line in _title_lines(text, self.width_mm()):
            _paragraph(
                self.doc,
                line,
                self.state,
                font=TITLE_FONT,
                size=TITLE_PT,
                center=True,
                indent=False,
                keep=True,
            )
        _paragraph(self.doc, "", self.state, keep=True)  # a blank line after the title

    def text(self, line: str) -> None:
        heading = re.match(r"^(#{1,4}) (.*)$", line)
        if heading and len(heading.group(1)) == 1:
            self.title(heading.group(2))
        elif heading:
            level = len(heading.group(1))
            _paragraph(
                self.doc, heading.group(2), self.state, font=HEADING_FONTS[level], size=BODY_PT, keep=True
            )
        elif line.startswith("> "):
            _paragraph(self.doc, line[2:].replace("**", ""), self.state, font="黑体", size=14, indent=False)
        else:
            _paragraph(self.doc, line, self.state)


def render(source: str, draft: bool, properties: dict[str, Any] | None = None) -> bytes:
    """The .docx bytes for the template's Markdown ``source``; ``properties`` (author, title,
    created) become the document's properties."""
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
    props = b.doc.core_properties
    meta = properties or {}
    props.author = props.last_modified_by = str(meta.get("author", ""))
    props.title = str(meta.get("title", ""))
    props.language = "zh-CN"
    created = meta.get("created")
    if isinstance(created, dt.datetime):
        props.created = props.modified = created
    buf = io.BytesIO()
    b.doc.save(buf)
    return buf.getvalue()
