"""``bangfu explain``'s Chinese text for every code: why it matters, the policy it comes from
(document and the provision, or 实践 where no document says it), an example, and the remedy an
auditor accepts (追回, 书面说明, 补公示 …) — for a payment, never "correct the record".

Keyed by code, one entry per code, so that each entry can move beside its code's declaration.
Sources are named as the 2022 seed cites them; where a document's article number is not known
to bangfu, the provision is named by its subject (the text of those documents is not shipped).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Explanation:
    """One code's explanation in Chinese."""

    why: str
    """为什么重要."""
    source: str
    """政策依据: document and provision, or 实践 (practice) / bangfu 自定."""
    example: str
    """示例."""
    remedy: str
    """审计认可的处理方式."""


# the documents, named as the seed cites them
PRACTICE = "实践：无政策条文，为读取数据所需（bangfu 自定）"
MOF = "财预〔2020〕10号《项目支出绩效评价管理办法》"
REVIEW = "琼工办发〔2023〕33号《关于开展2022年度帮扶资金绩效考评和检查工作的通知》附件3 评分表"
CENTRAL = "总工发〔2020〕13号《中央财政专项帮扶资金使用管理办法》"
HAINAN_FUNDS = "琼工办发〔2022〕98号《海南省工会困难职工专项帮扶资金使用管理办法》"
HAINAN_ARCHIVE = "琼工办发〔2022〕98号《海南省工会困难职工家庭认定及档案管理办法》"
GB11643 = "GB 11643-1999《公民身份号码》"

_FILE = "更正文件后重新运行 bangfu check"
_REPORT = "更正报告中的数字并重新报送；报告是对外申报，不以明细账迁就报告"
_TARGETS = "目标表在预算编制时已确定，本年不改；在自评报告中说明，下一年编制目标时改正"
_SCORES = "评价人员复核评分表，更正后重新签字确认"

