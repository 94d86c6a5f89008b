"""Synthetic person-level data: households and disbursements that add up to given aggregates.

Everything here is invented (names, ID numbers with the fictitious region code 460199, phones,
card numbers) and deterministic for a seed. Used for data/2022 (whose seed document has only
aggregates) and by tests and benchmarks.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from bangfu_eval.idnumber import check_digit

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾符吉云"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华海燕琼玲雪梅文辉建国志红"
REGION = "460199"  # not an assigned county code: the numbers are fictitious by construction
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Slot:
    """How many payments of one type one source makes, and in which batches."""

    source: str
    type: str
    count: int
    batches: tuple[str, ...]


@dataclass(frozen=True)
class BatchPlan:
    id: str
    title: str
    paid_on: dt.date


def person(rng: random.Random, year: int) -> dict[str, str]:
    # heads of working age all year (22 to 49 years old: below every retirement age, BF508); the draw is
    # the one it always was, scaled into that span, so the rest of a seed's stream is unchanged
    birth = dt.date(year - 49, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 40) * 27 // 40)
    first17 = f"{REGION}{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    return {
        "name": rng.choice(SURNAMES) + given,
        "id_number": first17 + check_digit(first17),
        "phone": f"1990{rng.randrange(0, 10**7):07d}",
        "card_number": f"9{rng.randrange(0, 10**15):015d}",
    }


def households(rng: random.Random, year: int, counts: dict[str, int]) -> list[dict[str, object]]:
    """Households by category; a few in their graduation period, all archived before the year."""
    out: list[dict[str, object]] = []
    n = 0
    for category, count in counts.items():
        for _ in range(count):
            n += 1
            archived = dt.date(year - 3, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 2))
            visits = 1 if category == "deep" else 2
            rec: dict[str, object] = {"id": f"HH{n:04d}", **person(rng, year)}
            rec["work_unit"] = f"海口市某{rng.choice('甲乙丙丁戊')}单位"
            rec["category"] = category
            graduating = n % 29 == 0
            rec["status"] = "graduating" if graduating else "archived"
            rec["archived_on"] = archived
            if graduating:
                rec["exited_on"] = dt.date(year, 10, 31)
            rec["visits"] = sorted(
                dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(0, 300)) for _ in range(visits)
            )
            rec["data_checks"] = [dt.date(year, 3, 1) + dt.timedelta(days=rng.randrange(0, 60))]
            out.append(rec)
    return out


def split_amount(rng: random.Random, total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """Split ``total`` into len(weights) positive amounts, multiples of 100 but for the last,
    that add up to ``total`` exactly."""
    wsum = sum(weights)
    amounts = [max(HUNDRED, (total * w / wsum / HUNDRED).to_integral_value() * HUNDRED) for w in weights]
    diff = total - sum(amounts)
    i = 0
    while abs(diff) >= HUNDRED:
        step = HUNDRED if diff > 0 else -HUNDRED
        if amounts[i % len(amounts)] + step > 0:
            amounts[i % len(amounts)] += step
            diff -= step
        i += 1
    amounts[-1] += diff
    return amounts


TYPE_WEIGHT = {"living": Decimal(1), "medical": Decimal(3), "schooling": Decimal("1.5")}


def disbursements(
    rng: random.Random,
    homes: list[dict[str, object]],
    slots: list[Slot],
    spent: dict[str, Decimal],
    batches: dict[str, BatchPlan],
) -> list[dict[str, object]]:
    """Payments per slot, each household at most once per (type, batch), every household paid
    at least once; per source the amounts add up to ``spent`` exactly."""
    ids = [str(h["id"]) for h in homes]
    used: set[tuple[str, str, str]] = set()
    unpaid = list(ids)
    rng.shuffle(unpaid)
    rows: list[dict[str, object]] = []
    for slot in slots:
        for k in range(slot.count):
            batch = slot.batches[k % len(slot.batches)]
            hh = _pick(rng, ids, unpaid, used, slot.type, batch)
            used.add((hh, slot.type, batch))
            rows.append({"source": slot.source, "type": slot.type, "batch": batch, "household": hh})
    for source, total in spent.items():
        mine = [r for r in rows if r["source"] == source]
        weights = [TYPE_WEIGHT.get(str(r["type"]), Decimal(1)) * Decimal(rng.randint(80, 120)) for r in mine]
        for r, amount in zip(mine, split_amount(rng, total, weights), strict=True):
            r["amount"] = amount
    rows.sort(key=lambda r: (batches[str(r["batch"])].paid_on, str(r["household"])))
    out = []
    for n, r in enumerate(rows, 1):
        out.append(
            {
                "id": f"D{n:05d}",
                "date": batches[str(r["batch"])].paid_on,
                **r,
                "method": "social_security_card",
            }
        )
    return out


def _pick(
    rng: random.Random,
    ids: list[str],
    unpaid: list[str],
    used: set[tuple[str, str, str]],
    kind: str,
    batch: str,
) -> str:
    for i, hh in enumerate(unpaid):
        if (hh, kind, batch) not in used:
            return unpaid.pop(i)
    free = [hh for hh in ids if (hh, kind, batch) not in used]
    if not free:
        raise ValueError(f"batch {batch} has no household left for {kind}")
    return rng.choice(free)
