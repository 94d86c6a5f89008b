"""``bangfu synth``: write a valid synthetic year of any size, deterministic for a seed.

Households and disbursements follow the 2022 mix (about 8 payments a household: living aid in
monthly batches, schooling aid in one 金秋助学 batch, rare medical aid; sources in the 2022
proportions); funds balance (central, provincial and city money fully spent, union money 95%
spent with a carry-over report), so ``bangfu check`` finds nothing. Records are streamed to disk,
so a million payments need little memory. Everything is marked synthetic.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections import Counter, defaultdict
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import IO

from bangfu_eval.idnumber import check_digit
from bangfu_eval.synth import GIVEN, REGION, SURNAMES

HEADER = (
    "# SYNTHETIC DATA — written by `bangfu synth` (households={n}, seed={seed}).\n"
    "# Every name and number is invented; ID numbers use the unassigned region code {region}.\n"
)
LIVING_SOURCES = (("central", 352), ("provincial", 366), ("city", 40), ("union", 57))
SCHOOLING_SOURCES = (("central", 45), ("city", 30), ("union", 20))
HOUSEHOLD_FIELDS = (
    "id",
    "name",
    "id_number",
    "phone",
    "card_number",
    "work_unit",
    "category",
    "status",
    "archived_on",
    "visits",
    "data_checks",
)
TARGET_NAMES = {"living": "生活救助", "schooling": "助学救助", "medical": "医疗救助"}
"""The names the synthetic targets are shown by (the ids stay the policy's type codes)."""
DISBURSEMENT_FIELDS = ("id", "date", "household", "type", "source", "amount", "method", "batch")
BATCH_FIELDS = ("id", "title", "publicity_start", "publicity_end")


def _weighted(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([k for k, _ in table], weights=[w for _, w in table])[0]


def _batches(year: int) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for month in range(1, 13):
        paid = dt.date(year, month, 20)
        out.append(
            {
                "id": f"L{month:02d}",
                "title": f"{month}月生活救助",
                "publicity_start": paid - dt.timedelta(days=12),
                "publicity_end": paid - dt.timedelta(days=3),
                "paid_on": paid,
            }
        )
    for bid, title, paid in (
        ("M06", "上半年医疗救助", dt.date(year, 6, 24)),
        ("S08", "金秋助学", dt.date(year, 8, 26)),
    ):
        out.append(
            {
                "id": bid,
                "title": title,
                "publicity_start": paid - dt.timedelta(days=12),
                "publicity_end": paid - dt.timedelta(days=3),
                "paid_on": paid,
            }
        )
    return out


def _household(rng: random.Random, n: int, year: int) -> dict[str, object]:
    # unique by construction: (n // 1000, n % 1000) decides the birth day and the sequence
    # number, the random part only moves the birth by whole years; heads are of working age
    # (below every retirement age, BF508) up to millions of households
    years = rng.randrange(0, 40) * 24 // 40
    birth = dt.date(year - 49, 1, 1) + dt.timedelta(days=n // 1000 + 365 * years)
    first17 = f"{REGION}{birth:%Y%m%d}{n % 1000:03d}"
    category = "deep" if rng.random() < 36 / 114 else "relative"
    visits = 1 if category == "deep" else 2
    return {
        "id": f"H{n:07d}",
        "name": rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))),
        "id_number": first17 + check_digit(first17),
        "phone": f"1990{rng.randrange(0, 10**7):07d}",
        "card_number": f"9{rng.randrange(0, 10**15):015d}",
        "work_unit": f"某{rng.choice('甲乙丙丁戊')}单位",
        "category": category,
        "status": "archived",
        "archived_on": dt.date(year - 3, 1, 1) + dt.timedelta(days=rng.randrange(0, 700)),
        "visits": sorted(
            dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(0, 300)) for _ in range(visits)
        ),
        "data_checks": [dt.date(year, 3, 1) + dt.timedelta(days=rng.randrange(0, 60))],
    }


def _payments(rng: random.Random) -> Iterator[tuple[str, str, str, Decimal]]:
    """(batch, type, source, amount) for one household: 7 or 8 months of living aid, usually
    schooling aid, rarely medical aid (the 2022 mix: 815 / 95 / 8 per 114 households)."""
    months = rng.sample(range(1, 13), 8 if rng.random() < 0.15 else 7)
    for month in sorted(months):
        yield (
            f"L{month:02d}",
            "living",
            _weighted(rng, LIVING_SOURCES),
            Decimal(rng.randrange(200, 600) * 10),
        )
    if rng.random() < 95 / 114:
        yield "S08", "schooling", _weighted(rng, SCHOOLING_SOURCES), Decimal(rng.randrange(30, 80) * 100)
    if rng.random() < 8 / 114:
        yield "M06", "medical", "central", Decimal(rng.randrange(50, 200) * 100)


def yaml_value(value: object) -> str:
    """A value as a YAML flow scalar; digit strings (ID, phone, card numbers) are quoted so
    that no YAML reader turns them into numbers."""
    if isinstance(value, list):
        return "[" + ", ".join(yaml_value(v) for v in value) + "]"
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return f'"{text}"' if text.isdigit() or (text[:-1].isdigit() and text.endswith("X")) else text


def flow(record: dict[str, object]) -> str:
    """One record as a YAML flow mapping on one line, as an item of a block list."""
    return "  - {" + ", ".join(f"{k}: {yaml_value(v)}" for k, v in record.items()) + "}\n"


def _csv_value(value: object) -> str:
    if isinstance(value, list):
        return ";".join(_csv_value(v) for v in value)
    return value.isoformat() if isinstance(value, dt.date) else str(value)


