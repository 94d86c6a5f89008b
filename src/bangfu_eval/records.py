"""Person-level records at scale: rows validated in chunks as they are read, kept as typed
columns (``ColumnTable``), with three integers of position each (first line, column, last line).

A row's full position tree lives only while the row is validated; a finding raised later by a
rule finds the field again by re-reading that row's lines (``RowIndex.locate``). The same
collector serves YAML lists (streamed by ``yamlread.parse``) and the CSV chunks that
``csvtable`` cannot type a column at a time (it is where their findings come from).
"""

from __future__ import annotations

import typing
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import attrgetter
from typing import Any

from pydantic import TypeAdapter, ValidationError

from bangfu_eval.findings import Finding
from bangfu_eval.privacy import PERSON_NAMES
from bangfu_eval.schema import error_finding, fields_of
from bangfu_eval.yamlread import Pos, YMap, locate, parse


@dataclass
class RowIndex:
    """Where each kept row of one list stands in its file."""

    file: str
    header: tuple[str, ...] = ()  # CSV: the columns, so a field's column is its position
    starts: array = field(default_factory=lambda: array("I"))  # type: ignore[type-arg]
    cols: array = field(default_factory=lambda: array("I"))  # type: ignore[type-arg]
    ends: array = field(default_factory=lambda: array("I"))  # type: ignore[type-arg]

    def add(self, pos: Pos, end: int) -> None:
        self.starts.append(pos[0])
        self.cols.append(pos[1])
        self.ends.append(end)

    def locate(self, i: int, rest: tuple[object, ...], lines: list[str]) -> Pos:
        """The position of field ``rest`` of row ``i``."""
        start, col = self.starts[i], self.cols[i]
        if not rest:
            return start, col
        if self.header:
            name = rest[0]
            return start, (self.header.index(name) + 1 if name in self.header else 1)
        chunk = lines[start - 1 : self.ends[i]]
        if not chunk:
            return start, col
        if len(chunk) == 1 and len(chunk[0]) > LONG_LINE:
            return _locate_in_line(chunk[0], start, col, rest)
        # blank out what precedes the row on its first line ("  - "), keeping the columns
        text = "\n".join([" " * (col - 1) + chunk[0][col - 1 :], *chunk[1:]])
        root, problems = parse(text)
        if (problems or root is None) and len(chunk) > 1:  # the end mark was the next row's
            root, problems = parse(text.rsplit("\n", 1)[0])
        if problems or root is None:
            return start, col
        line, column = locate(root, rest)
        return start + line - 1, column


LONG_LINE = 4096
"""A row on a line longer than this (a ledger written as one-line JSON) is located by parsing
only the row's own text, never the rest of the line: cost per finding stays the row's size."""


def _locate_in_line(line: str, start: int, col: int, rest: tuple[object, ...]) -> Pos:
    """The field ``rest`` of the flow mapping at ``col`` of a long ``line``: the row ends at one
    of the next few '}' (the first whose text parses), and only that text is parsed."""
    begin = col - 1
    end = begin
    for _ in range(8):
        end = line.find("}", end) + 1
        if end <= 0:
            break
        root, problems = parse(line[begin:end])
        if not problems and root is not None:
            line_no, column = locate(root, rest)
            return start + line_no - 1, column + begin
    return start, col


Progress = Callable[[str, int, int], None]
"""Told (file, line reached, lines in the file) after each chunk of rows."""


