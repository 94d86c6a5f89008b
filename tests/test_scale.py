"""Scale features: bangfu synth, CSV tables, streamed rows located exactly, a light --help.
(Timing goals live in benchmarks/run.py, not here.)"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bangfu_eval.cli import app
from bangfu_eval.pipeline import run
from bangfu_eval.render.scorecard import plain
from casekit import synth

runner = CliRunner()


def test_synth_is_clean_deterministic_and_marked(tmp_path: Path) -> None:
    a, b = synth(tmp_path / "a"), synth(tmp_path / "b")
    for name in ("households.yaml", "disbursements.yaml", "funds.yaml"):
        assert (a / name).read_bytes() == (b / name).read_bytes()
    assert "SYNTHETIC" in (a / "households.yaml").read_text(encoding="utf-8")
    outcome = run(a)
    assert outcome.findings == []
    assert outcome.results is not None and outcome.results.payments.count > 60


def test_synth_refuses_a_directory_with_files(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "keep.txt").write_text("mine", encoding="utf-8")
    assert runner.invoke(app, ["synth", str(tmp_path / "x")]).exit_code == 2


def test_csv_year_gives_the_same_results_as_yaml(tmp_path: Path) -> None:
    y = run(synth(tmp_path / "y"))
    c = run(synth(tmp_path / "c", "--csv"))
    assert c.findings == []
    assert y.results is not None and c.results is not None
    assert plain(y.results.figures) == plain(c.results.figures)


def test_csv_errors_point_at_row_and_column(tmp_path: Path) -> None:
    year = synth(tmp_path / "c", "--csv")
    path = year / "disbursements.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[5].split(",")
    cells[header.index("amount")] = "12O0"
    cells[header.index("date")] = "2022-02-30"
    lines[5] = ",".join(cells)
    lines[0] = lines[0].replace("method", "methd")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = {(f.code, f.location.file, f.location.line, f.location.column) for f in run(year).findings}

    def column(line: str, value: str) -> int:
        """The 1-based character column where the cell ``value`` starts on ``line``."""
        j = line.split(",").index(value)
        return len(",".join(line.split(",")[:j])) + (2 if j else 1)

    assert ("BF105", "disbursements.csv", 6, column(lines[5], "12O0")) in found
    assert ("BF104", "disbursements.csv", 6, column(lines[5], "2022-02-30")) in found
    assert ("BF101", "disbursements.csv", 1, column(lines[0], "methd")) in found
    assert column(lines[5], "12O0") > header.index("amount") + 1  # a character column, not a field number


def test_rule_findings_on_block_style_rows_point_at_the_field(tmp_path: Path) -> None:
    year = synth(tmp_path / "b")
    path = year / "disbursements.yaml"
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("  - {id: D"):  # rewrite each payment as a block mapping
            fields = line[5:-1].split(", ")
            out.append("  - " + fields[0])
            out += ["    " + f for f in fields[1:]]
        else:
            out.append(line)
    text = "\n".join(out) + "\n"
    text = text.replace("source: central", "source: county", 1)
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    want = next(i for i, line in enumerate(lines, 1) if "source: county" in line)
    hits = [f for f in run(year).findings if f.code == "BF503"]
    assert [(f.location.line, f.location.column) for f in hits] == [(want, 13)]


@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_help_imports_nothing_heavy(flag: str) -> None:
    run = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "bangfu_eval", flag], capture_output=True, text=True
    )
    assert run.returncode == 0 and run.stdout.strip()
    imported = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in run.stderr.splitlines()}
    assert "typer" in imported  # the probe sees what the command imports
    assert imported.isdisjoint({"pydantic", "jinja2", "docx", "yaml", "rich"})


def test_a_bad_csv_cell_does_not_let_the_rules_see_an_empty_ledger(tmp_path: Path) -> None:
    year = synth(tmp_path / "c", "--csv")
    path = year / "disbursements.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[4] = lines[4].replace(",2022-", ",2022-13-", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outcome = run(year)
    assert [(f.code, f.location.file, f.location.line) for f in outcome.findings] == [
        ("BF104", "disbursements.csv", 5)
    ]
    assert outcome.results is None
