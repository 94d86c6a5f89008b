"""Write the SYNTHETIC person-level ledger of data/2022 (households.yaml, disbursements.yaml).

The seed document has only aggregates. This script invents households and payments that add up
to them exactly: 114 households (36 深度困难, 78 相对困难); per source the person-times of 附件2
(405 central, 366 provincial, 147 city + union) and the amounts spent that funds.yaml records;
per type the person-times of 附件4 (815 living, 8 medical, 95 schooling). The split of the 147
between city and union money, and of each source across types, is this script's own choice.
`bangfu check data/2022` verifies the totals against the declared figures.

    python scripts/make_ledger_2022.py            # rewrites data/2022/{households,disbursements}.yaml
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

from bangfu_eval import models as m
from bangfu_eval.load import load_year
from bangfu_eval.synth import BatchPlan, Slot, disbursements, households
from bangfu_eval.synthyear import flow

SEED = 2022
YEAR_DIR = Path(__file__).resolve().parents[1] / "data" / "2022"
HEADER = """\
# SYNTHETIC DATA — invented by scripts/make_ledger_2022.py (random seed {seed}).
# No real person is described: names are random, ID numbers use the unassigned region code
# 460199 with a valid check digit, phones and card numbers are random. The seed document has
# only aggregates; these records add up to them. Do not edit by hand: rerun the script.
"""

CATEGORIES = {"deep": 36, "relative": 78}
LIVING = tuple(f"L{month:02d}" for month in range(1, 13))
SLOTS = [
    Slot("central", "living", 352, LIVING),
    Slot("central", "medical", 8, ("M06", "M11")),
    Slot("central", "schooling", 45, ("S08",)),
    Slot("provincial", "living", 366, LIVING),
    Slot("city", "living", 40, LIVING),
    Slot("city", "schooling", 30, ("S08",)),
    Slot("union", "living", 57, LIVING),
    Slot("union", "schooling", 20, ("S08",)),
]


def batch_plans(year: int) -> dict[str, BatchPlan]:
    plans = {
        f"L{mo:02d}": BatchPlan(f"L{mo:02d}", f"{mo}月生活救助", dt.date(year, mo, 20)) for mo in range(1, 13)
    }
    plans["M06"] = BatchPlan("M06", "上半年医疗救助", dt.date(year, 6, 24))
    plans["M11"] = BatchPlan("M11", "下半年医疗救助", dt.date(year, 11, 25))
    plans["S08"] = BatchPlan("S08", "金秋助学", dt.date(year, 8, 26))
    return plans


def main() -> int:
    year = load_year(YEAR_DIR)
    funds = year.get("funds.yaml", m.FundsFile)
    if funds is None:
        print("funds.yaml does not load; run bangfu check data/2022", file=sys.stderr)
        return 1
    spent = {s.id: s.spent for s in funds.sources if s.spent is not None}
    rng = random.Random(SEED)
    homes = households(rng, 2022, CATEGORIES)
    plans = batch_plans(2022)
    rows = disbursements(rng, homes, SLOTS, spent, plans)
    head = HEADER.format(seed=SEED)
    with open(YEAR_DIR / "households.yaml", "w", encoding="utf-8") as fh:
        fh.write(head + "synthetic: true\nhouseholds:\n")
        fh.writelines(flow(h) for h in homes)
    with open(YEAR_DIR / "disbursements.yaml", "w", encoding="utf-8") as fh:
        fh.write(head + "synthetic: true\nbatches:\n")
        for p in plans.values():
            start, end = p.paid_on - dt.timedelta(days=12), p.paid_on - dt.timedelta(days=3)
            fh.write(flow({"id": p.id, "title": p.title, "publicity_start": start, "publicity_end": end}))
        fh.write("disbursements:\n")
        fh.writelines(flow(r) for r in rows)
    print(f"wrote {len(homes)} households and {len(rows)} disbursements to {YEAR_DIR}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
