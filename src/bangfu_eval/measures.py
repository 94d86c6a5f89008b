"""The measures reviewers use, as named figures a leaf or a target can point at.

Each formula is in the docstring of the function that makes it (docs/data-format.md lists them
with examples). Pure functions over the validated year and the fund results; no rounding.

    funds.execution_rate            预算执行率 = 全年执行数 ÷ 全年预算数 (spent ÷ (carried in + arrived))
    funds.<source>.execution_rate   the same per source
    payments.timely.count           及时率（笔数）= payments made by the deadline ÷ payments made
    payments.timely.amount          及时率（金额）= amount paid by the deadline ÷ amount paid
    payments.completion             发放完成率 = amount paid by the deadline ÷ money to be paid
                                    (carried in + arrived: the 全年预算数)
    payments.<source>.completion    the same per source
    persons.total, persons.<type>   distinct households paid (of a type)
    coverage.<type>                 archived households paid of a type ÷ archived households
    average.<type>                  amount of a type ÷ person-times of the type
    households.visit_coverage       archived households visited as often as their category
                                    requires, in the year ÷ archived households (unknown
                                    when no visit is recorded at all)
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal
from itertools import compress

from bangfu_eval import models as m
from bangfu_eval.ledger import Columns, sums
from bangfu_eval.money import ratio
from bangfu_eval.results import Figure, FundsResult

ZERO = Decimal(0)


def deadline(year: m.Year) -> dt.date:
    """The policy's payment deadline (MM-DD) in the year the project's period ends, and never
    after that end (``period_end``): a project's payments are bounded by its own period."""
    month, day = (int(x) for x in year.policy.payment_deadline.split("-"))
    end = year.project.project.period_end
    return min(dt.date(end.year, month, day), end)


def execution(f: FundsResult) -> dict[str, Figure]:
    """预算执行率: spent ÷ (carried in + arrived), overall and per source. Where a source's
    carry-over is already inside ``arrived`` (carried_in_included), its budget is ``arrived``."""
    out = {"funds.execution_rate": Figure(ratio(f.spent, f.available), "rate", "预算执行率")}
    for s in f.sources:
        out[f"funds.{s.id}.execution_rate"] = Figure(
            ratio(s.spent, s.available), "rate", f"{s.name}预算执行率"
        )
    return out


def timeliness(year: m.Year, f: FundsResult, cols: Columns) -> dict[str, Figure]:
    """及时率 by count and by amount, and 发放完成率 overall and per source. A payment dated
    after the deadline (also in the next year) is late: it counts as made, not as on time."""
    last = deadline(year)
    by_source: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for (source, _), (_, amount) in cols.by_source_and_type.items():
        by_source[source] += amount
    paid = sum(by_source.values(), ZERO)
    if cols.rows and max(cols.date) > last:  # screen first: most ledgers end by the deadline
        on_time = list(map(last.__ge__, cols.date))
        paid_by = sums(compress(cols.source, on_time), compress(cols.amount, on_time))
        n_on_time = sum(on_time)
    else:
        paid_by, n_on_time = dict(by_source), len(cols)
    in_time = sum(paid_by.values(), ZERO)
    out = {
        "payments.timely.count": Figure(
            ratio(Decimal(n_on_time), Decimal(len(cols))), "rate", "及时率（笔数）"
        ),
        "payments.timely.amount": Figure(ratio(in_time, paid), "rate", "及时率（金额）"),
        "payments.on_time": Figure(Decimal(n_on_time), "count", "按时发放笔数"),
        "payments.paid_by_deadline": Figure(in_time, "money", "时限内发放金额"),
        "payments.completion": Figure(ratio(in_time, f.available), "rate", "发放完成率"),
    }
    for s in f.sources:
        out[f"payments.{s.id}.completion"] = Figure(
            ratio(paid_by.get(s.id, ZERO), s.available), "rate", f"{s.name}发放完成率"
        )
    return out


def reach(year: m.Year, cols: Columns) -> dict[str, Figure]:
    """Distinct households paid (of each type), coverage of each type among archived households
    (status eligible at year end, as ``households.archived``), average per person-time by type."""
    pol = year.policy
    archived = {h.id for h in year.households.households if h.status in pol.eligible_statuses}
    by_type: dict[str, set[str]] = defaultdict(set)
    for kind, household in set(zip(cols.type, cols.household, strict=True)):
        by_type[kind].add(household)
    count: Counter[str] = Counter()
    amount: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for (_, kind), (n, total) in cols.by_source_and_type.items():
        count[kind] += n
        amount[kind] += total
    out = {
        "persons.total": Figure(Decimal(len(set(cols.household))), "count", "受助人数（去重）"),
    }
    n_archived = Decimal(len(archived))
    for kind, label in pol.disbursement_types.items():
        people = by_type.get(kind, set())
        out[f"persons.{kind}"] = Figure(Decimal(len(people)), "count", f"{label}人数（去重）")
        out[f"coverage.{kind}"] = Figure(
            ratio(Decimal(len(people & archived)), n_archived), "rate", f"{label}覆盖率"
        )
        out[f"average.{kind}"] = Figure(
            ratio(amount.get(kind, ZERO), Decimal(count.get(kind, 0))), "money", f"{label}人次均"
        )
    return out


def visits(year: m.Year) -> dict[str, Figure]:
    """入户核查覆盖率: archived households with at least the visits their category requires
    (policy ``visits_per_year``) dated in the year ÷ archived households; unknown (None) when
    no household records any visit."""
    pol = year.policy
    homes = [h for h in year.households.households if h.status in pol.eligible_statuses]
    value: Decimal | None = None
    if any(h.visits for h in year.households.households):
        y = year.project.year
        done = sum(
            1
            for h in homes
            if sum(1 for d in h.visits if d.year == y) >= pol.visits_per_year.get(h.category, 1)
        )
        value = ratio(Decimal(done), Decimal(len(homes)))
    return {"households.visit_coverage": Figure(value, "rate", "入户核查覆盖率")}


def figures(year: m.Year, f: FundsResult, cols: Columns | None = None) -> dict[str, Figure]:
    """Every measure above, by name. A year without payment records (aggregates only) cannot
    give the payment measures: they are unknown (None), never zero."""
    cols = cols if cols is not None else Columns.of(year)
    ledger = {**timeliness(year, f, cols), **reach(year, cols)}
    if year.disbursements is None:
        ledger = {k: Figure(None, v.kind, v.label) for k, v in ledger.items()}
    return {**execution(f), **ledger, **visits(year)}
