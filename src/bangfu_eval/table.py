"""``Records[R]``: the declared type of a year's person-level lists (households, batches,
disbursements), kept as typed columns.

A province's ledger holds a million payments: as a list of record objects it would take a
Python object per row and per field; as columns (a list per field, equal values shared) it takes
far less, and ``ledger.Columns`` screens it with built-ins that run in C. The models declare
these lists as ``Records[Disbursement]``: pydantic turns a list of rows into one (tests,
hand-built years) and takes one that the loader built column by column as it is.

A record object is made only when a rule asks for a row; it knows where it was read
(``models.origin``), like every other record.
"""

from __future__ import annotations

import typing
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import repeat
from operator import attrgetter
from typing import Any, Generic, TypeVar

from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema

R = TypeVar("R")


def field_names(record: type) -> tuple[str, ...]:
    """The fields of a record type (a pydantic dataclass), in declaration order."""
    return tuple(getattr(record, "__dataclass_fields__", {}))


class Records(Sequence[R], Generic[R]):
    """Records of one type as typed columns, in row order. ``origin`` (file, list key) is where
    the loader read them; each row made from the columns carries it with its index."""

    def __init__(self, record: type[R], origin: tuple[str, str] | None = None) -> None:
        self.record = record
        self.origin = origin
        self.columns: dict[str, list[Any]] = {name: [] for name in field_names(record)}
        self._rows: list[R] | None = None

    @classmethod
    def of(cls, record: type[R], rows: Iterable[R]) -> Records[R]:
        out = cls(record)
        out.extend(rows)
        return out

    def add_columns(self, typed: Mapping[str, Sequence[object]]) -> None:
        """Append rows given as one sequence per field (already validated)."""
        for name, column in self.columns.items():
            column += typed[name]
        self._rows = None

    def extend(self, rows: Iterable[R]) -> None:
        """Append validated records (their values join the columns; the objects are let go)."""
        rows = list(rows)
        self.add_columns({name: list(map(attrgetter(name), rows)) for name in self.columns})

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()), []))

    @typing.overload
    def __getitem__(self, i: int) -> R: ...
    @typing.overload
    def __getitem__(self, i: slice) -> list[R]: ...
    def __getitem__(self, i: int | slice) -> R | list[R]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        if self._rows is not None:
            return self._rows[i]
        return self._make(i if i >= 0 else len(self) + i)

    def __iter__(self) -> Iterator[R]:
        if self._rows is None:  # made once and kept: rules that walk every row share them
            rows: list[Any] = list(map(object.__new__, repeat(self.record, len(self))))
            for name, column in self.columns.items():  # as in _make, a column at a time, in C
                deque(map(object.__setattr__, rows, repeat(name), column), maxlen=0)
            if self.origin is not None:
                file, key = self.origin
                places = ((file, (key, i)) for i in range(len(rows)))
                deque(map(object.__setattr__, rows, repeat("_origin"), places), maxlen=0)
            self._rows = rows
        return iter(self._rows)

    def _make(self, i: int) -> R:
        """Row ``i`` as a record. Its values were validated when the columns were built (like
        pydantic's ``model_construct``), so they go straight into the frozen record's slots."""
        record: Any = object.__new__(self.record)
        for name, column in self.columns.items():
            object.__setattr__(record, name, column[i])
        if self.origin is not None:
            object.__setattr__(record, "_origin", (self.origin[0], (self.origin[1], i)))
        return typing.cast(R, record)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Records({self.record.__name__}, {len(self)} rows)"

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        """Validated as a list of its record type (errors located per row and field), or taken
        as it is when the loader built it already."""
        (record,) = typing.get_args(source)
        rows = handler.generate_schema(list[record])  # type: ignore[valid-type]

        def build(value: Any, validate: core_schema.ValidatorFunctionWrapHandler) -> Records[Any]:
            if isinstance(value, Records) and value.record is record:
                return value
            return cls.of(record, validate(value))

        return core_schema.no_info_wrap_validator_function(
            build, rows, serialization=core_schema.plain_serializer_function_ser_schema(list)
        )
