"""Identities between figures, checked across declarations.

Compute knows how figures relate; here those relations are written out, so that a year of
aggregates only (no ledger) can still be checked: its declared figures against each other.

    source    a total = Σ of its parts by fund source (money, person-times)
    type      a total = Σ of its parts by disbursement type (person-times, amounts)
    category  archived households = Σ by category = Σ by eligible status
    balance   balance = carried in + arrived − spent (each source, and in total)
    rate      rate = numerator ÷ denominator (arrival, utilisation, coverage, matching, plan)

An identity is checked where every term is known, computed or declared, and at least one term
is a declaration standing in for an unknown figure (where all terms are computed it holds by
construction, and a declaration of a computed figure is BF201's). A total is compared at the
precision it is printed in, as BF201 compares. A sum whose parts are counts or amounts (never
negative) is also broken when the parts that are known already exceed the declared total.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from bangfu_eval import models as m
from bangfu_eval.money import DEFAULT_FORMAT, FORMATS
from bangfu_eval.narrative import Declaration, agrees, declarations, parse_declared
from bangfu_eval.results import Figure

ZERO = Decimal(0)

FAMILY_LABEL = {
    "source": "各资金来源",
    "type": "各帮扶类型",
    "category": "各困难类别",
    "status": "各档案状态",
    "balance": "结余",
    "rate": "比率",
}


@dataclass(frozen=True)
class Identity:
    """``figure`` = Σ plus − Σ minus, or with ``over`` the rate (Σ plus − Σ minus) ÷ Σ over."""

    family: str
    figure: str
    plus: tuple[str, ...]
    minus: tuple[str, ...] = ()
    over: tuple[str, ...] = ()

    @property
    def non_negative(self) -> bool:
        """A sum of counts or amounts, whose parts are never negative (a balance may be)."""
        return not self.minus and not self.over and not self.figure.endswith(".balance")


@dataclass(frozen=True)
class Term:
    """A known value of one figure, or of several summed (a declaration such as
    ``person_times.city + person_times.union = 147``); ``declared`` where it was stated."""

    names: tuple[str, ...]
    value: Decimal
    label: str
    kind: str
    declared: Declaration | None = None

    def shown(self) -> str:
        if self.declared is not None:
            return f"{self.label} {self.declared.text}"
        return f"{self.label} {FORMATS[DEFAULT_FORMAT[self.kind]](self.value)}"


@dataclass(frozen=True)
class Broken:
    """A broken identity: one finding at ``at``, naming the ``others`` declarations."""

    identity: Identity
    at: Declaration
    message: str
    others: tuple[Declaration, ...]


def identities(year: m.Year) -> list[Identity]:
    """Every identity of the year's figures (names as in ``compute.figures``)."""
    pol, ids = year.policy, [s.id for s in year.funds.sources]
    out = [Identity("source", f"funds.{x}", tuple(f"funds.{s}.{x}" for s in ids)) for x in _BY_SOURCE]
    out.append(Identity("source", "person_times.total", tuple(f"person_times.{s}" for s in ids)))
    out.append(
        Identity("type", "person_times.total", tuple(f"person_times.{t}" for t in pol.disbursement_types))
    )
    out.append(Identity("type", "funds.spent", tuple(f"amounts.{t}" for t in pol.disbursement_types)))
    out.append(Identity("category", "households.archived", tuple(f"households.{c}" for c in pol.categories)))
    out.append(
        Identity(
            "status", "households.archived", tuple(f"households.status.{s}" for s in pol.eligible_statuses)
        )
    )
    for p in [f"funds.{s}." for s in ids] + ["funds."]:
        out.append(Identity("balance", p + "balance", (p + "carried_in", p + "arrived"), (p + "spent",)))
        base = (p + "arrived",) if year.funds.rate_base == "arrived" else (p + "carried_in", p + "arrived")
        out.append(Identity("rate", p + "utilisation", (p + "spent",), over=base))
    out.append(Identity("rate", "funds.arrival_rate", ("funds.arrived",), over=("funds.allocated",)))
    out.append(Identity("rate", "households.coverage", ("households.helped",), over=("households.archived",)))
    out.append(
        Identity("rate", "project.arrival_vs_plan", ("funds.arrived",), over=("project.planned_amount",))
    )
    kinds = {s.id: s.kind for s in year.funds.sources}
    local = [s for s in ids if kinds[s] in pol.matching.local_kinds]
    central = [s for s in ids if kinds[s] in pol.matching.central_kinds]
    for basis in ("arrived", "spent"):
        out.append(
            Identity(
                "rate",
                f"funds.matching.{basis}",
                tuple(f"funds.{s}.{basis}" for s in local),
                over=tuple(f"funds.{s}.{basis}" for s in central),
            )
        )
    return out


_BY_SOURCE = ("carried_in", "allocated", "arrived", "spent", "balance")


