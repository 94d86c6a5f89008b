"""Pydantic input models: the shape and types of one year's files, nothing more.

Business rules live in ``rules/``; these models only say which fields exist and what type each
has. Scalars arrive as strings (see ``load.py``) and are typed here, so YAML 1.1's guesses never
happen: an ID number stays text, ``no`` stays ``no``, an amount becomes an exact ``Decimal``.

Glossary (Chinese term → identifier):
    帮扶资金 funds · 资金来源 source · 上年结转 carried_in · 下达/安排 allocated · 到位 arrived ·
    支出 spent · 结转下年 carried_out · 在档困难职工(户) household · 深度/相对/意外致困 category ·
    在档/渐退期/退档 status · 生活/医疗/助学救助, 送温暖 disbursement type · 发放批次 batch ·
    公示 publicity · 实名制 payment method · 指标 indicator · 分值 weight · 评价标准 criterion ·
    评价要求 requirement · 得分 score · 绩效目标 target · 优良中差 grade bands · 评价等次 grade.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr
from pydantic.dataclasses import dataclass
from pydantic.json_schema import JsonDict
from pydantic_core import PydanticCustomError

from bangfu_eval.money import parse_decimal, parse_money, parse_rate, round_half_up
from bangfu_eval.table import Records

Origin = tuple[str, tuple[object, ...]]
"""Where a record was read: its year file and its field path there, e.g.
("disbursements.yaml", ("disbursements", 17)). The loader sets it; ``origin`` reads it; a rule
asks its context for ``at(record, "field")`` and gets the file, line and column (CSV or YAML)."""


def origin(record: object) -> Origin | None:
    """The origin of a loaded record (None for a record built in code)."""
    return getattr(record, "_origin", None)


def _money(v: object) -> object:
    value = parse_money(v) if isinstance(v, str) else v
    # an amount in 元 is exact to the 分: a third decimal is a typing error that every total,
    # balance and comparison would carry on, and that shows nowhere once rounded for display
    if isinstance(value, Decimal) and value.is_finite() and value != round_half_up(value, 2):
        raise PydanticCustomError("money_cents", "金额最多精确到分（两位小数）")
    return value


def _number(v: object) -> object:
    return parse_decimal(v) if isinstance(v, str) else v


def _rate(v: object) -> object:
    return parse_rate(v) if isinstance(v, str) else v


Money = Annotated[Decimal, BeforeValidator(_money)]
"""An amount in 元; text may end in 元 or 万元 ('242万元' is 2,420,000 元)."""
Number = Annotated[Decimal, BeforeValidator(_number)]
"""A plain decimal number (weights, scores, counts, thresholds)."""
Rate = Annotated[Decimal, BeforeValidator(_rate)]
"""A rate: '95%' or '0.95'."""

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _date(v: object) -> object:
    # pydantic would read '1640995200' as a Unix timestamp and '２０２２-…' as a date: only
    # YYYY-MM-DD in ASCII digits is a date here
    if isinstance(v, str) and not _ISO_DATE.fullmatch(v.strip()):
        raise PydanticCustomError("date_parsing", "日期应写作 YYYY-MM-DD")
    return v.strip() if isinstance(v, str) else v


Date = Annotated[dt.date, BeforeValidator(_date)]
"""A date written YYYY-MM-DD."""


def _month_day(v: str) -> str:
    try:
        dt.date(2000, int(v[:2]), int(v[3:5]))  # 2000: a leap year, so 02-29 is a day
    except ValueError as exc:
        raise PydanticCustomError("date_parsing", "不是有效的月-日") from exc
    return v


PERSONAL_NAME: JsonDict = {"personal": "name"}
PERSONAL_ID: JsonDict = {"personal": "id_number"}
PERSONAL_TAIL: JsonDict = {"personal": "tail"}
"""Personal fields say so here, once, with how they are masked (a name: 张*三; an ID number:
first 6 and last 4; a phone or card number: last 4). ``privacy.py`` reads these marks; a record
whose ``name`` is personal is a person's record, and none of its lines is echoed."""


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    _origin: Origin | None = PrivateAttr(None)


RECORD = ConfigDict(extra="forbid")
"""Person-level records are slotted dataclasses: a million of them must fit in memory."""


