"""Findings: problems found in a year's data, as values (never exceptions).

Stdlib only. Every finding has a stable code from ``catalogue.CODES``, a severity, a location
(file, 1-based line and column, field path) and a Chinese message. A finding never carries an
unmasked personal value: the code that builds the message masks it first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    """How bad a finding is; ``error`` fails ``check``, ``warning`` only with ``--strict``."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, order=True)
class Location:
    """Where a value stands: file relative to the year directory, 1-based line and column."""

    file: str
    line: int = 0
    column: int = 0
    path: str = ""


@dataclass(frozen=True)
class Finding:
    """One problem: ``file:line:col: severity CODE message``."""

    code: str
    severity: Severity
    location: Location
    message: str
    help: str = ""
    acknowledged: str = field(default="", compare=False)
    related: tuple[Location, ...] = field(default=(), compare=False)
    """Other places of the same root cause (the other signatures of one score, the other bands
    of one target): one mistake, one finding, every place named."""

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.code)

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of a finding (documented in docs/cli.md; keep it stable)."""
        loc = self.location
        out: dict[str, object] = {
            "code": self.code,
            "severity": self.severity.value,
            "file": loc.file,
            "line": loc.line,
            "column": loc.column,
            "path": loc.path,
            "message": self.message,
        }
        if self.help:
            out["help"] = self.help
        if self.acknowledged:
            out["acknowledged"] = self.acknowledged
        if self.related:
            out["related"] = [
                {"file": r.file, "line": r.line, "column": r.column, "path": r.path} for r in self.related
            ]
        return out


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: f.sort_key)


def count_by_severity(findings: list[Finding]) -> dict[str, int]:
    counts = {s.value: 0 for s in Severity}
    for f in findings:
        if not f.acknowledged:
            counts[f.severity.value] += 1
    return counts
