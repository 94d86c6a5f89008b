"""BF9: identity — valid ID numbers (GB 11643), one ID number per household."""

from __future__ import annotations

from collections.abc import Iterator

from bangfu_eval import idnumber
from bangfu_eval.aggregates import HOUSEHOLDS
from bangfu_eval.findings import ERROR, Code, Finding
from bangfu_eval.privacy import mask_id_number
from bangfu_eval.rules.base import Context

BF901 = Code(
    "BF901",
    ERROR,
    "one ID number under two households",
    "身份证号重复",
    message="{household} 与 {other} 的身份证号相同（{masked}）",
    why="One person archived twice is paid twice.",
    example="The same ID number for HK-001 and HK-057.",
    fix="Merge the records.",
    policy="national: 重复享受 (one person archived twice)",
    needs=(HOUSEHOLDS,),
    source="琼工办发〔2022〕98号《海南省工会困难职工家庭认定及档案管理办法》（一户一档）",
    zh_why="一人建档两次就会被重复帮扶。",
    zh_example="HK-001 与 HK-057 的身份证号相同。",
    remedy="合并档案；已重复领取的追回。",
)


BF902 = Code(
    "BF902",
    ERROR,
    "invalid ID number",
    "身份证号无效",
    message="{household} 的身份证号 {masked} 无效：{problem}",
    why="A resident ID number has 18 characters, a real birth date and a GB 11643 check digit.",
    example="An ID number whose last digit is wrong.",
    fix="Correct the number from the ID card.",
    policy="GB 11643-1999 (citizen identification number)",
    needs=(HOUSEHOLDS,),
    source="GB 11643-1999《公民身份号码》",
    zh_why="居民身份证号为 18 位，含真实的出生日期和校验码；无效号码无法比对，可能是虚构对象。",
    zh_example="最后一位校验码错误的身份证号。",
    remedy="按身份证原件核实更正；无法核实的暂停发放并书面说明。",
)


def id_numbers(ctx: Context) -> Iterator[Finding]:
    """BF902: an invalid ID number; BF901: one ID number under two household ids. Messages
    show the masked number only."""
    given = [h.id_number for h in ctx.year.households.households if h.id_number]
    if idnumber.all_valid(given) and len(set(given)) == len(given):
        return  # every number valid and none twice: nothing to say
    seen: dict[str, str] = {}
    for h in ctx.year.households.households:
        if not h.id_number:
            continue
        masked = mask_id_number(h.id_number)
        problem = idnumber.problem(h.id_number)
        if problem:
            yield BF902(ctx.at(h, "id_number"), household=h.id, masked=masked, problem=problem)
        key = h.id_number.strip().upper()
        if key in seen and seen[key] != h.id:
            yield BF901(ctx.at(h, "id_number"), household=h.id, other=seen[key], masked=masked)
        seen.setdefault(key, h.id)


RULES = (id_numbers,)
