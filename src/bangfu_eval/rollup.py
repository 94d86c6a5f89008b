"""``bangfu rollup``: the provincial view. Every unit's year is checked and scored in a worker
process, which sends back a small summary record (figures, counts, codes, ID numbers), never the
year itself; so memory is bounded by the units in flight, not by the province. The parent sums
the records, ranks the units and runs the cross-unit checks.

    units → worker: pipeline.run → UnitRow + ID numbers  (one unit at a time per worker)
          → parent: totals from sums, ranking, cross-unit findings → Province → render

A unit that fails (missing or broken files, even an internal error) gives a row that says so;
it never stops the others.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from bangfu_eval.aggregates import open_weight
from bangfu_eval.findings import ERROR, Code, Finding, Location, Severity
from bangfu_eval.money import ratio
from bangfu_eval.privacy import Masking, mask_id_number

if TYPE_CHECKING:
    from bangfu_eval.pipeline import Outcome

ZERO = Decimal(0)
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
TOP_PROBLEMS = 3


@dataclass(frozen=True)
class Problem:
    """A finding code in one unit: how many times, its severity and its first message."""

    code: str
    severity: str
    count: int
    message: str


@dataclass(frozen=True)
class UnitRow:
    """One unit's line of the province table. Amounts in 元; None where the unit was not scored.
    ``base`` is the denominator of the unit's 执行率 (arrived or available, as its funds.yaml
    says), kept so that the province's rate is Σ spent ÷ Σ base."""

    unit: str
    directory: str
    name: str
    scored: bool
    failure: str
    arrived: Decimal | None
    spent: Decimal | None
    base: Decimal | None
    execution_rate: Decimal | None
    balance: Decimal | None
    person_times: int | None
    households: dict[str, int | None]
    total: Decimal | None
    total_open: Decimal
    """Points the total may still gain: leaves that need the ledger, in a year without one."""
    declared_total: Decimal | None
    grade: str
    errors: int
    warnings: int
    infos: int
    problems: tuple[Problem, ...]
    rank: int | None = None
    unknown: tuple[str, ...] = ()
    """Figures the unit's files do not give (a year without its ledger): shown as —."""
    declared: tuple[str, ...] = ()
    """Figures taken as the document declares them, the ledger being absent."""


@dataclass(frozen=True)
class IdEntry:
    """An ID number archived or paid in a unit, with the row that holds it."""

    id_number: str
    file: str
    line: int
    column: int
    paid: bool


@dataclass(frozen=True)
class UnitResult:
    """What a worker sends back: the row and the unit's ID numbers (for the cross-unit check)."""

    row: UnitRow
    ids: tuple[IdEntry, ...]


@dataclass(frozen=True)
class Totals:
    """Province totals: sums over the scored units; rates are rates of the sums."""

    units: int
    scored: int
    arrived: Decimal
    spent: Decimal
    base: Decimal
    execution_rate: Decimal | None
    balance: Decimal
    person_times: int
    households: dict[str, int]
    errors: int
    warnings: int
    infos: int
    mean_total: Decimal | None
    unknown: dict[str, int] = field(default_factory=dict)
    """Per figure (spent, person_times, households): scored units whose files do not give it."""


@dataclass(frozen=True)
class SharedProblem:
    code: str
    severity: str
    title: str
    units: int


@dataclass(frozen=True)
class Province:
    rows: tuple[UnitRow, ...]
    totals: Totals
    grades: dict[str, int]
    shared: tuple[SharedProblem, ...]
    cross: tuple[Finding, ...]

    def failed(self, strict: bool = False) -> bool:
        """Errors anywhere (a unit not scored, a unit's errors, a cross-unit error)."""
        bad = any(not r.scored or r.errors for r in self.rows)
        bad = bad or any(f.severity is Severity.ERROR for f in self.cross)
        return bad or (strict and (self.totals.warnings > 0 or bool(self.cross)))


# --- the worker -------------------------------------------------------------------------------


def summarise(directory: str, unit: str, max_file_mb: int = 200) -> UnitResult:
    """Check and score one unit; never raises (an internal error becomes the row's failure)."""
    try:
        return _summarise(Path(directory), unit, max_file_mb)
    except Exception as exc:  # a bug in one unit's run must not stop the province
        return UnitResult(_failed_row(unit, directory, f"内部错误（{type(exc).__name__}）"), ())


