"""The tables a workbook may hold, recognised by their headers, and the Chinese header alias
table (docs/import.md prints it; a mapping file adds to it).

A header cell is compared after normalising: full-width → half-width, spaces and line breaks
removed, a unit in brackets dropped ("金额（元）" → 金额).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

IGNORED = "_ignored"
"""Columns known to carry nothing to import (序号: a row counter)."""


_UNIT = re.compile(r"[(（][^)）]*[)）]$")


def normalise(header: str) -> str:
    t = unicodedata.normalize("NFKC", header)
    t = re.sub(r"\s+", "", t).strip("*:：")
    return _UNIT.sub("", t).lower()


@dataclass(frozen=True)
class Column:
    field: str
    kind: str  # text, digits, phone, date, dates, money, yes_no, name (a policy or year name)
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class TableSpec:
    """One table: its name, the file it goes to, its columns, and the columns it needs
    (a tuple inside ``required`` means any one of them)."""

    key: str
    title: str
    columns: tuple[Column, ...]
    required: tuple[str | tuple[str, ...], ...]
    aliases: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for c in self.columns:
            for a in (c.field, *c.aliases):
                self.aliases.setdefault(normalise(a), c.field)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.field == name)


_PERSON = (
    Column("household", "text", ("户编号", "家庭编号", "档案编号", "困难职工编号")),
    Column("id_number", "digits", ("身份证号", "身份证号码", "公民身份号码", "身份证")),
    Column("name", "text", ("姓名", "户主姓名", "职工姓名", "困难职工姓名", "领取人", "领款人")),
)

TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "households",
        "困难职工花名册",
        (
            Column("id", "text", ("户编号", "家庭编号", "档案编号", "困难职工编号", "编号")),
            *_PERSON[1:],
            Column("phone", "phone", ("联系电话", "电话", "手机", "手机号", "手机号码", "联系方式")),
            Column("card_number", "digits", ("银行卡号", "社保卡号", "卡号", "银行账号", "社保卡/银行卡号")),
            Column("work_unit", "text", ("工作单位", "单位", "所在单位", "单位名称")),
            Column("category", "name", ("困难类别", "困难类型", "困难程度", "类别")),
            Column("status", "name", ("状态", "档案状态", "建档状态", "在档状态")),
            Column("archived_on", "date", ("建档时间", "建档日期")),
            Column("exited_on", "date", ("退档时间", "退档日期", "脱困时间", "脱困日期")),
            Column("exit_reason", "text", ("退档原因", "脱困原因")),
            Column("visits", "dates", ("入户核查", "入户核查日期", "走访日期", "走访时间")),
            Column("data_checks", "dates", ("数据比对", "数据比对日期", "比对日期")),
        ),
        ("name", "category", "archived_on"),
    ),
    TableSpec(
        "visits",
        "走访核查记录",
        (
            *_PERSON,
            Column("date", "date", ("核查日期", "走访日期", "日期", "核查时间", "走访时间")),
            Column("way", "text", ("核查方式", "方式", "核查类型", "类型")),
        ),
        (("household", "id_number", "name"), "date", "way"),
    ),
    TableSpec(
        "batches",
        "发放批次（公示）",
        (
            Column("id", "text", ("批次", "批次号", "批次编号", "发放批次")),
            Column("title", "text", ("批次名称", "名称", "标题", "事由")),
            Column("publicity_start", "date", ("公示开始", "公示开始日期", "公示起始日期", "公示日期")),
            Column("publicity_end", "date", ("公示结束", "公示结束日期", "公示截止日期")),
        ),
        ("id", "publicity_start"),
    ),
    TableSpec(
        "disbursements",
        "帮扶资金发放台账",
        (
            Column("id", "text", ("发放编号", "编号", "流水号", "凭证号")),
            Column("date", "date", ("发放日期", "发放时间", "日期")),
            *_PERSON,
            Column("type", "name", ("帮扶类型", "救助类型", "帮扶项目", "救助类别", "类型")),
            Column("source", "name", ("资金来源", "资金渠道", "经费来源")),
            Column("amount", "money", ("金额", "发放金额", "救助金额", "帮扶金额")),
            Column("method", "name", ("发放方式", "支付方式", "发放形式")),
            Column("signed", "yes_no", ("签名", "签字", "本人签名", "是否签字", "是否签名")),
            Column("batch", "name", ("批次", "发放批次", "批次号")),
        ),
        ("date", ("household", "id_number", "name"), "type", "source", "amount", "method"),
    ),
    TableSpec(
        "funds",
        "资金来源",
        (
            Column("name", "text", ("资金来源", "来源", "资金渠道")),
            Column("carried_in", "money", ("上年结转", "上年结转资金")),
            Column("allocated", "money", ("下达", "安排", "下达资金", "安排资金", "全年预算数")),
            Column("arrived", "money", ("到位", "到位资金", "实际到位", "到位金额")),
            Column("spent", "money", ("支出", "已支出", "实际支出", "支出金额", "全年执行数")),
            Column("carried_out", "money", ("结转下年", "结余", "年末结余")),
        ),
        ("name", "arrived"),
    ),
)
BY_KEY = {t.key: t for t in TABLES}

IGNORE = frozenset({"序号", "no", "no."})


def match(spec: TableSpec, header: list[str], extra: dict[str, str]) -> dict[int, str]:
    """Column index → field for the cells of ``header`` this table knows (a field once)."""
    out: dict[int, str] = {}
    taken: set[str] = set()
    for j, cell in enumerate(header):
        key = normalise(cell)
        name = extra.get(key) or spec.aliases.get(key)
        if name and name not in taken and (name == IGNORED or any(c.field == name for c in spec.columns)):
            out[j] = name
            if name != IGNORED:
                taken.add(name)
        elif key in IGNORE:
            out[j] = IGNORED
    return out


def complete(spec: TableSpec, fields: set[str]) -> bool:
    return all((set(need) & fields) if isinstance(need, tuple) else need in fields for need in spec.required)


def missing(spec: TableSpec, fields: set[str]) -> list[str]:
    out = []
    for need in spec.required:
        if isinstance(need, tuple):
            if not set(need) & fields:
                out.append(" 或 ".join(spec.column(n).aliases[0] for n in need))
        elif need not in fields:
            out.append(spec.column(need).aliases[0])
    return out


def alias_markdown() -> str:
    """The alias table as docs/import.md prints it (a test keeps the page current)."""
    out = []
    for spec in TABLES:
        need = {n for r in spec.required for n in (r if isinstance(r, tuple) else (r,))}
        out += [f"### {spec.title}（`{spec.key}`）", "", "| 字段 | 必需 | 表头（任一） |", "|---|---|---|"]
        for c in spec.columns:
            mark = "是" if c.field in need else ""
            out.append(f"| `{c.field}` | {mark} | {'、'.join(c.aliases)} |")
        out.append("")
    return "\n".join(out)
