"""The command line, through typer's CliRunner: exit codes, formats, help for every command."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bangfu_eval import __version__
from bangfu_eval.catalogue import CODES
from bangfu_eval.cli import app
from bangfu_eval.money import fmt_pct, round_half_up
from bangfu_eval.pipeline import run
from bangfu_eval.render.scorecard import plain
from casekit import BASE

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "2022"
runner = CliRunner()


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"bangfu {__version__}"


def test_check_clean_year_exits_0() -> None:
    result = runner.invoke(app, ["check", str(BASE)])
    assert result.exit_code == 0, result.output
    assert "0 个错误" in result.output


def test_check_2022_exits_1_and_prints_file_line_col() -> None:
    result = runner.invoke(app, ["check", str(DATA)])
    assert result.exit_code == 1
    assert "indicators.yaml:" in result.output
    first = result.output.splitlines()[0]
    file, line, col, rest = first.split(":", 3)
    assert file.endswith(".yaml") and line.isdigit() and col.isdigit()
    assert rest.split()[1].startswith("BF")


def test_check_json_schema_and_equal_to_pipeline() -> None:
    result = runner.invoke(app, ["check", str(DATA), "--format", "json"])
    doc = json.loads(result.output)
    assert set(doc) == {"version", "directory", "findings", "summary", "ledger"}
    assert doc["ledger"] == {"aggregate_only": False, "missing": [], "skipped_checks": []}
    outcome = run(DATA)
    assert doc["findings"] == [f.as_dict() for f in outcome.findings]
    for f in doc["findings"]:
        assert {"code", "severity", "file", "line", "column", "path", "message"} <= set(f)
    assert doc["summary"]["error"] == outcome.counts["error"]


def test_select_and_ignore_by_family() -> None:
    only = json.loads(runner.invoke(app, ["check", str(DATA), "--format", "json", "--select", "BF4"]).output)
    assert only["findings"] and all(f["code"].startswith("BF4") for f in only["findings"])
    rest = json.loads(
        runner.invoke(app, ["check", str(DATA), "--format", "json", "--ignore", "BF4,BF3"]).output
    )
    assert not any(f["code"][:3] in ("BF4", "BF3") for f in rest["findings"])


def test_strict_fails_on_warnings(tmp_path: Path) -> None:
    year = tmp_path / "y"
    shutil.copytree(BASE, year)
    (year / "policy.yaml").write_text("min_utilisation: 95%\n", encoding="utf-8")
    assert runner.invoke(app, ["check", str(year)]).exit_code == 0
    assert runner.invoke(app, ["check", str(year), "--strict"]).exit_code == 1


def test_github_annotations() -> None:
    out = runner.invoke(app, ["check", str(DATA), "--format", "github"]).output
    assert out.startswith("::")
    assert "file=" in out and ",line=" in out and "title=BF" in out


def test_missing_directory_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(tmp_path / "nope")])
    assert result.exit_code == 2


def test_default_directory_is_the_newest_year(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(BASE, tmp_path / "data" / "2023")
    (tmp_path / "data" / "2019").mkdir()
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 0
    assert "data/2023" in result.output


def test_rules_lists_every_code_and_explain_works_for_each() -> None:
    listing = runner.invoke(app, ["rules"]).output
    for code in CODES:
        assert code in listing
        result = runner.invoke(app, ["explain", code])
        assert result.exit_code == 0
        assert CODES[code].why not in result.output  # Chinese by default
        assert "政策依据：" in result.output and "审计认可的处理：" in result.output
        english = runner.invoke(app, ["explain", code, "--lang", "en"])
        assert english.exit_code == 0
        assert CODES[code].why in english.output and "Source:" in english.output
    assert runner.invoke(app, ["explain", "BF999"]).exit_code == 2
    assert runner.invoke(app, ["explain", "BF5"]).exit_code == 2


def test_score_prints_despite_errors_and_counts_them_on_stderr_in_one_line() -> None:
    result = runner.invoke(app, ["score", str(DATA)])
    assert result.exit_code == 0
    outcome = run(DATA)
    assert outcome.results is not None and outcome.counts["error"] > 0
    err = [line for line in result.stderr.splitlines() if "错误" in line]
    assert len(err) == 1 and f"{outcome.counts['error']} 个错误" in err[0]
    assert "总分" not in result.stderr
    # the total and the grade come first
    assert result.stdout.splitlines()[0].startswith(f"总分 {plain(outcome.results.total)}")
    assert outcome.results.grade in result.stdout.splitlines()[0]
    # --force is still accepted and changes nothing
    forced = runner.invoke(app, ["score", str(DATA), "--force", "--format", "json"])
    assert forced.exit_code == 0
    doc = json.loads(forced.stdout)
    assert doc["total"] == plain(outcome.results.total)
    assert doc["funds"] == plain(outcome.results.funds)
    assert doc["figures"]["funds.arrived"]["value"] == plain(outcome.results.funds.arrived)


def test_score_refuses_a_year_that_does_not_load(tmp_path: Path) -> None:
    year = tmp_path / "y"
    shutil.copytree(BASE, year)
    (year / "funds.yaml").write_text("sources: [", encoding="utf-8")
    result = runner.invoke(app, ["score", str(year)])
    assert result.exit_code == 1
    assert "未评分" in result.stderr


def test_score_text_md_csv_on_clean_year() -> None:
    outcome = run(BASE)
    assert outcome.results is not None
    total = plain(outcome.results.total)
    text = runner.invoke(app, ["score", str(BASE)])
    assert text.exit_code == 0 and f"总分 {total}" in text.output
    md = runner.invoke(app, ["score", str(BASE), "--format", "md", "--level", "1"]).output
    assert md.startswith("# 2023") and "| 序号 |" in md
    csv_out = runner.invoke(app, ["score", str(BASE), "--format", "csv"]).output
    assert csv_out.splitlines()[0] == "\ufeffsection,name,label,kind,weight,value"  # BOM: Excel reads UTF-8
    arrived = round_half_up(outcome.results.funds.arrived, 2)
    assert f"figure,funds.arrived,到位资金,money,,{arrived:f}" in csv_out
    rate = outcome.results.funds.utilisation
    assert rate is not None and f"funds.utilisation,资金使用率,rate,,{fmt_pct(rate)}" in csv_out


@pytest.mark.parametrize(
    "command",
    [
        *("check", "score", "report", "publicity", "rules", "explain"),
        *("import", "init", "schema", "synth", "rollup", "diff"),
    ],
)
def test_every_command_has_help_and_is_in_the_readme(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert f"bangfu {command}" in (ROOT / "README.md").read_text(encoding="utf-8")
