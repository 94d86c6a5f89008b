"""What check found, for people: the report's 存在的问题及原因 (grouped, in plain Chinese, no
codes, no file:line) and the 问题清单 after the annexes (every finding, severity in Chinese,
place as 文件 第N行)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bangfu_eval.catalogue import CODES
from bangfu_eval.findings import Finding, Severity
from bangfu_eval.report_tables import Table

SEVERITY_ZH = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}

CAUSES = {
    "BF0": "数据文件无法完整读取，相关数字未能核对",
    "BF1": "数据填写不规范（字段、类型或编号有误）",
    "BF2": "报告中的数字与台账据实计算的结果不一致，或同一数字在不同材料中申报不一",
    "BF3": "指标体系的分值、得分在汇总时未逐级核对",
    "BF4": "绩效目标及评价等级设置不够严谨，部分目标缺少实际完成值",
    "BF5": "建档与帮扶的先后顺序及档案状态管理不到位",
    "BF6": "资金使用进度及配套落实情况与要求存在差距",
    "BF7": "资金发放的时效、方式或公示不完全符合规定",
    "BF8": "项目基本信息及评价结论填报不完整或前后不一",
    "BF9": "身份信息核验不到位",
}
"""The cause a family of findings points to, as a unit would write it in its report."""

ORDINALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Problem:
    """One group of findings: a cause and the facts that show it."""

    title: str
    cause: str
    facts: tuple[str, ...]


_CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”"
_SPACE_BEFORE_FIGURE = re.compile(rf"(?<=[{_CJK}])\s+(?=[-+\d])|(?<=[\d%])\s+(?=[{_CJK}])")


_SPACE_BETWEEN_WORDS = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_FIGURE = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?=万元|元|%)")


def _plain_figure(match: re.Match[str]) -> str:
    whole, fraction = match.group(1).replace(",", ""), (match.group(2) or "").rstrip("0")
    return whole + ("" if fraction == "." else fraction)


def _sentence(message: str) -> str:
    """A finding's message as a clause of a sentence, as a unit writes: figures without
    separators and trailing zeros (764963元, 80%), no space between words and figures, the
    subject followed by a comma rather than a second colon, no trailing stop."""
    text = _SPACE_BETWEEN_WORDS.sub("", _SPACE_BEFORE_FIGURE.sub("", message.strip()))
    text = _FIGURE.sub(_plain_figure, text)
    text = text.replace("：", "，", 1)
    return re.sub(r"[。；，]+$", "", text)


def problems(findings: Sequence[Finding]) -> list[Problem]:
    """Errors and warnings grouped by family, in the order of the catalogue; repeated messages
    (one per evaluator, say) said once with their count."""
    groups: dict[str, list[str]] = {}
    for f in findings:
        if f.severity is Severity.INFO:
            continue
        groups.setdefault(f.code[:3], []).append(_sentence(f.message))
    out = []
    for family in sorted(groups):
        counted: dict[str, int] = {}
        for message in groups[family]:
            counted[message] = counted.get(message, 0) + 1
        facts = tuple(m if n == 1 else f"{m}（{n}处）" for m, n in counted.items())
        titles = sorted(
            {
                CODES[f.code].zh
                for f in findings
                if f.code[:3] == family and f.code in CODES and f.severity is not Severity.INFO
            }
        )
        out.append(Problem("、".join(titles), CAUSES.get(family, "有关材料需进一步核实"), facts))
    return out


def problem_paragraphs(findings: Sequence[Finding]) -> list[str]:
    """存在的问题及原因 as paragraphs: 一是…；二是…., each with its cause."""
    out = []
    for i, p in enumerate(problems(findings)):
        n = ORDINALS[i] if i < len(ORDINALS) else str(i + 1)
        out.append(f"{n}是{p.cause}（{p.title}）。具体是：{'；'.join(p.facts)}。")
    return out


def problem_list(findings: Sequence[Finding]) -> Table:
    """问题清单: every finding, severity in Chinese, its place (文件, 第N行), what it says."""
    head = ["序号", "级别", "文件", "行", "问题", "处理"]
    rows = []
    for i, f in enumerate(findings, 1):
        handled = f"已确认：{f.acknowledged}" if f.acknowledged else ""
        line = f"第{f.location.line}行" if f.location.line else ""
        rows.append([str(i), SEVERITY_ZH[f.severity], f.location.file, line, f.message, handled])
    if not any(r[-1] for r in rows):
        head, rows = head[:-1], [r[:-1] for r in rows]
    return Table(head, rows)
