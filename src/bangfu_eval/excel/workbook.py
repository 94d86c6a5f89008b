"""Reading a workbook into sheets of plain cell values.

.xlsx, .xlsm, .xls, .xlsb and .ods go through python-calamine (Rust's calamine: fast, and it
reads the old binary .xls too). CSV is read here: UTF-8 with or without a BOM, else GB18030
(a superset of GBK, what Excel on Chinese Windows saves), said so in one info line.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from bangfu_eval.excel.codes import Cell, ImportFinding

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")


@dataclass
class Sheet:
    """One sheet: rows of cells from A1 (str, float, int, bool, date, datetime or '')."""

    file: str
    name: str | None  # None for a CSV file
    rows: list[list[object]]
    hidden: bool = False
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)

    def cell(self, row: int, col: int) -> Cell:
        """The place of 0-based (row, col)."""
        return Cell(self.file, self.name, row + 1, col + 1)


def read(path: Path) -> tuple[list[Sheet], list[ImportFinding]]:
    name = path.name
    if not path.is_file():
        return [], [ImportFinding("XL001", Cell(name), "文件不存在或不是文件")]
    if path.suffix.lower() == ".csv":
        return _read_csv(path)
    if path.suffix.lower() not in WORKBOOK_SUFFIXES:
        return [], [
            ImportFinding("XL001", Cell(name), f"不支持的文件类型 {path.suffix}", "支持 .xlsx .xls .ods .csv")
        ]
    try:
        from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

        book = CalamineWorkbook.from_path(str(path))
        sheets = []
        for meta in book.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue  # chart sheets and macro sheets hold no table
            sheet = book.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False)
            merged = list(getattr(sheet, "merged_cell_ranges", None) or [])
            hidden = meta.visible != SheetVisibleEnum.Visible
            sheets.append(Sheet(name, meta.name, [list(r) for r in rows], hidden, merged))
    except Exception as exc:  # calamine raises its own errors for damaged files
        return [], [ImportFinding("XL001", Cell(name), f"无法读取工作簿：{type(exc).__name__}：{exc}"[:200])]
    return sheets, []


def _read_csv(path: Path) -> tuple[list[Sheet], list[ImportFinding]]:
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [], [ImportFinding("XL001", Cell(name), f"无法读取：{exc.strerror or exc}")]
    findings = []
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="strict") if _utf8(data[3:]) else None
    else:
        text = data.decode("utf-8") if _utf8(data) else None
    if text is None:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            return [], [ImportFinding("XL001", Cell(name), "既不是 UTF-8 也不是 GBK/GB18030 编码")]
        findings.append(
            ImportFinding("XL002", Cell(name), "按 GBK/GB18030 编码读取（Excel 在中文 Windows 上另存的 CSV）")
        )
    rows: list[list[object]] = [list(r) for r in csv.reader(io.StringIO(text, newline=""))]
    return [Sheet(name, None, rows)], findings


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
