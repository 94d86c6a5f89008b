"""Which renderer makes which output format: the one place an output format is chosen, from
an option or from the output file's name. Every function returns text; the caller writes it."""

from __future__ import annotations

from pathlib import Path

from bangfu_eval.pipeline import Outcome
from bangfu_eval.render import findings_text, scorecard

CHECK_FORMATS = ("text", "json", "github")
SCORE_FORMATS = ("text", "json", "csv", "md")
DOCUMENT_FORMATS = ("md", "docx", "pdf")


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


SUFFIXES = {".md": "md", ".markdown": "md", ".docx": "docx", ".pdf": "pdf"}
"""A document's format by the output file's suffix."""


class FormatMismatch(ValueError):
    """An output whose format cannot be told or contradicts --format (a usage error)."""


def document(out: Path | None, fmt: str | None) -> str:
    """A document's format: the output's suffix decides (.md, .docx, .pdf), and a --format that
    says otherwise is refused; stdout (no file) is Markdown only; a file with another suffix
    needs --format."""
    if out is None:
        if fmt not in (None, "md"):
            raise FormatMismatch(f"--format {fmt} 不能写到标准输出；用 --out 文件名.{fmt}")
        return "md"
    by_suffix = SUFFIXES.get(out.suffix.lower())
    if by_suffix is None and fmt is None:
        raise FormatMismatch(f"不知道 {out} 的格式：文件名以 .md、.docx 或 .pdf 结尾，或给出 --format")
    if by_suffix is not None and fmt is not None and fmt != by_suffix:
        raise FormatMismatch(f"--format {fmt} 与文件名 {out} 的格式（{by_suffix}）不一致")
    return by_suffix or str(fmt)
