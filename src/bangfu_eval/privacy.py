"""Masking of personal data (个人信息保护法). Every renderer and every finding message goes
through these; ``--show-personal-data`` is the only way around them.

Which fields are personal is declared once, on the model fields (``models.PERSONAL_*``); this
module reads the declarations and answers every renderer, snippet and schema error."""

from __future__ import annotations

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