class Row:
    """Base of the person-level records: one slot for their origin, which is no field (a file
    cannot set it) and takes no part in equality."""

    __slots__ = ("_origin",)


def fields_of(tp: Any) -> dict[str, Any]:
    """The fields of a pydantic model or pydantic dataclass ({} for anything else)."""
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return dict(tp.model_fields)
    return dict(getattr(tp, "__pydantic_fields__", {}) or {})


def inner_model(tp: Any) -> Any:
    """The model inside Optional[...], list[...], Records[...], dict[str, ...], Annotated[...]."""
    if typing.get_origin(tp) is None:
        return tp
    for arg in typing.get_args(tp):
        inner = inner_model(arg) if arg is not type(None) else None
        if fields_of(inner):
            return inner
    return None


# --- project.yaml (附件5 and the report's heading) ------------------------------------------


class Notice(Model):
    """The notice the evaluation answers (通知)."""

    issuer: str = Field(description="发文单位, e.g. 海南省总工会")
    title: str = Field(description="通知标题")
    number: str = Field(description="文号, e.g. 琼工办发〔2023〕33号")


class Evaluator(Model):
    """One member of the evaluation group (评价人员) and the score they signed."""

    name: str = Field(description="姓名 (personal: masked in output)", json_schema_extra=PERSONAL_NAME)
    title: str = Field(description="职务/职称")
    unit: str = Field(description="单位")
    score: Number | None = Field(None, description="项目评分")


class Declared(Model):
    """A figure the source document states, compared with the computed one (like a balance
    assertion). ``figure`` names a computed figure; several names are summed."""

    figure: str | list[str] = Field(description="computed figure name(s), summed")
    value: str = Field(description="as printed, with its unit: '291.4797万元', '100%', '918'")
    source: str = Field("", description="where the document states it, e.g. 附件5")


class Acknowledgement(Model):
    """A reviewed finding, kept visible but not failing the run."""

    code: str = Field(description="finding code, e.g. BF201")
    file: str = Field(description="file of the finding, relative to the year directory")
    line: int | None = Field(None, description="line of the finding; omitted = any line")
    reason: str = Field(min_length=1, description="why it is accepted (required)")


class Project(Model):
    name: str = Field(description="项目名称")
    unit: str = Field(description="项目实施单位")
    supervisor: str = Field(description="主管部门")
    issuer: str = Field(description="报告单位 (the report's author)")
    responsible_person: str = Field(description="项目负责人 (personal)", json_schema_extra=PERSONAL_NAME)
    phone: str = Field("", description="联系电话 (personal: masked)", json_schema_extra=PERSONAL_TAIL)
    address: str = Field("", description="地址")
    postcode: str = Field("", description="邮编")
    project_type: Literal["recurring", "one_off"] = Field(description="经常性项目 / 一次性项目")
    planned_amount: Money | None = Field(None, description="计划投资额 (元 or '242万元')")
    period_start: Date = Field(description="项目起始日期")
    period_end: Date = Field(description="项目结束日期")
    notice: Notice | None = None


class Evaluation(Model):
    date: Date = Field(description="评价日期")
    grade: str | None = Field(None, description="评价等次 as declared (blank = computed)")
    evaluators: list[Evaluator] = Field(default_factory=list)


class ProjectFile(Model):
    """project.yaml: project and unit facts (附件5), the evaluation, declared figures."""

    year: int = Field(ge=1990, le=2100, description="the evaluation year")
    project: Project
    evaluation: Evaluation
    declared: list[Declared] = Field(default_factory=list)
    acknowledge: list[Acknowledgement] = Field(default_factory=list)


# --- funds.yaml ---------------------------------------------------------------------------


class Source(Model):
    """One fund source (资金来源) and its year."""

    id: str = Field(description="source id used by disbursements")
    name: str = Field(description="中文名称, e.g. 中央财政")
    kind: str = Field(description="policy source kind: central / provincial / city / union …")
    carried_in: Money | None = Field(None, ge=0, description="上年结转; None = unknown or included")
    carried_in_included: bool = Field(
        False, description="the carry-over is already inside 'arrived' (as the 2022 seed says)"
    )
    allocated: Money | None = Field(None, ge=0, description="下达/安排 this year")
    arrived: Money = Field(ge=0, description="到位 this year")
    spent: Money | None = Field(None, description="declared 支出; checked against disbursements")
    carried_out: Money | None = Field(None, description="declared 结转下年")
    carry_over_report: str = Field("", description="结转报告 (reference or text)")
    note: str = ""


