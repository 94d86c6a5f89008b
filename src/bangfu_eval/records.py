"""Person-level records at scale: rows validated in chunks as they are read, kept as typed
columns (``table.Records``), with three integers of position each (first line, column, last
line).

A row's full position tree lives only while the row is validated; a finding raised later by a
rule finds the field again by re-reading that row's lines (``RowIndex.locate``): in YAML by
parsing the row again, in CSV by finding the field's character column on the row's line. The
same collector serves YAML lists (streamed by ``yamlread.parse``) and the CSV chunks that
``csvtable`` cannot type a column at a time (it is where their findings come from).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from pydantic import TypeAdapter, ValidationError

from bangfu_eval.findings import Finding
from bangfu_eval.privacy import PERSON_NAMES
from bangfu_eval.schema import error_finding, fields_of
from bangfu_eval.table import Records
from bangfu_eval.yamlread import Pos, YMap, locate, parse

REPEATED = frozenset({"household", "type", "source", "method", "category", "status", "work_unit"})
"""Plain text fields whose values repeat from row to row: each distinct value is kept once in
memory. (Every field of another type is shared by distinct value too.)"""


def shared_fields(record: Any) -> list[str]:
    """The fields of a record type whose equal values are kept as one object: all but plain
    text that is unique to a row (ids, names, numbers)."""
    return [
        name
        for name, info in fields_of(record).items()
        if name in REPEATED or info.annotation is not str or info.metadata
    ]


def csv_column(line: str, field: int) -> int:
    """The 1-based character column where CSV field number ``field`` (0-based) starts on
    ``line``, quotes respected (a comma inside quotes ends nothing); 1 when the line is shorter."""
    quoted = False
    seen = 0
    for k, ch in enumerate(line):
        if seen == field:
            return k + 1
        if ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            seen += 1
    return len(line) + 1 if seen == field else 1


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
            if name not in self.header or not 0 < start <= len(lines):
                return start, 1
            return start, csv_column(lines[start - 1], self.header.index(name))
        chunk = lines[start - 1 : self.ends[i]]
        if not chunk:
            return start, col
        if len(chunk) == 1 and len(chunk[0]) > LONG_LINE:
            return _locate_in_line(chunk[0], start, col, rest)
        # blank out what precedes the row on its first line ("  - "), keeping the columns
        text = "\n".join([" " * (col - 1) + chunk[0][col - 1 :], *chunk[1:]])
        root, problems = parse(text)
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
        self,
        file: str,
        types: dict[str, Any],
        progress: Progress | None = None,
        total_lines: int = 0,
        lines: Callable[[str], list[str]] | None = None,
    ) -> None:
        self.progress = progress
        self.total_lines = total_lines
        self.files = dict.fromkeys(types, file)  # a list read from CSV names its CSV file
        self.types = types
        self.adapters = {k: TypeAdapter(list[t]) for k, t in types.items()}  # type: ignore[valid-type]
        self.rows: dict[str, Records[Any]] = {k: Records(t, (file, k)) for k, t in types.items()}
        self.shared: dict[str, dict[str, dict[object, object]]] = {
            k: {name: {} for name in shared_fields(t)} for k, t in types.items()
        }
        self.lines = lines  # a file's text lines, read again for the columns of a failed CSV row
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
        typed = {name: list(map(attrgetter(name), rows)) for name in self.rows[key].columns}
        for name, seen in self.shared[key].items():  # equal values share one object, as in CSV
            typed[name] = list(map(seen.setdefault, typed[name], typed[name]))
        self.rows[key].add_columns(typed)
        for _, pos, end in items:
            index.add(pos, end)

    def _positioned(self, key: str, value: object, pos: Pos) -> object:
        """A CSV row is kept as a plain dict; give it positions only when it failed: each field
        at its character column on the row's line."""
        header = self.index[key].header
        if isinstance(value, YMap) or not header or not isinstance(value, dict):
            return value
        lines = self.lines(self.files[key]) if self.lines is not None else []
        text = lines[pos[0] - 1] if 0 < pos[0] <= len(lines) else ""
        out = YMap(pos)
        for name, cell in value.items():
            out[name] = cell
            out.kpos[name] = out.vpos[name] = (pos[0], csv_column(text, header.index(name)))
        return out