def _failed_row(
    unit: str,
    directory: str,
    failure: str,
    counts: dict[str, int] | None = None,
    problems: tuple[Problem, ...] = (),
) -> UnitRow:
    c = counts or {"error": 1, "warning": 0, "info": 0}
    none = dict.fromkeys(("arrived", "spent", "base", "execution_rate", "balance", "person_times"))
    return UnitRow(
        unit=unit,
        directory=directory,
        name="",
        scored=False,
        failure=failure,
        households={},
        total=None,
        total_open=ZERO,
        declared_total=None,
        grade="",
        errors=c["error"],
        warnings=c["warning"],
        infos=c["info"],
        problems=problems,
        **none,  # type: ignore[arg-type]
    )


def _problems(findings: Sequence[Finding]) -> tuple[Problem, ...]:
    """Every code of the unit, most serious first, then the most frequent."""
    count: Counter[str] = Counter()
    first: dict[str, Finding] = {}
    for f in findings:
        if f.acknowledged:
            continue
        count[f.code] += 1
        first.setdefault(f.code, f)
    order = sorted(count, key=lambda c: (SEVERITY_ORDER[first[c].severity.value], -count[c], c))
    return tuple(Problem(c, first[c].severity.value, count[c], first[c].message) for c in order)


def _where(f: Finding) -> str:
    loc = f.location
    if loc.line:
        place = f"{loc.file}:{loc.line}:{loc.column}: "
    else:
        place = "" if loc.file in f.message else f"{loc.file}: "
    return f"{place}{f.code} {f.message}"


def _summarise(directory: Path, unit: str, max_file_mb: int) -> UnitResult:
    import gc

    from bangfu_eval.pipeline import run

    gc.disable()  # a unit's records hold no cycles: reference counting frees them
    try:
        outcome = run(directory, max_file_mb=max_file_mb)
        # the names this unit archives are known only here: its texts are masked before they leave
        mask = Masking(outcome.loaded.names)
        problems = tuple(replace(x, message=mask(x.message)) for x in _problems(outcome.findings))
        results, year = outcome.results, outcome.year
        if results is None or year is None:
            errors = [f for f in outcome.findings if f.severity is Severity.ERROR]
            what = mask(_where(errors[0])) if errors else "年度文件未能读取"
            more = f"（另有 {len(errors) - 1} 个错误）" if len(errors) > 1 else ""
            row = _failed_row(unit, str(directory), f"未能评分：{what}{more}", outcome.counts, problems)
            return UnitResult(row, ())
        f, figs = results.funds, results.figures
        trees = {t.id: t for t in year.indicators.trees}
        primary = trees.get(year.indicators.primary, year.indicators.trees[0])
        c = outcome.counts
        row = UnitRow(
            unit=unit,
            directory=str(directory),
            name=year.project.project.unit,
            scored=True,
            failure="",
            arrived=f.arrived,
            spent=figs["funds.spent"].value,
            base=f.arrived if f.rate_base == "arrived" else f.available,
            execution_rate=figs["funds.utilisation"].value,
            balance=figs["funds.balance"].value,
            person_times=_count(figs["person_times.total"].value),
            households={
                cat.label: _count(figs[f"households.{cat.category}"].value)
                for cat in results.beneficiaries.by_category
            },
            unknown=tuple(sorted(n for n in _SHOWN if figs[n].origin == "unknown")),
            declared=tuple(sorted(n for n in _SHOWN if figs[n].origin == "declared")),
            total=results.total,
            total_open=open_weight(results.primary.nodes),
            declared_total=primary.declared.score,
            grade=results.grade,
            errors=c["error"],
            warnings=c["warning"],
            infos=c["info"],
            problems=problems,
        )
        return UnitResult(row, _ids(outcome))
    finally:
        gc.enable()


_SHOWN = ("funds.spent", "funds.balance", "funds.utilisation", "person_times.total")
"""Figures of the row that a year without its ledger may not know (or only as declared)."""


def _count(value: Decimal | None) -> int | None:
    return None if value is None else int(value)


def _ids(outcome: Outcome) -> tuple[IdEntry, ...]:
    """The ID numbers of the households archived (eligible status) or paid this year."""
    from bangfu_eval.ledger import Columns

    year = outcome.year
    assert year is not None
    paid = set(Columns.of(year).household)
    eligible = set(year.policy.eligible_statuses)
    file = "households.yaml"
    out = []
    for i, h in enumerate(year.households.households):
        is_paid = h.id in paid
        if h.id_number and (is_paid or h.status in eligible):
            loc = outcome.loaded.where(file, "households", i)
            out.append(IdEntry(h.id_number.strip().upper(), loc.file, loc.line, loc.column, is_paid))
    return tuple(out)


