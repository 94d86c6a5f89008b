"""The straight line that every command runs:

    year directory → load (YAML → models + positions)      load.load_year
                   → compute (pure functions → results)    compute.compute
                   → check the data (rules → findings)     rules.DATA_RULES
                   → score the leaves again when a finding a leaf names as
                     contradicting evidence is present      compute.rescore
                   → check the scores                      rules.SCORE_RULES
                   → acknowledge, select, sort             here
                   → render (terminal / JSON / Markdown / DOCX), by the caller

Check runs after compute because most rules compare a declared figure with a computed one.
Compute and the business rules run only when every file given (YAML or CSV) loaded; load and schema
findings are reported either way. Nothing here prints or writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from bangfu_eval import models as m
from bangfu_eval.aggregates import skipped_checks
from bangfu_eval.catalogue import CODES, matches
from bangfu_eval.compute import compute, rescore
from bangfu_eval.findings import Finding, count_by_severity, sort_findings
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

    @property
    def ledger_missing(self) -> tuple[str, ...]:
        """The person-level files the year does not give (a year of aggregates only)."""
        return self.results.ledger_missing if self.results is not None else ()

    @property
    def counts(self) -> dict[str, int]:
        return count_by_severity(self.findings)

    def failed(self, strict: bool = False) -> bool:
        c = self.counts
        return c["error"] > 0 or (strict and c["warning"] > 0)


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
) -> Outcome:
    loaded = load_year(directory, max_file_mb, progress)
    year = assemble(loaded)
    findings = list(loaded.findings)
    results = None
    if year is not None:
        results = compute(year)
        ctx = Context(year, results, loaded)
        for rule in DATA_RULES:
            findings.extend(rule(ctx))
        # checks that read person-level records do not run without them (aggregates.NEEDS_LEDGER)
        skipped = set(skipped_checks(results.ledger_missing))
        findings = [f for f in findings if f.code not in skipped]
        present = evidence(year, findings)
        if present:  # a leaf names a finding that is present: score its tree again
            results = rescore(year, results, present)
            ctx = Context(year, results, loaded)
        for rule in SCORE_RULES:
            findings.extend(rule(ctx))
        findings = acknowledge(findings, year, loaded)
    if select:
        findings = [f for f in findings if matches(f.code, select)]
    if ignore:
        findings = [f for f in findings if not matches(f.code, ignore)]
    return Outcome(directory, loaded, year, results, sort_findings(findings))


def evidence(year: m.Year, findings: list[Finding]) -> frozenset[str]:
    """The codes that some leaf names in ``contradicted_by`` and that are present among the
    findings, leaving out findings acknowledged in project.yaml."""
    wanted = {code for tree in year.indicators.trees for code in _named(tree.nodes)}
    if not wanted:
        return frozenset()
    acks = year.project.acknowledge
    return frozenset(
        f.code for f in findings if f.code in wanted and not any(_acknowledges(a, f) for a in acks)
    )


def _named(nodes: list[m.Indicator]) -> Iterator[str]:
    for n in nodes:
        yield from n.contradicted_by
        yield from _named(n.children)


def _acknowledges(ack: m.Acknowledgement, f: Finding) -> bool:
    return (
        f.code == ack.code
        and f.location.file == ack.file
        and (ack.line is None or ack.line == f.location.line)
    )


def acknowledge(findings: list[Finding], year: m.Year, loaded: LoadedYear) -> list[Finding]:
    """Mark findings that project.yaml's ``acknowledge`` list accepts with a reason; an
    acknowledgement that matches nothing is itself a finding (BF011)."""
    out = list(findings)
    for i, ack in enumerate(year.project.acknowledge):
        hit = False
        for k, f in enumerate(out):
            if _acknowledges(ack, f):
                out[k] = replace(f, acknowledged=ack.reason)
                hit = True
        if not hit:
            loc = loaded.where("project.yaml", "acknowledge", i)
            out.append(
                Finding(
                    "BF011", CODES["BF011"].severity, loc, f"确认项 {ack.code} @ {ack.file} 未匹配任何问题"
                )
            )
    return out
