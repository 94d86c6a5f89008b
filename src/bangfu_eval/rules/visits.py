"""BF510, BF511: archive verification as the seed's scoring table states it — 入户核查 at least
once a year for 深度困难 and twice for 相对困难 and 意外致困 (policy ``visits_per_year``), and a
数据比对 of every archive every year (policy ``data_checks_per_year``). Counted, as the
``households.visit_coverage`` measure counts, over households eligible in the year and dates
within it. A file that records no visit (or no data check) at all is not judged household by
household: the measure is then unknown."""

from __future__ import annotations

from collections.abc import Iterator

from bangfu_eval.aggregates import HOUSEHOLDS
from bangfu_eval.findings import WARNING, Code, Finding
from bangfu_eval.rules.base import Context

_REVIEW = (
    "琼工办发〔2023〕33号附件3 评分表「每个档案都建档必须开展数据比对，按要求每年对深入户核查1次、"
    "相对和意外户核查2次，并根据核查结果及时调整档案」"
)

BF510 = Code(
    "BF510",
    WARNING,
    "too few home visits",
    "入户核查次数不足",
    message="{household}（{category}）{year}年入户核查 {done} 次，应至少 {need} 次",
    why=(
        "Archives are verified by home visits: at least once a year for deep hardship, twice for"
        " relative and sudden hardship (policy: visits_per_year)."
    ),
    example="A relative-hardship household visited once in 2022.",
    fix="Visit the household and record the date; explain in writing why a visit was missed.",
    policy="Hainan scoring table: deep once a year, relative and sudden twice (policy: visits_per_year)",
    needs=(HOUSEHOLDS,),
    source=f"{_REVIEW}；policy.yaml visits_per_year",
    zh_why="档案靠入户核查保持真实：深度困难户每年至少 1 次，相对困难和意外致困户至少 2 次。",
    zh_example="相对困难户 2022 年只入户核查 1 次。",
    remedy="补做入户核查并记录日期；未按要求核查的，书面说明原因。",
)

BF511 = Code(
    "BF511",
    WARNING,
    "no data check in the year",
    "本年未做数据比对",
    message="{household} {year}年数据比对 {done} 次，应至少 {need} 次",
    why=(
        "Every archive is compared with the public-security, civil-affairs, bank and housing"
        " records (数据比对) every year (policy: data_checks_per_year)."
    ),
    example="A household with no data_checks date in 2022.",
    fix="Run the data check and record its date; explain in writing why it was missed.",
    policy="Hainan scoring table: 数据比对 for every archive (policy: data_checks_per_year)",
    needs=(HOUSEHOLDS,),
    source=f"{_REVIEW}；policy.yaml data_checks_per_year",
    zh_why="每个档案每年都要与公安、民政、银行、住建等部门的数据比对，才能发现不再符合条件的家庭。",
    zh_example="某户 2022 年没有数据比对日期。",
    remedy="补做数据比对并记录日期；未按要求比对的，书面说明原因。",
)


def verification(ctx: Context) -> Iterator[Finding]:
    """BF510: fewer home visits in the year than the category requires; BF511: fewer data
    checks than the policy requires."""
    pol, year = ctx.year.policy, ctx.year.project.year
    homes = [h for h in ctx.year.households.households if h.status in pol.eligible_statuses]
    any_visits = any(h.visits for h in ctx.year.households.households)
    any_checks = any(h.data_checks for h in ctx.year.households.households)
    for h in homes:
        category = pol.categories.get(h.category, h.category)
        need = pol.visits_per_year.get(h.category, 1)
        done = sum(1 for d in h.visits if d.year == year)
        if any_visits and done < need:
            yield BF510(
                ctx.at(h, "visits"), household=h.id, category=category, year=year, done=done, need=need
            )
        done = sum(1 for d in h.data_checks if d.year == year)
        if any_checks and done < pol.data_checks_per_year:
            yield BF511(
                ctx.at(h, "data_checks"), household=h.id, year=year, done=done, need=pol.data_checks_per_year
            )


RULES = (verification,)
