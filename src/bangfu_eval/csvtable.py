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
import re
import typing
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice, repeat
from typing import Annotated, Any

from pydantic import TypeAdapter, ValidationError

from bangfu_eval.findings import Location
from bangfu_eval.privacy import personal_place
from bangfu_eval.records import REPEATED, RowCollector, csv_column
from bangfu_eval.schema import BF101, BF103, fields_of
from bangfu_eval.yamlread import BF004

CHUNK = 65536
"""Rows typed together: large enough that per-chunk work vanishes, small enough that the
untyped rows of one chunk stay a few tens of MB."""

ARROW_MIN_CHARS = 16_000_000
"""Smaller files (under some 200,000 payments) are read without pyarrow: importing it costs
about as much as it saves (benchmarks/results.md, 1e5 rows)."""

PLAIN_CHUNK = 4_000_000
"""Characters of a plain CSV file cut at a time (some 50,000 rows)."""

_ABSENT = object()


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

    def type(self, cells: Sequence[str]) -> Sequence[object] | None:
        """The column's values, or None when some cell does not validate."""
        cache = self.cache
        if cache is None:  # plain text whose default (if any) is ""
            return None if "" in cells and self.default != "" else cells
        try:  # most chunks hold no value the cache has not seen
            return list(map(cache.__getitem__, cells))
        except KeyError:
            pass
        new = list(set(cells).difference(cache))
        if "" in new:
            return None  # a required cell left empty
        if self.adapter is None:
            values: list[object] = list(new)
        else:
            try:
                values = self.adapter.validate_python([c.split(";") for c in new] if self.split else new)
            except ValidationError:
                return None
        cache.update(zip(new, values, strict=True))
        return list(map(cache.__getitem__, cells))

    def type_arrow(self, array: Any) -> Sequence[object] | None:
        """The same for a pyarrow array of text: a repeating column is dictionary-encoded in
        C++, its distinct values typed, and the column mapped back through them."""
        if self.cache is None:
            return self.type(array.to_pylist())
        encoded = array.dictionary_encode()
        distinct = self.type(encoded.dictionary.to_pylist())
        return None if distinct is None else list(map(distinct.__getitem__, encoded.indices.to_pylist()))


class Table:
    """Types the columns of one CSV table for its record type, bypassing per-row validation."""

    def __init__(self, record: type, header: list[str]) -> None:
        fields = fields_of(record)
        lists = _list_fields(record)
        self.record = record
        self.columns = [
            (j, Column(name, fields[name], name in lists)) for j, name in enumerate(header) if name in fields
        ]
        present = {name for name in header if name in fields}
        self.missing = [(name, _default(info)) for name, info in fields.items() if name not in present]
        self.width = len(header)
        # a record type's fields are typed here one by one, as pydantic would type them in a
        # row: the record types declare no validators of their own (a test holds them to it),
        # and a default shared by every row must be immutable (no factories)
        self.usable = all(default is not _ABSENT for _, default in self.missing) and not any(
            info.default_factory for info in fields.values()
        )

    def type(self, cells: list[Sequence[str]], n: int) -> dict[str, Sequence[object]] | None:
        """Every field's column for ``n`` rows whose cells are ``cells`` (one sequence per CSV
        column), or None when the chunk must be validated row by row."""
        return self._typed(lambda j, column: column.type(cells[j]), n)

    def type_arrow(self, batch: Any) -> dict[str, Sequence[object]] | None:
        """The same for a pyarrow record batch of text columns."""
        return self._typed(lambda j, column: column.type_arrow(batch.column(j)), batch.num_rows)

    def _typed(
        self, typed_column: Callable[[int, Column], Sequence[object] | None], n: int
    ) -> dict[str, Sequence[object]] | None:
        if not self.usable:
            return None
        typed: dict[str, Sequence[object]] = {}
        for j, column in self.columns:
            values = typed_column(j, column)
            if values is None:
                return None
            typed[column.name] = values
        for name, default in self.missing:
            typed[name] = [default] * n
        return typed


