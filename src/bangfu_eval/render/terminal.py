"""The scorecard on a terminal, with rich: the only renderer that touches rich."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from bangfu_eval.aggregates import open_weight
from bangfu_eval.render.scorecard import funds_rows, mode_lines, summary_rows, target_rows, tree_rows
from bangfu_eval.results import Results


def _table(title: str, head: list[str], rows: list[list[str]], right: set[int]) -> Table:
    t = Table(title=title, title_justify="left", show_lines=False)
    for i, h in enumerate(head):
        t.add_column(h, justify="right" if i in right else "left", overflow="fold")
    for r in rows:
        t.add_row(*r)
    return t


def scorecard(results: Results, console: Console, level: int | None = None) -> None:
    for line in mode_lines(results):
        console.print(Text(line, style="yellow"))
    for tree in results.trees:
        rows = tree_rows(tree, level)
        table = Table(title=f"{tree.title}（{tree.source}）", title_justify="left")
        for h, j in (
            ("序号", "left"),
            ("指标", "left"),
            ("分值", "right"),
            ("得分", "right"),
            ("失分", "right"),
        ):
            table.add_column(h, justify=j, overflow="fold")  # type: ignore[arg-type]
        for r in rows:
            style = "bold" if r[1] == "总分" else ("red" if r[4] else "")
            table.add_row(*r, style=style)
        console.print(table)
    console.print(
        _table(
            "资金（元）",
            ["来源", "到位", "支出", "结余", "使用率", "人次"],
            funds_rows(results),
            {1, 2, 3, 4, 5},
        )
    )
    console.print(_table("汇总", ["项目", "数值"], summary_rows(results), {1}))
    console.print(
        _table("绩效目标", ["类型", "指标", "目标", "实际", "完成", "等级"], target_rows(results), set())
    )
    unknown = open_weight(results.primary.nodes)  # a year without its ledger: a range
    score = f"{results.total.normalize():f}"
    if unknown:
        score += f"–{(results.total + unknown).normalize():f}"
    total = Text(
        f"总分 {score}（满分 {results.primary.weight.normalize():f}）  评价等次：{results.grade or '—'}",
        style="bold",
    )
    console.print(total)
