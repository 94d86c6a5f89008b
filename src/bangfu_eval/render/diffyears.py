"""A year against another (``bangfu diff``) as text, JSON and Markdown strings."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from decimal import Decimal

from bangfu_eval import __version__
from bangfu_eval.diffyears import Change, YearDiff
from bangfu_eval.money import fmt_number, fmt_pct, fmt_yuan, round_half_up
from bangfu_eval.render.scorecard import plain

SCHEMA = 1
CHANGE = {"added": "新增", "removed": "删除", "changed": "修改"}
KIND = {"indicator": "指标", "target": "目标"}
FIELD = {
    "weight": "分值",
    "criterion": "评价标准",
    "requirement": "评价要求",
    "method": "评分方法",
    "name": "名称",
    "target_text": "目标表述",
    "target": "目标值",
    "unit": "单位",
    "bands": "等级",
}


def _value(v: Decimal | None, kind: str) -> str:
    if kind == "money":
        return fmt_yuan(v)
    if kind == "rate":
        return fmt_pct(v)
    return fmt_number(v)


def _delta(c: Change) -> str:
    d = c.delta
    if d is None:
        return "—"
    if c.kind == "rate":  # a change of rate in percentage points, signed as shown
        d = round_half_up(d * 100, 2)
        return ("+" if d > 0 else "") + f"{d if d else abs(d)} 个百分点"
    return ("+" if d > 0 else "") + _value(d, c.kind)


def change_rows(changes: Sequence[Change]) -> list[list[str]]:
    return [[c.label, _value(c.old, c.kind), _value(c.new, c.kind), _delta(c)] for c in changes]


def people_rows(d: YearDiff, limit: int | None = None) -> list[list[str]]:
    """One row per household that entered, left or changed category; with ``limit``, at most
    that many of each kind and a row saying how many more."""
    rows = []
    for what, people in (("新增", d.entered), ("退出", d.left), ("类别变化", d.changed_category)):
        shown = people if limit is None else people[:limit]
        rows += [[what, p.name, p.id_number, p.old_category or "—", p.new_category or "—"] for p in shown]
        if len(shown) < len(people):
            rows.append([what, f"……另有 {len(people) - len(shown)} 户", "", "", ""])
    return rows


TEXT_LIMIT = 10
"""Households of each kind listed in the text output (JSON and Markdown list every one)."""


def definition_rows(d: YearDiff) -> list[list[str]]:
    rows = []
    for x in d.definitions:
        what = "；".join(f"{FIELD.get(f, f)}：{a or '（空）'} → {b or '（空）'}" for f, a, b in x.fields)
        rows.append([KIND[x.kind], x.name, CHANGE[x.change], what])
    return rows


def _headline(d: YearDiff) -> list[str]:
    return [
        f"{d.old_year} 年 → {d.new_year} 年（{d.old_dir} → {d.new_dir}）",
        f"评价总分 {fmt_number(d.score.old)} → {fmt_number(d.score.new)}（{_delta(d.score)}），"
        f"评价等次 {d.old_grade or '—'} → {d.new_grade or '—'}",
    ]


def _households_line(d: YearDiff) -> str:
    if d.households_known:
        homes = (
            f"在档困难职工：新增 {len(d.entered)} 户，退出 {len(d.left)} 户，"
            f"类别变化 {len(d.changed_category)} 户；"
        )
    else:
        homes = "在档困难职工：有一年没有档案文件（households.yaml），增减无法比较；"
    if d.paid_both is None or d.paid_both_amount is None:
        return homes + "\n有一年没有明细账，两年均受助的户数无法比较"
    old, new = d.paid_both_amount
    return (
        homes + f"\n两年均受助 {d.paid_both} 户"
        f"（{d.old_year} 年 {fmt_yuan(old)} 元，{d.new_year} 年 {fmt_yuan(new)} 元）"
    )


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _columns(rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for r in rows:
        cells = [
            " " * (w - _width(c)) + c if i in right else c + " " * (w - _width(c))
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ]
        out.append("  ".join(cells).rstrip())
    return out


def text(d: YearDiff) -> str:
    years = ["", str(d.old_year), str(d.new_year), "增减"]
    lines = [*_headline(d), "", "资金（元）"]
    lines += _columns([years, *change_rows(d.funds)], {1, 2, 3})
    lines += ["", "帮扶人次"]
    lines += _columns([years, *change_rows(d.person_times)], {1, 2, 3})
    lines += ["", _households_line(d)]
    if people_rows(d, TEXT_LIMIT):
        lines += ["  " + r for r in _columns(people_rows(d, TEXT_LIMIT), set())]
    lines += ["", f"定义变化的指标和目标：{len(d.definitions)} 项"]
    lines += ["  " + " ".join(r) for r in definition_rows(d)]
    return "\n".join(lines) + "\n"


def to_json(d: YearDiff) -> str:
    doc = {"schema": SCHEMA, "version": __version__, **plain(d)}
    doc["score"]["delta"] = plain(d.score.delta)
    for key in ("funds", "person_times"):
        for item, c in zip(doc[key], getattr(d, key), strict=True):
            item["delta"] = plain(c.delta)
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _md_table(head: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in rows]
    return out


def to_markdown(d: YearDiff) -> str:
    years = ["项目", f"{d.old_year}年", f"{d.new_year}年", "增减"]
    lines = [f"# {d.new_year}年与{d.old_year}年对比（同比）", "", *_headline(d)[1:], ""]
    lines += ["## 资金", "", *_md_table(years, change_rows(d.funds)), ""]
    lines += ["## 帮扶人次", "", *_md_table(years, change_rows(d.person_times)), ""]
    lines += ["## 在档困难职工", "", _households_line(d), ""]
    if people_rows(d):
        lines += _md_table(
            ["变化", "姓名", "身份证号", f"{d.old_year}年类别", f"{d.new_year}年类别"], people_rows(d)
        )
        lines.append("")
    lines += ["## 定义变化的指标和目标", ""]
    if d.definitions:
        lines += _md_table(["类型", "名称", "变化", "内容"], definition_rows(d))
    else:
        lines.append("指标和目标的定义两年相同。")
    return "\n".join(lines) + "\n"
