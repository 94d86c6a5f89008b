"""The disbursements as columns: one list per field, built once by the pipeline (``Columns.of``)
and shared by compute and the rules (their context's ``cols``).

A province's ledger holds a million payments, and a Python loop over them costs about a tenth
of a microsecond per step and per question asked. Most questions are answered instead by
built-ins that run over a whole column in C (``sum``, ``min``, ``max``, ``set``, ``Counter``,
``itertools.compress``); a rule then goes row by row only through the few rows its screen
flagged. Sums stay exact: Σ amount per key is Σ (amount × count) over distinct (key, amount)
pairs, and amounts repeat (standard relief amounts), so there are few of them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Hashable, Iterable
from decimal import Decimal
from functools import cached_property
from itertools import compress, count
from typing import Generic, TypeVar

from bangfu_eval import models as m
from bangfu_eval.table import Records

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")
ZERO = Decimal(0)


class _Column(Generic[T]):
    """A field of the disbursements: the column the records are kept in."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, columns: Columns, owner: type | None = None) -> list[T]:
        return columns.rows.columns[self.name]


class Columns:
    """The fields of the year's disbursements, each as a list in row order, and the few
    aggregates that compute and several rules share. ``rows[i]`` is payment ``i`` as a record."""

    id: _Column[str] = _Column()
    date: _Column[dt.date] = _Column()
    household: _Column[str] = _Column()
    type: _Column[str] = _Column()
    source: _Column[str] = _Column()
    amount: _Column[Decimal] = _Column()
    method: _Column[str] = _Column()
    signed: _Column[bool | None] = _Column()
    batch: _Column[str | None] = _Column()

    def __init__(self, rows: Records[m.Disbursement]) -> None:
        self.rows = rows

    @classmethod
    def of(cls, year: m.Year) -> Columns:
        """The columns of ``year``'s disbursements (none when it has no ledger)."""
        return cls(year.disbursements.disbursements if year.disbursements else Records(m.Disbursement))

    def __len__(self) -> int:
        return len(self.rows)

    @cached_property
    def by_source_and_type(self) -> dict[tuple[str, str], tuple[int, Decimal]]:
        """(source, type) → (payments, Σ amount), in order of first appearance."""
        out: dict[tuple[str, str], tuple[int, Decimal]] = {}
        triples = Counter(zip(self.source, self.type, self.amount, strict=True))
        for (source, kind, amount), n in triples.items():
            count, total = out.get((source, kind), (0, ZERO))
            out[(source, kind)] = (count + n, total + amount * n)
        return out


def sums(keys: Iterable[K], amounts: Iterable[Decimal]) -> dict[K, Decimal]:
    """Σ amount per key, in order of each key's first appearance; exact."""
    out: dict[K, Decimal] = {}
    for (key, amount), n in Counter(zip(keys, amounts, strict=True)).items():
        out[key] = out.get(key, ZERO) + amount * n
    return out


def flagged(flags: Iterable[object]) -> list[int]:
    """The row numbers whose flag is true."""
    return list(compress(count(), flags))