class FundsFile(Model):
    """funds.yaml: money by source."""

    rate_base: Literal["arrived", "available"] = Field(
        "arrived", description="utilisation = spent ÷ arrived, or ÷ (carried in + arrived)"
    )
    sources: list[Source] = Field(min_length=1)
    declared: list[Declared] = Field(default_factory=list)


# --- households.yaml, disbursements.yaml (person-level) ------------------------------------


@dataclass(frozen=True, slots=True, config=RECORD)
class Household(Row):
    """An archived hardship household (在档困难职工家庭)."""

    id: str
    name: str = Field(description="户主姓名 (personal: masked)", json_schema_extra=PERSONAL_NAME)
    id_number: str = Field(
        "", description="身份证号 (personal: shown as first 6 + last 4)", json_schema_extra=PERSONAL_ID
    )
    phone: str = Field("", description="联系电话 (personal: last 4)", json_schema_extra=PERSONAL_TAIL)
    card_number: str = Field(
        "", description="社保卡/银行卡号 (personal: last 4)", json_schema_extra=PERSONAL_TAIL
    )
    work_unit: str = Field("", description="工作单位")
    category: str = Field(description="policy category: deep / relative / sudden")
    status: str = Field(description="policy status: archived / graduating / left")
    archived_on: Date = Field(description="建档日期")
    exited_on: Date | None = Field(None, description="退档日期; after 脱困 it starts the 渐退期")
    exit_reason: str | None = Field(
        None,
        description="退档原因, a policy exit_reasons key (relieved 脱困, death 死亡, ineligible 不符合条件,"
        " false_claim 虚报冒领, other); none given is read as 脱困",
    )
    visits: tuple[Date, ...] = Field(default=(), description="入户核查 dates")
    data_checks: tuple[Date, ...] = Field(default=(), description="数据比对 dates")


class HouseholdsFile(Model):
    synthetic: bool = Field(False, description="true when the records are invented")
    households: Records[Household] = Field(default_factory=lambda: Records(Household))


@dataclass(frozen=True, slots=True, config=RECORD)
class Batch(Row):
    """A payment batch (发放批次) and its public notice (公示)."""

    id: str
    title: str = ""
    publicity_start: Date | None = None
    publicity_end: Date | None = None
    phone: str = ""  # 监督电话 of the notice (blank: the unit's phone)


@dataclass(frozen=True, slots=True, config=RECORD)
class Disbursement(Row):
    """One payment to one household: one person-time (人次)."""

    id: str
    date: Date
    household: str = Field(description="household id")
    type: str = Field(description="policy disbursement type: living / medical / schooling …")
    source: str = Field(description="fund source id")
    amount: Money = Field(gt=0)
    method: str = Field(description="policy payment method: social_security_card / bank_card / cash")
    signed: bool | None = Field(None, description="cash: recipient signed the real-name list")
    batch: str | None = None


class DisbursementsFile(Model):
    synthetic: bool = False
    batches: Records[Batch] = Field(default_factory=lambda: Records(Batch))
    disbursements: Records[Disbursement] = Field(default_factory=lambda: Records(Disbursement))


# --- indicators.yaml ------------------------------------------------------------------------


class Measure(Model):
    """What a leaf is measured by: a computed figure (or a declared actual) and a target.

    The target is a text with its direction ("≥95%", "≤3000元", "815人次", "90%-110%"; see
    docs/data-format.md), or ``at_least`` / ``at_most``, or a target of targets.yaml by id
    (its actual, direction and bands). Without any target the figure is the leaf's evidence."""

    figure: str | None = Field(None, description="computed figure name giving the actual")
    actual: Rate | None = Field(None, description="实际完成值 as declared, when not computed")
    target: str | None = Field(None, description="年度指标值 with its direction: ≥95%, ≤3000元")
    target_id: str | None = Field(None, description="a target of targets.yaml")
    at_least: Rate | None = Field(None, description="threshold (rate or number)")
    at_most: Rate | None = None


