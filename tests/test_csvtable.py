"""The CSV column path (csvtable.py) must give exactly what row-by-row validation gives:
the same records, the same findings at the same rows and columns. Every test runs twice:
with pyarrow reading plain files (when installed) and with bangfu's own reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from bangfu_eval import csvtable
from bangfu_eval import models as m
from bangfu_eval.ledger import Columns
from bangfu_eval.load import load_year
from bangfu_eval.table import Records
from casekit import synth


def _synth(path: Path, *args: str) -> Path:
    return synth(path, *args, households=40, seed=5)


def _records(directory: Path) -> tuple[list[object], list[object]]:
    loaded = load_year(directory)
    assert loaded.findings == []
    return (
        list(loaded.models["households.yaml"].households),
        list(loaded.models["disbursements.yaml"].disbursements),
    )


def _findings(directory: Path) -> list[tuple[str, str, int, int, str]]:
    return sorted(
        (f.code, f.location.file, f.location.line, f.location.column, f.message)
        for f in load_year(directory).findings
    )


@pytest.fixture(params=["arrow", "python"], autouse=True)
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "arrow":
        pytest.importorskip("pyarrow")
        monkeypatch.setattr(csvtable, "ARROW_MIN_CHARS", 0)  # pyarrow even for these small files
    else:
        monkeypatch.setattr(csvtable, "_read_arrow", lambda *args: None)  # as with BANGFU_NO_ARROW=1
    return str(request.param)


def _row_by_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on every row is validated by pydantic one by one, as before the column path."""
    monkeypatch.setattr(csvtable.Table, "_typed", lambda self, typed_column, n: None)


def test_the_engine_in_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str) -> None:
    calls: list[int] = []
    typed = csvtable.Table.type_arrow
    monkeypatch.setattr(
        csvtable.Table, "type_arrow", lambda self, batch: calls.append(batch.num_rows) or typed(self, batch)
    )
    _records(_synth(tmp_path / "c", "--csv"))
    assert (sum(calls) > 100) is (engine == "arrow")


def test_csv_records_equal_the_yaml_records(tmp_path: Path) -> None:
    households, payments = _records(_synth(tmp_path / "c", "--csv"))
    assert (households, payments) == _records(_synth(tmp_path / "y"))
    assert len(payments) > 100
    assert {type(p.amount).__name__ for p in payments} == {"Decimal"}


def test_equal_cells_share_one_object(tmp_path: Path) -> None:
    _, payments = _records(_synth(tmp_path / "c", "--csv"))
    first = payments[0]
    same = next(p for p in payments[1:] if p.date == first.date)
    assert same.date is first.date
    assert payments[1].household is first.household


def _break(path: Path, row: int, column: str, value: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[row].split(",")
    cells[header.index(column)] = value
    lines[row] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("amount", "-5"),
        ("amount", "3e4"),
        ("date", "2022-02-30"),
        ("date", "2022-W01-1"),
        ("household", ""),
        ("id", ""),
        ("method", ""),
    ],
)
def test_a_bad_cell_gives_the_row_by_row_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, column: str, value: str
) -> None:
    monkeypatch.setattr(csvtable, "PLAIN_CHUNK", 500)  # the bad row's chunk falls back, the others not
    year = _synth(tmp_path / "c", "--csv")
    _break(year / "disbursements.csv", 40, column, value)
    by_row: list[int] = []
    slow = csvtable._by_row
    monkeypatch.setattr(csvtable, "_by_row", lambda rows, *a: (by_row.append(len(rows)), slow(rows, *a))[1])
    fast = _findings(year)
    assert fast, f"{column}={value!r} should be a finding"
    assert 0 < sum(by_row) < 20  # one chunk of a few hundred rows went row by row
    _row_by_row(monkeypatch)
    assert _findings(year) == fast


def test_comments_blank_lines_quotes_and_short_rows_keep_their_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(csvtable, "CHUNK", 8)
    year = _synth(tmp_path / "c", "--csv")
    path = year / "households.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3:3] = ["# a comment", ""]
    lines[10] = lines[10].replace("某", '"某', 1).replace("单位", '单位\n续"', 1)  # a quoted newline
    lines[20] = ",".join(lines[20].split(",")[:-1])  # a row one cell short
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    fast = _findings(year)
    assert [(code, line) for code, _, line, _, _ in fast] == [("BF103", 22)]
    loaded = load_year(year)
    index = loaded.rows[("households.yaml", "households")]
    assert index.starts[2] == 6  # after the comment and the blank line
    _row_by_row(monkeypatch)
    assert _findings(year) == fast


def test_a_plain_file_with_a_blank_line_and_a_short_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No quotes or comments: cut by str.split, the chunks that do not split evenly go
    through csv.reader and keep their lines."""
    monkeypatch.setattr(csvtable, "PLAIN_CHUNK", 300)
    year = _synth(tmp_path / "c", "--csv")
    path = year / "disbursements.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(12, "")
    lines[30] = ",".join(lines[30].split(",")[:-2])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    fast = _findings(year)
    assert [(code, line) for code, _, line, _, _ in fast] == [("BF103", 31)]
    _row_by_row(monkeypatch)
    assert _findings(year) == fast


def test_column_table_is_a_sequence_of_the_records(tmp_path: Path) -> None:
    loaded = load_year(_synth(tmp_path / "c", "--csv"))
    table = loaded.models["disbursements.yaml"].disbursements
    assert isinstance(table, Records)
    single = [table[0], table[-1], table[len(table) // 2]]  # made one at a time
    rows = list(table)  # made all at once
    assert single == [rows[0], rows[-1], rows[len(rows) // 2]]
    assert table[2:5] == rows[2:5] and table == rows and len(table) == len(rows)
    assert Columns(Records.of(m.Disbursement, rows)).amount == Columns(table).amount
