"""What ``bangfu import`` finds in a workbook: codes, severities and where, as Excel users read
it (``台账.xlsx:发放台账!D17``). Import findings are about the workbook, not the year's files,
so they have their own family (XL) beside check's BF codes; docs/import.md lists them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bangfu_eval.findings import Severity

E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO

CODES: dict[str, tuple[Severity, str]] = {
    "XL001": (E, "工作簿无法读取"),
    "XL002": (N, "CSV 编码"),
    "XL003": (W, "隐藏的工作表"),
    "XL004": (N, "未识别的工作表"),
    "XL005": (W, "未知列"),
    "XL007": (N, "标题行或合并表头"),
    "XL008": (N, "重复的表头行"),
    "XL009": (N, "空行"),
    "XL010": (N, "合计行"),
    "XL011": (W, "合计行与明细不符"),
    "XL101": (E, "身份证号/卡号存为数字"),
    "XL102": (E, "科学计数法"),
    "XL103": (E, "末尾被截为 000"),
    "XL104": (W, "日期为 Excel 序列号"),
    "XL105": (N, "日期写作文本"),
    "XL106": (N, "金额带千分位或单位"),
    "XL107": (W, "金额以万元书写"),
    "XL108": (N, "全角数字"),
    "XL109": (E, "无法识别的值"),
    "XL110": (E, "名称与本年度不符"),
    "XL111": (E, "不在花名册中"),
    "XL112": (E, "编号重复"),
    "XL113": (E, "映射文件无效"),
}
"""code → (severity, what it is called). Errors stop the import; warnings and infos are
repairs bangfu made and says so."""


@dataclass(frozen=True, order=True)
class Cell:
    """A place in a workbook: the file's name, the sheet (None for CSV), 1-based row and
    column (0 = the whole sheet or row)."""

    file: str
    sheet: str | None = None
    row: int = 0
    col: int = 0

    def __str__(self) -> str:
        where = self.file
        if self.sheet is not None:
            where += f":{self.sheet}"
        if self.row:
            ref = f"{column_letter(self.col)}{self.row}" if self.col else f"{self.row}:{self.row}"
            where += f"!{ref}" if self.sheet is not None else f":{ref}"
        return where


def column_letter(col: int) -> str:
    """1 → A, 27 → AA."""
    out = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


_LONG_NUMBER = re.compile(r"\d{11,}[\dXx]*")


def _masked(match: re.Match[str]) -> str:
    v = match.group(0)
    return v[:6] + "*" * (len(v) - 10) + v[-4:] if len(v) >= 15 else "*" * (len(v) - 4) + v[-4:]


@dataclass(frozen=True)
class ImportFinding:
    """One problem at its cell. A message never shows a number of 11 digits or more in full
    (an ID, card or phone number in whatever column it stood): first 6 and last 4 digits of
    an ID-length number, the last 4 of a shorter one."""

    code: str
    cell: Cell
    message: str
    help: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", _LONG_NUMBER.sub(_masked, self.message))

    @property
    def severity(self) -> Severity:
        return CODES[self.code][0]

    def __str__(self) -> str:
        text = f"{self.cell}: {self.severity.value} {self.code} {self.message}"
        return text + (f"\n   = help: {self.help}" if self.help else "")

    def as_dict(self) -> dict[str, object]:
        c = self.cell
        out: dict[str, object] = {"code": self.code, "severity": self.severity.value, "file": c.file}
        out.update(sheet=c.sheet, cell=str(c), message=self.message)
        if self.help:
            out["help"] = self.help
        return out
