"""``bangfu diff``: one unit's year against another (同比): funds by source and their rates,
person-times by type, households that entered, left or changed category, people paid in both
years, indicators and targets whose definition changed, the score and the grade.

A household is the same in both years when its ID number is (its household id otherwise): ids
are the unit's bookkeeping and may be renumbered, a person's ID number is not. Households are
listed masked (张*三, 460100********1234); the diff holds no unmasked personal value.

For the report's 同比 section: ``against_previous(outcome)`` runs the previous year's directory
when it stands beside this one (``data/2021`` beside ``data/2022``) and returns the diff, or None.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from bangfu_eval import models as m
from bangfu_eval.aggregates import HOUSEHOLDS, LEDGER
from bangfu_eval.ledger import Columns
from bangfu_eval.pipeline import Outcome, run
from bangfu_eval.privacy import mask_id_number, mask_name
from bangfu_eval.results import NodeResult, Results


@dataclass(frozen=True)
class Change:
    """One figure in both years; None where a year does not have it."""

    key: str
    label: str
    kind: str  # money, rate, count, score
    old: Decimal | None
    new: Decimal | None

    @property
    def delta(self) -> Decimal | None:
        return None if self.old is None or self.new is None else self.new - self.old


@dataclass(frozen=True)
class Person:
    """A household as the diff shows it: masked name and ID number, category in each year."""

    name: str
    id_number: str
    old_category: str
    new_category: str


@dataclass(frozen=True)
class Definition:
    """An indicator or target whose definition differs: added, removed, or which fields changed."""

    kind: str  # indicator, target
    name: str
    change: str  # added, removed, changed
    fields: tuple[tuple[str, str, str], ...]  # (field, old, new)


@dataclass(frozen=True)
class YearDiff:
    old_year: int
    new_year: int
    old_dir: str
    new_dir: str
    funds: tuple[Change, ...]
    person_times: tuple[Change, ...]
    entered: tuple[Person, ...]
    left: tuple[Person, ...]
    changed_category: tuple[Person, ...]
    households_known: bool
    """False when either year has no households file: entered/left/changed are then not known."""
    paid_both: int | None
    """None when either year has no ledger."""
    paid_both_amount: tuple[Decimal, Decimal] | None
    definitions: tuple[Definition, ...]
    score: Change
    old_grade: str
    new_grade: str


def compare_dirs(old_dir: Path, new_dir: Path, max_file_mb: int = 200) -> tuple[Outcome, Outcome]:
    return run(old_dir, max_file_mb=max_file_mb), run(new_dir, max_file_mb=max_file_mb)


def previous_dir(directory: Path) -> Path | None:
    """``…/2021`` beside ``…/2022``, when it exists."""
    if not directory.name.isdigit():
        return None
    prev = directory.parent / str(int(directory.name) - 1)
    return prev if prev.is_dir() else None


def against_previous(outcome: Outcome, max_file_mb: int = 200) -> YearDiff | None:
    """The 同比 comparison for the report: this year against the directory of the year before,
    when it stands beside this one and both years were computed; None otherwise."""
    prev = previous_dir(outcome.directory)
    if prev is None:
        return None
    old = run(prev, max_file_mb=max_file_mb)
    return diff(old, outcome) if old.results is not None and outcome.results is not None else None


def diff(old: Outcome, new: Outcome) -> YearDiff:
    """The comparison of two computed years (both must have results)."""
    assert old.results is not None and new.results is not None and old.year and new.year
    o, n = old.results, new.results
    homes_known = HOUSEHOLDS not in o.ledger_missing + n.ledger_missing
    paid_known = not (set(LEDGER) & set(o.ledger_missing + n.ledger_missing))
    entered, left, changed = households(old.year, new.year) if homes_known else ((), (), ())
    both, amounts = paid_both(old.year, new.year) if paid_known else (None, None)
    return YearDiff(
        old_year=o.year,
        new_year=n.year,
        old_dir=str(old.directory),
        new_dir=str(new.directory),
        funds=tuple(fund_changes(o, n)),
        person_times=tuple(person_time_changes(old.year, new.year, o, n)),
        entered=entered,
        left=left,
        changed_category=changed,
        households_known=homes_known,
        paid_both=both,
        paid_both_amount=amounts,
        definitions=tuple(indicator_changes(o, n)) + tuple(target_changes(old.year, new.year)),
        score=Change("score.total", "评价总分", "score", o.total, n.total),
        old_grade=o.grade,
        new_grade=n.grade,
    )


def _fig(r: Results, name: str) -> Decimal | None:
    """A figure's value; None where the year does not give it (no ledger) or has no such name."""
    fig = r.figures.get(name)
    return None if fig is None else fig.value


def fund_changes(o: Results, n: Results) -> Iterator[Change]:
    """Per source (matched by id) arrived, spent, balance and utilisation; then the totals."""
    names = {s.id: s.name for s in o.funds.sources} | {s.id: s.name for s in n.funds.sources}
    for sid, name in names.items():
        for field, label, kind in (
            ("arrived", "到位", "money"),
            ("spent", "支出", "money"),
            ("balance", "结余", "money"),
            ("utilisation", "使用率", "rate"),
        ):
            key = f"funds.{sid}.{field}"
            yield Change(f"{sid}.{field}", name + label, kind, _fig(o, key), _fig(n, key))
    for field, label, kind in (
        ("arrived", "到位资金合计", "money"),
        ("spent", "支出合计", "money"),
        ("balance", "结余合计", "money"),
        ("arrival_rate", "资金到位率", "rate"),
        ("utilisation", "资金使用率", "rate"),
    ):
        yield Change(field, label, kind, _fig(o, f"funds.{field}"), _fig(n, f"funds.{field}"))


