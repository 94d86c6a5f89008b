"""Person-level records at scale: rows validated one by one as they are read, kept as slotted
records, with three integers of position each (first line, column, last line).

A row's full position tree lives only while the row is validated; a finding raised later by a
rule finds the field again by re-reading that row's lines (``RowIndex.locate``). The same
collector serves YAML lists (streamed by ``yamlread.parse``) and CSV files.
"""

from __future__ import annotations

import csv
import difflib
import io
import sys
import typing
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import TypeAdapter, ValidationError

from bangfu_eval.findings import Finding, Location
from bangfu_eval.schema import error_finding, fields_of, finding
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
        # blank out what precedes the row on its first line ("  - "), keeping the columns
        text = "\n".join([" " * (col - 1) + chunk[0][col - 1 :], *chunk[1:]])
        root, problems = parse(text)
        if (problems or root is None) and len(chunk) > 1:  # the end mark was the next row's
            root, problems = parse(text.rsplit("\n", 1)[0])
        if problems or root is None:
            return start, col
        line, column = locate(root, rest)
        return start + line - 1, column


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
"""CSV columns whose values repeat from row to row: kept once in memory (interned)."""

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
        self.rows: dict[str, list[Any]] = {k: [] for k in types}
        self.index: dict[str, RowIndex] = {k: RowIndex(file) for k in types}
        self.pending: dict[str, list[tuple[object, Pos, int]]] = {k: [] for k in types}
        self.seen: dict[str, int] = dict.fromkeys(types, 0)
        self.findings: list[Finding] = []

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


def _list_fields(record: Any) -> frozenset[str]:
    return frozenset(
        name
        for name, info in fields_of(record).items()
        if typing.get_origin(info.annotation) in (list, tuple)
    )


def read_csv(text: str, rel: str, key: str, collector: RowCollector) -> None:
    """Rows of a CSV file (header = field names, lists joined by ';', '#' lines are comments)
    into ``collector``; a finding's column is the field's column number."""
    reader = csv.reader(io.StringIO(text))
    collector.total_lines = text.count("\n") + 1
    intern = sys.intern
    collector.files[key] = rel
    collector.index[key].file = rel
    record = collector.types[key]
    names = list(fields_of(record))
    known = frozenset(names)
    lists = _list_fields(record)
    header: list[str] = []
    repeated: list[int] = []
    plain = False
    index = collector.index[key]
    chunk: list[tuple[object, Pos, int]] = []
    for row in reader:
        line = reader.line_num
        if not row or row[0].startswith("#"):
            continue
        if not header:
            header = [h.strip() for h in row]
            _check_header(header, names, rel, line, collector)
            index.header = tuple(header)
            plain = not lists and all(h in known for h in header)
            repeated = [j for j, h in enumerate(header) if h in REPEATED]
            continue
        if len(row) != len(header):
            collector.findings.append(
                finding(
                    "BF103",
                    Location(rel, line, 1, f"{key}[{collector.seen[key] + len(chunk)}]"),
                    f"第 {line} 行有 {len(row)} 列，表头有 {len(header)} 列",
                )
            )
            continue
        for j in repeated:  # codes, dates and household ids repeat across a million rows
            row[j] = intern(row[j])
        if plain and "" not in row:
            value: dict[str, object] = dict(zip(header, row, strict=True))
        else:
            value = {
                name: (cell.split(";") if name in lists else cell)
                for name, cell in zip(header, row, strict=True)
                if cell != "" and name in known
            }
        chunk.append((value, (line, 1), line))
        if len(chunk) >= collector.CHUNK:
            collector.pending[key] = chunk
            collector.flush(key)
            chunk = []
    collector.pending[key] = chunk
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
