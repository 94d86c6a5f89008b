"""A year of aggregates only: what the person-level files give, and what a year without them
can still show.

A provincial reviewer receives a unit's report, not its ledger: money by source, person-times
by source and type, households by category, scores. Such a year has no ``households.yaml``
and no ``disbursements.yaml``. Figures that only the ledger gives are then *unknown* (value
None), never 0; where the document states one, its declaration is taken as given (origin
``declared``) so that measures and targets can use it; the declarations are checked against
each other instead (``identities.py``, BF203). Checks that read person-level records do not
run, and the year says which.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal

from bangfu_eval import models as m
from bangfu_eval.narrative import declarations, parse_declared
from bangfu_eval.results import Figure, FundsResult, NodeResult, TreeResult

ZERO = Decimal(0)

HOUSEHOLDS = "households.yaml"
DISBURSEMENTS = "disbursements.yaml"
LEDGER = (HOUSEHOLDS, DISBURSEMENTS)


def missing_ledger(year: m.Year) -> tuple[str, ...]:
    """The person-level files the year does not give (an empty file given is not missing)."""
    out = []
    if "households" not in year.model_fields_set:
        out.append(HOUSEHOLDS)
    if year.disbursements is None:
        out.append(DISBURSEMENTS)
    return tuple(out)


def needs_ledger() -> dict[str, tuple[str, ...]]:
    """The checks that read person-level records, and the files each needs (each code declares
    it: ``Code.needs``). Without one of its files a check does not run (its findings would
    follow from the absence, not from the data)."""
    from bangfu_eval.catalogue import CODES  # the rules import this module: looked up on use

    return {code: info.needs for code, info in CODES.items() if info.needs}


def skipped_checks(missing: tuple[str, ...]) -> tuple[str, ...]:
    """The codes of the checks that cannot run without the ``missing`` files."""
    return tuple(code for code, files in needs_ledger().items() if set(files) & set(missing))


def mode_line(missing: tuple[str, ...]) -> str:
    """One line saying that a year has no ledger and which checks did not run; '' with one."""
    if not missing:
        return ""
    codes = skipped_checks(missing)
    return (
        f"无明细账（未提供{'、'.join(missing)}）：明细账才能计算的数字按申报数相互核对；"
        f"需要明细账的{len(codes)}项检查未运行（{_ranges(codes)}）"
    )


def _ranges(codes: tuple[str, ...]) -> str:
    """BF501 BF502 BF503 BF601 → 'BF501–BF503、BF601'."""
    runs: list[list[str]] = []
    for c in codes:
        if runs and int(c[2:]) == int(runs[-1][-1][2:]) + 1:
            runs[-1].append(c)
        else:
            runs.append([c])
    return "、".join(r[0] if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


_FILE_ZH = {HOUSEHOLDS: "困难职工档案", DISBURSEMENTS: "帮扶资金发放记录"}
_FAMILY_ZH = {
    "BF5": "先建档后帮扶",
    "BF6": "资金用途与标准",
    "BF7": "发放方式、公示与时限",
    "BF9": "身份证号",
}


def report_note(missing: tuple[str, ...]) -> str:
    """The same for the report, in Chinese only (no file names, no codes); '' with a ledger."""
    if not missing:
        return ""
    families = dict.fromkeys(code[:3] for code in skipped_checks(missing))
    return (
        f"本年度未提供明细账（{'、'.join(_FILE_ZH[f] for f in missing)}）：正文中只有明细账才能计算的数字"
        f"为报告的申报数，已相互核对；{'、'.join(_FAMILY_ZH[f] for f in families)}等需要明细账的检查未进行。"
    )


def mode_json(missing: tuple[str, ...]) -> dict[str, object]:
    """The same as JSON (docs/cli.md): which files are missing, which checks did not run."""
    return {
        "aggregate_only": bool(missing),
        "missing": list(missing),
        "skipped_checks": list(skipped_checks(missing)),
    }


def unknown_names(year: m.Year, funds: FundsResult, figs: dict[str, Figure]) -> set[str]:
    """The figures that the missing files would give."""
    missing = missing_ledger(year)
    prefixes: list[str] = []
    names: set[str] = set()
    if DISBURSEMENTS in missing:
        prefixes += ["payments.", "person_times.", "amounts.", "persons.", "coverage.", "average."]
        names |= {"households.helped", "households.coverage"}
        for s in funds.sources:
            if not s.spent_known:
                names |= {f"funds.{s.id}.{x}" for x in ("spent", "balance", "utilisation", "execution_rate")}
                names |= {"funds.spent", "funds.balance", "funds.utilisation", "funds.matching.spent"}
                names.add("funds.execution_rate")
    if HOUSEHOLDS in missing:
        prefixes.append("households.")
    names |= {n for n in figs if n.startswith(tuple(prefixes))}
    return names & set(figs)


def resolve(year: m.Year, funds: FundsResult, figs: dict[str, Figure]) -> dict[str, Figure]:
    """The figure table of a year without a ledger: what the ledger gives becomes unknown
    (None); an unknown figure that the document declares takes the first declaration's value
    (origin ``declared``). A year with its ledger is returned as it is."""
    unknown = unknown_names(year, funds, figs)
    if not unknown:
        return figs
    out = dict(figs)
    for name in unknown:
        out[name] = replace(out[name], value=None, origin="unknown")
    for d in declarations(year):
        fig = out.get(d.names[0]) if len(d.names) == 1 else None
        if fig is None or fig.origin != "unknown":
            continue
        try:
            value, _, _ = parse_declared(d.text, fig.kind)
        except ValueError:
            continue  # BF202 says so
        out[d.names[0]] = replace(fig, value=value, origin="declared")
    return out


def mark(ind: m.Indicator, res: NodeResult, figs: dict[str, Figure]) -> NodeResult:
    """A leaf whose measure reads an unknown figure is marked not verifiable from aggregates.
    Its awarded score stays as printed; without one it adds nothing to its group (neither 0
    that fails the group nor its full weight), so a group's score is the sum of the others."""
    if res.children:
        kids = tuple(mark(i, r, figs) for i, r in zip(ind.children, res.children, strict=True))
        if kids == res.children:
            return res
        return replace(
            res,
            children=kids,
            score=_known_sum(kids, "score"),
            declared_sum=_known_sum(kids, "declared_sum"),
        )
    name = ind.measure.figure if ind.measure else None
    if name is None and ind.method == "execution_rate":
        name = "funds.execution_rate"
    fig = figs.get(name) if name else None
    if fig is not None and fig.origin == "unknown":
        return replace(res, unverifiable=True)
    return res


