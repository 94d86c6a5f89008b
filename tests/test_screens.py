"""The per-payment rules first screen the ledger column by column (ledger.py) and then read
only the rows flagged. A screen that lets a bad row through would hide a finding, so each
rule here gets one bad row (or household, or batch) among hundreds of good ones, and must
report exactly the payments it concerns."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bangfu_eval.pipeline import run
from casekit import synth

ROW = 150  # the payment edited: line 152 of disbursements.csv


def _table(path: Path) -> tuple[list[str], list[list[str]]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines[0].split(","), [line.split(",") for line in lines[1:]]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")


def _set(year: Path, name: str, row: int, column: str, value: str) -> None:
    header, rows = _table(year / name)
    rows[row][header.index(column)] = value
    _write(year / name, header, rows)


def _lines(year: Path, column: str, value: str) -> set[int]:
    """Lines of disbursements.csv whose ``column`` is ``value``."""
    header, rows = _table(year / "disbursements.csv")
    return {i + 2 for i, r in enumerate(rows) if r[header.index(column)] == value}


def _payment(year: Path, column: str) -> str:
    header, rows = _table(year / "disbursements.csv")
    return rows[ROW][header.index(column)]


def _household_row(year: Path, household: str) -> int:
    _, rows = _table(year / "households.csv")
    return next(i for i, r in enumerate(rows) if r[0] == household)


def _late_archiving(year: Path) -> set[int]:
    home = _payment(year, "household")
    _set(year, "households.csv", _household_row(year, home), "archived_on", "2022-12-31")
    return _lines(year, "household", home) - _lines(year, "date", "2022-12-31")


def _graduated(year: Path) -> set[int]:
    home = _payment(year, "household")
    header, rows = _table(year / "households.csv")
    rows[_household_row(year, home)][header.index("status")] = "left"
    header.append("exited_on")
    for r in rows:
        r.append("2021-12-31" if r[0] == home else "")
    _write(year / "households.csv", header, rows)
    return {line for line in _lines(year, "household", home) if _date(year, line) > "2022-06-30"}


def _left(year: Path) -> set[int]:
    home = _payment(year, "household")
    _set(year, "households.csv", _household_row(year, home), "status", "left")
    return _lines(year, "household", home)


def _date(year: Path, line: int) -> str:
    header, rows = _table(year / "disbursements.csv")
    return rows[line - 2][header.index("date")]


def _late_publicity(year: Path) -> set[int]:
    batch = _payment(year, "batch")
    header, rows = _table(year / "batches.csv")
    k = next(i for i, r in enumerate(rows) if r[0] == batch)
    rows[k][header.index("publicity_end")] = "2022-12-31"
    _write(year / "batches.csv", header, rows)
    return _lines(year, "batch", batch)


def _paid_twice(year: Path) -> set[int]:
    header, rows = _table(year / "disbursements.csv")
    copy = list(rows[ROW])
    copy[header.index("id")] = "D99999999"
    rows.append(copy)
    _write(year / "disbursements.csv", header, rows)
    return {len(rows) + 1}


def _edit(column: str, value: str) -> Callable[[Path], set[int]]:
    def edit(year: Path) -> set[int]:
        _set(year, "disbursements.csv", ROW, column, value)
        return {ROW + 2}

    return edit


def _same_id(year: Path) -> set[int]:
    _set(year, "disbursements.csv", ROW, "id", _table(year / "disbursements.csv")[1][3][0])
    return {ROW + 2}


@pytest.mark.parametrize(
    ("code", "edit"),
    [
        ("BF106", _same_id),
        ("BF107", _edit("method", "wechat")),
        ("BF107", _edit("type", "housing")),
        ("BF501", _edit("household", "H9999999")),
        ("BF502", _late_archiving),
        ("BF502", _graduated),
        ("BF502", _left),
        ("BF503", _edit("source", "county")),
        ("BF504", _edit("batch", "Z99")),
        ("BF601", _edit("type", "festival")),  # central money paying 送温暖 before 2023
        ("BF701", _edit("method", "cash")),
        ("BF702", _late_publicity),
        ("BF702", _edit("batch", "")),
        ("BF703", _edit("date", "2021-12-31")),
        ("BF705", _paid_twice),
    ],
)
def test_one_bad_payment_among_many_is_found(
    tmp_path: Path, code: str, edit: Callable[[Path], set[int]]
) -> None:
    year = synth(tmp_path / "y", "--csv")
    assert _payment(year, "source") == "central" and _payment(year, "type") == "living"
    assert run(year).findings == []
    want = edit(year)
    assert want
    got = {f.location.line for f in run(year).findings if f.code == code}
    assert got == want
