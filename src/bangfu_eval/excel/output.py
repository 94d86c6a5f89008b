"""The imported records as a year's files (CSV or YAML), written all together or not at all.

A table replaces its file in either format: importing households as CSV into a year that keeps
them in households.yaml writes households.csv and removes households.yaml (only with --force,
like any replacement). Batches and payments live together in disbursements.yaml, so when only
one of them is imported the other is carried over from the year as it was.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tempfile
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from bangfu_eval import models as m
from bangfu_eval.yamlwrite import emit

BOM = "\ufeff"
HEADER = "# 由 bangfu import 从工作簿导入；请在工作簿中修改后重新导入，或直接编辑本文件。\n"


class Refused(Exception):
    """Files bangfu will not replace without --force (the message lists them)."""


def _fields(model: Any) -> list[str]:
    return list(model.__pydantic_fields__)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return ";".join(_cell(v) for v in value)
    return str(value)


def to_csv(records: list[Any], model: Any) -> bytes:
    """A CSV table as bangfu reads it: header = field names, lists joined by ';', with a BOM so
    that Excel on Chinese Windows opens it in the right encoding."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    names = _fields(model)
    w.writerow(names)
    for r in records:
        w.writerow([_cell(getattr(r, n)) for n in names])
    return (BOM + buf.getvalue()).encode("utf-8")


def _rows(records: list[Any], model: Any) -> list[dict[str, object]]:
    """Records as mappings of their filled fields (what a hand-written file would hold)."""
    names = _fields(model)
    return [{n: getattr(r, n) for n in names if getattr(r, n) not in (None, "", ())} for r in records]


def _yaml(doc: Mapping[str, object]) -> bytes:
    return (HEADER + emit(doc, flow=frozenset({"households", "batches", "disbursements"}))).encode("utf-8")


def funds_yaml(sources: list[m.Source], base: m.FundsFile | None) -> bytes:
    doc: dict[str, object] = {"rate_base": base.rate_base if base else "arrived"}
    doc["sources"] = [s.model_dump(exclude_defaults=True) for s in sources]
    lost = "# 原 funds.yaml 中的 declared（申报数）未保留，请重新填写。\n" if base and base.declared else ""
    return (HEADER + lost + emit(doc)).encode("utf-8")


def files(records: dict[str, list[Any]], year: Any, to: str) -> dict[str, bytes]:
    """File name → content for every imported table."""
    out: dict[str, bytes] = {}
    if "funds" in records:
        out["funds.yaml"] = funds_yaml(records["funds"], year.funds)
    if "households" in records:
        if to == "csv":
            out["households.csv"] = to_csv(records["households"], m.Household)
        else:
            out["households.yaml"] = _yaml({"households": _rows(records["households"], m.Household)})
    if "batches" in records or "disbursements" in records:
        batches = records.get("batches", year.batches)
        payments = records.get("disbursements", year.disbursements)
        if to == "csv":
            out["batches.csv"] = to_csv(batches, m.Batch)
            out["disbursements.csv"] = to_csv(payments, m.Disbursement)
        else:
            doc = {"batches": _rows(batches, m.Batch), "disbursements": _rows(payments, m.Disbursement)}
            out["disbursements.yaml"] = _yaml(doc)
    return out


COUNTERPARTS = {
    "households.csv": ("households.yaml",),
    "households.yaml": ("households.csv",),
    "batches.csv": ("disbursements.yaml",),
    "disbursements.csv": ("disbursements.yaml",),
    "disbursements.yaml": ("batches.csv", "disbursements.csv"),
    "funds.yaml": (),
}


def write_all(into: Path, contents: dict[str, bytes], force: bool) -> tuple[list[str], list[str]]:
    """Write every file, or none: all go to temporary files first; then each file replaced is
    moved aside and the new one renamed into place, and if any step fails (on Windows, a file
    open in Excel cannot be moved) what was done is undone. Files the new ones replace in the
    other format are removed last. Returns (written, removed)."""
    existing = [n for n in contents if (into / n).exists()]
    removed = sorted({c for n in contents for c in COUNTERPARTS[n] if (into / c).exists()} - set(contents))
    if (existing or removed) and not force:
        raise Refused(f"{into} 中已有 {'、'.join(existing + removed)}；用 --force 替换")
    if into.exists() and not into.is_dir():
        raise Refused(f"{into} 不是目录")
    try:
        into.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise Refused(f"无法创建 {into}：{exc.strerror or exc}") from exc
    temps: dict[str, str] = {}
    try:
        for name, data in contents.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=into)
            temps[name] = tmp
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        _swap_in(into, temps)
    except OSError as exc:
        raise Refused(f"无法写入 {into}：{exc.strerror or exc}（文件是否正在 Excel 中打开？）") from exc
    finally:
        for tmp in temps.values():
            Path(tmp).unlink(missing_ok=True)
    for name in removed:
        (into / name).unlink()
    return sorted(contents), removed


def _swap_in(into: Path, temps: dict[str, str]) -> None:
    """Rename the temporary files into place, keeping the old ones aside until all are in."""
    done: list[tuple[Path, Path | None]] = []
    try:
        for name, tmp in temps.items():
            target = into / name
            backup = None
            if target.exists():
                backup = into / f".{name}.{os.getpid()}.old"
                os.replace(target, backup)
            done.append((target, backup))
            os.replace(tmp, target)
    except OSError:
        for target, backup in reversed(done):
            if backup is not None:
                os.replace(backup, target)
            else:
                target.unlink(missing_ok=True)
        raise
    for _, backup in done:
        if backup is not None:
            backup.unlink(missing_ok=True)
