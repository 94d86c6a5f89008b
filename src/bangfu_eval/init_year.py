"""``bangfu init NEW --from LAST``: next year's skeleton from last year's files.

Carried over: the project and its unit, the fund sources with each one's carried-in = last
year's computed balance, the households still archived at year end (渐退期 ones with their exit
dates, visits cleared), the indicator trees and targets with scores and actuals blank, the
narrative's structure with its placeholders (last year's declared figures dropped), and the
year's policy.yaml. Every value only the new year can give is marked ``# 待填`` on its line, so
``bangfu check NEW`` lists exactly what is left to fill (BF015), each at its line. Each YAML
file starts with the ``yaml-language-server`` line that points an editor at its JSON Schema
(written to NEW/schema/).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from bangfu_eval import models as m
from bangfu_eval.editor_schema import header, write_text
from bangfu_eval.pipeline import run
from bangfu_eval.results import Results
from bangfu_eval.rules.references import add_months
from bangfu_eval.scoring import DATA_METHODS, method_of
from bangfu_eval.tofill import BF015
from bangfu_eval.yamlwrite import Path as YPath
from bangfu_eval.yamlwrite import emit

FLOW = frozenset({"bands", "evaluators", "households", "levels"})
"""Lists whose rows are written one per line."""


class InitRefused(Exception):
    """The skeleton cannot be made (the message says why, in Chinese)."""


@dataclass(frozen=True)
class Skeleton:
    year: int
    files: dict[str, bytes]
    households: int


def _shift(text: str, old: int, new: int) -> str:
    """Last year's number in a text → the new year's (2022年度 → 2023年度)."""
    return re.sub(rf"(?<!\d){old}(?!\d)", str(new), text)


def _dated(d: Any, years: int = 1) -> Any:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def project(year: m.Year, new: int) -> tuple[dict[str, Any], dict[YPath, str]]:
    pf = year.project
    old = pf.year
    p = pf.project.model_dump(exclude_defaults=True)
    p["name"] = _shift(p["name"], old, new)
    p["period_start"], p["period_end"] = _dated(pf.project.period_start), _dated(pf.project.period_end)
    p["planned_amount"] = None
    marks: dict[YPath, str] = {("project", "planned_amount"): "计划投资额"}
    if pf.project.notice is not None:
        n = pf.project.notice
        p["notice"] = {"issuer": n.issuer, "title": _shift(n.title, old, new), "number": ""}
        marks[("project", "notice", "number")] = "通知文号"
    evaluators = [{"name": e.name, "title": e.title, "unit": e.unit} for e in pf.evaluation.evaluators]
    doc = {
        "year": new,
        "project": p,
        "evaluation": {"date": _dated(pf.evaluation.date), "grade": None, "evaluators": evaluators},
    }
    marks[("evaluation", "date")] = "评价日期"
    if evaluators:
        marks[("evaluation", "evaluators")] = "核对评价人员，填写各自评分 score"
    return doc, marks


def funds(year: m.Year, results: Results) -> tuple[dict[str, Any], dict[YPath, str]]:
    balance = {s.id: s.balance for s in results.funds.sources}
    sources = []
    marks: dict[YPath, str] = {}
    for i, s in enumerate(year.funds.sources):
        sources.append(
            {
                "id": s.id,
                "name": s.name,
                "kind": s.kind,
                "carried_in": balance[s.id],
                "allocated": None,
                "arrived": Decimal(0),
            }
        )
        if s.kind in year.policy.carry_over_report_kinds:
            marks[("sources", i)] = f"{s.name}年末有结余时填写结转报告 carry_over_report"
        marks[("sources", i, "allocated")] = f"{s.name}下达资金"
        marks[("sources", i, "arrived")] = f"{s.name}到位资金"
    return {"rate_base": year.funds.rate_base, "sources": sources}, marks


def _blank_scores(ind: m.Indicator, node: dict[str, Any], path: YPath, marks: dict[YPath, str]) -> None:
    """Awarded scores removed; a leaf scored by hand (or whose measure gives only evidence)
    is marked to fill, a leaf scored from the data by its method is left to the data, and a
    measure's declared actual (last year's) is marked to fill."""
    node.pop("score", None)
    if ind.children:
        for i, (child, sub) in enumerate(zip(ind.children, node["children"], strict=True)):
            _blank_scores(child, sub, (*path, "children", i), marks)
        return
    if method_of(ind) not in DATA_METHODS:
        label = ind.name or ind.criterion or "末级指标"
        marks[path] = f"得分 score（{label[:24]}{'…' if len(label) > 24 else ''}）"
    elif ind.measure is not None and ind.measure.actual is not None:
        node["measure"]["actual"] = None
        marks[(*path, "measure", "actual")] = "实际完成值"


def indicators(year: m.Year) -> tuple[dict[str, Any], dict[YPath, str]]:
    doc = year.indicators.model_dump(exclude_defaults=True)
    marks: dict[YPath, str] = {}
    for t, (tree, tree_doc) in enumerate(zip(year.indicators.trees, doc["trees"], strict=True)):
        declared = tree_doc.get("declared", {})
        if "weight" in declared:
            tree_doc["declared"] = {"weight": declared["weight"]}
        else:
            tree_doc.pop("declared", None)
        for i, (ind, node) in enumerate(zip(tree.nodes, tree_doc["nodes"], strict=True)):
            _blank_scores(ind, node, ("trees", t, "nodes", i), marks)
    return doc, marks


def targets(year: m.Year, new: int) -> tuple[dict[str, Any], dict[YPath, str]]:
    doc = year.targets.model_dump(exclude_defaults=True)
    marks: dict[YPath, str] = {}
    for i, t in enumerate(doc.get("targets", [])):
        t["target_text"] = _shift(t.get("target_text", ""), year.project.year, new)
        for band in t.get("bands", []):
            band["text"] = _shift(band.get("text", ""), year.project.year, new)
        if "actual_figure" not in t:
            t.pop("actual", None)
            t["actual"] = None
            marks[("targets", i)] = f"{t['name']}实际值 actual"
    return doc, marks


_DECLARED = re.compile(r"(\{\{[^{}=]*?)\s*=\s*[^{}]*?\}\}")


def _paragraphs(items: list[str], path: YPath, old: int, new: int, marks: dict[YPath, str]) -> list[str]:
    out = []
    for i, text in enumerate(items):
        out.append(_DECLARED.sub(r"\1 }}", _shift(text, old, new)).replace("  }}", " }}"))
        marks[(*path, i)] = "按本年度情况改写"
    return out


def _sections(
    sections: list[dict[str, Any]], path: YPath, old: int, new: int, marks: dict[YPath, str]
) -> None:
    for i, s in enumerate(sections):
        here = (*path, i)
        if s.get("paragraphs"):
            s["paragraphs"] = _paragraphs(s["paragraphs"], (*here, "paragraphs"), old, new, marks)
        _sections(s.get("sections", []), (*here, "sections"), old, new, marks)


def narrative(year: m.Year, new: int) -> tuple[dict[str, Any], dict[YPath, str]]:
    old = year.project.year
    doc = year.narrative.model_dump(exclude_defaults=True)
    marks: dict[YPath, str] = {}
    doc["title"] = _shift(doc["title"], old, new)
    if doc.get("preamble"):
        doc["preamble"] = _paragraphs(doc["preamble"], ("preamble",), old, new, marks)
    _sections(doc.get("sections", []), ("sections",), old, new, marks)
    return doc, marks


def households(year: m.Year) -> tuple[dict[str, Any], list[m.Household]]:
    """Households still in the archive at year end: archived, or in a 渐退期 that lasts into
    the new year (exit date + the policy's months)."""
    pol = year.policy
    new_year = dt.date(year.project.year + 1, 1, 1)
    kept = [
        h
        for h in year.households.households
        if h.status in pol.eligible_statuses
        and (h.exited_on is None or add_months(h.exited_on, pol.graduation_months) >= new_year)
    ]
    rows = []
    for h in kept:
        row = {
            f: getattr(h, f)
            for f in h.__pydantic_fields__  # type: ignore[attr-defined]
            if f not in ("visits", "data_checks") and getattr(h, f) not in (None, "")
        }
        rows.append(row)
    doc: dict[str, Any] = {}
    if year.households.synthetic:
        doc["synthetic"] = True
    doc["households"] = rows
    return doc, kept


def skeleton(last: Path) -> Skeleton:
    outcome = run(last)
    if outcome.year is None or outcome.results is None:
        raise InitRefused(f"{last} 未能读取（bangfu check {last} 查看原因），无法据此生成下一年度")
    year, results = outcome.year, outcome.results
    new = year.project.year + 1
    parts: dict[str, tuple[dict[str, Any], dict[YPath, str]]] = {
        "project.yaml": project(year, new),
        "funds.yaml": funds(year, results),
        "indicators.yaml": indicators(year),
        "targets.yaml": targets(year, new),
        "narrative.yaml": narrative(year, new),
    }
    hh_doc, kept = households(year)
    files: dict[str, bytes] = {}
    intro = (
        f"# {new} 年度，由 bangfu init 从 {last.name} 生成；“# 待填”标出需要填写的值，填好后删去该注释。\n"
    )
    for name, (doc, marks) in parts.items():
        files[name] = (header(name) + intro + emit(doc, marks, FLOW)).encode("utf-8")
    if (last / "households.csv").exists():
        from bangfu_eval.excel.output import to_csv

        files["households.csv"] = to_csv(kept, m.Household)
    elif kept:
        files["households.yaml"] = (
            header("households.yaml") + intro + emit(hh_doc, flow=frozenset({"households"}))
        ).encode("utf-8")
    policy = last / "policy.yaml"
    if policy.is_file():
        files["policy.yaml"] = policy.read_bytes()
    _settle(files)
    sources = {s.id: s.name for s in year.funds.sources}
    for name in (*parts, "households.yaml", "disbursements.yaml", "policy.yaml"):
        files[f"schema/{name.replace('.yaml', '.schema.json')}"] = write_text(
            name, year.policy, sources
        ).encode("utf-8")
    return Skeleton(new, files, len(kept))


def _settle(files: dict[str, bytes]) -> None:
    """Check the skeleton as the user will, and mark each line that still has a finding with
    it: what last year left unresolved (overlapping bands, a missing carry-over report) and
    what the ledger will give (computed actuals and scores) become items to fill or verify,
    so check on the new year lists only those, each at its line."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        for name, data in files.items():
            (Path(tmp) / name).write_bytes(data)
        findings = run(Path(tmp)).findings
    notes: dict[tuple[str, int], list[str]] = {}
    for f in findings:
        loc = f.location
        if f.code != BF015.code and loc.file in files and loc.line > 0:
            notes.setdefault((loc.file, loc.line), []).append(f"核对 {f.code} {f.message}")
    for (name, line), texts in notes.items():
        lines = files[name].decode("utf-8").split("\n")
        note = "；".join(dict.fromkeys(texts))
        current = lines[line - 1]
        if "# 待填" in current:
            lines[line - 1] = f"{current}；{note}"
        else:
            lines[line - 1] = f"{current}  # 待填：{note}"
        files[name] = "\n".join(lines).encode("utf-8")


def write(new: Path, skel: Skeleton) -> list[Path]:
    """Write the skeleton into ``new`` (which must not exist or be empty)."""
    from bangfu_eval.output import write_atomic

    if new.exists() and (not new.is_dir() or any(new.iterdir())):
        raise InitRefused(f"{new} 已存在且不是空目录；bangfu init 只写入新目录")
    (new / "schema").mkdir(parents=True, exist_ok=True)
    out = []
    for name, data in skel.files.items():
        write_atomic(new / name, data)
        out.append(new / name)
    return out