EXPLANATIONS: dict[str, Explanation] = {
    "BF001": Explanation(
        "文件读不出来，其中的数字全部丢失。",
        PRACTICE,
        "funds.yaml 是目录、无读取权限，或是指向年度目录之外的链接。",
        "改为年度目录内可读的普通文件。",
    ),
    "BF002": Explanation(
        "从 Excel 或旧编辑器保存的文件常为 GBK 编码，按 UTF-8 读取会变成乱码，数字悄悄丢失。",
        PRACTICE,
        "households.yaml 以 GBK/GB18030 保存。",
        "转换编码：iconv -f GB18030 -t UTF-8 旧.yaml > 新.yaml，或另存为 UTF-8。",
    ),
    "BF003": Explanation(
        "文件无法解析，其中内容都无法检查。",
        PRACTICE,
        "用制表符缩进，引号或括号未闭合。",
        "按所示行修正语法，用空格缩进。",
    ),
    "BF004": Explanation(
        "同一键写两次时 YAML 只保留后一个，一个数字就此丢失。",
        PRACTICE,
        "同一来源中 spent: 1295600 写了两次。",
        "保留其中一个。",
    ),
    "BF005": Explanation(
        "别名会不可见地复制数值，还可能膨胀成巨大的文档。",
        PRACTICE,
        "记录中写了 *base 或 <<: *defaults。",
        "把数值完整写出。",
    ),
    "BF006": Explanation(
        "缺少该文件，评价的一部分无法检查或计算。",
        PRACTICE,
        "年度目录中没有 funds.yaml。",
        "补上该文件；docs/data-format.md 列出年度目录的文件。",
    ),
    "BF007": Explanation(
        "bangfu 不读取的 YAML 文件中的数字无人核对。",
        PRACTICE,
        "fund.yaml（应为 funds.yaml）。",
        "改为已知文件名，或移出年度目录。",
    ),
    "BF008": Explanation(
        "超过大小上限的文件被拒绝读取，以免耗尽内存。",
        PRACTICE,
        "默认上限 200 MB 时一个 300 MB 的 households.yaml。",
        "拆分数据，或用 --max-file-mb 提高上限。",
    ),
    "BF009": Explanation(
        "只会读取第一个文档，其余内容丢失。", PRACTICE, "文件中间有一行 '---'。", "每个文件只保留一个文档。"
    ),
    "BF010": Explanation("映射的键必须是普通字段名。", PRACTICE, "? [a, b] : 1", "改用普通字段名。"),
    "BF011": Explanation(
        "不再匹配任何问题的确认项什么也没有确认，却可能在错误的位置掩盖将来的问题。",
        PRACTICE,
        "确认了 BF607，但该问题已不存在。",
        "删除该确认项，或更正其代码、文件。",
    ),
    "BF012": Explanation(
        "年度数据不需要超过 64 层嵌套；过深的文件在耗尽内存前即被拒绝。",
        PRACTICE,
        "上千层嵌套的列表。",
        "减少嵌套层数。",
    ),
    "BF013": Explanation(
        "空文件被读作“没有内容”，往往是保存失败或复制出错。",
        PRACTICE,
        "households.yaml 大小为 0。",
        "恢复文件内容；本年确无此项数据时删除该文件。",
    ),
    "BF014": Explanation(
        "同一清单存两份会逐渐不一致；bangfu 读取 YAML 中的清单，忽略 CSV 文件。",
        PRACTICE,
        "households.yaml 中有 households，同时存在 households.csv。",
        "只保留其中一份。",
    ),
    "BF101": Explanation(
        "拼错的字段名等于一个永远不被读取的数字。",
        PRACTICE,
        "sepnt: 1295600",
        "按提示的正确字段名更正，或查阅 docs/data-format.md。",
    ),
    "BF102": Explanation(
        "检查或计算本年度需要这个数字。", PRACTICE, "资金来源缺少 arrived。", "补上该字段。"
    ),
    "BF103": Explanation(
        "值的类型或形式不符合字段的要求。",
        PRACTICE,
        "synthetic: 也许",
        "按 docs/data-format.md 给出的形式填写。",
    ),
    "BF104": Explanation(
        "不存在或格式错误的日期无法与期限比较。", PRACTICE, "date: 2022-02-30", "按 YYYY-MM-DD 填写真实日期。"
    ),
    "BF105": Explanation(
        "金额是精确的十进制数，非数字的文本会丢失该数字。",
        PRACTICE,
        "arrived: 一百万",
        "用阿拉伯数字填写，可带“元”或“万元”。",
    ),
    "BF106": Explanation(
        "两条记录共用一个编号，所有引用都变得含糊。",
        PRACTICE,
        "两户的编号都是 HK-001。",
        "为每条记录编独立的编号。",
    ),
    "BF107": Explanation(
        "类别、类型、状态、发放方式和资金来源类型取自政策参数；未定义的值不会被计入任何统计。",
        "policy.yaml（source_kinds、categories、statuses、exit_reasons、disbursement_types、payment_methods）",
        "type: livng",
        "改用政策参数列出的值。",
    ),
    "BF201": Explanation(
        "报告中的数字与其下的明细不符，如同账簿余额断言失败；报告应使用计算数。",
        f"{MOF}（评价结论应以真实数据为依据）",
        "报告写“计划使用帮扶资金200万元”，附件5为242万元。",
        _REPORT,
    ),
    "BF202": Explanation(
        "占位符指向不存在的数字，报告无法填写。",
        PRACTICE,
        "{{ funds.arived }}",
        "使用 bangfu score --format json 列出的数字名称。",
    ),
    "BF203": Explanation(
        "没有明细账时数字无法计算，但报告自身的数字仍须相互一致：合计等于各项之和。",
        f"{MOF}（评价结论应以真实数据为依据）",
        "附件5 的到位资金合计与各来源之和不等。",
        _REPORT,
    ),
    "BF301": Explanation(
        "指标的分值必须等于其下级分值之和。",
        f"{REVIEW}；{MOF}（指标体系）",
        "一级指标 25 分，下级合计 24 分。",
        _SCORES,
    ),
    "BF302": Explanation(
        "得分不能为负，也不能超过指标分值。", f"{REVIEW}", "分值 2 分的指标得 3 分。", _SCORES
    ),
    "BF303": Explanation("末级指标没有得分，总分不完整。", f"{REVIEW}", "“档案动态管理”未填得分。", _SCORES),
    "BF304": Explanation(
        "分组或总分与其末级得分之和不等，即总分算错。",
        f"{REVIEW}",
        "附件3 总分写 99，末级得分合计 98。",
        _SCORES,
    ),
    "BF305": Explanation(
        "同一次评价的两张指标表是两处申报，应得出同一总分；不一致时须说明以哪一处为准。",
        f"{REVIEW}（附件3 评分表与附件5 评分汇总）",
        "附件5 合计 99，附件3 合计 98。",
        "核对两张表，更正错误的一处，并书面说明以哪一处为准。",
    ),
    "BF306": Explanation(
        "申报得分高于按评分方法从数据计算的得分（目标未完成、比率偏低），或该指标所指的问题确实存在。",
        f"{MOF}（评分方法）；{REVIEW}",
        "到位率 95%，“资金到位率”仍得满分。",
        "按计算得分更正，或补充数据依据并书面说明。",
    ),
    "BF307": Explanation("末级指标没有分值就无法评分。", f"{REVIEW}", "末级指标缺少 weight。", _SCORES),
    "BF308": Explanation(
        "定性指标分档评分：达成得分值的 80–100%，部分达成 60–80%，未达成 0–60%；得分不在所选档次区间内。",
        f"{MOF}（定性指标分档，按通行做法）；policy.yaml qualitative_tiers",
        "选“部分达成”却得满分。",
        _SCORES,
    ),
    "BF309": Explanation(
        "满分需要依据；数据中没有该指标的依据（无调查结果、无该类发放），得分只凭评价人员一句话。",
        f"{MOF}（评价应有佐证材料）",
        "“服务对象满意度”满分，但没有满意度调查结果。",
        "补充佐证材料（measure.actual 或 evidence 写明出处）；无佐证的，评价人员书面说明评分依据。",
    ),
    "BF310": Explanation(
        "指标的评分方法缺少所需的数字或目标，该指标的申报得分未经核对。",
        PRACTICE,
        "method: ratio 但没有 figure。",
        "指明计算数和目标值。",
    ),
    "BF401": Explanation(
        "等级须按指标方向依次为 优 > 良 > 中 > 差。目标表在预算编制时已确定，本年不能修改，故为警告；同一指标的等级问题合为一条并列出各处位置。",
        f"{MOF}（绩效目标应清晰、可衡量）",
        "中“600人以下”排在差“500人以下”之前。",
        _TARGETS,
    ),
    "BF402": Explanation(
        "一段数值同时落在两个等级，有两个等次。目标表在预算编制时已确定，故为警告。",
        f"{MOF}（绩效目标应清晰、可衡量）",
        "中“600人以下”与差“500人以下”都包含 500 及以下。",
        _TARGETS,
    ),
    "BF403": Explanation(
        "落在空档中的数值没有等级。",
        f"{MOF}（绩效目标应清晰、可衡量）",
        "中“3人以上”与差“1人以下”之间的 2 没有等级。",
        _TARGETS,
    ),
    "BF404": Explanation(
        "没有实际值，无法判断目标是否完成。",
        f"{MOF}（自评表“实际完成值”）",
        "职工满意度没有调查结果。",
        "填写实际值（调查结果等）或其计算依据；确无的，在报告中说明。",
    ),
    "BF405": Explanation(
        "实际值未达到申报的目标。",
        f"{MOF}（自评表“偏差原因分析及改进措施”）",
        "生活救助目标 815 人次，实际 790 人次。",
        "在自评表和报告中写明偏差原因及改进措施。",
    ),
    "BF406": Explanation(
        "“以上”和“以下”都包含本数，两个等级共用一个边界值；bangfu 取先列出的等级，只有这一个值有歧义，故为提示。",
        f"{MOF}（绩效目标应清晰、可衡量）；“以上”“以下”含本数为通行用法",
        "中“85%以上”与差“85%以下”都包含 85%。",
        "本年无需处理；下一年编制目标时较低等级写“不足85%”。",
    ),
    "BF501": Explanation(
        "先建档、后帮扶：中央和省财政资金只能发给在档困难职工；发给档案外的人，资金去向无据可查。",
        f"{HAINAN_ARCHIVE}（先建档、后帮扶）；{CENTRAL}（资金使用对象）；policy.yaml archive_required_kinds",
        "中央财政资金发给 HK-999，档案中无此户。",
        "追回资金；确属在档户的，提供建档材料并更正编号，书面说明。",
    ),
    "BF502": Explanation(
        "只有在档期间或脱困后的渐退期内才能发放；建档前或渐退期满后发放，属于向不符合条件的对象发放。",
        f"{HAINAN_ARCHIVE}（先建档、后帮扶；脱困给予渐退期）；{REVIEW}「是否落实“困难职工脱困给予一定渐退期”要求」",
        "2022-03-01 发放，2022-05-10 才建档。",
        "书面说明并提供当时的认定审批材料；不符合条件的追回。不得改写发放或建档日期。",
    ),
    "BF503": Explanation(
        "funds.yaml 未列出的来源支出的钱无从核算。",
        PRACTICE,
        "source: county",
        "在 funds.yaml 中补上该来源，或更正编号。",
    ),
    "BF504": Explanation(
        "发放批次记载其公示日期；找不到批次就无法核对公示。",
        PRACTICE,
        "batch: 2022-13",
        "补上该批次，或更正编号。",
    ),
    "BF505": Explanation(
        "因户主死亡退档的没有渐退期；死亡之后的发放是把钱发给了无权领取的人，是严重的审计问题。",
        f"{HAINAN_ARCHIVE}（退档；只有脱困退档给予渐退期）；policy.yaml graduation_reasons",
        "2022-05-10 因死亡退档，2022-06-15 仍发放生活救助。",
        "追回资金，并书面说明发放经过及责任。",
    ),
    "BF506": Explanation(
        "只有脱困退档才有渐退期；因不符合条件、虚报冒领等退档的，自退档之日起停止发放。",
        f"{HAINAN_ARCHIVE}（退档；只有脱困退档给予渐退期）；policy.yaml graduation_reasons",
        "2022-05-10 因不符合条件退档，2022-07-01 仍发放。",
        "追回资金；确有理由仍应享受的，书面说明并附审批材料。",
    ),
    "BF507": Explanation(
        "只有中央和省财政资金要求在档；工会经费和市县财政资金（尤其送温暖）可以发给非在档职工。列出发放内容，供审核人员确认对象属于该项资金的范围。",
        f"{HAINAN_FUNDS}（资金使用对象）；policy.yaml archive_required_kinds",
        "工会经费送温暖 800 元发给 W-017，档案中无此人。",
        "对象属于该资金范围的无需处理，保存审批材料备查。",
    ),
    "BF508": Explanation(
        "帮扶对象是职工；户主已过法定退休年龄（按身份证号的出生日期和性别推算），可能已不是职工。这是核查提示，不是结论。",
        f"{HAINAN_ARCHIVE}（困难职工认定条件）；退休年龄：国发〔1978〕104号（男 60 岁、女工人 50 岁），2025 年起按渐进式延迟退休调整；policy.yaml retirement_ages",
        "1960 年 5 月出生的男性户主，2022 年 6 月领取生活救助。",
        "核实户主是否仍在职或属于退休困难职工帮扶范围，留存核实材料。",
    ),
    "BF509": Explanation(
        "机关、工会工作人员（公职人员）及其亲属领取帮扶资金，是审计关注的问题。这是核查提示。",
        f"{HAINAN_ARCHIVE}（认定条件）；关键词为 bangfu 的选择（policy.yaml office_unit_words）",
        "工作单位：某区人民政府办公室。",
        "核实户主及家庭成员是否为公职人员，留存核实结果。",
    ),
    "BF601": Explanation(
        "每项资金只能用于当年政策允许的用途，超出即超范围使用。",
        f"{CENTRAL}（资金使用范围）；{HAINAN_FUNDS}；policy.yaml allowed_uses",
        "2022 年用中央财政资金发放送温暖。",
        "调整账务，改由允许该用途的资金列支并书面说明；无法调整的，归还原资金渠道。",
    ),
    "BF602": Explanation(
        "超过政策标准的发放属于超标准开支。",
        f"{HAINAN_FUNDS}（救助标准）；policy.yaml caps",
        "深度困难户全年生活救助 12000 元，标准为 9000 元。",
        "追回超标准部分；经批准的特殊情况，书面说明并附审批材料。",
    ),
    "BF603": Explanation(
        "中央和省财政帮扶资金年末不应有结余。",
        f"{REVIEW}「2022年央财、省财帮扶资金无结余、无跨年度使用的情况说明」；policy.yaml zero_balance_kinds",
        "中央财政资金年末结余 5 万元。",
        "书面说明结余原因；按规定办理结转审批或上缴。",
    ),
    "BF604": Explanation(
        "工会帮扶资金结余须报上级工会并有结转报告方可结转下年。",
        f"{REVIEW}「上报省总帮扶资金结余、结转申请」；policy.yaml carry_over_report_kinds",
        "省总工会资金结余 764963 元，无结转报告。",
        "补报结转申请（报省总工会），在 carry_over_report 中记录文号。",
    ),
    "BF605": Explanation(
        "中央财政资金须带动不少于 1:1 的其他资金投入。",
        f"{REVIEW}「央财资金带动本省各级工会经费、地方财政等资金投入是否达到1：1」；policy.yaml matching",
        "中央 129.56 万元，其他资金 100 万元。",
        "书面说明配套不足的原因及补足计划。",
    ),
    "BF606": Explanation(
        "规定未说明按到位资金还是支出资金计算配套比例；两种口径都列出，供财务复核。",
        f"{REVIEW}（配套 1:1）；口径为 bangfu 的选择（policy.yaml matching.basis）",
        "到位口径 1.25:1，支出口径 0.66:1。",
        "无需处理；与财务部门共同复核。",
    ),
    "BF607": Explanation(
        "资金大部分未使用，没有送到应受助的人手中。80% 的提示线是 bangfu 的默认选择，各地可在 policy.yaml 调整。",
        "bangfu 自定（policy.yaml min_utilisation，默认 80%）",
        "省总工会资金使用率 25.74%。",
        "在报告中书面说明结转原因及下年使用计划。",
    ),
    "BF608": Explanation(
        "一项资金的支出不能超过其可用资金。",
        "会计核算基本要求（实践）",
        "到位 10 万元，支出 12 万元。",
        "查明差错（串用其他资金或记账错误），调整账务并书面说明。",
    ),
    "BF701": Explanation(
        "现金发放只在特殊情况下允许，且须领款人在实名制名单上签名。",
        f"{REVIEW}「特殊情况下发放现金职工是否在实名制表上签名」；{HAINAN_FUNDS}（实名制发放）",
        "现金发放 800 元，无签名。",
        "由领款人补签确认并由经办人书面说明；无法确认领取的，视为发放依据不足，追究并追回。",
    ),
    "BF702": Explanation(
        "受助对象和金额须在发放前公示。",
        f"{REVIEW}「帮扶资金发放前是否公示」",
        "公示期截至 1 月 9 日，1 月 5 日已发放。",
        "书面说明原因并补公示；不得改写公示或发放日期。",
    ),
    "BF703": Explanation(
        "早于评价年度的发放属于以前年度的账目。",
        f"{MOF}（项目实施期）",
        "2021-12-30 的发放记在 2022 年。",
        "调整到所属年度的账目。",
    ),
    "BF704": Explanation(
        "当年资金应在期限前（默认 12 月 31 日）发放完毕。",
        f"{REVIEW}「2022年12月31日前完成100%发放」；policy.yaml payment_deadline",
        "2023-01-15 发放 2022 年资金。",
        "书面说明延迟原因。",
    ),
    "BF705": Explanation(
        "同一户在同一批次同一类型领取两次，属于重复发放。",
        f"{HAINAN_FUNDS}（不得重复享受）",
        "HK-001 在 2022-03 批次领取两笔生活救助。",
        "追回重复发放部分；确属两项不同救助的，书面说明并附审批材料。",
    ),
    "BF706": Explanation(
        "一些地方规定最短公示期（按工作日计）。",
        "地方规定（policy.yaml publicity_min_days，默认 5 个工作日，bangfu 的默认选择）",
        "公示 3 个工作日，规定至少 5 个。",
        "书面说明；以后按规定公示。",
    ),
    "BF708": Explanation(
        "同一户同一月同一类救助由两个以上来源发放，是最常见的重复享受。该户该月的几笔发放合为一条。",
        f"{HAINAN_FUNDS}（不得重复享受）",
        "HK-001 在 2022 年 3 月由中央财政和工会经费各发放一笔生活救助。",
        "追回重复部分；确为不同需求的，逐笔书面说明用途。",
    ),
    "BF801": Explanation(
        "到位资金高于或低于计划，报告中应有说明。",
        f"{MOF}（预算执行情况分析）",
        "计划 242 万元，到位 291.4797 万元。",
        "在报告中说明差异原因。",
    ),
    "BF802": Explanation(
        "评价人员签字确认的评分应等于指标表的合计；签了同一个不符分数的评价人员合为一条。",
        f"{REVIEW}（附件5 评价人员评分）",
        "评价人员评 99 分，指标表合计 98 分。",
        _SCORES,
    ),
    "BF803": Explanation(
        "评价等次未填写；bangfu 按计算总分和等级区间填写。",
        f"{MOF}（90 分及以上为优，80–90 分为良，60–80 分为中，60 分以下为差）",
        "评价等次：（空）",
        "无需处理；报告显示计算的等次。",
    ),
    "BF804": Explanation(
        "等次由总分决定，填写的等次与之不同即为错误。",
        f"{MOF}（评价等次划分）",
        "总分 95 分，等次填“良”。",
        "按总分更正评价等次，评价人员重新确认。",
    ),
    "BF901": Explanation(
        "一人建档两次就会被重复帮扶。",
        f"{HAINAN_ARCHIVE}（一户一档）",
        "HK-001 与 HK-057 的身份证号相同。",
        "合并档案；已重复领取的追回。",
    ),
    "BF902": Explanation(
        "居民身份证号为 18 位，含真实的出生日期和校验码；无效号码无法比对，可能是虚构对象。",
        GB11643,
        "最后一位校验码错误的身份证号。",
        "按身份证原件核实更正；无法核实的暂停发放并书面说明。",
    ),
    "BF903": Explanation(
        "同一张卡用于两户，说明同一家庭建档两次，或钱打到了非本人的卡上。",
        f"{HAINAN_FUNDS}（实名制发放，不得重复享受）",
        "HK-001 与 HK-057 登记同一张社保卡。",
        "核实卡的户主；重复领取的追回，或书面说明。",
    ),
    "BF904": Explanation(
        "两户登记同一个联系电话，可能是同一家庭建档两次，或是中间人的号码。这是核查提示。",
        f"{HAINAN_ARCHIVE}（一户一档）",
        "HK-001 与 HK-057 登记同一个手机号。",
        "核对两户档案；合并档案或书面说明。",
    ),
}


SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def short_source(code: str) -> str:
    """The source's document number or kind, for ``bangfu rules``' column: 琼工办发〔2023〕33号,
    财预〔2020〕10号, 实践, bangfu 自定 …"""
    text = EXPLANATIONS[code].source
    for stop in ("《", "（", "：", "；", " ("):
        text = text.split(stop, 1)[0]
    return text.strip()


def page(code: str, lang: str = "zh") -> str:
    """``bangfu explain CODE``: Chinese by default, English with ``lang="en"``; both name the
    policy source."""
    from bangfu_eval.catalogue import CODES

    info, zh = CODES[code], EXPLANATIONS[code]
    if lang == "en":
        return (
            f"{info.code} {info.title} · {info.zh}  [{info.severity.value}]\n\n"
            f"Why:     {info.why}\nSource:  {zh.source}\nExample: {info.example}\nFix:     {info.fix}\n"
        )
    return (
        f"{info.code} {info.zh}  [{SEVERITY_ZH[info.severity.value]}]\n\n"
        f"为什么重要：{zh.why}\n政策依据：{zh.source}\n示例：{zh.example}\n"
        f"审计认可的处理：{zh.remedy}\n"
    )


FAMILIES_ZH = {
    "BF0": "读取（文件、编码、YAML）",
    "BF1": "格式（字段、类型、编号）",
    "BF2": "申报数（与计算数核对）",
    "BF3": "指标体系",
    "BF4": "绩效目标",
    "BF5": "帮扶对象（先建档、后帮扶）",
    "BF6": "资金使用",
    "BF7": "发放",
    "BF8": "项目与评价",
    "BF9": "身份信息",
}


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def rules_listing() -> str:
    """``bangfu rules``: per family, each code with its level, source and Chinese title."""
    from bangfu_eval.catalogue import CODES

    out: list[str] = []
    family = ""
    for code, info in CODES.items():
        if info.family != family:
            family = info.family
            out += ["", f"{family}xx  {FAMILIES_ZH[family]}"]
        source = short_source(code)
        pad = " " * max(1, 22 - _width(source))
        out.append(f"  {code}  {SEVERITY_ZH[info.severity.value]}  {source}{pad}{info.zh}")
    return "\n".join(["  代码   级别  依据                  名称", *out]) + "\n"
