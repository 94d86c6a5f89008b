"""The catalogue of finding codes: the single source of ``bangfu rules``, ``bangfu explain`` and
docs/rules.md. A code is never reused; a retired code stays here marked retired.

Families: BF0 load, BF1 schema, BF2 declared figures, BF3 indicator trees, BF4 targets,
BF5 references, BF6 fund use, BF7 payments, BF8 project facts, BF9 identity.
"""

from __future__ import annotations

from dataclasses import dataclass

from bangfu_eval.findings import Severity

E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO


@dataclass(frozen=True)
class CodeInfo:
    """One code: its default severity, English title, Chinese title and its doc page."""

    code: str
    severity: Severity
    title: str
    zh: str
    why: str
    example: str
    fix: str

    @property
    def family(self) -> str:
        return self.code[:3]


FAMILIES: dict[str, str] = {
    "BF0": "load (files, encoding, YAML)",
    "BF1": "schema (fields, types, ids)",
    "BF2": "declared figures (balance assertions)",
    "BF3": "indicator trees",
    "BF4": "performance targets",
    "BF5": "references (先建档后帮扶)",
    "BF6": "fund use",
    "BF7": "payments",
    "BF8": "project facts",
    "BF9": "identity",
}

_ENTRIES: tuple[CodeInfo, ...] = (
    CodeInfo(
        "BF001",
        E,
        "file unreadable",
        "文件无法读取",
        "A file that cannot be read loses every figure in it.",
        "funds.yaml is a directory, unreadable, or a link that leaves the year directory.",
        "Make it a regular, readable file inside the year directory.",
    ),
    CodeInfo(
        "BF002",
        E,
        "not UTF-8",
        "文件编码不是 UTF-8",
        "Files saved from Excel or old editors are often GBK; read as UTF-8 they turn into"
        " garbage and figures are lost silently.",
        "households.yaml saved as GBK/GB18030.",
        "Convert it: iconv -f GB18030 -t UTF-8 old.yaml > new.yaml, or save as UTF-8.",
    ),
    CodeInfo(
        "BF003",
        E,
        "YAML syntax error",
        "YAML 语法错误",
        "The file cannot be parsed, so nothing in it is checked.",
        "A tab used for indentation, an unclosed quote or bracket.",
        "Fix the syntax at the line shown; indent with spaces.",
    ),
    CodeInfo(
        "BF004",
        E,
        "duplicate key",
        "重复的键",
        "YAML loaders silently keep the last of two equal keys: a figure is lost.",
        "spent: 1295600 written twice in one source.",
        "Keep one of the two keys.",
    ),
    CodeInfo(
        "BF005",
        E,
        "anchors and aliases refused",
        "不支持锚点和别名",
        "Aliases copy values invisibly and can expand into huge documents (alias bombs).",
        "*base or <<: *defaults in a record.",
        "Write the values out in full.",
    ),
    CodeInfo(
        "BF006",
        E,
        "required file missing",
        "缺少必需的文件",
        "Without it part of the evaluation cannot be checked or computed.",
        "A year directory without funds.yaml.",
        "Add the file; docs/data-format.md lists the files of a year.",
    ),
    CodeInfo(
        "BF007",
        W,
        "unknown file",
        "未知的文件",
        "A YAML file bangfu does not read may hold figures that nobody checks.",
        "fund.yaml (a typo for funds.yaml).",
        "Rename it to a known file or move it out of the year directory.",
    ),
    CodeInfo(
        "BF008",
        E,
        "file too large",
        "文件过大",
        "A file over the size limit is refused rather than exhausting memory.",
        "A 300 MB households.yaml with the default limit of 200 MB.",
        "Split the data or raise the limit with --max-file-mb.",
    ),
    CodeInfo(
        "BF009",
        E,
        "more than one YAML document",
        "文件包含多个 YAML 文档",
        "Only the first document would be read; the rest would be lost.",
        "A line '---' in the middle of the file.",
        "Keep one document per file.",
    ),
    CodeInfo(
        "BF010",
        E,
        "key is not text",
        "键不是文本",
        "Mapping keys must be plain field names.",
        "? [a, b] : 1",
        "Use a plain field name as the key.",
    ),
    CodeInfo(
        "BF011",
        W,
        "acknowledgement matches nothing",
        "确认项未匹配任何问题",
        "An acknowledgement that no longer matches hides nothing and may hide a future"
        " problem at the wrong place.",
        "acknowledge: [{code: BF201, file: narrative.yaml, reason: …}] when no BF201 fires there.",
        "Remove the acknowledgement or correct its code or file.",
    ),
    CodeInfo(
        "BF012",
        E,
        "nesting too deep",
        "嵌套层数过多",
        "No year's data needs more than 64 levels; deeper files are refused before they can"
        " exhaust memory or recursion.",
        "An indicator tree nested 40 levels deep, or [[[[…]]]].",
        "Flatten the structure.",
    ),
    CodeInfo(
        "BF013",
        W,
        "empty file",
        "文件为空",
        "A file with no content is read as 'nothing', which is rarely what was meant: a save"
        " that failed or a copy that went wrong.",
        "households.yaml with only a comment.",
        "Restore its content, or delete the file if the year has none.",
    ),
    CodeInfo(
        "BF014",
        E,
        "list both in YAML and in CSV",
        "同一清单同时写在 YAML 和 CSV 中",
        "Records kept twice drift apart; bangfu reads the YAML list and ignores the CSV file.",
        "households.yaml with a households list, and households.csv beside it.",
        "Keep one of the two.",
    ),
    CodeInfo(
        "BF101",
        E,
        "unknown field",
        "未知字段",
        "A misspelt field is a figure that is never read.",
        "spnet: 265134 instead of spent.",
        "Use the field name shown in the 'did you mean' hint, or see docs/data-format.md.",
    ),
    CodeInfo(
        "BF102",
        E,
        "required field missing",
        "缺少必填字段",
        "The figure is needed to check or compute the year.",
        "A disbursement without an amount.",
        "Add the field.",
    ),
    CodeInfo(
        "BF103",
        E,
        "invalid value",
        "值无效",
        "The value does not have the type or form the field needs.",
        "weight: heavy, or a list where a mapping belongs.",
        "Write a value of the form docs/data-format.md gives for the field.",
    ),
    CodeInfo(
        "BF104",
        E,
        "invalid date",
        "日期无效",
        "An impossible or malformed date cannot be compared with deadlines.",
        "date: 2022-02-30",
        "Write a real date as YYYY-MM-DD.",
    ),
    CodeInfo(
        "BF105",
        E,
        "invalid number or amount",
        "数字或金额无效",
        "Amounts are exact decimals; text that is not a number loses the figure.",
        "amount: 12O0 (letter O), or 1.2e3.",
        "Write the number in plain digits, optionally with 元 or 万元.",
    ),
    CodeInfo(
        "BF106",
        E,
        "duplicate id",
        "编号重复",
        "Two records with one id make every reference to it ambiguous.",
        "Two households with id HK-001.",
        "Give each record its own id.",
    ),
    CodeInfo(
        "BF107",
        E,
        "unknown code value",
        "代码值未定义",
        "Categories, types, statuses, payment methods and source kinds come from the policy;"
        " an unknown one is not counted anywhere.",
        "type: livng",
        "Use one of the values the policy lists (bangfu rules shows the policy file).",
    ),
    CodeInfo(
        "BF201",
        E,
        "declared figure differs from computed",
        "申报数与计算数不符",
        "The published report states a figure that does not follow from the rows beneath it,"
        " like a ledger's failed balance assertion. The computed figure is used downstream.",
        "The narrative says 共计{{ funds.arrived = 2914797 }}元 but the sources sum to 2914796.",
        "Correct the declared figure or the rows; or acknowledge the difference with a reason.",
    ),
    CodeInfo(
        "BF202",
        E,
        "unknown figure or bad placeholder",
        "未知数字名称或占位符错误",
        "A placeholder that names no computed figure cannot be filled in the report.",
        "{{ funds.arived }}",
        "Use a figure name that 'bangfu score --format json' lists under figures.",
    ),
    CodeInfo(
        "BF203",
        E,
        "declared figures contradict each other",
        "申报数之间不一致",
        "Where a figure cannot be computed (a year of aggregates only, without its ledger), the"
        " report's own figures must still agree with each other: a total with its parts by"
        " source, type and category, a balance with carried in + arrived − spent, a rate with"
        " its terms, a figure stated twice with itself. The finding stands at the total (or at"
        " the figure stated second) and names the others.",
        "全部专项资金共帮扶{{ person_times.total = 918 }}人次，其中中央财政{{ person_times.central ="
        " 406 }}人次，省财政{{ person_times.provincial = 366 }}人次，市、省总工会{{ person_times.city +"
        " person_times.union = 147 }}人次 (406 + 366 + 147 = 919).",
        "Correct the figure that is wrong in the report; the help line says where the others stand.",
    ),
    CodeInfo(
        "BF204",
        W,
        "two declarations of one figure disagree",
        "同一数字两处申报不一致",
        "The report states a figure that is itself declared elsewhere (附件2's 计划投资额 against"
        " 附件5's): neither follows from the data, so each place keeps the unit's own words and"
        " a reviewer decides which is right.",
        "附件2 says 计划使用帮扶资金{{ project.planned_amount | 万元 = 200万元 }}万元; project.yaml"
        " says planned_amount: 242万元.",
        "Make the two declarations agree, or acknowledge the difference with a reason.",
    ),
    CodeInfo(
        "BF301",
        E,
        "weights of children differ from parent",
        "下级分值合计与上级不符",
        "An indicator's weight must equal the sum of its children's weights.",
        "A group of weight 6 whose leaves weigh 2 + 2 + 1.",
        "Correct the weights.",
    ),
    CodeInfo(
        "BF302",
        E,
        "score outside 0..weight",
        "得分超出分值范围",
        "An awarded score cannot be negative or exceed the indicator's weight.",
        "weight: 2, score: 3",
        "Correct the score.",
    ),
    CodeInfo(
        "BF303",
        E,
        "leaf without score",
        "末级指标未评分",
        "A leaf indicator without an awarded score leaves the total incomplete.",
        "A criterion with a weight and no score.",
        "Add the score (or a measure that computes it).",
    ),
    CodeInfo(
        "BF304",
        E,
        "declared score differs from leaves",
        "申报得分与下级合计不符",
        "A group or tree total that does not equal the sum of its leaves is a wrong total.",
        "附件3 states 99 while its leaves sum to 98.",
        "Correct the declared total or the leaf scores.",
    ),
    CodeInfo(
        "BF305",
        W,
        "trees disagree",
        "指标体系之间不一致",
        "Two indicator tables of one evaluation should give the same total.",
        "附件3 sums to 98 while 附件5 sums to 99.",
        "Reconcile the two tables.",
    ),
    CodeInfo(
        "BF306",
        W,
        "declared score above what the data supports",
        "申报得分高于数据计算得分",
        "A leaf's declared score is above the score its method computes from the data (a missed "
        "target, a lower rate), or a finding the leaf names in contradicted_by is present.",
        "Full marks on '资金是否及时到位' with timeliness at 90%; full marks on cash signatures "
        "with an unsigned cash payment (BF701).",
        "Lower the score to the computed one, or correct the data.",
    ),
    CodeInfo(
        "BF307",
        E,
        "indicator without weight",
        "指标缺少分值",
        "A leaf needs a weight to be scored.",
        "A criterion row with no 分值.",
        "Add the weight.",
    ),
    CodeInfo(
        "BF308",
        W,
        "qualitative score outside its tier",
        "定性指标得分不在其等级区间",
        "A qualitative indicator is judged in tiers: 达成 earns 80–100% of its weight, 部分达成 "
        "60–80%, 未达成 0–60% (policy qualitative_tiers); a score outside its tier contradicts "
        "the judgement written beside it.",
        "A 10-point leaf marked 部分达成 with 9 points.",
        "Change the score or the tier.",
    ),
    CodeInfo(
        "BF309",
        N,
        "full marks without evidence in the data",
        "满分但数据中没有依据",
        "Full marks need evidence; the data holds none for this leaf (no survey result, no "
        "payment of the type), so the score rests on the evaluators' word alone.",
        "Satisfaction scored 10 of 10 with no 2022 survey result.",
        "Record the result (measure.actual) or say in evidence where it is documented.",
    ),
    CodeInfo(
        "BF310",
        E,
        "leaf cannot be scored by its method",
        "指标无法按其评分方法计算",
        "A leaf's method needs a figure or a target it does not have, or names a code that "
        "cannot be evidence; the leaf then keeps its declared score unchecked.",
        "method: reverse with no target; measure.figure: funds.typo; contradicted_by: [BF304].",
        "Name a computed figure (bangfu score --format json lists them) and a target.",
    ),
    CodeInfo(
        "BF401",
        E,
        "grade bands out of order",
        "绩效标准等级顺序错误",
        "Bands must run 优 > 良 > 中 > 差 in the target's direction.",
        "中 '600人以下' below 差 '500人以下'.",
        "Rewrite the band thresholds in order.",
    ),
    CodeInfo(
        "BF402",
        E,
        "grade bands overlap",
        "绩效标准等级重叠",
        "A value in two bands has two grades.",
        "中 '85%以上' and 差 '85%以下' both hold 85%.",
        "Make one bound exclusive (以上 / 不足).",
    ),
    CodeInfo(
        "BF403",
        W,
        "gap between grade bands",
        "绩效标准等级之间有空档",
        "A value in a gap gets no grade.",
        "中 '3人以上' and 差 '1人以下' leave 2 without a grade.",
        "Close the gap.",
    ),
    CodeInfo(
        "BF404",
        W,
        "target without actual value",
        "绩效目标缺少实际值",
        "A target cannot be judged met or missed without its actual value.",
        "职工满意度 with no survey result.",
        "Give the actual value, or the figure it is computed from.",
    ),
    CodeInfo(
        "BF405",
        W,
        "target missed",
        "绩效目标未完成",
        "The actual value misses the declared target.",
        "生活救助 target 815, actual 790.",
        "Explain in the narrative, or correct the data.",
    ),
    CodeInfo(
        "BF501",
        E,
        "payment to an unarchived household",
        "帮扶对象未建档",
        "先建档、后帮扶: every payment names an archived household.",
        "household: HK-999 with no such household.",
        "Archive the household first, or correct the id.",
    ),
    CodeInfo(
        "BF502",
        E,
        "household not eligible on payment date",
        "发放日帮扶对象不在档",
        "A household is paid only while archived or within its graduation period (渐退期).",
        "Paid 2022-03-01, archived 2022-05-10.",
        "Correct the dates or the payment.",
    ),
    CodeInfo(
        "BF503",
        E,
        "unknown fund source",
        "资金来源未定义",
        "Money from a source that funds.yaml does not list is not accounted for.",
        "source: county",
        "Add the source to funds.yaml or correct the id.",
    ),
    CodeInfo(
        "BF504",
        E,
        "unknown batch",
        "发放批次未定义",
        "A payment's batch carries its publicity dates.",
        "batch: 2022-13",
        "Add the batch or correct the id.",
    ),
    CodeInfo(
        "BF601",
        E,
        "use not allowed for the source",
        "资金用途不符合规定",
        "Each source may pay only for the uses the policy allows it that year.",
        "Central money paying festival relief (送温暖) in 2022.",
        "Pay it from a source that allows the use.",
    ),
    CodeInfo(
        "BF602",
        E,
        "cap exceeded",
        "超标准发放",
        "Payments above the policy's cap per household and year are 超标准开支.",
        "Living aid of 20000 元 to one household with a cap of 12000.",
        "Correct the payments or the cap in policy.yaml.",
    ),
    CodeInfo(
        "BF603",
        W,
        "government money left at year end",
        "中央和省级资金年末有结余",
        "Central and provincial money should leave no balance at year end.",
        "central: arrived 100000, spent 90000.",
        "Spend it, or document the reason.",
    ),
    CodeInfo(
        "BF604",
        W,
        "carry-over without a report",
        "结转资金无结转报告",
        "A union balance is carried over only with a carry-over report.",
        "union carried_out 764963 with no carry_over_report.",
        "Record the report in carry_over_report.",
    ),
    CodeInfo(
        "BF605",
        W,
        "matching ratio below policy",
        "配套资金比例未达到要求",
        "Central money must draw other money at the policy ratio (1:1) on the policy's basis.",
        "central arrived 100, others 80.",
        "Raise local funding, or document why.",
    ),
    CodeInfo(
        "BF606",
        N,
        "matching ratio below policy on the other basis",
        "按另一口径配套比例未达标",
        "The rule does not say whether arrived or spent money counts; both are shown.",
        "Met on arrived money, not on spent money.",
        "None needed; review with the finance office.",
    ),
    CodeInfo(
        "BF607",
        W,
        "low utilisation",
        "资金使用率偏低",
        "A source whose money is largely unspent did not reach the people it was for.",
        "union: spent 25.74% of arrived.",
        "Spend it or explain the carry-over in the narrative.",
    ),
    CodeInfo(
        "BF608",
        E,
        "spent more than available",
        "支出超过可用资金",
        "A source cannot pay out more than it holds.",
        "spent 120 of 100.",
        "Correct the figures.",
    ),
    CodeInfo(
        "BF701",
        E,
        "cash without signature",
        "现金发放无签名",
        "Cash is allowed only with the recipient's signature on the real-name list.",
        "method: cash, signed: false",
        "Record the signature or correct the method.",
    ),
    CodeInfo(
        "BF702",
        E,
        "paid before publicity ended",
        "公示期未满即发放",
        "Recipients and amounts are publicly noticed before payment.",
        "publicity_end 2022-03-10, paid 2022-03-08.",
        "Correct the dates.",
    ),
    CodeInfo(
        "BF703",
        E,
        "paid before the year",
        "发放日期早于年度",
        "A payment dated before the evaluation year belongs to an earlier year's accounts. (A "
        "payment dated after the deadline, also in the next year, is late: BF704.)",
        "date: 2021-12-20 in data/2022.",
        "Move it to its year.",
    ),
    CodeInfo(
        "BF704",
        W,
        "paid after the deadline",
        "超过发放时限",
        "All the year's money is to be paid by the deadline (12-31 by default).",
        "A deadline of 12-20 and a payment on 12-28.",
        "Pay earlier or adjust the policy deadline.",
    ),
    CodeInfo(
        "BF705",
        E,
        "paid twice in one batch",
        "同一批次重复发放",
        "The same household paid twice for the same type in one batch is a double payment.",
        "Two living-aid payments to HK-001 in batch 2022-03.",
        "Remove the duplicate.",
    ),
    CodeInfo(
        "BF706",
        W,
        "publicity period too short",
        "公示期不足",
        "Some localities require a minimum publicity period (policy: publicity_min_days).",
        "3 working days with a minimum of 5.",
        "Lengthen the publicity period.",
    ),
    CodeInfo(
        "BF801",
        N,
        "arrived differs from plan",
        "到位资金与计划不符",
        "Money that arrived above or below the plan deserves a sentence in the report.",
        "Planned 242万元, arrived 291.4797万元.",
        "Explain the difference in the narrative.",
    ),
    CodeInfo(
        "BF802",
        W,
        "evaluator score differs from computed total",
        "评价人员评分与计算总分不符",
        "Evaluators sign a score; it should be the total the indicator table adds up to. All "
        "evaluators who signed the same differing score are one finding.",
        "Evaluators give 99; the table's leaves sum to 98.",
        "Correct the score or the table.",
    ),
    CodeInfo(
        "BF803",
        N,
        "final grade left blank",
        "评价等次未填写",
        "bangfu fills 评价等次 from the computed total and the grade bands.",
        "grade: (blank)",
        "None needed; the report shows the computed grade.",
    ),
    CodeInfo(
        "BF804",
        E,
        "declared grade differs from computed",
        "评价等次与计算结果不符",
        "The grade follows from the total; a different one is an error.",
        "grade: 良 with a total of 95.",
        "Correct the grade.",
    ),
    CodeInfo(
        "BF901",
        E,
        "one ID number under two households",
        "身份证号重复",
        "One person archived twice is paid twice.",
        "The same ID number for HK-001 and HK-057.",
        "Merge the records.",
    ),
    CodeInfo(
        "BF902",
        E,
        "invalid ID number",
        "身份证号无效",
        "A resident ID number has 18 characters, a real birth date and a GB 11643 check digit.",
        "An ID number whose last digit is wrong.",
        "Correct the number from the ID card.",
    ),
)

CODES: dict[str, CodeInfo] = {c.code: c for c in _ENTRIES}


def matches(code: str, selectors: list[str]) -> bool:
    """True when ``code`` is selected by any selector (a code or a prefix such as BF6)."""
    return any(code.startswith(s.strip().upper()) for s in selectors if s.strip())
