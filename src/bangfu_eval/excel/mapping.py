"""The mapping file of ``bangfu import --map``: a unit's own headers and names, in TOML.

[columns]                 # a header → a field, in any table that has the field
"户主身份证" = "id_number"
[columns.disbursements]   # only in one table
"实发金额" = "amount"
[names]                   # a name written in cells → a code of the year
"低保边缘户" = "relative"
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from bangfu_eval.excel.codes import Cell, ImportFinding
from bangfu_eval.excel.tables import TABLES, normalise


@dataclass
class Mapping:
    columns: dict[str, dict[str, str]] = field(default_factory=dict)  # table → header → field
    names: dict[str, str] = field(default_factory=dict)


def load(path: Path) -> tuple[Mapping, list[ImportFinding]]:
    where = Cell(path.name)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return Mapping(), [ImportFinding("XL113", where, f"映射文件无法读取：{exc}"[:200])]
    out = Mapping({t.key: {} for t in TABLES}, {})
    problems = []
    for header, target in (data.get("columns") or {}).items():
        if isinstance(target, dict):
            spec = next((t for t in TABLES if t.key == header), None)
            if spec is None:
                problems.append(ImportFinding("XL113", where, f"[columns.{header}] 不是已知的表"))
                continue
            for h, fld in target.items():
                problems += _put(out, spec.key, h, fld, where)
        else:
            for spec in TABLES:
                if any(c.field == target for c in spec.columns):
                    out.columns[spec.key][normalise(header)] = str(target)
            if not any(any(c.field == target for c in t.columns) for t in TABLES):
                problems.append(ImportFinding("XL113", where, f"“{header}”映射到未知字段 {target}"))
    out.names = {normalise(str(k)): str(v) for k, v in (data.get("names") or {}).items()}
    return out, problems


def _put(out: Mapping, table: str, header: str, fld: object, where: Cell) -> list[ImportFinding]:
    spec = next(t for t in TABLES if t.key == table)
    if not any(c.field == fld for c in spec.columns):
        return [ImportFinding("XL113", where, f"[columns.{table}] “{header}”映射到未知字段 {fld}")]
    out.columns[table][normalise(header)] = str(fld)
    return []
