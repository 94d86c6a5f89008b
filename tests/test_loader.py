"""The loader keeps scalars as text until the schema types them, keeps positions, and turns
every problem into a finding."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from bangfu_eval import models as m
from bangfu_eval.load import load_year, validate
from bangfu_eval.pipeline import run
from bangfu_eval.yamlread import YMap, locate, parse
from casekit import BASE


def test_yaml11_surprises_do_not_happen() -> None:
    root, problems = parse("a: no\nb: 0571\nc: 1.10\nd: 12345678901234567.89\ne: ~\nf: 'null'\n")
    assert problems == []
    assert root == {"a": "no", "b": "0571", "c": "1.10", "d": "12345678901234567.89", "e": None, "f": "null"}


def test_positions_are_one_based_and_count_characters() -> None:
    root, _ = parse("名称: 中央财政\nsources:\n  - {id: 甲, amount: 100}\n")
    assert isinstance(root, YMap)
    assert locate(root, ("名称",)) == (1, 5)
    assert locate(root, ("sources", 0, "amount")) == (3, 21)
    assert locate(root, ("sources", 0, "missing")) == (3, 5)


def test_money_is_decimal_never_float() -> None:
    root, _ = parse("id: x\nname: 甲\nkind: central\narrived: 123456789012345.67\n")
    src, problems = validate(root, m.Source, "funds.yaml")
    assert problems == []
    assert isinstance(src, m.Source)
    assert src.arrived == Decimal("123456789012345.67")  # float(...) would end in ...45.671875
    root, _ = parse("id: x\nname: 甲\nkind: central\narrived: 1234567890123456.7\n")
    _, problems = validate(root, m.Source, "funds.yaml")
    assert [p.code for p in problems] == ["BF105"]  # longer than any amount: a typo
    root, _ = parse("id: x\nname: 甲\nkind: central\narrived: 291.4797万元\n")
    src, _ = validate(root, m.Source, "funds.yaml")
    assert isinstance(src, m.Source) and src.arrived == Decimal("2914797")


def test_exponents_and_nan_are_not_amounts() -> None:
    for text in ("1e3", "NaN", "inf", "1,23"):
        root, _ = parse(f"id: x\nname: 甲\nkind: central\narrived: {text}\n")
        _, problems = validate(root, m.Source, "funds.yaml")
        assert [p.code for p in problems] == ["BF105"], text


def test_bom_is_accepted(tmp_path: Path) -> None:
    year = tmp_path / "y"
    shutil.copytree(BASE, year)
    data = (year / "funds.yaml").read_bytes()
    (year / "funds.yaml").write_bytes(b"\xef\xbb\xbf" + data)
    assert run(year).findings == []


@pytest.mark.parametrize("shift", [0, 1, 2])
def test_utf8_is_checked_across_megabytes(tmp_path: Path, shift: int) -> None:
    """The check reads a MB at a time: a character cut by a MB boundary is UTF-8, a GB18030
    byte after the first MB is BF002 at its own line."""
    year = tmp_path / "y"
    shutil.copytree(BASE, year)
    head = (year / "narrative.yaml").read_bytes()
    pad = b"#" + b"x" * 98 + b"\n"
    lines = (1_048_576 - len(head)) // len(pad)
    filler = head + pad * lines
    cut = b"# " + b"x" * (1_048_576 - len(filler) - 3 - shift) + "甲".encode() + b"\n"
    assert len(filler + cut) > 1_048_576 > len(filler + cut) - 4  # 甲 straddles the boundary
    (year / "narrative.yaml").write_bytes(filler + cut)
    assert [f.code for f in load_year(year).findings] == []
    (year / "narrative.yaml").write_bytes(filler + cut + "# 乙\n".encode("gb18030"))
    found = [(f.code, f.location.line) for f in load_year(year).findings]
    assert found == [("BF002", head.count(b"\n") + lines + 2)]


def test_all_findings_of_all_files_in_one_run(tmp_path: Path) -> None:
    year = tmp_path / "y"
    shutil.copytree(BASE, year)
    (year / "funds.yaml").write_text("rate_base: [\n", encoding="utf-8")
    text = (year / "targets.yaml").read_text(encoding="utf-8").replace("target: 3", "targt: 3")
    (year / "targets.yaml").write_text(text, encoding="utf-8")
    codes = {(f.code, f.location.file) for f in load_year(year).findings}
    assert ("BF003", "funds.yaml") in codes
    assert ("BF101", "targets.yaml") in codes
    assert ("BF102", "targets.yaml") in codes  # the real 'target' is now missing


def test_did_you_mean_on_unknown_key(tmp_path: Path) -> None:
    root, _ = parse("id: x\nname: 甲\nkind: central\narrived: 1\nspnet: 2\n")
    _, problems = validate(root, m.Source, "funds.yaml")
    assert problems[0].code == "BF101"
    assert "spent" in problems[0].help
    assert (problems[0].location.line, problems[0].location.column) == (5, 1)


def test_impossible_date_is_a_finding_with_a_line() -> None:
    root, _ = parse("id: B\npublicity_start: 2022-02-30\n")
    model, problems = validate(root, m.Batch, "disbursements.yaml")
    assert model is None
    assert [(p.code, p.location.line, p.location.column) for p in problems] == [("BF104", 2, 18)]


def test_dates_are_dates() -> None:
    root, _ = parse("id: B\npublicity_start: 2022-02-28\n")
    model, _ = validate(root, m.Batch, "disbursements.yaml")
    assert isinstance(model, m.Batch) and model.publicity_start == dt.date(2022, 2, 28)


def test_personal_values_are_not_echoed_in_schema_messages() -> None:
    root, _ = parse(
        "households:\n  - {id: H1, name: [张三丰], category: deep, status: archived,"
        " archived_on: 2022-01-01, id_number: 460199198001011238}\n"
    )
    _, problems = validate(root, m.HouseholdsFile, "households.yaml")
    assert problems and all("张三丰" not in p.message for p in problems)


@pytest.mark.parametrize("text", ["", "[]\n", "- a\n- b\n", "just text\n", "a: [1, {b: }\n"])
def test_odd_top_levels_are_findings(tmp_path: Path, text: str) -> None:
    year = tmp_path / "y"
    shutil.copytree(BASE, year)
    (year / "funds.yaml").write_text(text, encoding="utf-8")
    outcome = run(year)
    assert outcome.failed()
    assert any(f.location.file == "funds.yaml" for f in outcome.findings)