class _Sink:
    """Writes records of one kind to YAML (a flow mapping per line) or CSV."""

    def __init__(self, fh: IO[str], fields: tuple[str, ...], as_csv: bool) -> None:
        self.fh, self.fields, self.as_csv = fh, fields, as_csv
        self.writer = csv.writer(fh, lineterminator="\n") if as_csv else None
        if self.writer:
            self.writer.writerow(fields)

    def write(self, record: dict[str, object]) -> None:
        if self.writer:
            self.writer.writerow([_csv_value(record.get(f, "")) for f in self.fields])
        else:
            self.fh.write(flow(record))


def synth(
    directory: Path,
    households: int,
    seed: int,
    year: int = 2022,
    as_csv: bool = False,
    first: int = 1,
    unit: str = "合成市",
) -> dict[str, int]:
    """Write a whole synthetic year into ``directory`` (created; must be empty). Households are
    numbered from ``first`` (a province gives each unit its own range, so ID numbers are unique
    across units); ``unit`` names the unit in project.yaml."""
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    header = HEADER.format(n=households, seed=seed, region=REGION)
    batches = _batches(year)
    by_id = {str(b["id"]): b for b in batches}
    spent: dict[str, Decimal] = defaultdict(Decimal)
    count: Counter[str] = Counter()
    n_pay = 0
    ext = "csv" if as_csv else "yaml"
    with (
        open(directory / f"households.{ext}", "w", encoding="utf-8", newline="") as hf,
        open(directory / f"disbursements.{ext}", "w", encoding="utf-8", newline="") as df,
    ):
        if not as_csv:
            hf.write(header + "synthetic: true\nhouseholds:\n")
            df.write(header + "synthetic: true\nbatches:\n")
            for b in batches:
                df.write(flow({k: b[k] for k in BATCH_FIELDS}))
            df.write("disbursements:\n")
        homes = _Sink(hf, HOUSEHOLD_FIELDS, as_csv)
        pays = _Sink(df, DISBURSEMENT_FIELDS, as_csv)
        for n in range(first, first + households):
            h = _household(rng, n, year)
            homes.write(h)
            for batch, kind, source, amount in _payments(rng):
                n_pay += 1
                pays.write(
                    {
                        "id": f"D{n_pay:08d}",
                        "date": by_id[batch]["paid_on"],
                        "household": h["id"],
                        "type": kind,
                        "source": source,
                        "amount": amount,
                        "method": "social_security_card",
                        "batch": batch,
                    }
                )
                spent[source] += amount
                count[kind] += 1
    if as_csv:
        with open(directory / "batches.csv", "w", encoding="utf-8", newline="") as bf:
            sink = _Sink(bf, BATCH_FIELDS, True)
            for b in batches:
                sink.write(b)
    _year_files(directory, header, year, unit, spent, count)
    return {"households": households, "disbursements": n_pay}


def _year_files(
    directory: Path, header: str, year: int, unit: str, spent: dict[str, Decimal], count: Counter[str]
) -> None:
    union_arrived = (spent["union"] * Decimal("1.05")).to_integral_value()
    names = {"central": "中央财政", "provincial": "省财政", "city": "市财政", "union": "工会经费"}
    sources = "".join(
        f"  - {{id: {s}, name: {names[s]}, kind: {s}, allocated: {a}, arrived: {a}, spent: {spent[s]}"
        + (", carry_over_report: 合成数据结转报告" if s == "union" else "")
        + "}\n"
        for s, a in (
            ("central", spent["central"]),
            ("provincial", spent["provincial"]),
            ("city", spent["city"]),
            ("union", union_arrived),
        )
    )
    files = {
        "funds.yaml": f"rate_base: arrived\nsources:\n{sources}",
        "project.yaml": (
            f"year: {year}\nproject:\n  name: {year}年度帮扶资金支出项目（合成）\n"
            f"  unit: {unit}困难职工帮扶中心\n  supervisor: {unit}总工会\n  issuer: {unit}总工会\n"
            "  responsible_person: 某某\n  project_type: recurring\n"
            f"  period_start: {year}-01-01\n  period_end: {year}-12-31\n"
            f"evaluation:\n  date: {year + 1}-03-01\n  grade: 优\n  evaluators:\n"
            f"    - {{name: 某甲, title: 主席, unit: {unit}总工会, score: 100}}\n"
        ),
        "indicators.yaml": (
            "primary: main\ntrees:\n  - id: main\n    title: 合成指标体系\n"
            "    declared: {weight: 100, score: 100}\n    nodes:\n"
            "      - {name: 资金到位率, weight: 40, measure: {figure: funds.arrival_rate, at_least: 100%}}\n"
            "      - {name: 按时发放, weight: 30,"
            " measure: {figure: payments.on_time_share, at_least: 100%}}\n"
            "      - {name: 在档全覆盖, weight: 30, measure: {figure: households.coverage, at_least: 90%}}\n"
        ),
        "targets.yaml": "targets:\n"
        + "".join(
            f"  - {{id: {k}, kind: 产出指标, name: {TARGET_NAMES[k]}, unit: 人次, target: {count[k]}, "
            f"actual_figure: person_times.{k}, bands: [{{grade: 优, op: ge, value: {count[k]}}}, "
            f"{{grade: 差, op: lt, value: {count[k]}}}]}}\n"
            for k in ("living", "schooling", "medical")
        ),
        "narrative.yaml": (
            f"title: {year}年度帮扶资金支出项目绩效评价报告（合成数据）\nsections:\n"
            "  - heading: 一、概况\n    paragraphs:\n"
            "      - 在档困难职工{{ households.archived }}户，帮扶{{ person_times.total }}人次，"
            "支出{{ funds.spent }}元。\n"
        ),
    }
    for name, text in files.items():
        (directory / name).write_text(header + text, encoding="utf-8")
