"""CSV tables (households.csv, batches.csv, disbursements.csv), typed a column at a time.

A CSV table has one type per column, and most of its cells repeat (dates, codes, household
ids, standard amounts). So a chunk of rows is turned into columns, each *distinct* cell is
validated once by pydantic against its own field's type (the same annotation and constraints as
the record model), every column is mapped through those results, and the records are built
from the typed columns. Nothing about a row is looked at in Python code, and equal values
share one object in memory.

When anything in a chunk does not fit (a row of the wrong width, a cell that fails its type, an
empty required cell), the chunk is validated row by row instead (``records.RowCollector``), so
the findings are exactly the ones pydantic gives, at the row's line and the field's column.
"""

from __future__ import annotations

import csv
import difflib
import io
import typing
from array import array
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice, repeat
from typing import Annotated, Any

from pydantic import TypeAdapter, ValidationError

from bangfu_eval.findings import Location
from bangfu_eval.records import RowCollector
from bangfu_eval.schema import fields_of, finding

CHUNK = 65536
"""Rows typed together: large enough that per-chunk work vanishes, small enough that the
untyped rows of one chunk stay a few tens of MB."""

_ABSENT = object()

REPEATED = frozenset(
    {
        "date",
        "household",
        "type",
        "source",
        "method",
        "batch",
        "category",
        "status",
        "work_unit",
        "archived_on",
        "exited_on",
        "signed",
    }
)
"""Text columns whose values repeat from row to row: each distinct value kept once in memory."""


def _list_fields(record: Any) -> frozenset[str]:
    return frozenset(
        name
        for name, info in fields_of(record).items()
        if typing.get_origin(info.annotation) in (list, tuple)
    )


def _default(info: Any) -> object:
    """A field's default, or _ABSENT when it is required."""
    return _ABSENT if info.is_required() else info.default


class Column:
    """One field's column: validates each distinct cell once and remembers the result."""

    def __init__(self, name: str, info: Any, split: bool) -> None:
        self.name = name
        self.split = split  # a list field: its items joined by ';'
        self.default = _default(info)
        plain = info.annotation is str and not info.metadata
        # plain text is its own value; validate (and share) everything else and repeated text
        item = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
        self.adapter = None if plain else TypeAdapter(list[item])  # type: ignore[valid-type]
        self.cache: dict[str, object] | None = None if plain and name not in REPEATED else {}
        if self.cache is not None and self.default is not _ABSENT:
            self.cache[""] = self.default

    def type(self, cells: tuple[str, ...]) -> typing.Sequence[object] | None:
        """The column's values, or None when some cell does not validate."""
        cache = self.cache
        if cache is None:  # plain text whose default (if any) is ""
            return None if "" in cells and self.default != "" else cells
        new = set(cells).difference(cache)
        if new:
            if "" in new:
                return None  # a required cell left empty
            cells_new = list(new)
            if self.adapter is None:
                values: list[object] = list(cells_new)
            else:
                try:
                    values = self.adapter.validate_python(
                        [c.split(";") for c in cells_new] if self.split else cells_new
                    )
                except ValidationError:
                    return None
            cache.update(zip(cells_new, values, strict=True))
        return list(map(cache.__getitem__, cells))


class Table:
    """Builds records of one type from typed columns, bypassing per-row validation."""

    def __init__(self, record: type, header: list[str]) -> None:
        fields = fields_of(record)
        lists = _list_fields(record)
        self.record = record
        self.columns = [
            (j, Column(name, fields[name], name in lists)) for j, name in enumerate(header) if name in fields
        ]
        present = {name for name in header if name in fields}
        self.missing = [(name, info) for name, info in fields.items() if name not in present]
        self.width = len(header)
        # only a record type whose model has no validators of its own may be built this way
        decorators = record.__pydantic_decorators__  # type: ignore[attr-defined]
        self.usable = not any(
            getattr(decorators, kind)
            for kind in ("validators", "field_validators", "root_validators", "model_validators")
        ) and not any(info.is_required() for _, info in self.missing)
        # a default shared by every row must be immutable: no factories
        self.usable = self.usable and not any(i.default_factory for i in fields.values())

    def build(self, rows: list[list[str]]) -> list[Any] | None:
        """The records of ``rows``, or None when the chunk must be validated row by row."""
        if not self.usable or set(map(len, rows)) != {self.width}:
            return None
        cells = list(zip(*rows, strict=True))
        typed: list[tuple[str, Iterable[object]]] = []
        for j, column in self.columns:
            values = column.type(cells[j])
            if values is None:
                return None
            typed.append((column.name, values))
        n = len(rows)
        typed += [(name, repeat(_default(info), n)) for name, info in self.missing]
        # every value is validated already (like pydantic's model_construct): each column goes
        # straight into its slot, past the frozen record's __setattr__
        out: list[Any] = list(map(object.__new__, repeat(self.record, n)))
        for name, column_values in typed:
            deque(map(getattr(self.record, name).__set__, out, column_values), maxlen=0)
        return out


