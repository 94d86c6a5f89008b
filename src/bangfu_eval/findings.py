"""Findings: problems found in a year's data, as values (never exceptions).

Stdlib only. Every finding is made by one constructor, a ``Code``: the declaration of a finding
code (its severity, Chinese message template, English title, explanation, remedy and policy
source) that sits beside the function raising it. ``catalogue.py`` collects the declarations;
``bangfu rules``, ``bangfu explain`` and docs/rules.md are generated from them. A finding has a
location (file, 1-based line and column, field path) and never carries an unmasked personal
value: the code that fills the message masks it first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    """How bad a finding is; ``error`` fails ``check``, ``warning`` only with ``--strict``."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


@dataclass(frozen=True, order=True)
class Location:
    """Where a value stands: file relative to the year directory, 1-based line and column."""

    file: str
    line: int = 0
    column: int = 0
    path: str = ""
    personal: bool = field(default=False, compare=False)
    """The line may show personal data (a personal field, or a line of a person's record):
    it is never echoed. Set by the loader from the models' declarations (``privacy.py``)."""


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


@dataclass(frozen=True, eq=False)
class Code:
    """A finding code, declared once beside the rule that raises it; calling it makes a finding.

    ``message`` is a ``str.format`` template in Chinese (or named variants of one, when a rule
    tells several cases of one problem apart); ``help`` an optional template of the hint line.
    A code is never reused: a retired code keeps its declaration."""

    code: str
    severity: Severity
    title: str
    """English title (``bangfu rules``, GitHub annotations)."""
    zh: str
    """Chinese title."""
    message: str | Mapping[str, str]
    why: str
    """The explanation: why the problem matters."""
    example: str
    fix: str
    """The remedy."""
    help: str = ""
    policy: str = ""
    """The policy source of the rule, where one exists (a document, a standard)."""
    report: bool | None = None
    """Listed in the report's annex of findings; by default errors and warnings are."""
    needs: tuple[str, ...] = ()
    """The person-level files the check reads: without one of them it does not run (a year of
    aggregates only), since its findings would follow from the absence, not from the data."""
    source: str = ""
    """政策依据 in Chinese: the document and its provision (as the unit's own papers cite it),
    or 实践 / bangfu 自定 where no document says it (``bangfu rules``' source column)."""
    zh_why: str = ""
    """为什么重要 (``bangfu explain``, Chinese)."""
    zh_example: str = ""
    """示例."""
    remedy: str = ""
    """审计认可的处理: what an auditor accepts (追回, 书面说明, 补公示 …); for money paid, never
    "correct the record"."""

    @property
    def family(self) -> str:
        return self.code[:3]

    @property
    def in_report(self) -> bool:
        return self.severity is not Severity.INFO if self.report is None else self.report

    @property
    def templates(self) -> dict[str, str]:
        """The message templates by variant name ("" for a code with one)."""
        return {"": self.message} if isinstance(self.message, str) else dict(self.message)

    def __call__(
        self, where: Location, /, *, variant: str = "", help: str | None = None, **fields: object
    ) -> Finding:
        """The finding of this code at ``where``, its message filled from ``fields``."""
        return self.make(where, fields, variant, help)

    def make(
        self, where: Location, fields: Mapping[str, object], variant: str = "", help: str | None = None
    ) -> Finding:
        """The one constructor of findings: message (and help) filled from ``fields``."""
        hint = self.help.format_map(fields) if help is None else help
        return Finding(self.code, self.severity, where, self.templates[variant].format_map(fields), hint)


def matches(code: str, selectors: list[str]) -> bool:
    """True when ``code`` is selected by any selector (a code or a prefix such as BF6)."""
    return any(code.startswith(s.strip().upper()) for s in selectors if s.strip())


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: f.sort_key)


def count_by_severity(findings: list[Finding]) -> dict[str, int]:
    counts = {s.value: 0 for s in Severity}
    for f in findings:
        if not f.acknowledged:
            counts[f.severity.value] += 1
    return counts
