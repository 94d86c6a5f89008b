"""--select / --ignore are strict: an unknown code or family is a usage error (exit 2) with a
did-you-mean, never a selection of nothing that lets a pipeline pass."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bangfu_eval.cli import app
from bangfu_eval.selectors import known, problems

DATA = Path(__file__).parents[1] / "data" / "2022"
runner = CliRunner()


@pytest.mark.parametrize("option", ["--select", "--ignore"])
@pytest.mark.parametrize("value", ["BF9999", "BF20l", "BF", "BF201,BF2x"])
def test_unknown_selector_is_a_usage_error(option: str, value: str) -> None:
    result = runner.invoke(app, ["check", str(DATA), option, value])
    assert result.exit_code == 2


@pytest.mark.parametrize(("typo", "meant"), [("BF20l", "BF201"), ("BFO01", "BF001"), ("bf6o1", "BF601")])
def test_did_you_mean_names_the_look_alike_code(typo: str, meant: str) -> None:
    (line,) = problems([typo])
    assert f"是否想用 {meant}？" in line


@pytest.mark.parametrize("value", ["BF201", "bf2", "BF60", " BF9 "])
def test_codes_families_and_prefixes_are_known(value: str) -> None:
    assert known(value)
    assert problems([value]) == []


def test_known_selector_still_selects() -> None:
    result = runner.invoke(app, ["check", str(DATA), "--select", "BF60", "--format", "json"])
    assert result.exit_code == 0