def _rows(reader: Any, simple: bool) -> Iterator[tuple[list[list[str]], list[int]]]:
    """Chunks of (rows, their first lines). ``simple``: one row per line, so line numbers are
    counted rather than asked for; otherwise blank and comment rows are dropped here."""
    line = reader.line_num
    while True:
        if simple:
            rows = list(islice(reader, CHUNK))
            lines = list(range(line + 1, line + 1 + len(rows)))
            line += len(rows)
        else:
            rows, lines = [], []
            for row in islice(reader, CHUNK):
                if row and not row[0].startswith("#"):
                    rows.append(row)
                    lines.append(reader.line_num)
        if not rows:
            return
        yield rows, lines


def read_csv(text: str, rel: str, key: str, collector: RowCollector) -> None:
    """Rows of a CSV file (header = field names, lists joined by ';', '#' lines are comments)
    into ``collector``; a finding's column is the field's column number."""
    reader = csv.reader(io.StringIO(text))
    collector.total_lines = text.count("\n") + 1
    collector.files[key] = rel
    index = collector.index[key]
    index.file = rel
    record = collector.types[key]
    header: list[str] = []
    for row in reader:
        if row and not row[0].startswith("#"):
            header = [h.strip() for h in row]
            break
    if not header:
        return
    _check_header(header, list(fields_of(record)), rel, reader.line_num, collector)
    index.header = tuple(header)
    table = Table(record, header)
    simple = not any(mark in text for mark in ('"', "\r", "\n#"))
    for rows, lines in _rows(reader, simple):
        records = table.build(rows)
        if records is None:
            _by_row(rows, lines, header, rel, key, collector)
        else:
            collector.rows[key] += records
            starts = array("I", lines)
            index.starts += starts
            index.cols += array("I", [1]) * len(lines)
            index.ends += starts
            collector.seen[key] += len(records)
        if collector.progress is not None:
            collector.progress(rel, lines[-1], collector.total_lines)


def _by_row(
    rows: list[list[str]], lines: list[int], header: list[str], rel: str, key: str, collector: RowCollector
) -> None:
    """The slow path: each row as a dict of its non-empty cells, validated by pydantic."""
    record = collector.types[key]
    known = frozenset(fields_of(record))
    lists = _list_fields(record)
    pending: list[tuple[object, tuple[int, int], int]] = []
    for row, line in zip(rows, lines, strict=True):
        if not row or row[0].startswith("#"):
            continue
        if len(row) != len(header):
            collector.findings.append(
                finding(
                    "BF103",
                    Location(rel, line, 1, f"{key}[{collector.seen[key] + len(pending)}]"),
                    f"第 {line} 行有 {len(row)} 列，表头有 {len(header)} 列",
                )
            )
            continue
        value = {
            name: (cell.split(";") if name in lists else cell)
            for name, cell in zip(header, row, strict=True)
            if cell != "" and name in known
        }
        pending.append((value, (line, 1), line))
        if len(pending) >= collector.CHUNK:
            collector.pending[key] = pending
            collector.flush(key)
            pending = []
    collector.pending[key] = pending
    collector.flush(key)


def _check_header(header: list[str], names: list[str], rel: str, line: int, collector: RowCollector) -> None:
    for j, name in enumerate(header):
        if name not in names:
            near = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
            collector.findings.append(
                finding(
                    "BF101",
                    Location(rel, line, j + 1, name),
                    f"未知列 '{name}'",
                    f"是否想写 '{near[0]}'？" if near else "可用列：" + "、".join(names),
                )
            )
