"""Sheets → tables: the header row found by its aliases, the damage around it named (title
rows, two-row headers, merged cells, repeated headers, blank rows, a 合计 row and the footer
below it), and every cell typed by its column's reader."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from bangfu_eval.excel import cells
from bangfu_eval.excel.codes import Cell, ImportFinding
from bangfu_eval.excel.tables import IGNORED, TABLES, Column, TableSpec, complete, match, missing, normalise
from bangfu_eval.excel.workbook import Sheet

HEADER_SCAN = 12
"""How many rows from the top may hold titles before the header."""

TOTAL_WORDS = frozenset({"合计", "总计", "小计", "共计", "合计金额", "total"})

READERS: dict[str, Callable[[Any], tuple[Any, cells.Repair]]] = {
    "text": cells.text,
    "phone": cells.phone,
    "date": cells.date,
    "dates": cells.dates,
    "money": cells.money,
    "yes_no": cells.yes_no,
    "name": cells.text,
}

PERSONAL_LABEL = {"id_number": "身份证号", "card_number": "卡号"}


@dataclass
class Row:
    """One row of a table: typed values by field and where each came from."""

    values: dict[str, Any]
    cols: dict[str, int]  # field → 0-based column
    sheet: Sheet
    r: int  # 0-based row
    failed: bool = False  # a cell was refused (already reported)

    @property
    def place(self) -> Cell:
        return self.sheet.cell(self.r, 0)

    def at(self, name: str) -> Cell:
        """The cell of field ``name`` (the row's first cell when the field has none)."""
        return self.sheet.cell(self.r, self.cols.get(name, 0))


@dataclass
class Table:
    spec: TableSpec
    sheet: Sheet
    header_row: int  # 0-based
    columns: dict[int, str]
    rows: list[Row] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    caches: dict[int, dict[tuple[type, object], Any]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return str(Cell(self.sheet.file, self.sheet.name))

    def skip(self, reason: str, n: int = 1) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + n


def _text_row(row: list[object]) -> list[str]:
    return [cells.text(v)[0] if not cells.blank(v) else "" for v in row]


def find_header(
    sheet: Sheet, extra: dict[str, dict[str, str]]
) -> tuple[TableSpec, int, dict[int, str], bool] | None:
    """The best (table, header row, columns, two-row header) in the first rows, or None. Two
    rows are read as one header (a group title merged above its parts) only when together
    they name more columns than either alone."""
    best: tuple[int, TableSpec, int, dict[int, str], bool] | None = None
    top = [_text_row(r) for r in sheet.rows[:HEADER_SCAN]]
    for spec in TABLES:
        aliases = extra.get(spec.key, {})
        singles = [match(spec, row, aliases) for row in top]
        for r, cols in enumerate(singles):
            candidates = [(cols, r, False)]
            if r + 1 < len(top):
                pair = [b or a for a, b in zip(top[r], top[r + 1], strict=False)]
                both = match(spec, pair, aliases)
                if _count(both) > max(_count(cols), _count(singles[r + 1])):
                    candidates.append((both, r + 1, True))
            for found, row, double in candidates:
                fields = set(found.values()) - {IGNORED}
                if complete(spec, fields) and (best is None or len(fields) > best[0]):
                    best = (len(fields), spec, row, found, double)
    return None if best is None else best[1:]


def _count(cols: dict[int, str]) -> int:
    return len(set(cols.values()) - {IGNORED})


def read_sheet(sheet: Sheet, extra: dict[str, dict[str, str]], out: list[ImportFinding]) -> Table | None:
    """A sheet as a table, or None (said why) when no table's header is found in it."""
    if not any(not cells.blank(v) for row in sheet.rows for v in row):
        return None
    if sheet.hidden:
        out.append(
            ImportFinding("XL003", Cell(sheet.file, sheet.name), "隐藏的工作表，未导入", "需要导入时取消隐藏")
        )
        return None
    found = find_header(sheet, extra)
    if found is None:
        out.append(_unrecognised(sheet))
        return None
    spec, header_row, columns, double = found
    _fill_merged(sheet, header_row, out)
    table = Table(spec, sheet, header_row, columns)
    _report_header(table, double, out)
    _read_body(table, out)
    return table


def _unrecognised(sheet: Sheet) -> ImportFinding:
    near = []
    for spec in TABLES:
        for r in sheet.rows[:HEADER_SCAN]:
            fields = set(match(spec, _text_row(r), {}).values()) - {IGNORED}
            if len(fields) >= 2:
                near.append(f"{spec.title}缺少：{'、'.join(missing(spec, fields))}")
                break
    return ImportFinding(
        "XL004",
        Cell(sheet.file, sheet.name),
        "未识别为任何表，未导入",
        "；".join(near) if near else "表头应含 姓名、困难类别、建档日期（花名册）或 发放日期、金额 …（台账）",
    )


def _fill_merged(sheet: Sheet, header_row: int, out: list[ImportFinding]) -> None:
    """A value merged down several body rows (one 批次 for a block) belongs to each of them."""
    for (r0, c0), (r1, c1) in sheet.merged:
        if r0 <= header_row or r1 == r0:
            continue
        value = sheet.rows[r0][c0] if r0 < len(sheet.rows) and c0 < len(sheet.rows[r0]) else ""
        for r in range(r0, min(r1, len(sheet.rows) - 1) + 1):
            for c in range(c0, c1 + 1):
                if c < len(sheet.rows[r]):
                    sheet.rows[r][c] = value
        first, last = sheet.cell(r0, c0), sheet.cell(r1, c1)
        ref = f"{str(first).rsplit('!', 1)[-1]}:{str(last).rsplit('!', 1)[-1]}"
        out.append(ImportFinding("XL007", first, f"合并单元格 {ref} 的值已填入其中每一行"))


def _report_header(table: Table, double: bool, out: list[ImportFinding]) -> None:
    sheet, h = table.sheet, table.header_row
    first = h - double
    titled = [r for r in range(first) if any(not cells.blank(v) for v in sheet.rows[r])]
    if titled:
        out.append(
            ImportFinding("XL007", sheet.cell(titled[0], 0), f"表头上方 {len(titled)} 行为标题，未导入")
        )
    if double:
        out.append(
            ImportFinding("XL007", sheet.cell(first, 0), f"两行表头（第 {first + 1}–{h + 1} 行）已合并读取")
        )
    header = _text_row(sheet.rows[h])
    upper = _text_row(sheet.rows[first]) if double else header
    for j, name in enumerate(header):
        title = (name or upper[j]) if j < len(upper) else name
        if j in table.columns:
            if table.columns[j] == "exit_reason":
                out.append(
                    ImportFinding("XL005", sheet.cell(h, j), f"列“{title}”bangfu 尚无对应字段，未导入")
                )
            continue
        has_data = any(j < len(r) and not cells.blank(r[j]) for r in sheet.rows[h + 1 :])
        if title or has_data:
            out.append(
                ImportFinding(
                    "XL005",
                    sheet.cell(h, j),
                    f"未知列“{title or '（无表头）'}”，未导入",
                    "可用映射文件指定它对应的字段（bangfu import --map）",
                )
            )


def _read_body(table: Table, out: list[ImportFinding]) -> None:
    sheet = table.sheet
    header = [normalise(c) for c in _text_row(sheet.rows[table.header_row])]
    j0 = next((j for j, h in enumerate(header) if h), 0)
    blanks: list[int] = []
    repaired: Repaired = {}
    columns = [(j, name, table.spec.column(name)) for j, name in table.columns.items() if name != IGNORED]
    r = table.header_row + 1
    while r < len(sheet.rows):
        raw = sheet.rows[r]
        if all(cells.blank(v) for v in raw):
            blanks.append(r)
        elif _repeats(raw, header, j0):
            table.skip("重复的表头行")
            out.append(ImportFinding("XL008", sheet.cell(r, 0), "重复的表头行（如每页打印的表头），已跳过"))
        elif _is_total(raw):
            _total_row(table, r, out)
            return _finish(table, blanks, repaired, out)
        else:
            table.rows.append(_read_row(table, columns, r, raw, repaired, out))
        r += 1
    return _finish(table, blanks, repaired, out)


def _finish(
    table: Table,
    blanks: list[int],
    repaired: Repaired,
    out: list[ImportFinding],
) -> None:
    last = table.rows[-1].r if table.rows else table.header_row
    inner = [r for r in blanks if r < last]
    if inner:
        table.skip("空行", len(inner))
        rows = "、".join(str(r + 1) for r in inner[:10]) + ("…" if len(inner) > 10 else "")
        out.append(
            ImportFinding(
                "XL009", table.sheet.cell(inner[0], 0), f"{len(inner)} 个空行已跳过（第 {rows} 行）"
            )
        )
    for first, n in repaired.values():  # one finding per kind of repair and column, at its first cell
        more = f"（本列共 {n} 处）" if n > 1 else ""
        out.append(ImportFinding(first.code, first.cell, first.message + more))


Repaired = dict[tuple[str, int], list[Any]]
"""(code, column) → [the first repair's finding, how many cells]."""


def _repeats(raw: list[object], header: list[str], j0: int) -> bool:
    """The header again (each printed page repeats it); its first cell screens cheaply."""
    first = raw[j0] if j0 < len(raw) else ""
    if not isinstance(first, str) or normalise(first) != header[j0]:
        return False
    return [normalise(c) for c in _text_row(raw)] == header


def _is_total(raw: list[object]) -> bool:
    return any(
        isinstance(v, str) and ("计" in v or "otal" in v) and normalise(v) in TOTAL_WORDS for v in raw[:4]
    )


def _total_row(table: Table, r: int, out: list[ImportFinding]) -> None:
    """A 合计 row ends the table (what follows is the footer: 制表人, 审核人); its amounts
    are compared with the rows above."""
    sheet = table.sheet
    rest = sum(1 for row in sheet.rows[r + 1 :] if any(not cells.blank(v) for v in row))
    table.skip("合计行", 1)
    if rest:
        table.skip("表尾", rest)
    tail = f"，其下 {rest} 行表尾未导入" if rest else ""
    out.append(ImportFinding("XL010", sheet.cell(r, 0), f"合计行已跳过{tail}"))
    for j, name in table.columns.items():
        if name == IGNORED or table.spec.column(name).kind != "money":
            continue
        value = sheet.rows[r][j] if j < len(sheet.rows[r]) else ""
        if cells.blank(value):
            continue
        try:
            stated = cells.money(value)[0]
        except cells.Refused:
            continue
        total = sum((row.values.get(name, Decimal(0)) for row in table.rows), Decimal(0))
        if stated != total:
            out.append(
                ImportFinding(
                    "XL011",
                    sheet.cell(r, j),
                    f"合计行写 {stated:f}，明细合计 {total:f}",
                    "核对明细或合计公式",
                )
            )


def _read_row(
    table: Table,
    columns: list[tuple[int, str, Column]],
    r: int,
    raw: list[object],
    repaired: Repaired,
    out: list[ImportFinding],
) -> Row:
    """Each cell through its column's reader; a column's distinct values are read once."""
    row = Row({}, {}, table.sheet, r)
    for j, name, column in columns:
        if j >= len(raw) or cells.blank(raw[j]):
            continue
        cache = table.caches.setdefault(j, {})
        key = (type(raw[j]), raw[j])
        got = cache.get(key)
        if got is None:
            got = cache[key] = _read_cell(column, name, raw[j])
        row.cols[name] = j
        if isinstance(got, cells.Refused):
            out.append(ImportFinding(got.code, row.at(name), got.message))
            row.failed = True
            continue
        value, repair = got
        row.values[name] = value
        if repair is not None:
            seen = repaired.get((repair[0], j))
            if seen is None:
                repaired[(repair[0], j)] = [ImportFinding(repair[0], row.at(name), repair[1]), 1]
            else:
                seen[1] += 1
    return row


def _read_cell(column: Column, name: str, value: object) -> tuple[Any, cells.Repair] | cells.Refused:
    try:
        if column.kind == "digits":
            return cells.digits(value, PERSONAL_LABEL.get(name, column.aliases[0]))
        return READERS[column.kind](value)
    except cells.Refused as exc:
        return exc
