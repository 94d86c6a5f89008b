"""The straight line that every command runs:

    year directory → load (YAML/CSV → models whose records know their origin)  load.load_year
                   → the ledger's columns, built once                         ledger.Columns
                   → compute (pure functions → results)                       compute.compute
                   → check the data (rules → findings)                        rules.DATA_RULES
                   → score the leaves again when a finding a leaf names as
                     contradicting evidence is present                        compute.rescore
                   → check the scores                                         rules.SCORE_RULES
                   → acknowledge, select, sort                                here
                   → render (terminal / JSON / Markdown / DOCX), by the caller

Check runs after compute because most rules compare a declared figure with a computed one.
Compute and the business rules run only when every file given (YAML or CSV) loaded; load and schema
findings are reported either way. Nothing here prints or writes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bangfu_eval import models as m
from bangfu_eval import tofill
from bangfu_eval.acknowledge import acknowledge, acknowledges
from bangfu_eval.aggregates import skipped_checks
from bangfu_eval.compute import compute, rescore
from bangfu_eval.findings import Finding, Severity, count_by_severity, matches, sort_findings
from bangfu_eval.ledger import Columns
from bangfu_eval.load import DEFAULT_MAX_FILE_MB, FILES, LoadedYear, load_year
from bangfu_eval.records import Progress
from bangfu_eval.results import Results
from bangfu_eval.rules import DATA_RULES, SCORE_RULES, Context


@dataclass(frozen=True)
class Outcome:
    """What a run found and computed; ``results`` is None when the year did not load."""

    directory: Path
    loaded: LoadedYear
    year: m.Year | None
    results: Results | None
    findings: list[Finding]
    hidden_errors: int = 0  # errors left out by --select/--ignore

    @property
    def ledger_missing(self) -> tuple[str, ...]:
        """The person-level files the year does not give (a year of aggregates only)."""
        return self.results.ledger_missing if self.results is not None else ()

    @property
    def counts(self) -> dict[str, int]:
        return count_by_severity(self.findings)

    def failed(self, strict: bool = False) -> bool:
        c = self.counts
        if self.year is None:
            return True  # a year that did not load fails, whatever --select shows of it
        return c["error"] > 0 or (strict and c["warning"] > 0)

    def usable(self, despite_errors: bool = False) -> bool:
        """Whether scores and a report can be made: the year computed, and no error unless
        the user said to go on (score --force, report --draft, which then say so)."""
        return self.results is not None and (despite_errors or not self.failed())


def assemble(loaded: LoadedYear) -> m.Year | None:
    """The typed year, when every required file, every other file given, and the policy validated."""
    names = {
        "project.yaml": "project",
        "funds.yaml": "funds",
        "indicators.yaml": "indicators",
        "targets.yaml": "targets",
        "narrative.yaml": "narrative",
        "households.yaml": "households",
        "disbursements.yaml": "disbursements",
    }
    if loaded.policy is None or any(
        spec.required and name not in loaded.models for name, spec in FILES.items()
    ):
        return None
    if loaded.failed:
        return None  # a file that failed (in YAML or in its CSV tables) would look empty to the rules
    parts = {names[k]: v for k, v in loaded.models.items()}
    return m.Year(policy=loaded.policy, **parts)


def run(
    directory: Path,
    *,
    max_file_mb: int = DEFAULT_MAX_FILE_MB,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    progress: Progress | None = None,
    arrow: bool = True,
) -> Outcome:
    with _collector_paused():
        loaded = load_year(directory, max_file_mb, progress, arrow)
        _release_free_memory()
        year = assemble(loaded)
        findings = list(loaded.findings)
        results = None
        if year is not None:
            cols = Columns.of(year)
            results = compute(year, cols=cols)
            ctx = Context(year, results, cols, loaded)
            for rule in DATA_RULES:
                findings.extend(rule(ctx))
            # checks that read person-level records do not run without them (each Code.needs)
            skipped = set(skipped_checks(results.ledger_missing))
            findings = [f for f in findings if f.code not in skipped]
            present = evidence(year, findings)
            if present:  # a leaf names a finding that is present: score its tree again
                results = rescore(year, results, present)
                ctx = Context(year, results, cols, loaded)
            for rule in SCORE_RULES:
                findings.extend(rule(ctx))
            findings = acknowledge(tofill.fold(findings), year, loaded)
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    if select:
        findings = [f for f in findings if matches(f.code, select)]
    if ignore:
        findings = [f for f in findings if not matches(f.code, ignore)]
    hidden = errors - sum(1 for f in findings if f.severity is Severity.ERROR)
    return Outcome(directory, loaded, year, results, sort_findings(findings), hidden)


def _release_free_memory() -> None:
    """Give the C heap's free pages back to the system after loading. Reading a large file
    frees most of what it allocates (the text, the untyped cells), but glibc keeps the freed
    pages for reuse by the C heap, which the rules barely use (a million CSV payments: some
    140 MB). Elsewhere than glibc this does nothing."""
    name = ctypes.util.find_library("c")
    try:
        trim = ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        trim = None
    if trim is not None:
        trim(0)


def evidence(year: m.Year, findings: list[Finding]) -> frozenset[str]:
    """The codes that some leaf names in ``contradicted_by`` and that are present among the
    findings, leaving out findings acknowledged in project.yaml."""
    wanted = {code for tree in year.indicators.trees for code in _named(tree.nodes)}
    if not wanted:
        return frozenset()
    acks = year.project.acknowledge
    return frozenset(
        f.code for f in findings if f.code in wanted and not any(acknowledges(a, f) for a in acks)
    )


def _named(nodes: list[m.Indicator]) -> Iterator[str]:
    for n in nodes:
        yield from n.contradicted_by
        yield from _named(n.children)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The one place bangfu handles the garbage collector. A run allocates millions of small
    objects and frees few: the cyclic collector would walk them again and again (half the load
    time at a million rows, a third of the rules' time), so it is paused during the run; what
    the run built is then frozen (rendering's collections never walk it again) and the collector
    restored as it was."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if collecting:
            gc.enable()
