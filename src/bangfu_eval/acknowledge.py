"""Acknowledged findings: project.yaml's ``acknowledge`` list marks findings reviewed and
accepted with a reason; they stay visible but fail nothing."""

from __future__ import annotations

from dataclasses import replace

from bangfu_eval import models as m
from bangfu_eval.findings import WARNING, Code, Finding
from bangfu_eval.rules.base import Places

BF011 = Code(
    "BF011",
    WARNING,
    "acknowledgement matches nothing",
    "确认项未匹配任何问题",
    message="确认项 {code} @ {file} 未匹配任何问题",
    why=(
        "An acknowledgement that no longer matches hides nothing and may hide a future problem at the "
        "wrong place."
    ),
    example="acknowledge: [{code: BF201, file: narrative.yaml, reason: …}] when no BF201 fires there.",
    fix="Remove the acknowledgement or correct its code or file.",
    source="实践：无政策条文，为读取数据所需（bangfu 自定）",
    zh_why="不再匹配任何问题的确认项什么也没有确认，却可能在错误的位置掩盖将来的问题。",
    zh_example="确认了 BF607，但该问题已不存在。",
    remedy="删除该确认项，或更正其代码、文件。",
)


def acknowledge(findings: list[Finding], year: m.Year, places: Places) -> list[Finding]:
    """Mark findings that project.yaml's ``acknowledge`` list accepts with a reason; an
    acknowledgement that matches nothing is itself a finding (BF011)."""
    out = list(findings)
    for ack in year.project.acknowledge:
        hit = False
        for k, f in enumerate(out):
            if acknowledges(ack, f):
                out[k] = replace(f, acknowledged=ack.reason)
                hit = True
        if not hit:
            out.append(BF011(places.at(ack), code=ack.code, file=ack.file))
    return out


def acknowledges(ack: m.Acknowledgement, f: Finding) -> bool:
    """Whether ``ack`` accepts ``f``: the same code, in the same file (and line, if given)."""
    return (
        f.code == ack.code
        and f.location.file == ack.file
        and (ack.line is None or ack.line == f.location.line)
    )
