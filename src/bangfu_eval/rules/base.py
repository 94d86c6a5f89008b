"""What every rule gets: the validated year, the computed results and a way to point at a
value. A rule is a plain function ``(Context) -> Iterable[Finding]``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bangfu_eval import models as m
from bangfu_eval.catalogue import CODES
from bangfu_eval.findings import Finding, Location
from bangfu_eval.ledger import Columns, columns
from bangfu_eval.load import LoadedYear
from bangfu_eval.results import Results


@dataclass(frozen=True)
class Context:
    year: m.Year
    results: Results
    loaded: LoadedYear

    @property
    def cols(self) -> Columns:
        """The disbursements as columns, for screens that run in C (see ``ledger.py``)."""
        return columns(self.year)

    def source_of(self, file: str, key: str) -> str:
        """The file a list was read from: ``file`` or the CSV table that held it."""
        idx = self.loaded.rows.get((file, key))
        return idx.file if idx is not None and idx.file else file

    def at(self, file: str, *path: object) -> Location:
        return self.loaded.where(file, *path)

    def find(self, code: str, file: str, path: tuple[object, ...], message: str, help: str = "") -> Finding:
        """A finding of ``code`` at the value ``path`` of ``file``, with the code's severity."""
        return Finding(code, CODES[code].severity, self.at(file, *path), message, help)

    def find_at(self, code: str, loc: Location, message: str, help: str = "") -> Finding:
        return Finding(code, CODES[code].severity, loc, message, help)


Rule = Callable[[Context], Iterable[Finding]]