Chunk = tuple[list[int], list[Sequence[str]] | None, Iterable[list[str]]]


def _is_row(row: list[str]) -> bool:
    """Neither a blank line nor a comment."""
    return bool(row) and not row[0].startswith("#")


def _plain(text: str) -> bool:
    """No quotes, comments, carriage returns or NULs: what a spreadsheet or bangfu synth
    writes, where a line is a row and a comma ends a cell."""
    return not any(mark in text for mark in ('"', "\r", "\n#", "\0"))


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text``, each with its line end, made one at a time: an ``io.StringIO``
    of the text would copy it four bytes a character (300 MB for a million payments)."""
    start, end = 0, len(text)
    while start < end:
        stop = text.find("\n", start)
        stop = end if stop < 0 else stop + 1
        yield text[start:stop]
        start = stop


def _body(text: str, line: int) -> int:
    """The offset where line ``line`` + 1 begins."""
    start = 0
    for _ in range(line):
        start = text.find("\n", start) + 1 or len(text)
    return start


def _chunks(text: str, reader: Any, width: int, start: int | None) -> Iterator[Chunk]:
    """Chunks of (each row's line, cells by column or None, rows) after the header.

    A plain file (``start``: the offset of its body) is cut at newlines and commas by
    str.split, in C, some MB at a time; its rows are read (lazily, by csv.reader) only when a
    chunk must go row by row. Anything else goes through csv.reader, with blank and comment
    rows dropped."""
    if start is None:
        while True:
            rows, lines = [], []
            for row in islice(reader, CHUNK):
                if _is_row(row):
                    rows.append(row)
                    lines.append(reader.line_num)
            if not rows:
                return
            same = set(map(len, rows)) == {width}
            yield lines, (list(zip(*rows, strict=True)) if same else None), rows
    line = reader.line_num  # the header's line: the body starts after it
    commas = width - 1
    while start < len(text):
        end = text.find("\n", start + PLAIN_CHUNK)
        if end < 0:  # the last part: up to the end, the file's final newline left out
            end = len(text) - 1 if text.endswith("\n") else len(text)
        part = text[start:end].split("\n")
        start = end + 1
        lines = list(range(line + 1, line + 1 + len(part)))
        line += len(part)
        if set(map(str.count, part, repeat(","))) == {commas}:
            flat = ",".join(part).split(",")
            yield lines, [flat[j::width] for j in range(width)], csv.reader(part)
        else:
            yield lines, None, list(csv.reader(part))


def read_csv(text: str, rel: str, key: str, collector: RowCollector, arrow: bool = True) -> None:
    """Rows of a CSV file (header = field names, lists joined by ';', '#' lines are comments)
    into ``collector``; a finding's column is the character column where its field starts.
    ``arrow``: a large plain file may be read by pyarrow (when installed)."""
    # a cell may be as long as the file (the csv module's default limit is 128 KiB)
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.reader(_lines(text))
    collector.total_lines = text.count("\n") + 1
    collector.files[key] = rel
    index = collector.index[key]
    index.file = rel
    record = collector.types[key]
    header: list[str] = []
    for row in reader:
        if _is_row(row):
            header = [h.strip() for h in row]
            break
    if not header:
        return
    count = len(collector.findings)
    _check_header(header, list(fields_of(record)), rel, reader.line_num, text, collector)
    if any(f.code == BF004.code for f in collector.findings[count:]):
        return  # a column named twice: which of the two is the field cannot be told
    index.header = tuple(header)
    table = Table(record, header)
    kept = collector.rows[key]

    def keep(typed: dict[str, Sequence[object]], lines: Sequence[int]) -> None:
        kept.add_columns(typed)
        starts = array("I", lines)
        index.starts += starts
        index.cols += array("I", [1]) * len(lines)
        index.ends += starts
        collector.seen[key] += len(lines)

    start = _body(text, reader.line_num) if _plain(text) else None
    parts = _read_arrow(text, start, reader.line_num, header, table) if start is not None and arrow else None
    if parts is not None:
        line = reader.line_num
        parts.reverse()
        while parts:  # each part dropped once kept: the columns are never held twice
            part = parts.pop()
            n = len(next(iter(part.values())))
            keep(part, range(line + 1, line + 1 + n))
            line += n
        if collector.progress is not None:
            collector.progress(rel, line, collector.total_lines)
        return
    for lines, cells, rows in _chunks(text, reader, len(header), start):
        typed = table.type(cells, len(lines)) if cells is not None else None
        if typed is None:
            _by_row(list(rows), lines, header, rel, key, collector)
        else:
            keep(typed, lines)
        if collector.progress is not None:
            collector.progress(rel, lines[-1], collector.total_lines)


def _read_arrow(
    text: str, start: int, line: int, header: list[str], table: Table
) -> list[dict[str, Sequence[object]]] | None:
    """The rows from offset ``start`` (after line ``line``) of a plain CSV text, read and
    typed through pyarrow (its CSV reader runs in C++ on every core), or None: pyarrow is not
    installed, or some row does not read or type cleanly, and the caller reads the text itself
    to find it."""
    if start >= len(text) or len(text) < ARROW_MIN_CHARS:
        return None
    try:
        import pyarrow as pa
        from pyarrow import csv as pacsv
    except ImportError:
        return None
    rows = text.count("\n", start) + (not text.endswith("\n"))
    pool = pa.system_memory_pool()  # gives memory back to the system when done
    parts: list[dict[str, Sequence[object]]] = []
    try:
        reader = pacsv.open_csv(  # a few MB at a time: memory stays flat
            pa.py_buffer(text.encode("utf-8")),
            read_options=pacsv.ReadOptions(skip_rows=line, column_names=header, block_size=1 << 22),
            parse_options=pacsv.ParseOptions(quote_char=False, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(header, pa.string()), strings_can_be_null=False
            ),
            memory_pool=pool,
        )
        for batch in reader:
            typed = table.type_arrow(batch)
            if typed is None:
                return None
            parts.append(typed)
    except (pa.ArrowInvalid, pa.ArrowKeyError, ValueError):
        return None
    if sum(len(next(iter(p.values()))) for p in parts) != rows:
        return None
    return parts


def _by_row(
    rows: list[list[str]], lines: list[int], header: list[str], rel: str, key: str, collector: RowCollector
) -> None:
    """The slow path: each row as a dict of its non-empty cells, validated by pydantic."""
    record = collector.types[key]
    known = frozenset(fields_of(record))
    lists = _list_fields(record)
    pending: list[tuple[object, tuple[int, int], int]] = []
    for row, line in zip(rows, lines, strict=True):
        if not _is_row(row):
            continue
        if len(row) != len(header):
            _, personal = personal_place(record, ())
            where = Location(rel, line, 1, f"{key}[{collector.seen[key] + len(pending)}]", personal)
            collector.findings.append(
                BF103(where, variant="width", line=line, cells=len(row), columns=len(header))
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


_FIELD_LIKE = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,40}")


def _check_header(
    header: list[str], names: list[str], rel: str, line: int, text: str, collector: RowCollector
) -> None:
    head = ""
    seen: dict[str, int] = {}
    for j, name in enumerate(header):
        field_like = bool(_FIELD_LIKE.fullmatch(name))
        if name in seen:  # the later column would silently replace the earlier one
            head = head or text[: _body(text, line)].splitlines()[-1]
            where = Location(rel, line, csv_column(head, j), name if field_like else "")
            collector.findings.append(BF004(where, variant="column", column=j + 1, first=seen[name] + 1))
            continue
        seen[name] = j
        if name not in names:
            head = head or text[: _body(text, line)].splitlines()[-1]
            near = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
            # a column name is a field name; anything else (a data row taken for the header:
            # a name, a number) is not echoed
            collector.findings.append(
                BF101(
                    Location(rel, line, csv_column(head, j), name if field_like else ""),
                    variant="column" if field_like else "cell",
                    help=f"是否想写 '{near[0]}'？" if near else "可用列：" + "、".join(names),
                    name=name,
                    column=j + 1,
                )
            )
