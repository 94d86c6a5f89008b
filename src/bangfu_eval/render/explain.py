"""``bangfu explain`` and ``bangfu rules`` as text, from the codes' declarations: Chinese by
default (为什么重要, 政策依据, 示例, 审计认可的处理), English with ``lang="en"``."""

from __future__ import annotations

from bangfu_eval.catalogue import CODES

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}

FAMILIES_ZH = {
    "BF0": "读取（文件、编码、YAML）",
    "BF1": "格式（字段、类型、编号）",
    "BF2": "申报数（与计算数核对）",
    "BF3": "指标体系",
    "BF4": "绩效目标",
    "BF5": "帮扶对象（先建档、后帮扶）",
    "BF6": "资金使用",
    "BF7": "发放",
    "BF8": "项目与评价",
    "BF9": "身份信息",
}


def short_source(code: str) -> str:
    """The source's document number or kind, for ``bangfu rules``' column: 琼工办发〔2023〕33号,
    财预〔2020〕10号, 实践, bangfu 自定 …"""
    text = CODES[code].source
    for stop in ("《", "（", "：", "；", " ("):
        text = text.split(stop, 1)[0]
    return text.strip()


def page(code: str, lang: str = "zh") -> str:
    """One code's page; both languages name the policy source."""
    info = CODES[code]
    if lang == "en":
        lines = [f"{info.code} {info.title} · {info.zh}  [{info.severity.value}]", ""]
        lines += [f"Message: {t}" + (f"  ({v})" if v else "") for v, t in info.templates.items()]
        lines += [f"Why:     {info.why}", f"Example: {info.example}", f"Fix:     {info.fix}"]
        lines += [f"Policy:  {info.policy}"] if info.policy else []
        lines += [f"Source:  {info.source}"]
        return "\n".join(lines) + "\n"
    return (
        f"{info.code} {info.zh}  [{SEVERITY_ZH[info.severity.value]}]\n\n"
        f"为什么重要：{info.zh_why}\n政策依据：{info.source}\n示例：{info.zh_example}\n"
        f"审计认可的处理：{info.remedy}\n"
    )


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def listing() -> str:
    """``bangfu rules``: per family, each code with its level, source and Chinese title."""
    out = ["  代码   级别  依据                  名称"]
    family = ""
    for code, info in CODES.items():
        if info.family != family:
            family = info.family
            out += ["", f"{family}xx  {FAMILIES_ZH[family]}"]
        source = short_source(code)
        pad = " " * max(1, 22 - _width(source))
        out.append(f"  {code}  {SEVERITY_ZH[info.severity.value]}  {source}{pad}{info.zh}")
    return "\n".join(out) + "\n"
