"""``bangfu import``: a workbook's tables into a year directory, all files or none.

read the workbook → recognise each sheet's table → type its cells (read_tables)
→ match names to the year's codes, link payments and visits to households (here)
→ validate each record with the year's models → write (output) or refuse
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from bangfu_eval import models as m
from bangfu_eval.editor_schema import ZH
from bangfu_eval.excel import mapping, output
from bangfu_eval.excel.cells import Refused
from bangfu_eval.excel.codes import Cell, ImportFinding
from bangfu_eval.excel.names import Names
from bangfu_eval.excel.read_tables import Row, Table, read_sheet
from bangfu_eval.excel.workbook import read
from bangfu_eval.findings import Severity
from bangfu_eval.load import load_year

Person = tuple[str, str, str]  # household id, ID number, name

NAME_FIELDS = ("category", "status", "type", "source", "method", "batch")


@dataclass
class ImportResult:
    """What an import found, read and wrote (nothing is written when ``failed``)."""

    findings: list[ImportFinding] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    refused: str = ""  # why nothing was written although the workbook read cleanly

    @property
    def failed(self) -> bool:
        return bool(self.refused) or any(f.severity is Severity.ERROR for f in self.findings)


@dataclass
class Year:
    """What the target year already declares (its policy, sources, households, batches)."""

    policy: m.Policy
    funds: m.FundsFile | None
    households: list[m.Household]
    batches: list[m.Batch]
    disbursements: list[m.Disbursement]


def existing_year(directory: Path) -> Year:
    if directory.is_dir():
        loaded = load_year(directory)
    else:
        with tempfile.TemporaryDirectory() as empty:
            loaded = load_year(Path(empty))
    assert loaded.policy is not None, "the package's policy defaults always load"
    hh = loaded.get("households.yaml", m.HouseholdsFile)
    db = loaded.get("disbursements.yaml", m.DisbursementsFile)
    return Year(
        loaded.policy,
        loaded.get("funds.yaml", m.FundsFile),
        list(hh.households) if hh else [],
        list(db.batches) if db else [],
        list(db.disbursements) if db else [],
    )


def import_workbook(
    workbook: Path, into: Path, to: str = "csv", map_file: Path | None = None, force: bool = False
) -> ImportResult:
    result = ImportResult()
    extra, problems = mapping.load(map_file) if map_file else (mapping.Mapping(), [])
    result.findings += problems
    sheets, problems = read(workbook)
    result.findings += problems
    for sheet in sheets:
        table = read_sheet(sheet, extra.columns, result.findings)
        if table is not None:
            result.tables.append(table)
    if not result.tables and not result.failed:
        result.findings.append(
            ImportFinding(
                "XL004", Cell(workbook.name), "工作簿中没有可识别的表", "见 docs/import.md 的表头别名表"
            )
        )
    year = existing_year(into)
    records = build(result.tables, year, extra.names, result.findings)
    result.counts = {k: len(v) for k, v in records.items()}
    if result.failed:
        return result
    files = output.files(records, year, to)
    try:
        result.written, result.removed = output.write_all(into, files, force)
    except output.Refused as exc:
        result.refused = str(exc)
    return result


def build(
    tables: list[Table], year: Year, extra_names: dict[str, str], out: list[ImportFinding]
) -> dict[str, list[Any]]:
    """The records of every imported table, typed and linked."""
    by_kind: dict[str, list[Row]] = {}
    for t in tables:
        by_kind.setdefault(t.spec.key, []).extend(t.rows)
    records: dict[str, list[Any]] = {}
    sources = list(year.funds.sources) if year.funds else None
    names = Names.of_year(year.policy, sources, year.batches, extra_names)
    if "funds" in by_kind:
        records["funds"] = _funds(by_kind["funds"], year, names, out)
    failed: list[Person] = []  # roster rows that did not import: not "unknown" below
    if "households" in by_kind:
        rows = by_kind["households"]
        records["households"] = _records(rows, m.Household, names, out, _household_defaults())
        kept = {h.id for h in records["households"]}
        for n, row in enumerate(rows, 1):
            hid = str(row.values.get("id", f"HH{n:04d}"))
            if hid not in kept:
                failed.append((hid, str(row.values.get("id_number", "")), str(row.values.get("name", ""))))
    elif "visits" in by_kind:
        records["households"] = list(year.households)
    if "visits" in by_kind and "households" in records:
        records["households"] = _add_visits(records["households"], by_kind["visits"], failed, out)
    if "batches" in by_kind:
        records["batches"] = _records(by_kind["batches"], m.Batch, names, out, {})
        names = names.with_batches(records["batches"])
    if "disbursements" in by_kind:
        people = Persons(records.get("households", year.households), failed)
        rows = [people.link(r, out) for r in by_kind["disbursements"]]
        records["disbursements"] = _records(rows, m.Disbursement, names, out, _ids("D", 5))
    return records


def _household_defaults() -> dict[str, Any]:
    return {"status": "archived", **_ids("HH", 4)}


def _ids(prefix: str, width: int) -> dict[str, Any]:
    return {"id": lambda n: f"{prefix}{n:0{width}d}"}


def _records(
    rows: list[Row], model: Any, names: Names, out: list[ImportFinding], defaults: dict[str, Any]
) -> list[Any]:
    adapter = TypeAdapter(model)
    known = set(getattr(model, "__pydantic_fields__", {}) or model.model_fields)
    records = []
    seen: set[str] = set()
    for n, row in enumerate(rows, 1):
        values = {k: v for k, v in row.values.items() if k in known}
        for key, default in defaults.items():
            if key not in values:
                values[key] = default(n) if callable(default) else default
        if not _name_codes(values, row, names, out) or row.failed:
            continue
        try:
            record = adapter.validate_python(values)
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                fld = str(err["loc"][0]) if err["loc"] else ""
                where = row.at(fld)
                out.append(ImportFinding("XL109", where, f"{ZH.get(fld, fld)}：{_why(err)}"))
            continue
        if record.id in seen:
            out.append(ImportFinding("XL112", row.at("id"), f"编号“{record.id}”重复"))
        seen.add(record.id)
        records.append(record)
    return records


_WHY = {
    "missing": "缺少必填值",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应不小于 {ge}",
    "less_than_equal": "应不大于 {le}",
    "string_too_short": "不能为空",
}


def _why(err: Any) -> str:
    """A pydantic error in Chinese (the import's messages are read by the unit's staff)."""
    text = _WHY.get(err["type"])
    return text.format(**err.get("ctx", {})) if text else f"值无效（{err['type']}）"


def _name_codes(values: dict[str, Any], row: Row, names: Names, out: list[ImportFinding]) -> bool:
    ok = True
    for fld in NAME_FIELDS:
        if isinstance(values.get(fld), str) and fld in row.cols:
            try:
                values[fld] = names.code(fld, values[fld])
            except Refused as exc:
                out.append(ImportFinding(exc.code, row.at(fld), exc.message))
                ok = False
    return ok


class Persons:
    """Households found by id, ID number or (when unique) name."""

    def __init__(self, households: list[m.Household], failed: list[Person] | None = None) -> None:
        people = [(h.id, h.id_number, h.name) for h in households] + (failed or [])
        self.ids = {hid for hid, _, _ in people}
        self.failed = {hid for hid, _, _ in failed or []}
        self.by_number = {number.upper(): hid for hid, number, _ in people if number}
        self.by_name: dict[str, str | None] = {}
        for hid, _, name in people:
            self.by_name[name] = None if name in self.by_name else hid

    def find(self, row: Row) -> tuple[str | None, str]:
        v = row.values
        if "household" in v:
            return (v["household"] if v["household"] in self.ids else None), "household"
        if "id_number" in v:
            return self.by_number.get(str(v["id_number"]).upper()), "id_number"
        if "name" in v:
            return self.by_name.get(v["name"]), "name"
        return None, ""

    def link(self, row: Row, out: list[ImportFinding]) -> Row:
        if row.failed:
            return row
        found, key = self.find(row)
        if found in self.failed:  # its household's row is already reported
            return replace(row, failed=True)
        if found is None and key:
            what = {"household": "户编号", "id_number": "身份证号", "name": "姓名"}[key]
            why = "同名多户，请加身份证号列" if key == "name" and row.values["name"] in self.by_name else ""
            out.append(
                ImportFinding(
                    "XL111", row.at(key), f"{what}在花名册中找不到对应的户{('：' + why) if why else ''}"
                )
            )
            return replace(row, failed=True)
        number = str(row.values.get("id_number", "")).upper()
        other = self.by_number.get(number) if key == "household" and number else None
        if other is not None and other != found:  # a payment written against the wrong household
            out.append(
                ImportFinding("XL111", row.at("id_number"), f"身份证号属于户 {other}，与户编号 {found} 不符")
            )
            return replace(row, failed=True)
        return replace(row, values=dict(row.values, household=found))


def _add_visits(
    households: list[m.Household], rows: list[Row], failed: list[Person], out: list[ImportFinding]
) -> list[m.Household]:
    people = Persons(households, failed)
    visits: dict[str, list[Any]] = {}
    checks: dict[str, list[Any]] = {}
    for row in rows:
        found, key = people.find(row) if not row.failed else (None, "")
        if found in people.failed:
            continue
        if found is None:
            if key:
                out.append(ImportFinding("XL111", row.at(key), "走访核查记录在花名册中找不到对应的户"))
            continue
        way = str(row.values.get("way", ""))
        if "比对" in way:
            checks.setdefault(found, []).append(row.values["date"])
        elif any(w in way for w in ("入户", "走访", "核查", "家访")):
            visits.setdefault(found, []).append(row.values["date"])
        else:
            out.append(
                ImportFinding("XL109", row.at("way"), f"核查方式“{way[:20]}”应为 入户核查 或 数据比对")
            )
    out_list = []
    for h in households:
        extra_v, extra_c = visits.get(h.id, []), checks.get(h.id, [])
        if extra_v or extra_c:
            h = TypeAdapter(m.Household).validate_python(
                {
                    **{f: getattr(h, f) for f in h.__pydantic_fields__},  # type: ignore[attr-defined]
                    "visits": (*h.visits, *extra_v),
                    "data_checks": (*h.data_checks, *extra_c),
                }
            )
        out_list.append(h)
    return out_list


def _funds(rows: list[Row], year: Year, names: Names, out: list[ImportFinding]) -> list[m.Source]:
    """Fund sources by name: an existing source keeps its id, kind and notes; a new one must
    be one of the policy's source kinds."""
    existing = {s.id: s for s in year.funds.sources} if year.funds else {}
    kinds = Names({"source": dict(year.policy.source_kinds)}, {})
    sources = []
    for row in rows:
        if row.failed:
            continue
        name = str(row.values.get("name", ""))
        try:
            code = names.code("source", name)
            base = existing.get(code)
            kind = base.kind if base else kinds.code("source", name)
        except Refused as exc:
            out.append(ImportFinding(exc.code, row.at("name"), exc.message))
            continue
        fields = {k: v for k, v in row.values.items() if k != "name"}
        data = base.model_dump() if base else {"id": code, "kind": kind}
        data.update(name=name, **fields)
        try:
            sources.append(m.Source.model_validate(data))
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                fld = str(err["loc"][0]) if err["loc"] else ""
                out.append(ImportFinding("XL109", row.at(fld), f"{ZH.get(fld, fld)}：{_why(err)}"))
    return sources
