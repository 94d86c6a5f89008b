"""What every report table is made of: rows of text cells, with two merge markers that the
Word renderer turns into merged cells and Markdown shows blank."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from bangfu_eval.results import NodeResult


class _Mark(str):
    """The merge marks' own type: a cell of data that reads '^^' or '<<' is not a mark."""


MERGE_UP: str = _Mark("^^")
"""A table cell merged with the cell above it (Word output); blank in Markdown. The table
filter escapes '^^' from data (\\^^), so only this object merges cells."""
MERGE_LEFT: str = _Mark("<<")
"""A table cell merged into the cell on its left (Word output); blank in Markdown; escaped
from data like MERGE_UP."""


@dataclass(frozen=True)
class Table:
    head: list[str]
    rows: list[list[str]]


def leaves(
    nodes: tuple[NodeResult, ...], path: tuple[NodeResult, ...] = ()
) -> Iterator[tuple[tuple[NodeResult, ...], NodeResult]]:
    """Every leaf of an indicator tree with the groups above it, in order."""
    for n in nodes:
        if n.children:
            yield from leaves(n.children, (*path, n))
        else:
            yield path, n
