"""Frozen records that ``compute`` produces and the renderers consume. All amounts in 元,
all rates as fractions (0.7376), all exact Decimals; None where a denominator is zero."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

Kind = Literal["money", "rate", "count", "score", "ratio"]
Origin = Literal["computed", "declared", "unknown"]


@dataclass(frozen=True)
class Figure:
    """A named computed figure, as narrative placeholders and declarations refer to it.

    ``origin`` says where the value comes from: ``computed`` from the year's files;
    ``unknown`` when the files it needs (the ledger) were not given, so ``value`` is None;
    ``declared`` when it is unknown but the document states it (the value as declared)."""

    value: Decimal | None
    kind: Kind
    label: str
    origin: Origin = "computed"


@dataclass(frozen=True)
class SourceResult:
    id: str
    name: str
    kind: str
    carried_in: Decimal
    allocated: Decimal | None
    arrived: Decimal
    available: Decimal
    spent: Decimal
    balance: Decimal
    utilisation: Decimal | None
    person_times: int
    uses: dict[str, Decimal]
    spent_known: bool = True
    """False when the year has no disbursements and funds.yaml gives no ``spent`` for the
    source: ``spent`` and ``balance`` are then placeholders (0), not figures."""


@dataclass(frozen=True)
class FundsResult:
    sources: tuple[SourceResult, ...]
    carried_in: Decimal
    allocated: Decimal | None
    arrived: Decimal
    available: Decimal
    spent: Decimal
    balance: Decimal
    arrival_rate: Decimal | None
    utilisation: Decimal | None
    rate_base: str
    matching_arrived: Decimal | None
    matching_spent: Decimal | None
    spent_from_ledger: bool


@dataclass(frozen=True)
class PaymentsResult:
    count: int
    amount: Decimal
    on_time_share: Decimal | None
    cash_share: Decimal | None
    noncash_share: Decimal | None


@dataclass(frozen=True)
class CategoryResult:
    category: str
    label: str
    archived: int
    helped: int
    amount: Decimal
    person_times: int
    average_per_household: Decimal | None


@dataclass(frozen=True)
class BeneficiariesResult:
    archived: int
    by_category: tuple[CategoryResult, ...]
    by_status: dict[str, int]
    helped: int
    coverage: Decimal | None
    person_times: int
    by_type: dict[str, int]
    amount_by_type: dict[str, Decimal]
    by_source: dict[str, int]
    average_per_household: Decimal | None
    average_per_person_time: Decimal | None


@dataclass(frozen=True)
class NodeResult:
    """An indicator after roll-up. ``weight`` is the declared weight or, where none was printed,
    the sum of the children; ``score`` of a group is the sum of its children's scores."""

    label: str
    name: str | None
    depth: int
    weight: Decimal
    weight_declared: Decimal | None
    score: Decimal | None
    score_declared: Decimal | None
    criterion: str
    requirement: str
    evidence: str
    auto: bool
    measure_value: Decimal | None
    measure_met: bool | None
    children: tuple[NodeResult, ...]
    unverifiable: bool = False
    """A leaf whose measure needs the ledger, in a year without one: 汇总数无法核实. Its score
    (if any) is as awarded, neither confirmed nor contradicted by the data."""
    method: str = "manual"
    """How the leaf was scored (proportional, reverse, …; see scoring.py); "" for a group."""
    computed: Decimal | None = None
    """The leaf's score by its method, rounded half-up to 2 decimals; for manual and
    qualitative leaves the declared score; 0 when a contradicting finding is present; None
    when the data cannot give it (then ``score`` is the declared one)."""
    leaf_declared: Decimal | None = None
    """The leaf's score as the unit declared it (得分)."""
    declared_sum: Decimal | None = None
    """Σ of the declared leaf scores below (a leaf without one counts its computed score)."""
    target_text: str = ""
    """The leaf's target as a comparison (≥95.00%, ≤3000元), when it has one."""
    contradicted: tuple[str, ...] = ()
    """Codes of the findings present that the leaf names as contradicting full marks."""
    status: str = ""
    """'' · 'contradicted' (a named finding is present) · 'missed' (declared above computed) ·
    'differs' (declared below computed) · 'no_evidence' (full marks, nothing in the data) ·
    'tier' (a qualitative score outside its tier)."""
    tier: str | None = None
    problem: str = ""
    """Why the leaf's method cannot be applied (unknown figure or target, no target)."""

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def lost(self) -> Decimal | None:
        return None if self.score is None else self.weight - self.score


@dataclass(frozen=True)
class TreeResult:
    id: str
    title: str
    source: str
    levels: tuple[str, ...]
    weight: Decimal
    score: Decimal
    grade: str
    nodes: tuple[NodeResult, ...]
    declared_score: Decimal | None = None
    """The tree's total as printed (总分行)."""
    declared_leaves: Decimal | None = None
    """Σ of the declared leaf scores (a leaf without one counts its computed score)."""


@dataclass(frozen=True)
class TargetResult:
    id: str
    kind: str
    name: str
    unit: str
    target_text: str
    target: Decimal
    actual: Decimal | None
    met: bool | None
    grade: str | None
    bands: tuple[tuple[str, str], ...]
    direction: str = "ge"
    """ge ≥ · gt > · le ≤ · lt < · eq = · range (target ≤ actual ≤ target_high)."""
    target_high: Decimal | None = None


@dataclass(frozen=True)
class Results:
    year: int
    funds: FundsResult
    payments: PaymentsResult
    beneficiaries: BeneficiariesResult
    trees: tuple[TreeResult, ...]
    primary: TreeResult
    targets: tuple[TargetResult, ...]
    total: Decimal
    grade: str
    figures: dict[str, Figure]
    ledger_missing: tuple[str, ...] = ()
    """The person-level files (households.yaml, disbursements.yaml) the year does not give."""
    declared_total: Decimal | None = None
    """The primary tree's total as printed."""
    declared_leaves: Decimal | None = None
    """Σ of the primary tree's declared leaf scores."""
    declared_grade: str | None = None
    """评价等次 as declared (None when left blank)."""