Method = Literal[
    "proportional", "reverse", "execution_rate", "banded", "all_or_nothing", "qualitative", "manual"
]
"""How a leaf is scored (docs/data-format.md): 正向定量, 反向定量, 预算执行率, by grade band,
all or nothing, 定性 (declared within its tier), 人工 (declared)."""

Tier = Literal["达成", "部分达成", "未达成"]


class Indicator(Model):
    """A node of an indicator tree; a leaf when it has no children."""

    name: str | None = Field(None, description="指标名称 (None where the table leaves it blank)")
    weight: Number | None = Field(None, description="分值 as printed (None = not printed)")
    criterion: str = Field("", description="评价标准")
    requirement: str = Field("", description="评价要求")
    score: Number | None = Field(None, description="得分 (leaf) or a declared group score")
    evidence: str = Field("", description="评分依据")
    measure: Measure | None = None
    method: Method | None = Field(
        None, description="scoring method; default all_or_nothing with a measure, else manual"
    )
    tier: Tier | None = Field(None, description="定性 leaves: 达成 / 部分达成 / 未达成")
    contradicted_by: list[str] = Field(
        default_factory=list, description="finding codes whose presence contradicts full marks"
    )
    children: list[Indicator] = Field(default_factory=list)


class DeclaredTotal(Model):
    weight: Number | None = None
    score: Number | None = None


class Tree(Model):
    id: str
    title: str
    source: str = ""
    levels: list[str] = Field(default_factory=list, description="column names of the levels")
    declared: DeclaredTotal = DeclaredTotal()
    nodes: list[Indicator] = Field(min_length=1)


class IndicatorsFile(Model):
    primary: str = Field(description="id of the tree whose total is the evaluation's score")
    trees: list[Tree] = Field(min_length=1)


# --- targets.yaml (附件4) -----------------------------------------------------------------


class Band(Model):
    """A grade band as printed and as a numeric threshold: value op threshold."""

    grade: str
    text: str = Field("", description="as printed, e.g. 800人以上")
    op: Literal["ge", "gt", "le", "lt"] = Field(description="以上 ge · 超过 gt · 以下 le · 不足 lt")
    value: Rate


class Target(Model):
    id: str
    kind: str = Field(description="产出指标 / 成效指标 / 效率指标 (output / outcome / efficiency)")
    name: str
    unit: str = Field("", description="人次, %, …")
    target_text: str = Field("", description="绩效目标 as printed")
    target: Rate = Field(description="the target as a number (815, 100% → 1)")
    direction: Literal["ge", "gt", "le", "lt", "eq"] | None = Field(
        None, description="≥ ≤ = …; default: read from target_text (以上/以下), else ge"
    )
    actual: Rate | None = Field(None, description="actual value, when not computed")
    actual_figure: str | None = Field(None, description="computed figure giving the actual")
    bands: list[Band] = Field(default_factory=list)


class TargetsFile(Model):
    title: str = "项目绩效目标表"
    project_name: str = ""
    targets: list[Target] = Field(default_factory=list)


# --- narrative.yaml ---------------------------------------------------------------------------


class Section(Model):
    heading: str
    paragraphs: list[str] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)


class Claim(Model):
    """A sentence of the narrative tied to a computed figure: the words claim the figure is at
    least (or at most) a threshold, e.g. 基本使用完毕 → funds.union.utilisation at least 90%."""

    text: str = Field(description="the words, as they stand in a paragraph")
    figure: str = Field(description="the computed figure the words speak of")
    at_least: Rate | None = Field(None, description="the claim holds when the figure ≥ this (rate or number)")
    at_most: Rate | None = Field(None, description="the claim holds when the figure ≤ this")
    note: str = Field("", description="why the words mean that (who chose the threshold)")


class NarrativeFile(Model):
    """narrative.yaml: the report's text; figures are placeholders {{ name }} or
    {{ name = declared }} (see docs/data-format.md)."""

    title: str
    subtitle: str = ""
    preamble: list[str] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list, description="sentences tied to figures (BF204)")
    goal: str = Field("", description="年度总体目标 of the 自评表 (blank: the targets of targets.yaml)")
    improvements: list[str] = Field(
        default_factory=list, description="改进措施: the unit's own paragraphs (blank: a placeholder to fill)"
    )
    deviations: dict[str, str] = Field(
        default_factory=dict,
        description="偏差原因分析及改进措施 by target id or indicator label (blank: a placeholder)",
    )


