"""BF9: identity — valid ID numbers (GB 11643), one ID number per household."""

from __future__ import annotations

from collections.abc import Iterator

from bangfu_eval import idnumber
from bangfu_eval.findings import Finding
from bangfu_eval.privacy import mask_id_number
from bangfu_eval.rules.base import Context

H = "households.yaml"


def id_numbers(ctx: Context) -> Iterator[Finding]:
    """BF902: an invalid ID number; BF901: one ID number under two household ids. Messages
    show the masked number only."""
    given = [h.id_number for h in ctx.year.households.households if h.id_number]
    if idnumber.all_valid(given) and len(set(given)) == len(given):
        return  # every number valid and none twice: nothing to say
    seen: dict[str, str] = {}
    for i, h in enumerate(ctx.year.households.households):
        if not h.id_number:
            continue
        path = ("households", i, "id_number")
        problem = idnumber.problem(h.id_number)
        if problem:
            masked = mask_id_number(h.id_number)
            yield ctx.find("BF902", H, path, f"{h.id} 的身份证号 {masked} 无效：{problem}")
        key = h.id_number.strip().upper()
        if key in seen and seen[key] != h.id:
            masked = mask_id_number(h.id_number)
            yield ctx.find("BF901", H, path, f"{h.id} 与 {seen[key]} 的身份证号相同（{masked}）")
        seen.setdefault(key, h.id)