# --- the parent -------------------------------------------------------------------------------


def discover(paths: Sequence[Path]) -> list[tuple[str, Path]]:
    """The units: a single directory without project.yaml holds one year directory per unit;
    otherwise every path given is a unit. A unit is named by its directory, or by the directory
    above when its own is a year (``cities/haikou/2022`` → haikou); names are made unique."""
    if len(paths) == 1 and not (paths[0] / "project.yaml").exists():
        dirs = sorted(p for p in paths[0].iterdir() if p.is_dir() and not p.name.startswith("."))
    else:
        dirs = list(paths)
    out: list[tuple[str, Path]] = []
    seen: Counter[str] = Counter()
    for d in dirs:
        year_named = re.fullmatch(r"\d{4}", d.name) and d.resolve().parent.name
        name = d.resolve().parent.name if year_named else (d.name or str(d))  # <unit>/2022
        seen[name] += 1
        out.append((name if seen[name] == 1 else f"{name}#{seen[name]}", d))
    return out


def _cores() -> int:
    """The cores this process may run on (a container's share, where the OS says)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


Progress = Callable[[int, int, str], None]
"""Told (units done, units in all, the unit just done)."""


def rollup(
    units: Sequence[tuple[str, Path]],
    jobs: int | None = None,
    max_file_mb: int = 200,
    progress: Progress | None = None,
) -> Province:
    """Check and score every unit, ``jobs`` at a time (default: the cores), and sum them."""
    jobs = jobs or _cores()
    results: dict[str, UnitResult] = {}
    done = 0
    if jobs == 1:
        for name, d in units:
            results[name] = summarise(str(d), name, max_file_mb)
            done += 1
            if progress:
                progress(done, len(units), name)
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = {pool.submit(summarise, str(d), name, max_file_mb): name for name, d in units}
            for future in as_completed(futures):
                name = futures[future]
                try:
                    results[name] = future.result()
                except Exception as exc:  # a worker that died (killed, out of memory)
                    results[name] = UnitResult(
                        _failed_row(name, "", f"工作进程失败（{type(exc).__name__}）"), ()
                    )
                done += 1
                if progress:
                    progress(done, len(units), name)
    ordered = [results[name] for name, _ in units]
    return province(ordered)


def province(results: Sequence[UnitResult]) -> Province:
    """The province from its units' records: cross-unit findings counted in the unit they are
    found in, ranks, totals, grades, shared problems."""
    cross = cross_unit(results)
    rows = ranked(with_cross([r.row for r in results], cross))
    return Province(tuple(rows), totals(rows), grade_counts(rows), shared(rows), cross)


def with_cross(rows: list[UnitRow], cross: Sequence[Finding]) -> list[UnitRow]:
    """Each unit's row with the cross-unit findings at its files added to its counts and codes."""
    mine: dict[str, list[Finding]] = {}
    for f in cross:
        mine.setdefault(f.location.file.split("/", 1)[0], []).append(f)
    out = []
    for r in rows:
        found = mine.get(r.unit)
        if not found:
            out.append(r)
            continue
        errors = sum(f.severity is Severity.ERROR for f in found)
        warnings = sum(f.severity is Severity.WARNING for f in found)
        extra = _problems(found)
        out.append(
            replace(
                r,
                errors=r.errors + errors,
                warnings=r.warnings + warnings,
                problems=tuple(sorted((*r.problems, *extra), key=_severity_first)),
            )
        )
    return out


def _severity_first(p: Problem) -> tuple[int, int, str]:
    return SEVERITY_ORDER[p.severity], -p.count, p.code


def ranked(rows: Iterable[UnitRow]) -> list[UnitRow]:
    """Rank by computed total, highest first; equal totals share a rank (1, 2, 2, 4). A unit
    whose total is known only as a range (no ledger) is not ranked."""
    rows = list(rows)
    scores = sorted((r.total for r in rows if r.total is not None and _rankable(r)), reverse=True)
    first: dict[Decimal, int] = {}
    for i, s in enumerate(scores, start=1):
        first.setdefault(s, i)
    return [replace(r, rank=first[r.total]) if _rankable(r) and r.total is not None else r for r in rows]


def _rankable(r: UnitRow) -> bool:
    return r.scored and r.total is not None and not r.total_open


