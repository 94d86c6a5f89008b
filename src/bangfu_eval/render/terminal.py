"""The scorecard on a terminal, with rich: the only renderer that touches rich."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from bangfu_eval.render.scorecard import (
    TREE_HEAD,
    funds_rows,
    headline,
    mode_lines,
    summary_rows,
    target_rows,
    tree_rows,
)
from bangfu_eval.results import Results


def _table(title: str, head: list[str], rows: list[list[str]], right: set[int]) -> Table:
    t = Table(title=title, title_justify="left", show_lines=False, box=box.SIMPLE_HEAD, pad_edge=False)
    for i, h in enumerate(head):
        t.add_column(h, justify="right" if i in right else "left", overflow="fold")
    for r in rows:
        t.add_row(*r)
    return t


def scorecard(results: Results, console: Console, level: int | None = None) -> None:
    """Total and grade first (a range without the ledger), then the declared totals where they
    differ, the year's mode, each tree (computed score, declared score where it differs, method,
    mark), funds, the summary and the targets."""
    lines = headline(results)
    console.print(Text(lines[0], style="bold"))
    for line in [*lines[1:], *mode_lines(results)]:
        console.print(Text(line, style="yellow"))
    for tree in results.trees:
        table = Table(
            title=f"{tree.title}（{tree.source}）", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False
        )
        for i, h in enumerate(TREE_HEAD):
            table.add_column(
                h,
                justify="right" if i in (2, 3, 4) else "left",
                overflow="fold",
                no_wrap=i != 1,
                ratio=1 if i == 1 else None,
            )
        for r in tree_rows(tree, level, indent=" "):
            style = "bold" if r[1] == "总分" else ("red" if r[6] else "")
            table.add_row(*r, style=style)
        console.print(table)
    console.print(
        _table(
            "资金（元）",
            ["来源", "到位", "支出", "结余", "执行率", "人次"],
            funds_rows(results),
            {1, 2, 3, 4, 5},
        )
    )
    console.print(_table("汇总", ["项目", "数值"], summary_rows(results), {1}))
    console.print(
        _table("绩效目标", ["类型", "指标", "目标", "实际", "完成", "等级"], target_rows(results), set())
    )


def as_text(results: Results, width: int = 80, level: int | None = None) -> str:
    """The scorecard as plain text, as a terminal ``width`` columns wide shows it."""
    import io

    buf = io.StringIO()
    scorecard(results, Console(file=buf, width=width, color_system=None, highlight=False), level)
    return "\n".join(line.rstrip() for line in buf.getvalue().splitlines()).rstrip() + "\n"
