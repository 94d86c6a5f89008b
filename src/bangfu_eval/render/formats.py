"""Which renderer makes which output format: the one place an output format is chosen, from
an option or from the output file's name. Every function returns text; the caller writes it."""

from __future__ import annotations

from pathlib import Path

from bangfu_eval.pipeline import Outcome
from bangfu_eval.render import findings_text, scorecard

CHECK_FORMATS = ("text", "json", "github")
SCORE_FORMATS = ("text", "json", "csv", "md")
DOCUMENT_FORMATS = ("md", "docx")


def check(outcome: Outcome, fmt: str) -> str:
    """check's findings: text (with source snippets), JSON or GitHub annotations."""
    if fmt == "text":
        return findings_text.text(outcome, lines=outcome.loaded.lines)
    return findings_text.RENDERERS[fmt](outcome)


def score(outcome: Outcome, fmt: str, level: int | None) -> str | None:
    """The scorecard as JSON, CSV or Markdown; None for text, which the terminal renderer
    draws with rich."""
    results = outcome.results
    assert results is not None
    if fmt == "json":
        return scorecard.to_json(results, outcome.counts, str(outcome.directory))
    if fmt == "csv":
        return scorecard.to_csv(results)
    if fmt == "md":
        return scorecard.to_markdown(results, level)
    return None


def document(out: Path | None, fmt: str | None) -> str:
    """A document's format: the one asked for, else the output's suffix (.docx), else md."""
    if fmt is not None:
        return fmt
    return "docx" if out is not None and out.suffix.lower() == ".docx" else "md"
