"""Text made safe for one output line: control characters, line breaks, table cells.
Stdlib only (the scorecard uses it without importing Jinja2)."""

from __future__ import annotations

import re

from bangfu_eval.report_tables import MERGE_LEFT, MERGE_UP

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")


def printable(text: str) -> str:
    """Control characters (which a terminal obeys and Word's XML cannot hold) shown as �."""
    return _CONTROL.sub("\ufffd", text)


def one_line(text: str) -> str:
    """Text for a Markdown line (a heading, a table cell): line breaks become spaces."""
    return _LINE_BREAKS.sub(" ", text)


def cell(value: object) -> str:
    """A table cell: one line, pipes escaped, and a cell of data that reads like the merge
    mark escaped (only the mark itself merges cells)."""
    if value is MERGE_UP or value is MERGE_LEFT:
        return str(value)
    text = "" if value is None else str(value)
    text = one_line(text).replace("|", "\\|")
    return "\\" + text.strip() if text.strip() in (MERGE_UP, MERGE_LEFT) else text
