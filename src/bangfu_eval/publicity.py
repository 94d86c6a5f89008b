"""The public notice (公示) of a payment batch: who receives how much, masked, with totals."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from bangfu_eval import models as m
from bangfu_eval.money import fmt_date, fmt_yuan
from bangfu_eval.privacy import Masker
from bangfu_eval.report import Table


def batch_ids(year: m.Year) -> list[str]:
    return [b.id for b in year.disbursements.batches] if year.disbursements else []


def context(year: m.Year, batches: list[str], mask: Masker) -> dict[str, Any]:
    """One table per batch: masked name, category, work unit, type, amount, date; totals."""
    assert year.disbursements is not None
    pol = year.policy
    homes = {h.id: h for h in year.households.households}
    by_batch: dict[str, list[m.Disbursement]] = defaultdict(list)
    for d in year.disbursements.disbursements:
        if d.batch in batches:
            by_batch[d.batch].append(d)
    out = []
    for b in year.disbursements.batches:
        if b.id not in batches:
            continue
        rows, total = [], Decimal(0)
        for n, d in enumerate(sorted(by_batch[b.id], key=lambda d: (d.date, d.id)), 1):
            h = homes.get(d.household)
            rows.append(
                [
                    str(n),
                    mask("name", h.name) if h else "（未建档）",
                    pol.categories.get(h.category, h.category) if h else "",
                    h.work_unit if h else "",
                    pol.disbursement_types.get(d.type, d.type),
                    fmt_yuan(d.amount),
                    fmt_date(d.date),
                ]
            )
            total += d.amount
        head = ["序号", "姓名", "困难类别", "工作单位", "帮扶类型", "金额（元）", "发放日期"]
        rows.append(["合计", f"{len(rows)} 人次", "", "", "", fmt_yuan(total), ""])
        out.append(
            {
                "id": b.id,
                "title": b.title,
                "start": b.publicity_start,
                "end": b.publicity_end,
                "date": min((d.date for d in by_batch[b.id]), default=None),
                "phone": b.phone or year.project.project.phone,
                "count": len(rows) - 1,
                "total": total,
                "table": Table(head, rows),
            }
        )
    return {
        "unit": year.project.project.unit,
        "issuer": year.project.project.issuer,
        "year": year.project.year,
        "batches": out,
        "masked": not mask.show,
    }
