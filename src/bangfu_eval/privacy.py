"""Masking of personal data (个人信息保护法). Every renderer and every finding message goes
through these; ``--show-personal-data`` is the only way around them."""

from __future__ import annotations

PERSONAL_FIELDS = frozenset({"name", "id_number", "phone", "card_number", "responsible_person"})


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
    """Mask ``value`` as the rules say for ``field``; other fields pass through."""
    if field in ("name", "responsible_person"):
        return mask_name(value)
    if field == "id_number":
        return mask_id_number(value)
    if field in ("phone", "card_number"):
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
