"""bangfu init: next year from data/2022; check on it gives only 'to fill' infos at their
lines; the carried-over figures come from last year's computation; editors find the schemas."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from bangfu_eval import models as m
from bangfu_eval.cli import app
from bangfu_eval.pipeline import Outcome, run

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "2022"
runner = CliRunner()


@pytest.fixture(scope="module")
def new_year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("init") / "2023"
    result = runner.invoke(app, ["init", str(target), "--from", str(DATA)])
    assert result.exit_code == 0, result.output
    return target


@pytest.fixture(scope="module")
def checked(new_year: Path) -> Outcome:
    return run(new_year)


def test_check_gives_only_to_fill_infos_at_their_lines(checked: Outcome, new_year: Path) -> None:
    assert checked.results is not None
    assert {f.code for f in checked.findings} == {"BF015"}
    assert all(f.severity.value == "info" and f.location.line > 0 for f in checked.findings)
    for f in checked.findings:  # each at a line that carries its mark
        line = (new_year / f.location.file).read_text("utf-8").splitlines()[f.location.line - 1]
        assert "# 待填" in line


def test_what_is_left_to_fill(checked: Outcome, year2022: Outcome) -> None:
    marks = [(f.location.file, f.message) for f in checked.findings]
    assert year2022.year is not None
    sources = year2022.year.funds.sources
    assert sum(1 for file, msg in marks if file == "funds.yaml" and msg.endswith("到位资金")) == len(sources)
    leaves = sum(1 for file, msg in marks if file == "indicators.yaml" and "得分" in msg)
    assert leaves > 0
    assert ("project.yaml", "待填：评价日期") in marks


def test_carried_over_from_last_year(checked: Outcome, year2022: Outcome) -> None:
    assert checked.year is not None and year2022.results is not None and year2022.year is not None
    assert checked.year.project.year == year2022.year.project.year + 1
    balance = {s.id: s.balance for s in year2022.results.funds.sources}
    assert {s.id: s.carried_in for s in checked.year.funds.sources} == balance
    eligible = year2022.year.policy.eligible_statuses
    kept = [h.id for h in year2022.year.households.households if h.status in eligible]
    assert any(h.status == "graduating" for h in year2022.year.households.households if h.id in kept)
    assert [h.id for h in checked.year.households.households] == kept
    assert all(not h.visits and not h.data_checks for h in checked.year.households.households)
    leaf_scores = [n.score for t in checked.year.indicators.trees for n in _leaves(t.nodes) if not n.measure]
    assert leaf_scores and all(s is None for s in leaf_scores)


def _leaves(nodes: list[m.Indicator]) -> list[m.Indicator]:
    return [leaf for n in nodes for leaf in (_leaves(n.children) if n.children else [n])]


def test_narrative_keeps_placeholders_without_last_years_declarations(new_year: Path) -> None:
    text = (new_year / "narrative.yaml").read_text("utf-8")
    assert "{{ households.archived }}" in text
    assert not re.search(r"\{\{[^}]*=[^}]*\}\}", text)


def test_files_point_editors_at_their_schemas(new_year: Path) -> None:
    for path in new_year.glob("*.yaml"):
        first = path.read_text("utf-8").splitlines()[0]
        schema_path = first.removeprefix("# yaml-language-server: $schema=")
        assert schema_path != first, path.name
        schema = json.loads((new_year / schema_path).read_text("utf-8"))
        data = yaml.safe_load(path.read_text("utf-8"))
        data = json.loads(json.dumps(data, default=str))  # dates as an editor reads them: text
        jsonschema.validate(data, schema)


def test_refuses_a_directory_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "note.txt").write_text("x", "utf-8")
    result = runner.invoke(app, ["init", str(tmp_path), "--from", str(DATA)])
    assert result.exit_code == 2 and (tmp_path / "note.txt").read_text("utf-8") == "x"
    assert not (tmp_path / "funds.yaml").exists()


def test_a_graduation_period_over_by_year_end_is_not_carried(tmp_path: Path) -> None:
    last = tmp_path / "2022"
    shutil.copytree(DATA, last)
    text = (last / "households.yaml").read_text("utf-8")
    line = next(x for x in text.splitlines() if "status: graduating" in x)
    hid = re.search(r"id: (\w+)", line).group(1)  # type: ignore[union-attr]
    early = re.sub(r"exited_on: [\d-]+", "exited_on: 2022-01-31", line)  # 6 months: over by 07-31
    (last / "households.yaml").write_text(text.replace(line, early), "utf-8")
    assert runner.invoke(app, ["init", str(tmp_path / "2023"), "--from", str(last)]).exit_code == 0
    kept = (tmp_path / "2023" / "households.yaml").read_text("utf-8")
    assert f"id: {hid}," not in kept and "status: graduating" in kept
