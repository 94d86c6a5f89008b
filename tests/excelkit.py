"""Workbooks written by the tests themselves (openpyxl), from a year's tables, in the shape
units keep them: Chinese headers, Chinese names in cells, one sheet per table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from bangfu_eval import models as m
from bangfu_eval.load import load_year

ROSTER = [
    "户编号",
    "姓名",
    "身份证号码",
    "联系电话",
    "银行卡号",
    "工作单位",
    "困难类别",
    "状态",
    "建档日期",
    "退档日期",
]
VISITS = ["户编号", "核查日期", "核查方式"]
BATCHES = ["批次", "批次名称", "公示开始日期", "公示结束日期"]
LEDGER = ["发放编号", "发放日期", "户编号", "帮扶类型", "资金来源", "发放金额", "发放方式", "签名", "批次"]


def year_tables(directory: Path) -> tuple[m.Policy, m.FundsFile, m.HouseholdsFile, m.DisbursementsFile]:
    loaded = load_year(directory)
    assert loaded.policy is not None
    return (
        loaded.policy,
        loaded.get("funds.yaml", m.FundsFile),
        loaded.get("households.yaml", m.HouseholdsFile),
        loaded.get("disbursements.yaml", m.DisbursementsFile),
    )


def workbook_of(directory: Path, out: Path) -> Path:
    """data/<year>'s roster, visits, batches and ledger as a workbook with Chinese headers."""
    policy, funds, hh, db = year_tables(directory)
    sources = {s.id: s.name for s in funds.sources}
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "花名册"
    ws.append(ROSTER)
    for h in hh.households:
        ws.append(
            [
                h.id,
                h.name,
                h.id_number,
                h.phone,
                h.card_number,
                h.work_unit,
                policy.categories[h.category],
                policy.statuses[h.status],
                h.archived_on,
                h.exited_on,
            ]
        )
    visits = wb.create_sheet("走访核查")
    visits.append(VISITS)
    for h in hh.households:
        for d in h.visits:
            visits.append([h.id, d, "入户核查"])
        for d in h.data_checks:
            visits.append([h.id, d, "数据比对"])
    batches = wb.create_sheet("公示批次")
    batches.append(BATCHES)
    for b in db.batches:
        batches.append([b.id, b.title, b.publicity_start, b.publicity_end])
    ledger = wb.create_sheet("发放台账")
    ledger.append(LEDGER)
    for d in db.disbursements:
        signed: Any = {True: "是", False: "否", None: None}[d.signed]
        ledger.append(
            [
                d.id,
                d.date,
                d.household,
                policy.disbursement_types[d.type],
                sources[d.source],
                d.amount,
                policy.payment_methods[d.method],
                signed,
                d.batch,
            ]
        )
    for sheet in wb.worksheets:  # text cells stay text (ID and card numbers)
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.number_format = "@"
    wb.save(out)
    return out
