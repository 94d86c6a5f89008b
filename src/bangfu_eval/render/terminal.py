"""The scorecard on a terminal, with rich: the only renderer that touches rich."""

from __future__ import annotations

from collections.abc import Sequence

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
from bangfu_eval.rollup import Province, UnitRow


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
        title = tree.title + (f"（{tree.source}）" if tree.source else "")
        table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
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


def province(p: Province, rows: Sequence[UnitRow], console: Console) -> None:
    """The province table at terminal width: amounts in 万元, households by category in one
    column; units not scored say why below the table. The full table: --format csv, xlsx, md."""
    from bangfu_eval.money import fmt_number, fmt_pct, fmt_wan
    from bangfu_eval.render.rollup import categories, problems_text, unknown_note

    cats = categories(p)
    t = Table(
        title="省级汇总（金额：万元）",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        padding=(0, 0, 0, 0),
        show_edge=False,
    )
    heads = ["名次", "单位", "支出", "执行率", "人次", "户数", "总分", "等次", "错/警", "主要问题"]
    for i, h in enumerate(heads):
        t.add_column(
            h,
            justify="right" if 2 <= i <= 6 else "left",
            overflow="fold",
            no_wrap=1 < i < 9,
            min_width=12 if i == 9 else None,
        )
    for r in rows:
        t.add_row(
            str(r.rank or "—"),
            r.unit,
            fmt_wan(r.spent),
            fmt_pct(r.execution_rate),
            "—" if r.person_times is None else f"{r.person_times:,}",
            "/".join(_dash(r.households.get(c)) for c in cats) if r.scored else "—",
            _score(r),
            r.grade or "—",
            f"{r.errors}/{r.warnings}",
            problems_text(r, 2)
            if r.scored
            else "未评分 " + ("、".join(x.code for x in r.problems[:1]) or "?"),
            style="" if r.scored and not r.errors else "red",
        )
    s = p.totals
    t.add_row(
        "",
        "合计",
        fmt_wan(s.spent),
        fmt_pct(s.execution_rate),
        f"{s.person_times:,}",
        "/".join(str(s.households.get(c, 0)) for c in cats),
        "",
        "",
        f"{s.errors}/{s.warnings}",
        f"计入 {s.scored}/{s.units}",
        style="bold",
        end_section=True,
    )
    console.print(t)
    console.print(
        f"户数：{'/'.join(cats)}。总分：计算总分，与申报不同时写作“计算≠申报”。"
        f"合计执行率 = 支出合计 ÷ 到位（或可用）资金合计。平均总分 {fmt_number(s.mean_total)}。"
    )
    if unknown_note(p):
        console.print(unknown_note(p))
    console.print("等次分布：" + "，".join(f"{g} {n}" for g, n in p.grades.items() if n or g != "未评分"))
    for r in rows:
        if not r.scored:
            console.print(f"{r.unit}：{r.failure}", style="red")
    if p.shared:
        console.print(
            "多数单位存在的问题："
            + "；".join(f"{x.code} {x.title}（{x.units} 个单位）" for x in p.shared[:5])
        )
    for f in p.cross:
        loc = f.location
        console.print(
            f"{loc.file}:{loc.line}:{loc.column}: {f.severity.value} {f.code} {f.message}", style="red"
        )


def _score(r: UnitRow) -> str:
    from bangfu_eval.money import fmt_number
    from bangfu_eval.render.rollup import total_text

    total = total_text(r)
    if r.declared_total is None or r.total is None or (r.total <= r.declared_total <= r.total + r.total_open):
        return total
    return f"{total}≠{fmt_number(r.declared_total)}"


def _dash(value: int | None) -> str:
    return "—" if value is None else str(value)


def province_text(p: Province, rows: Sequence[UnitRow], width: int = 80) -> str:
    """The terminal table as plain text at ``width`` columns (for the README and tests)."""
    import io

    buf = io.StringIO()
    province(p, rows, Console(file=buf, width=width, highlight=False, color_system=None, soft_wrap=False))
    return buf.getvalue()