class Known:
    """What is known of a year's figures: computed values, declarations standing in for
    unknown figures (the first of each), and declared sums of unknown figures."""

    def __init__(self, year: m.Year, figs: dict[str, Figure]) -> None:
        self.figs = figs
        self.first: dict[str, Declaration] = {}
        self.groups: list[Term] = []
        self.repeated: list[tuple[Declaration, Declaration]] = []
        self.sums: list[Declaration] = []
        for d in declarations(year):
            found = [figs.get(n) for n in d.names]
            origins = {f.origin for f in found if f is not None}
            if None in found or origins == {"computed"}:
                continue  # an unknown name (BF202) or computed figures (BF201)
            if len(d.names) == 1:
                if d.names[0] in self.first:
                    self.repeated.append((self.first[d.names[0]], d))
                else:
                    self.first[d.names[0]] = d
            elif origins == {"unknown"}:
                term = _declared_term(d, [f for f in found if f is not None])
                if term is not None:
                    self.groups.append(term)
            elif "unknown" not in origins:
                self.sums.append(d)  # a sum of known figures, some of them declared

    def single(self, name: str) -> Term | None:
        fig = self.figs.get(name)
        if fig is None or fig.value is None:
            return None
        return Term((name,), fig.value, fig.label, fig.kind, self.first.get(name))

    def cover(self, names: tuple[str, ...]) -> tuple[list[Term], list[str]]:
        """The known terms that make up Σ ``names``, and the names left unknown."""
        terms, rest = [], []
        for n in names:
            t = self.single(n)
            if t is None:
                rest.append(n)
            else:
                terms.append(t)
        for g in self.groups:
            if set(g.names) <= set(rest):
                terms.append(g)
                rest = [n for n in rest if n not in g.names]
        return terms, rest


def _declared_term(d: Declaration, figs: list[Figure]) -> Term | None:
    try:
        value, _, _ = parse_declared(d.text, figs[0].kind)
    except ValueError:
        return None
    return Term(d.names, value, " + ".join(f.label for f in figs), figs[0].kind, d)


def check(year: m.Year, figs: dict[str, Figure]) -> Iterator[Broken]:
    """Every broken identity, and every unknown figure declared twice with two values."""
    known = Known(year, figs)
    for first, later in known.repeated:
        yield from _repeated(figs[first.names[0]], first, later)
    for d in known.sums:
        yield from _declared_sum(d, known)
    for identity in identities(year):
        broken = _check(identity, known)
        if broken is not None:
            yield broken


def _repeated(fig: Figure, first: Declaration, later: Declaration) -> Iterator[Broken]:
    try:
        a, _, _ = parse_declared(first.text, fig.kind)
        b, unit, places = parse_declared(later.text, fig.kind)
    except ValueError:
        return
    if not agrees(a, unit, places, b):
        same = Identity("repeated", fig.label, (first.names[0],))
        yield Broken(same, later, f"{fig.label}：申报 {later.text}，另一处申报 {first.text}", (first,))


def _declared_sum(d: Declaration, known: Known) -> Iterator[Broken]:
    """A declared sum of figures (``a + b = 91000``) against its parts, some of them declared."""
    parts = [t for t in (known.single(n) for n in d.names) if t is not None]
    if len(parts) != len(d.names):
        return
    try:
        declared, unit, places = parse_declared(d.text, parts[0].kind)
    except ValueError:
        return
    value = sum((t.value for t in parts), ZERO)
    if not agrees(value, unit, places, declared):
        fmt = FORMATS[unit or DEFAULT_FORMAT[parts[0].kind]]
        label = " + ".join(t.label for t in parts)
        message = f"{label}：申报 {d.text}，按 {' + '.join(t.shown() for t in parts)} 应为 {fmt(value)}"
        others = tuple(t.declared for t in parts if t.declared is not None)
        yield Broken(Identity("sum", label, d.names), d, message, others)


def _check(identity: Identity, known: Known) -> Broken | None:
    total = known.single(identity.figure)
    if total is None:
        return None
    plus, rest = known.cover(identity.plus)
    minus, rest_minus = known.cover(identity.minus)
    over, rest_over = known.cover(identity.over)
    terms = [*plus, *minus, *over]
    declared = [t.declared for t in (total, *terms) if t.declared is not None]
    if not declared:
        return None  # computed throughout: holds by construction
    partial = bool(rest or rest_minus or rest_over)
    if partial and not (identity.non_negative and plus):
        return None
    value = sum((t.value for t in plus), ZERO) - sum((t.value for t in minus), ZERO)
    if identity.over:
        den = sum((t.value for t in over), ZERO)
        if den == 0:
            return None
        value /= den
    if _holds(total, value, partial):
        return None
    return _broken(identity, total, value, plus, minus, over, rest, declared)


def _holds(total: Term, value: Decimal, partial: bool) -> bool:
    """Whether ``total`` equals ``value`` (at the precision printed when declared); with
    ``partial`` (some parts unknown) whether the known parts do not exceed it."""
    if total.declared is None:
        return value <= total.value if partial else value == total.value
    declared, unit, places = parse_declared(total.declared.text, total.kind)
    if agrees(value, unit, places, declared):
        return True
    return partial and value < declared


def _broken(
    identity: Identity,
    total: Term,
    value: Decimal,
    plus: list[Term],
    minus: list[Term],
    over: list[Term],
    rest: list[str],
    declared: list[Declaration],
) -> Broken:
    at = total.declared or declared[-1]
    others = tuple(d for d in declared if d is not at)
    unit = parse_declared(at.text, total.kind)[1] if at is total.declared else ""
    fmt = FORMATS[unit or DEFAULT_FORMAT[total.kind]]
    expr = " + ".join(t.shown() for t in plus)
    if minus:
        expr += " − " + " − ".join(t.shown() for t in minus)
    if over:
        expr = f"（{expr}）÷（{' + '.join(t.shown() for t in over)}）"
    stated = f"申报 {total.declared.text}" if total.declared else f"为 {fmt(total.value)}"
    head = f"{total.label}：{stated}，"
    if rest:
        body = f"其中已知的{FAMILY_LABEL[identity.family]}合计已达 {fmt(value)}：{expr}"
    elif identity.family in ("rate", "balance"):
        body = f"按 {expr} 应为 {fmt(value)}"
    else:
        body = f"{FAMILY_LABEL[identity.family]}合计 {fmt(value)}：{expr}"
    return Broken(identity, at, head + body, others)