# --- policy.yaml --------------------------------------------------------------------------


class GradeBand(Model):
    grade: str
    min: Number


class AllowedUses(Model):
    from_year: int
    uses: dict[str, list[str]] = Field(min_length=1, description="source kind → allowed disbursement types")


class Cap(Model):
    type: str
    category: str | None = None
    amount: Money
    per: Literal["household_year", "payment"] = Field(
        "household_year", description="the cap holds per household per year, or per payment"
    )


class Matching(Model):
    ratio: Number = Decimal(1)
    central_kinds: list[str] = Field(default_factory=lambda: ["central"])
    local_kinds: list[str] = Field(default_factory=list)
    basis: Literal["arrived", "spent"] = "arrived"


class Policy(Model):
    """Rule parameters; package defaults, overridden key by key by a year's policy.yaml."""

    grade_bands: list[GradeBand] = Field(min_length=1)
    source_kinds: dict[str, str]
    categories: dict[str, str]
    statuses: dict[str, str]
    eligible_statuses: list[str]
    disbursement_types: dict[str, str]
    payment_methods: dict[str, str]
    cash_methods: list[str]
    allowed_uses: list[AllowedUses] = Field(min_length=1)
    zero_balance_kinds: list[str]
    carry_over_report_kinds: list[str]
    matching: Matching
    min_utilisation: Rate
    graduation_months: int = Field(ge=0)
    publicity_min_days: int = Field(ge=0)
    publicity_working_days: bool = True
    payment_deadline: Annotated[str, AfterValidator(_month_day)] = Field(
        pattern=r"^[0-9]{2}-[0-9]{2}$", description="MM-DD in the year"
    )
    caps: list[Cap] = Field(default_factory=list)
    band_scores: dict[str, Rate] = Field(
        default_factory=lambda: {
            "优": Decimal(1),
            "良": Decimal("0.8"),
            "中": Decimal("0.6"),
            "差": Decimal(0),
        },
        description="banded leaves: grade → fraction of the weight",
    )
    qualitative_tiers: dict[str, list[Rate]] = Field(
        default_factory=lambda: {
            "达成": [Decimal("0.8"), Decimal(1)],
            "部分达成": [Decimal("0.6"), Decimal("0.8")],
            "未达成": [Decimal(0), Decimal("0.6")],
        },
        description="qualitative leaves: tier → [low, high] fraction of the weight",
    )
    visits_per_year: dict[str, int] = Field(
        default_factory=lambda: {"deep": 1, "relative": 2, "sudden": 2},
        description="入户核查 a year by category",
    )
    data_checks_per_year: int = Field(1, ge=0, description="数据比对 a year for every archive (BF511)")
    exit_reasons: dict[str, str] = Field(
        default_factory=lambda: {
            "relieved": "脱困",
            "death": "死亡",
            "ineligible": "不符合条件",
            "false_claim": "虚报冒领",
            "other": "其他",
        },
        description="退档原因 (reason key → Chinese name)",
    )
    graduation_reasons: list[str] = Field(
        default_factory=lambda: ["relieved"],
        description="exit reasons that open a 渐退期; after any other exit payment stops at once",
    )
    retirement_ages: dict[str, int] = Field(
        default_factory=lambda: {"male": 60, "female": 50},
        description="法定退休年龄 by sex (male / female), for BF508",
    )
    office_unit_words: list[str] = Field(
        default_factory=lambda: ["机关", "工会", "人民政府", "党委", "人大", "政协", "纪委"],
        description="words that make a work unit look like an office or a union (BF509)",
    )
    archive_required_kinds: list[str] = Field(
        default_factory=lambda: ["central", "provincial"],
        description="source kinds whose money goes only to archived households",
    )


class Year(BaseModel):
    """All files of one year, validated; the input of compute and of the rules."""

    model_config = ConfigDict(frozen=True)

    project: ProjectFile
    funds: FundsFile
    indicators: IndicatorsFile
    targets: TargetsFile
    narrative: NarrativeFile
    households: HouseholdsFile = HouseholdsFile()
    disbursements: DisbursementsFile | None = None
    policy: Policy
