"""Writing YAML text for the files bangfu creates (``bangfu init``), without a YAML library:
block mappings and lists, rows of record lists as one-line flow mappings, every string quoted
as JSON (a JSON string is a YAML string, so nothing is guessed on reading it back), and a
``# 待填：…`` comment on each line the user has to fill."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal

Path = tuple[object, ...]
TO_FILL = "待填"


def scalar(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return (
        text
        if _PLAIN.fullmatch(text) and text.lower() not in _WORDS
        else json.dumps(text, ensure_ascii=False)
    )


_PLAIN = re.compile(r"[A-Za-z\u3000-\u9fff\uff00-\uffef（][^:#{}\[\],&*!|>'\"%@`]*(?<! )")
"""Text that reads back as itself without quotes (a letter or CJK first, no YAML indicator)."""
_WORDS = frozenset({"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"})


def _flow(value: object) -> str:
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return scalar(value) if value is not None else "null"


def _note(marks: Mapping[Path, str], path: Path) -> str:
    return f"  # {TO_FILL}：{marks[path]}" if path in marks else ""


def emit(
    value: Mapping[str, object],
    marks: Mapping[Path, str] | None = None,
    flow: frozenset[str] = frozenset(),
) -> str:
    """``value`` as block YAML; ``marks`` puts a to-fill comment on the line of a path, and
    the items of lists named in ``flow`` are written one per line as flow mappings."""
    return "\n".join(_mapping(value, marks or {}, flow, (), 0)) + "\n"


def _mapping(
    value: Mapping[str, object], marks: Mapping[Path, str], flow: frozenset[str], path: Path, indent: int
) -> list[str]:
    pad = " " * indent
    out: list[str] = []
    for key, v in value.items():
        here = (*path, key)
        if isinstance(v, Mapping) and v:
            out.append(f"{pad}{key}:{_note(marks, here)}")
            out += _mapping(v, marks, flow, here, indent + 2)
        elif isinstance(v, list | tuple) and v and (key not in flow or not isinstance(v[0], Mapping)):
            if all(not isinstance(x, Mapping | list | tuple) for x in v) and key in flow:
                out.append(f"{pad}{key}: {_flow(v)}{_note(marks, here)}")
                continue
            out.append(f"{pad}{key}:{_note(marks, here)}")
            out += _sequence(v, marks, flow, here, indent + 2)
        elif isinstance(v, list | tuple) and v:
            out.append(f"{pad}{key}:{_note(marks, here)}")
            out += [f"{pad}  - {_flow(x)}{_note(marks, (*here, i))}" for i, x in enumerate(v)]
        else:
            text = _flow(v) if isinstance(v, Mapping | list | tuple) else scalar(v)
            out.append(f"{pad}{key}:{' ' + text if text else ''}{_note(marks, here)}")
    return out


def _sequence(
    value: Sequence[object], marks: Mapping[Path, str], flow: frozenset[str], path: Path, indent: int
) -> list[str]:
    pad = " " * indent
    out: list[str] = []
    for i, item in enumerate(value):
        here = (*path, i)
        if isinstance(item, Mapping) and item:
            lines = _mapping(item, marks, flow, here, indent + 2)
            first = lines[0][indent + 2 :]
            out.append(
                f"{pad}- {first}{_note(marks, here) if not first.endswith(_note(marks, here)) else ''}"
            )
            out += lines[1:]
        else:
            out.append(f"{pad}- {_flow(item)}{_note(marks, here)}")
    return out