def totals(rows: Sequence[UnitRow]) -> Totals:
    """Σ over scored units whose figure is known; 执行率 = Σ spent ÷ Σ base over the units whose
    spent is known (never a mean of the units' rates). ``unknown`` counts, per figure, the
    scored units left out of its sum."""
    scored = [r for r in rows if r.scored]
    households: Counter[str] = Counter()
    unknown: Counter[str] = Counter()
    for r in scored:
        for label, n in r.households.items():
            households[label] += n or 0
    spent_known = [r for r in scored if r.spent is not None]
    spent = sum((r.spent or ZERO for r in spent_known), ZERO)
    base = sum((r.base or ZERO for r in spent_known), ZERO)
    unknown["spent"] = len(scored) - len(spent_known)
    unknown["person_times"] = sum(r.person_times is None for r in scored)
    unknown["households"] = sum(any(n is None for n in r.households.values()) for r in scored)
    scores = [r.total for r in scored if r.total is not None and not r.total_open]
    return Totals(
        units=len(rows),
        scored=len(scored),
        arrived=sum((r.arrived or ZERO for r in scored), ZERO),
        spent=spent,
        base=base,
        execution_rate=ratio(spent, base),
        balance=sum((r.balance or ZERO for r in spent_known), ZERO),
        person_times=sum(r.person_times or 0 for r in scored),
        households=dict(households),
        errors=sum(r.errors for r in rows),
        warnings=sum(r.warnings for r in rows),
        infos=sum(r.infos for r in rows),
        mean_total=ratio(sum(scores, ZERO), Decimal(len(scores))) if scores else None,
        unknown={k: v for k, v in unknown.items() if v},
    )


def grade_counts(rows: Sequence[UnitRow]) -> dict[str, int]:
    """Units per grade, in the MOF order; units not scored under 未评分."""
    out = {g: 0 for g in ("优", "良", "中", "差")}
    for r in rows:
        key = (r.grade or "等次未定") if r.scored else "未评分"  # 未定: the score's range spans two grades
        out[key] = out.get(key, 0) + 1
    return out


def shared(rows: Sequence[UnitRow], limit: int = 10) -> tuple[SharedProblem, ...]:
    """The codes found in the most units (a unit counts once per code), most widespread first."""
    units: Counter[str] = Counter()
    severity: dict[str, str] = {}
    for r in rows:
        for p in r.problems:
            units[p.code] += 1
            severity[p.code] = p.severity
    order = sorted(units, key=lambda c: (-units[c], SEVERITY_ORDER[severity[c]], c))[:limit]
    from bangfu_eval.catalogue import CODES  # the catalogue collects this module's code

    return tuple(SharedProblem(c, severity[c], CODES[c].zh if c in CODES else c, units[c]) for c in order)


BF991 = Code(
    "BF991",
    ERROR,
    "one ID number in two units (province)",
    "身份证号跨单位重复",
    message="身份证号 {masked} 同年在 {other} 与 {unit} 两个单位{how}",
    help="{other}/{other_file}:{other_line}",
    why="Found by `bangfu rollup`, not by one unit's check: a person archived or paid by two "
    "units in one year may be assisted twice (重复享受).",
    example="The same ID number archived by u0004 and paid by u0005 in 2022.",
    fix="Ask both units which one keeps the archive; the other stops paying and records why.",
    policy="national: 重复享受 (one person assisted by two units)",
    source="琼工办发〔2022〕98号《海南省工会困难职工家庭认定及档案管理办法》（一户一档）",
    zh_why="由省级汇总发现，单个单位的检查看不到：同一人同年在两个单位建档或受助，可能被重复帮扶。",
    zh_example="u0004 建档、u0005 发放的同一身份证号（2022 年）。",
    remedy="两个单位核实由哪一方保留档案；另一方停止发放、注销档案并书面说明，重复领取的追回。",
)


def cross_unit(results: Sequence[UnitResult]) -> tuple[Finding, ...]:
    """The same ID number archived or paid in two units in one year: one finding per later
    unit, at its row, naming both units; the number masked."""
    first: dict[str, tuple[str, IdEntry]] = {}
    out = []
    for r in results:
        for e in r.ids:
            seen = first.get(e.id_number)
            if seen is None:
                first[e.id_number] = (r.row.unit, e)
                continue
            other, prior = seen
            if other == r.row.unit:
                continue  # within one unit: BF901's business
            how = "均有发放" if e.paid and prior.paid else ("有发放" if e.paid or prior.paid else "均在档")
            out.append(
                BF991(
                    Location(f"{r.row.unit}/{e.file}", e.line, e.column, "id_number"),
                    masked=mask_id_number(e.id_number),
                    other=other,
                    unit=r.row.unit,
                    how=how,
                    other_file=prior.file,
                    other_line=prior.line,
                )
            )
    return tuple(out)
