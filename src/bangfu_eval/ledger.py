"""The disbursements as columns: one list per field, built once and shared by compute and rules.

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
from collections.abc import Hashable, Iterable, Sequence
from decimal import Decimal
from functools import cached_property
from itertools import compress, count
from operator import attrgetter
from typing import TYPE_CHECKING, Generic, TypeVar

from bangfu_eval.records import ColumnTable

if TYPE_CHECKING:
    from bangfu_eval import models as m

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")
ZERO = Decimal(0)


class _Column(Generic[T]):
    """A field of the disbursements as a list, made on first use and kept on the instance."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, columns: Columns, owner: type | None = None) -> list[T]:
        rows = columns.rows
        if isinstance(rows, ColumnTable):  # as loaded: the columns are there already
            value = rows.columns[self.name]
        else:
            value = list(map(attrgetter(self.name), rows))
        columns.__dict__[self.name] = value  # later reads find it before this descriptor
        return value


class Columns:
    """The fields of a list of disbursements, each as a list in row order (built on first use)."""

    id: _Column[str] = _Column()
    date: _Column[dt.date] = _Column()
    household: _Column[str] = _Column()
    type: _Column[str] = _Column()
    source: _Column[str] = _Column()
    amount: _Column[Decimal] = _Column()
    method: _Column[str] = _Column()
    signed: _Column[bool | None] = _Column()
    batch: _Column[str | None] = _Column()

    def __init__(self, rows: Sequence[m.Disbursement]) -> None:
        self.rows = rows

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


_last: list[tuple[Sequence[m.Disbursement], Columns]] = []


def columns(year: m.Year) -> Columns:
    """The columns of ``year``'s disbursements. The last year's are kept (the same list gives
    the same columns), so compute and every rule share one set."""
    rows = year.disbursements.disbursements if year.disbursements else []
    if not (_last and _last[0][0] is rows):
        _last[:] = [(rows, Columns(rows))]
    return _last[0][1]
