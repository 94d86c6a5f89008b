"""What every rule gets: the validated year, the computed results, the disbursements as columns
and a way to point at a record's field. A rule is a plain function
``(Context) -> Iterable[Finding]``; its family module declares the codes it raises (``Code``)
and lists it in the module's ``RULES``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from bangfu_eval import models as m
from bangfu_eval.findings import Finding, Location
from bangfu_eval.ledger import Columns
from bangfu_eval.results import Results


class Places(Protocol):
    """Turns a loaded record's origin into a file, line and column (the loader's
    ``LoadedYear`` is one): rules never know files, paths or formats."""

    def at(self, record: object, *fields: object) -> Location: ...

    def in_text(self, loc: Location, offset: int) -> Location: ...


@dataclass(frozen=True)
class Context:
    year: m.Year
    results: Results
    cols: Columns
    """The disbursements as columns, for screens that run in C (see ``ledger.py``)."""
    places: Places

    def at(self, record: object, *fields: object) -> Location:
        """Where ``record`` (any loaded record: a source, a target, a payment…) or one of its
        fields stands, e.g. ``ctx.at(payment, "type")``, ``ctx.at(tree, "declared", "score")``."""
        return self.places.at(record, *fields)


Rule = Callable[[Context], Iterable[Finding]]
