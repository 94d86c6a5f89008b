"""Pure functions from a validated year to result records: no I/O, no printing, no rounding.

Every formula is in the docstring of the function that applies it. Rounding (ROUND_HALF_UP)
happens only when a figure is shown (``money.py``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from decimal import Decimal
from itertools import compress

from bangfu_eval import aggregates, measures, scoring, targetspec
from bangfu_eval import models as m
from bangfu_eval.ledger import Columns, sums
from bangfu_eval.measures import deadline
from bangfu_eval.money import HUNDRED, ratio
from bangfu_eval.results import (
    BeneficiariesResult,
    CategoryResult,
    Figure,
    FundsResult,
    NodeResult,
    PaymentsResult,
    Results,
    SourceResult,
    TargetResult,
    TreeResult,
)

ZERO = Decimal(0)


def funds(year: m.Year, cols: Columns | None = None) -> FundsResult:
    """Per source: available = carried in + arrived; spent = Σ disbursements of the source
    (or the declared ``spent`` when the year has no disbursements file); balance = available −
    spent; utilisation = spent ÷ arrived (rate_base arrived) or ÷ available. Totals are sums over
    sources; arrival rate = Σ arrived ÷ Σ allocated. Matching ratio = (Σ arrived, or spent, of
    the policy's local kinds) ÷ (that of its central kinds). Without disbursements, a source
    with no declared ``spent`` has an unknown spent (``spent_known`` False): its rates, the
    totals' rates and the matching ratio on spent money are then None, never computed from 0."""
    ledger = year.disbursements is not None
    spent_by: dict[str, Decimal] = defaultdict(lambda: ZERO)
    count_by: Counter[str] = Counter()
    uses_by: dict[str, dict[str, Decimal]] = defaultdict(dict)
    cols = cols if cols is not None else Columns.of(year)
    for (source, kind), (n, amount) in cols.by_source_and_type.items():
        spent_by[source] += amount
        count_by[source] += n
        uses_by[source][kind] = amount
    base = year.funds.rate_base
    out = []
    for s in year.funds.sources:
        carried_in = ZERO if s.carried_in_included else (s.carried_in or ZERO)
        available = carried_in + s.arrived
        known = ledger or s.spent is not None
        spent = spent_by[s.id] if ledger else (s.spent or ZERO)
        out.append(
            SourceResult(
                id=s.id,
                name=s.name,
                kind=s.kind,
                carried_in=carried_in,
                allocated=s.allocated,
                arrived=s.arrived,
                available=available,
                spent=spent,
                balance=available - spent,
                utilisation=ratio(spent, s.arrived if base == "arrived" else available) if known else None,
                person_times=count_by[s.id],
                uses=dict(uses_by[s.id]),
                spent_known=known,
            )
        )
    allocated = [s.allocated for s in out if s.allocated is not None]
    # 资金到位率 is known only when every source declares its allocation (never 100% by construction)
    total_alloc = sum(allocated, ZERO) if allocated and len(allocated) == len(out) else None
    arrived = sum((s.arrived for s in out), ZERO)
    available = sum((s.available for s in out), ZERO)
    spent = sum((s.spent for s in out), ZERO)
    match = year.policy.matching
    known = all(s.spent_known for s in out)
    return FundsResult(
        sources=tuple(out),
        carried_in=sum((s.carried_in for s in out), ZERO),
        allocated=total_alloc,
        arrived=arrived,
        available=available,
        spent=spent,
        balance=available - spent,
        arrival_rate=ratio(arrived, total_alloc) if total_alloc is not None else None,
        utilisation=ratio(spent, arrived if base == "arrived" else available) if known else None,
        rate_base=base,
        matching_arrived=matching(out, match, "arrived"),
        matching_spent=matching(out, match, "spent") if known else None,
        spent_from_ledger=ledger,
    )


def matching(sources: Iterable[SourceResult], match: m.Matching, basis: str) -> Decimal | None:
    """(Σ of local kinds) ÷ (Σ of central kinds) on ``basis`` (arrived or spent)."""
    central = local = ZERO
    for s in sources:
        value = s.arrived if basis == "arrived" else s.spent
        if s.kind in match.central_kinds:
            central += value
        elif s.kind in match.local_kinds:
            local += value
    return ratio(local, central)


def payments(year: m.Year, cols: Columns | None = None) -> PaymentsResult:
    """Timeliness = Σ amount paid by the deadline ÷ Σ amount; cash share = Σ cash ÷ Σ amount;
    non-cash (real-name card) share = 1 − cash share."""
    cols = cols if cols is not None else Columns.of(year)
    total = sum((amount for _, amount in cols.by_source_and_type.values()), ZERO)
    last, cash_methods = deadline(year), set(year.policy.cash_methods)
    on_time = total
    if cols.rows and max(cols.date) > last:
        on_time = sum(compress(cols.amount, map(last.__ge__, cols.date)), ZERO)
    cash = ZERO
    if not cash_methods.isdisjoint(cols.method):
        cash = sum(compress(cols.amount, map(cash_methods.__contains__, cols.method)), ZERO)
    cash_share = ratio(cash, total)
    return PaymentsResult(
        count=len(cols),
        amount=total,
        on_time_share=ratio(on_time, total),
        cash_share=cash_share,
        noncash_share=None if cash_share is None else 1 - cash_share,
    )


def beneficiaries(year: m.Year, cols: Columns | None = None) -> BeneficiariesResult:
    """Archived = households whose status is eligible (在档 and 渐退期) at year end; helped =
    archived households with at least one payment; coverage = helped ÷ archived; person-times =
    number of disbursements; averages = amount ÷ households helped, ÷ person-times."""
    pol = year.policy
    homes = [h for h in year.households.households if h.status in pol.eligible_statuses]
    cols = cols if cols is not None else Columns.of(year)
    paid = set(cols.household)
    category_of = {h.id: h.category for h in homes}
    category = list(map(category_of.get, cols.household))  # None: not an archived household
    amount_by_category = sums(category, cols.amount)
    count_by_category = Counter(category)
    cats = []
    for code, label in pol.categories.items():
        mine = [h for h in homes if h.category == code]
        helped = sum(1 for h in mine if h.id in paid)
        amount = amount_by_category.get(code, ZERO)
        cats.append(
            CategoryResult(
                code,
                label,
                len(mine),
                helped,
                amount,
                count_by_category[code],
                ratio(amount, Decimal(helped)),
            )
        )
    helped_n = sum(1 for h in homes if h.id in paid)
    by_type: Counter[str] = Counter()
    by_source: Counter[str] = Counter()
    amount_by_type: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for (source, kind), (n, amount) in cols.by_source_and_type.items():
        by_type[kind] += n
        by_source[source] += n
        amount_by_type[kind] += amount
    total = sum(amount_by_type.values(), ZERO)
    return BeneficiariesResult(
        archived=len(homes),
        by_category=tuple(cats),
        by_status=dict(Counter(h.status for h in year.households.households)),
        helped=helped_n,
        coverage=ratio(Decimal(helped_n), Decimal(len(homes))),
        person_times=len(cols),
        by_type=dict(by_type),
        amount_by_type=dict(amount_by_type),
        by_source=dict(by_source),
        average_per_household=ratio(total, Decimal(helped_n)),
        average_per_person_time=ratio(total, Decimal(len(cols))),
    )


def figures(year: m.Year, f: FundsResult, p: PaymentsResult, b: BeneficiariesResult) -> dict[str, Figure]:
    """The flat name → figure table that placeholders, declarations and measures use."""
    out: dict[str, Figure] = {
        "funds.carried_in": Figure(f.carried_in, "money", "上年结转"),
        "funds.allocated": Figure(f.allocated, "money", "安排资金"),
        "funds.arrived": Figure(f.arrived, "money", "到位资金"),
        "funds.available": Figure(f.available, "money", "可用资金"),
        "funds.spent": Figure(f.spent, "money", "支出"),
        "funds.balance": Figure(f.balance, "money", "结余"),
        "funds.arrival_rate": Figure(f.arrival_rate, "rate", "资金到位率"),
        "funds.utilisation": Figure(f.utilisation, "rate", "资金使用率"),
        "funds.matching.arrived": Figure(f.matching_arrived, "ratio", "配套比例（到位）"),
        "funds.matching.spent": Figure(f.matching_spent, "ratio", "配套比例（支出）"),
        "payments.count": Figure(Decimal(p.count), "count", "发放笔数"),
        "payments.on_time_share": Figure(p.on_time_share, "rate", "按时发放比例"),
        "payments.cash_share": Figure(p.cash_share, "rate", "现金发放比例"),
        "payments.noncash_share": Figure(p.noncash_share, "rate", "实名制卡发放比例"),
        "households.archived": Figure(Decimal(b.archived), "count", "在档困难职工户数"),
        "households.helped": Figure(Decimal(b.helped), "count", "受助户数"),
        "households.coverage": Figure(b.coverage, "rate", "帮扶覆盖率"),
        "person_times.total": Figure(Decimal(b.person_times), "count", "帮扶人次"),
        "project.planned_amount": Figure(year.project.project.planned_amount, "money", "计划投资额"),
        "project.arrival_vs_plan": Figure(
            ratio(f.arrived, year.project.project.planned_amount)
            if year.project.project.planned_amount
            else None,
            "rate",
            "到位资金占计划比例",
        ),
    }
    for s in f.sources:
        out[f"funds.{s.id}.carried_in"] = Figure(s.carried_in, "money", f"{s.name}上年结转")
        out[f"funds.{s.id}.allocated"] = Figure(s.allocated, "money", f"{s.name}安排")
        out[f"funds.{s.id}.arrived"] = Figure(s.arrived, "money", f"{s.name}到位")
        out[f"funds.{s.id}.spent"] = Figure(s.spent, "money", f"{s.name}支出")
        out[f"funds.{s.id}.balance"] = Figure(s.balance, "money", f"{s.name}结余")
        out[f"funds.{s.id}.utilisation"] = Figure(s.utilisation, "rate", f"{s.name}使用率")
        out[f"person_times.{s.id}"] = Figure(Decimal(s.person_times), "count", f"{s.name}帮扶人次")
    for c in b.by_category:
        out[f"households.{c.category}"] = Figure(Decimal(c.archived), "count", f"{c.label}户数")
    for status, label in year.policy.statuses.items():
        n = Decimal(b.by_status.get(status, 0))
        out[f"households.status.{status}"] = Figure(n, "count", f"{label}户数")
    for t, label in year.policy.disbursement_types.items():
        out[f"person_times.{t}"] = Figure(Decimal(b.by_type.get(t, 0)), "count", f"{label}人次")
        out[f"amounts.{t}"] = Figure(b.amount_by_type.get(t, ZERO), "money", f"{label}金额")
    return out


# --- indicators -------------------------------------------------------------------------------


def grade_of(score: Decimal, weight: Decimal, bands: list[m.GradeBand]) -> str:
    """Grade of a total: the first band (highest minimum first) whose minimum the score,
    scaled to 100 when the tree's weight is not 100, reaches."""
    scaled = score if weight in (ZERO, HUNDRED) else score * HUNDRED / weight
    for band in sorted(bands, key=lambda b: b.min, reverse=True):
        if scaled >= band.min:
            return band.grade
    return ""


def node(ind: m.Indicator, depth: int, figs: dict[str, Figure]) -> NodeResult:
    """Roll-up of one indicator from figures alone (see scoring.node)."""
    return scoring.node(ind, depth, scoring.Inputs(figs))


def tree(
    t: m.Tree, inp: scoring.Inputs, bands: list[m.GradeBand], names: tuple[str | None, ...] = ()
) -> TreeResult:
    """A tree's weight and score are the sums over its top-level nodes; an unnamed top-level
    node takes its label from ``names`` (another tree's top level) where that has one."""
    nodes = tuple(
        scoring.node(n, 1, inp, None if n.name or i >= len(names) else names[i])
        for i, n in enumerate(t.nodes)
    )
    nodes = tuple(aggregates.mark(ind, n, inp.figures) for ind, n in zip(t.nodes, nodes, strict=True))
    weight = sum((n.weight for n in nodes), ZERO)
    score = sum((n.score or ZERO for n in nodes), ZERO)
    grade, unknown = grade_of(score, weight, bands), aggregates.open_weight(nodes)
    if unknown and grade != grade_of(score + unknown, weight, bands):
        grade = ""  # without the ledger the score is known only up to ``unknown`` points
    return TreeResult(
        t.id,
        t.title,
        t.source,
        tuple(t.levels),
        weight,
        score,
        grade,
        nodes,
        declared_score=t.declared.score,
        declared_leaves=scoring.total_of(n.declared_sum for n in nodes),
    )


def leaves(n: NodeResult) -> Iterable[NodeResult]:
    if n.is_leaf:
        yield n
    for c in n.children:
        yield from leaves(c)


# --- targets --------------------------------------------------------------------------------

_OPS = {
    "ge": lambda v, t: v >= t,
    "gt": lambda v, t: v > t,
    "le": lambda v, t: v <= t,
    "lt": lambda v, t: v < t,
}


def in_band(value: Decimal, band: m.Band) -> bool:
    return bool(_OPS[band.op](value, band.value))


def target(t: m.Target, figs: dict[str, Figure]) -> TargetResult:
    """Actual = the declared actual, else the named figure; met = the actual meets the target in
    its direction (``direction``, else read from target_text: 以上 ≥, 以下 ≤; else ≥); grade = the
    first band, in the order written, that holds the actual."""
    actual = t.actual
    if actual is None and t.actual_figure:
        fig = figs.get(t.actual_figure)
        actual = fig.value if fig else None
    grade = next((b.grade for b in t.bands if actual is not None and in_band(actual, b)), None)
    parsed = targetspec.parse(t.target_text) if t.target_text else None
    if t.direction is not None:
        spec = targetspec.explicit(t.direction, t.target)
    elif parsed is not None and parsed.op == "range":
        spec = parsed
    else:
        spec = targetspec.explicit(parsed.op if parsed else "ge", t.target)
    return TargetResult(
        t.id,
        t.kind,
        t.name,
        t.unit,
        t.target_text,
        spec.value,
        actual,
        None if actual is None else spec.met(actual),
        grade,
        tuple((b.grade, b.text) for b in t.bands),
        direction=spec.op,
        target_high=spec.high,
    )


def trees(year: m.Year, inp: scoring.Inputs) -> tuple[TreeResult, ...]:
    """Every tree; the primary tree's unnamed top-level nodes are named from the others."""
    names: tuple[str | None, ...] = ()
    for t in year.indicators.trees:
        if t.id != year.indicators.primary and len(t.nodes) > len(names):
            names = tuple(n.name for n in t.nodes)
    bands = year.policy.grade_bands
    return tuple(tree(t, inp, bands, names) for t in year.indicators.trees)


def compute(year: m.Year, present: frozenset[str] = frozenset(), cols: Columns | None = None) -> Results:
    """Everything, in dependency order: funds → payments → beneficiaries → figures and
    measures → targets → indicator trees (leaves read figures, targets and, in ``present``, the
    codes of the findings found) → total and grade. ``cols``: the disbursements' columns, when
    the caller has built them already (the pipeline has)."""
    cols = cols if cols is not None else Columns.of(year)
    f, p, b = funds(year, cols), payments(year, cols), beneficiaries(year, cols)
    # without a ledger, what it gives is unknown or declared (aggregates.resolve)
    figs = aggregates.resolve(year, f, {**figures(year, f, p, b), **measures.figures(year, f, cols)})
    targets = tuple(target(t, figs) for t in year.targets.targets)
    return scored(year, f, p, b, figs, targets, present)


def scored(
    year: m.Year,
    f: FundsResult,
    p: PaymentsResult,
    b: BeneficiariesResult,
    figs: dict[str, Figure],
    targets: tuple[TargetResult, ...],
    present: frozenset[str],
) -> Results:
    figs = dict(figs)
    inp = scoring.Inputs.of(figs, {t.id: t for t in targets}, year.policy, present)
    tree_results = trees(year, inp)
    primary = next((t for t in tree_results if t.id == year.indicators.primary), tree_results[0])
    for t in tree_results:
        figs[f"score.{t.id}"] = Figure(t.score, "score", f"{t.title}得分")
        figs[f"weight.{t.id}"] = Figure(t.weight, "score", f"{t.title}总分值")
    figs["score.total"] = Figure(primary.score, "score", "评价总分")
    return Results(
        year.project.year,
        f,
        p,
        b,
        tree_results,
        primary,
        targets,
        primary.score,
        primary.grade,
        figs,
        aggregates.missing_ledger(year),
        declared_total=primary.declared_score,
        declared_leaves=primary.declared_leaves,
        declared_grade=year.project.evaluation.grade or None,
    )


def rescore(year: m.Year, results: Results, present: frozenset[str]) -> Results:
    """The same results with the trees scored again knowing the findings present."""
    figs = {k: v for k, v in results.figures.items() if not k.startswith(("score.", "weight."))}
    return scored(
        year, results.funds, results.payments, results.beneficiaries, figs, results.targets, present
    )
