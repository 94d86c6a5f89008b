"""BF203: declared figures checked against each other, where the ledger cannot check them."""

from __future__ import annotations

from collections.abc import Iterator

from bangfu_eval.findings import ERROR, Code, Finding, Location
from bangfu_eval.identities import check
from bangfu_eval.narrative import Declaration
from bangfu_eval.rules.base import Context

BF203 = Code(
    "BF203",
    ERROR,
    "declared figures contradict each other",
    "申报数之间不一致",
    message="{identity}",  # identities.py words each kind of identity (a sum, a balance, a rate…)
    why=(
        "Where a figure cannot be computed (a year of aggregates only, without its ledger), the"
        " report's own figures must still agree with each other: a total with its parts by"
        " source, type and category, a balance with carried in + arrived − spent, a rate with"
        " its terms, a figure stated twice with itself. The finding stands at the total (or at"
        " the figure stated second) and names the others."
    ),
    example=(
        "全部专项资金共帮扶{{ person_times.total = 918 }}人次，其中中央财政{{ person_times.central ="
        " 406 }}人次，省财政{{ person_times.provincial = 366 }}人次，市、省总工会{{ person_times.city +"
        " person_times.union = 147 }}人次 (406 + 366 + 147 = 919)."
    ),
    fix="Correct the figure that is wrong in the report; the help line says where the others stand.",
    source="财预〔2020〕10号《项目支出绩效评价管理办法》（评价结论应以真实数据为依据）",
    zh_why="没有明细账时数字无法计算，但报告自身的数字仍须相互一致：合计等于各项之和。",
    zh_example="附件5 的到位资金合计与各来源之和不等。",
    remedy="更正报告中的数字并重新报送；报告是对外申报，不以明细账迁就报告",
)


def identities(ctx: Context) -> Iterator[Finding]:
    """BF203: a broken identity between figures one of which (at least) is a declaration
    standing in for an unknown figure; one finding at the total, naming where the others stand."""
    for broken in check(ctx.year, ctx.results.figures):
        where = [_where(ctx, d) for d in broken.others]
        help = "其他申报数：" + "；".join(f"{w.file}:{w.line}:{w.column}" for w in where) if where else ""
        yield BF203(_where(ctx, broken.at), help=help, identity=broken.message)


def _where(ctx: Context, d: Declaration) -> Location:
    loc = ctx.at(d.record, *d.fields)
    return loc if d.offset is None else ctx.places.in_text(loc, d.offset)


RULES = (identities,)