def person_time_changes(old: m.Year, new: m.Year, o: Results, n: Results) -> Iterator[Change]:
    """Person-times by disbursement type (the types either year's policy names), then the total."""
    labels = {**old.policy.disbursement_types, **new.policy.disbursement_types}
    for k, label in labels.items():
        a, b = _fig(o, f"person_times.{k}"), _fig(n, f"person_times.{k}")
        if a or b:
            yield Change(k, f"{label}人次", "count", a, b)
    yield Change(
        "total", "帮扶人次合计", "count", _fig(o, "person_times.total"), _fig(n, "person_times.total")
    )


def _key(h: m.Household) -> str:
    return h.id_number.strip().upper() or f"id:{h.id}"


def _archive(year: m.Year) -> dict[str, m.Household]:
    eligible = set(year.policy.eligible_statuses)
    return {_key(h): h for h in year.households.households if h.status in eligible}


def _person(h: m.Household, old: str, new: str) -> Person:
    return Person(mask_name(h.name), mask_id_number(h.id_number) if h.id_number else h.id, old, new)


def households(old: m.Year, new: m.Year) -> tuple[tuple[Person, ...], tuple[Person, ...], tuple[Person, ...]]:
    """Archived households (eligible status at year end) that entered, left, changed category."""
    a, b = _archive(old), _archive(new)
    ol, nl = old.policy.categories, new.policy.categories
    entered = tuple(_person(h, "", nl.get(h.category, h.category)) for k, h in b.items() if k not in a)
    left = tuple(_person(h, ol.get(h.category, h.category), "") for k, h in a.items() if k not in b)
    changed = tuple(
        _person(h, ol.get(a[k].category, a[k].category), nl.get(h.category, h.category))
        for k, h in b.items()
        if k in a and a[k].category != h.category
    )
    return entered, left, changed


def _paid(year: m.Year) -> dict[str, Decimal]:
    """Σ paid per person (by ID number) this year."""
    key_of = {h.id: _key(h) for h in year.households.households}
    cols = Columns.of(year)
    out: dict[str, Decimal] = {}
    for hid, amount in zip(cols.household, cols.amount, strict=True):
        k = key_of.get(hid, f"id:{hid}")
        out[k] = out.get(k, Decimal(0)) + amount
    return out


def paid_both(old: m.Year, new: m.Year) -> tuple[int, tuple[Decimal, Decimal]]:
    """How many people were paid in both years, and what they received in each."""
    a, b = _paid(old), _paid(new)
    both = a.keys() & b.keys()
    return len(both), (sum((a[k] for k in both), Decimal(0)), sum((b[k] for k in both), Decimal(0)))


def _flatten(nodes: Iterable[NodeResult], prefix: str = "") -> Iterator[tuple[str, NodeResult]]:
    for n in nodes:
        path = f"{prefix}{n.label}"
        yield path, n
        yield from _flatten(n.children, path + " / ")


def _fmt(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, Decimal):
        return f"{v.normalize():f}"
    return str(v)


def _fields(a: dict[str, object], b: dict[str, object]) -> tuple[tuple[str, str, str], ...]:
    return tuple((k, _fmt(a.get(k)), _fmt(b.get(k))) for k in a if _fmt(a.get(k)) != _fmt(b.get(k)))


def indicator_changes(o: Results, n: Results) -> Iterator[Definition]:
    """Indicators matched by tree and path of names: weight, criterion, requirement, scoring
    method and target (年度指标值)."""

    def defs(r: Results) -> dict[str, dict[str, object]]:
        out = {}
        for t in r.trees:
            for path, node in _flatten(t.nodes, f"{t.title}：" if len(r.trees) > 1 else ""):
                out[path] = {
                    "weight": node.weight,
                    "criterion": node.criterion,
                    "requirement": node.requirement,
                    "method": node.method,
                    "target_text": node.target_text,
                }
        return out

    yield from _compare("indicator", defs(o), defs(n))


def target_changes(old: m.Year, new: m.Year) -> Iterator[Definition]:
    """Targets matched by id (shown by name): name, unit, target and its text, the grade bands."""

    def defs(y: m.Year) -> dict[str, dict[str, object]]:
        return {
            t.id: {
                "name": t.name,
                "target_text": t.target_text,
                "target": t.target,
                "unit": t.unit,
                "bands": "；".join(_band(b) for b in t.bands),
            }
            for t in y.targets.targets
        }

    a, b = defs(old), defs(new)
    for d in _compare("target", a, b):
        yield Definition(d.kind, str((b.get(d.name) or a[d.name])["name"]), d.change, d.fields)


_OP = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<"}


def _band(b: m.Band) -> str:
    rule = _OP[b.op] + _fmt(b.value)
    return f"{b.grade} {b.text}（{rule}）" if b.text else f"{b.grade} {rule}"


def _compare(
    kind: str, a: dict[str, dict[str, object]], b: dict[str, dict[str, object]]
) -> Iterator[Definition]:
    for name, fields in a.items():
        if name not in b:
            yield Definition(kind, name, "removed", ())
        elif changed := _fields(fields, b[name]):
            yield Definition(kind, name, "changed", changed)
    for name in b:
        if name not in a:
            yield Definition(kind, name, "added", ())