class RowCollector:
    """Validates streamed rows of named lists in chunks (one call into pydantic-core per
    chunk); keeps the rows of a list only while none has failed, and turns each error into a
    finding at the row's file, line and column."""

    CHUNK = 4096

    def __init__(
        self, file: str, types: dict[str, Any], progress: Progress | None = None, total_lines: int = 0
    ) -> None:
        self.progress = progress
        self.total_lines = total_lines
        self.files = dict.fromkeys(types, file)  # a list read from CSV names its CSV file
        self.types = types
        self.adapters = {k: TypeAdapter(list[t]) for k, t in types.items()}  # type: ignore[valid-type]
        self.rows = {k: ColumnTable(t) for k, t in types.items()}
        self.index: dict[str, RowIndex] = {k: RowIndex(file) for k in types}
        self.pending: dict[str, list[tuple[object, Pos, int]]] = {k: [] for k in types}
        self.seen: dict[str, int] = dict.fromkeys(types, 0)
        self.findings: list[Finding] = []
        self.names: set[str] = set()  # archived persons' names as written, valid or not

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(self.types)

    def __call__(self, key: str, i: int, value: object, pos: Pos, end: int) -> None:
        pending = self.pending[key]
        pending.append((value if value is not None else {}, pos, end))
        if len(pending) >= self.CHUNK:
            self.flush(key)

    def flush(self, key: str | None = None) -> None:
        for k in [key] if key else list(self.types):
            items = self.pending[k]
            if items:
                self._validate(k, items)
                self.seen[k] += len(items)
                self.pending[k] = []
                if self.progress is not None:
                    self.progress(self.files[k], items[-1][1][0], self.total_lines)

    def _validate(self, key: str, items: list[tuple[object, Pos, int]]) -> None:
        name = PERSON_NAMES.get(key)
        if name is not None:  # kept before validation: a row that fails may still be echoed
            self.names.update(
                v[name] for v, _, _ in items if isinstance(v, dict) and isinstance(v.get(name), str)
            )
        try:
            rows = self.adapters[key].validate_python([v for v, _, _ in items])
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                j, loc = err["loc"][0], tuple(err["loc"][1:])
                value, pos, _ = items[int(j)]
                self.findings.append(
                    error_finding(
                        err,
                        loc,
                        self.types[key],
                        self.files[key],
                        self._positioned(key, value, pos),
                        prefix=(key, self.seen[key] + int(j)),
                    )
                )
            return
        index = self.index[key]
        self.rows[key].extend(rows)
        for _, pos, end in items:
            index.add(pos, end)

    def _positioned(self, key: str, value: object, pos: Pos) -> object:
        """A CSV row is kept as a plain dict; give it positions only when it failed."""
        header = self.index[key].header
        if isinstance(value, YMap) or not header or not isinstance(value, dict):
            return value
        out = YMap(pos)
        for name, cell in value.items():
            out[name] = cell
            out.kpos[name] = out.vpos[name] = (pos[0], header.index(name) + 1)
        return out


class ColumnTable(Sequence[Any]):
    """Records of one type kept as typed columns (a list per field: a million payments take
    less memory than as objects, and ``ledger.Columns`` takes the columns as they are). A
    record object is made only when asked for; iterating makes them all once and keeps them."""

    def __init__(self, record: type) -> None:
        self.record = record
        self.columns: dict[str, list[Any]] = {name: [] for name in fields_of(record)}
        self.slots = [(name, getattr(record, name).__set__) for name in self.columns]
        self._rows: list[Any] | None = None

    def add_columns(self, typed: dict[str, Sequence[object]]) -> None:
        for name, column in self.columns.items():
            column += typed[name]
        self._rows = None

    def extend(self, records: Iterable[Any]) -> None:
        """Records validated row by row join the columns (and are let go)."""
        records = list(records)
        self.add_columns({name: list(map(attrgetter(name), records)) for name in self.columns})

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()), []))

    @typing.overload
    def __getitem__(self, i: int) -> Any: ...
    @typing.overload
    def __getitem__(self, i: slice) -> list[Any]: ...
    def __getitem__(self, i: int | slice) -> Any:
        if self._rows is not None:
            return self._rows[i]
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        record: Any = object.__new__(self.record)
        for name, put in self.slots:
            put(record, self.columns[name][i])
        return record

    def __iter__(self) -> Iterator[Any]:
        if self._rows is None:
            # every value is validated already (like pydantic's model_construct): each column
            # goes straight into its slot, past the frozen record's __setattr__
            rows: list[Any] = list(map(object.__new__, repeat(self.record, len(self))))
            for name, put in self.slots:
                deque(map(put, rows, self.columns[name]), maxlen=0)
            self._rows = rows
        return iter(self._rows)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"ColumnTable({self.record.__name__}, {len(self)} rows)"