def _known_sum(kids: tuple[NodeResult, ...], field: str) -> Decimal | None:
    """Σ ``field`` of the children, where an unverifiable leaf without a value adds nothing;
    None when another child has none."""
    total = ZERO
    for k in kids:
        value = getattr(k, field)
        if value is None and not (k.unverifiable and not k.children):
            return None
        total += value or ZERO
    return total


def open_weight(nodes: Iterable[NodeResult]) -> Decimal:
    """Σ weight of the leaves below ``nodes`` (or among them) that need the ledger and have no
    awarded score: how much a score known from aggregates may still fall short of the real one."""
    total, stack = ZERO, list(nodes)
    while stack:
        n = stack.pop()
        stack.extend(n.children)
        if n.unverifiable and n.score is None and not n.children:
            total += n.weight
    return total


def within(declared: Decimal, known: Decimal, open: Decimal) -> bool:
    """A declared score agrees with one known up to ``open`` points: known ≤ declared ≤ known + open."""
    return known <= declared <= known + open


def unverifiable(result: TreeResult) -> tuple[int, Decimal]:
    """How many leaves of a tree are not verifiable from aggregates, and their weight."""
    count, weight = 0, Decimal(0)
    stack = list(result.nodes)
    while stack:
        n = stack.pop()
        stack.extend(n.children)
        if n.unverifiable:
            count, weight = count + 1, weight + n.weight
    return count, weight
