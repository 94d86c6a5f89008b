"""Masking of personal data (个人信息保护法). Every renderer and every finding message goes
through these; ``--show-personal-data`` is the only way around them.

Which fields are personal is declared once, on the model fields (``models.PERSONAL_*``); this
module reads the declarations and answers every renderer, snippet and schema error."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from bangfu_eval import models as m


def _declared() -> tuple[dict[str, str], frozenset[str], frozenset[type]]:
    """(personal field name → how it is masked, names also used by non-personal fields,
    person records: the types whose ``name`` is personal)."""
    kinds: dict[str, str] = {}
    plain: set[str] = set()
    people: set[type] = set()
    for tp in vars(m).values():
        for name, info in m.fields_of(tp).items():
            extra = info.json_schema_extra
            kind = extra.get("personal") if isinstance(extra, dict) else None
            if isinstance(kind, str):
                kinds[name] = kind
                if name == "name":
                    people.add(tp)
            else:
                plain.add(name)
    return kinds, frozenset(plain), frozenset(people)


PERSONAL, _PLAIN, PEOPLE = _declared()
PERSONAL_FIELDS = frozenset(PERSONAL)
"""Every field name that is personal in some record."""
PERSONAL_KEYS = PERSONAL_FIELDS - _PLAIN
"""Personal field names that no other field shares: a YAML line with one of these keys holds
personal data wherever it stands."""


def personal_place(model: Any, path: tuple[object, ...]) -> tuple[bool, bool]:
    """For the value at ``path`` of a ``model`` (type): (the field itself is personal, its
    line may show personal data: a personal field, or anywhere in a person's record)."""
    current: Any = model
    person = current in PEOPLE
    for step in path:
        if isinstance(step, int):
            continue
        info = m.fields_of(current).get(str(step))
        if info is None:
            return False, person
        extra = info.json_schema_extra
        if isinstance(extra, dict) and "personal" in extra:
            return True, True
        current = m.inner_model(info.annotation)
        person = person or current in PEOPLE
    return False, person


PERSON_NAMES = {"households": "name"}
"""Record lists whose field holds an archived person's name: the loader collects these names,
valid rows or not, and every output masks them wherever they appear."""


def mask_name(name: str) -> str:
    """张三 → 张*, 张三丰 → 张*丰, 欧阳娜娜 → 欧**娜."""
    n = name.strip()
    if len(n) <= 1:
        return n
    if len(n) == 2:
        return n[0] + "*"
    return n[0] + "*" * (len(n) - 2) + n[-1]


def mask_id_number(value: str) -> str:
    """First 6 and last 4 characters: 460100********1234."""
    v = value.strip()
    if len(v) <= 10:
        return "*" * len(v)
    return v[:6] + "*" * (len(v) - 10) + v[-4:]


def mask_tail(value: str) -> str:
    """Phones and card numbers: only the last 4 digits."""
    v = value.strip()
    if len(v) <= 4:
        return "*" * len(v)
    return "*" * (len(v) - 4) + v[-4:]


def mask_field(field: str, value: str) -> str:
    """Mask ``value`` as its field's declaration says; other fields pass through."""
    kind = PERSONAL.get(field)
    if kind == "name":
        return mask_name(value)
    if kind == "id_number":
        return mask_id_number(value)
    if kind == "tail":
        return mask_tail(value)
    return value


class Masker:
    """Callable used by renderers: masks unless the user asked to see personal data."""

    def __init__(self, show: bool = False) -> None:
        self.show = show

    def __call__(self, field: str, value: str | None) -> str:
        if value is None:
            return ""
        return value if self.show else mask_field(field, value)


# --- masking by value, at the output boundary ------------------------------------------------
#
# Masking by field name misses a number in the wrong column, a household id that *is* the ID
# number, or a name in a note. So every output (findings, scorecards, reports, notices, error
# lines) passes through ``Masking`` last: any ID-number-, mobile- or card-shaped run of digits,
# and any name of an archived person, is masked wherever it stands.

_D = r"(?:\d|[\u00b2\u00b3\u00b9\u2070-\u2079\u2080-\u2089])"  # any digit, superscripts too
# a run of digits, not the decimals of a number (1.2497661315220747144: an exact rate)
_RUN = re.compile(rf"(?<!{_D})(?<!{_D}\.){_D}+(?:[ \-\u00a0]{_D}+)*(?:[Xx](?![A-Za-z]))?(?!{_D})")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")


def _digit_shape(digits: str) -> str | None:
    """'id', 'tail' or None for the run of ``digits`` (X allowed last), separators removed."""
    n = len(digits)
    body = digits[:-1] if digits[-1:] in "Xx" else digits
    if not body.isdigit():
        return None
    if n in (15, 18) and (body == digits or n == 18):
        return "id"
    if body != digits:
        return "tail" if n >= 15 else None  # a number with a final X: ID-like
    if n == 11 and digits[0] in "1１":
        return "tail"  # a mobile number
    if n == 13 and digits.startswith("861"):
        return "tail"  # a mobile number with the country code
    if n >= 16:
        return "tail"  # a bank or social-security card (16-19 digits) or longer
    return None


def _mask_run(run: str, shape: str) -> str:
    """``run`` with its digits starred, separators kept: ID → first 6 and last 4, else last 4."""
    places = [i for i, ch in enumerate(run) if ch not in " -\u00a0"]
    keep = set(places[-4:])
    if shape == "id":
        keep |= set(places[:6])
    return "".join(ch if (i in keep or i not in places) else "*" for i, ch in enumerate(run))


def mask_numbers(text: str) -> str:
    """Every ID-number-, mobile- and card-shaped run of digits in ``text``, masked."""
    return _RUN.sub(_number, text)


def _number(match: re.Match[str]) -> str:
    run = match.group(0)
    parts = re.split(r"[ \-\u00a0]", run)
    # grouped as phones and cards are written (139-1234-5678, 6222 0212 …): groups of 3+
    # (a last group may be short: 6222 0212 3456 7890 12; dates' groups of 2 are not joined)
    shape = _digit_shape("".join(parts)) if min(map(len, parts[:-1]), default=3) >= 3 else None
    if shape is not None:
        return _mask_run(run, shape)
    if len(parts) == 1:
        return run
    # grouped digits that are no number as a whole: each group on its own ("1 13912345678")
    return re.sub(r"[^ \-\u00a0]+", lambda m: mask_numbers_plain(m.group(0)), run)


def mask_numbers_plain(group: str) -> str:
    shape = _digit_shape(group)
    return group if shape is None else _mask_run(group, shape)


class Masking:
    """The one masking of output text: numbers by their shape, and the names of archived
    persons wherever they appear (in a note, a title, a wrong column). Officials, evaluators
    and contacts are not archived persons: their names are shown (they sign the report); a
    name that is both is masked. ``show`` (--show-personal-data) turns it off."""

    def __init__(self, names: Iterable[str] = (), show: bool = False) -> None:
        self.show = show
        # a name in lower-case ASCII ('id', 'code') would also hit the keys of JSON output and
        # the field names in messages: such a value is no person's name as written
        self.names = frozenset(
            n
            for n in (str(x).strip() for x in names if x)
            if len(n) >= 2 and not (n.isascii() and n == n.lower())
        )
        self.lengths = sorted({len(n) for n in self.names}, reverse=True)
        firsts = sorted({n[0] for n in self.names})
        self.first = re.compile("[" + "".join(re.escape(c) for c in firsts) + "]") if firsts else None

    def __call__(self, text: str) -> str:
        if self.show or not text:
            return text
        return self._names(mask_numbers(text))

    def _names(self, text: str) -> str:
        if self.first is None:
            return text
        out: list[str] = []
        last = 0
        for hit in self.first.finditer(text):
            i = hit.start()
            if i < last:
                continue
            for k in self.lengths:
                cand = text[i : i + k]
                if cand in self.names and self._bounded(text, i, i + k, cand):
                    out += [text[last:i], mask_name(cand)]
                    last = i + k
                    break
        if not out:
            return text
        out.append(text[last:])
        return "".join(out)

    @staticmethod
    def _bounded(text: str, start: int, end: int, name: str) -> bool:
        """A Latin name ('Li Na') only as a whole word; a Chinese name anywhere."""
        if not name.isascii():
            return True
        before = text[start - 1 : start]
        after = text[end : end + 1]
        return not (_ASCII_WORD.match(before) or _ASCII_WORD.match(after))
