"""Personal data is never shown in full, in any output of data/2022."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from bangfu_eval.cli import app
from bangfu_eval.idnumber import all_valid, check_digit, problem
from bangfu_eval.privacy import mask_id_number, mask_name, mask_tail

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "2022"
runner = CliRunner()


def _secrets() -> list[str]:
    homes = yaml.load((DATA / "households.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)[
        "households"
    ]
    out = []
    for h in homes:
        out += [h["id_number"], h["phone"], h["card_number"]]
    return out  # the unit's phone is not personal data: the unit signs the report with it


def _names() -> list[str]:
    homes = yaml.load((DATA / "households.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)[
        "households"
    ]
    return [h["name"] for h in homes if len(h["name"]) >= 2]


def _outputs(tmp_path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for fmt in ("text", "json", "github"):
        out[f"check {fmt}"] = runner.invoke(app, ["check", str(DATA), "--format", fmt]).output
    for fmt in ("text", "json", "csv", "md"):
        out[f"score {fmt}"] = runner.invoke(app, ["score", str(DATA), "--force", "--format", fmt]).output
    for suffix in ("md", "docx"):
        path = tmp_path / f"report.{suffix}"
        runner.invoke(app, ["report", str(DATA), "--out", str(path)])
        out[f"report {suffix}"] = _text(path)
        path = tmp_path / f"publicity.{suffix}"
        runner.invoke(app, ["publicity", str(DATA), "--out", str(path)])
        out[f"publicity {suffix}"] = _text(path)
    return out


def _text(path: Path) -> str:
    if path.suffix == ".docx":
        return Document(str(path)).element.xml
    return path.read_text(encoding="utf-8")


def test_no_full_number_in_any_output(tmp_path: Path) -> None:
    outputs = _outputs(tmp_path)
    assert all(outputs.values())
    secrets = _secrets()
    for label, text in outputs.items():
        leaked = [s for s in secrets if s and s in text]
        assert not leaked, f"{label} shows {len(leaked)} personal numbers"


def test_masking_by_role_officials_in_full_households_masked(tmp_path: Path) -> None:
    """Officials, evaluators and the unit's contact sign the report: shown in full. Every
    household value (name, ID, phone, card) is masked in every output."""
    project = yaml.load((DATA / "project.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    officials = [
        project["project"]["responsible_person"],
        *(e["name"] for e in project["evaluation"]["evaluators"]),
    ]
    outputs = _outputs(tmp_path)
    for label in ("report md", "report docx"):
        for person in officials:
            assert person in outputs[label], f"{label} masks {person}"
        assert project["project"]["phone"] in outputs[label]
        assert mask_name(officials[0]) not in outputs[label].replace(officials[0], "")
    households = [n for n in _names() if n not in officials]
    for label, text in outputs.items():
        assert not [n for n in households if n in text], f"{label} shows a household name"
        assert not [s for s in _secrets() if s and s in text], f"{label} shows a household number"
    assert any(mask_name(n) in outputs["publicity md"] for n in households)


def test_publicity_shows_masked_names_only(tmp_path: Path) -> None:
    path = tmp_path / "p.md"
    runner.invoke(app, ["publicity", str(DATA), "--batch", "S08", "--out", str(path)])
    text = path.read_text(encoding="utf-8")
    names = _names()
    assert not [n for n in names if f"| {n} |" in text]
    assert any(f"| {mask_name(n)} |" in text for n in names)


def test_show_personal_data_unmasks_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "p.md"
    runner.invoke(app, ["publicity", str(DATA), "--batch", "S08", "--out", str(path), "--show-personal-data"])
    text = path.read_text(encoding="utf-8")
    assert text.startswith("> **本文件含未遮蔽的个人信息")
    assert any(f"| {n} |" in text for n in _names())


def test_publicity_totals_equal_the_batch(tmp_path: Path) -> None:
    from bangfu_eval.money import fmt_yuan
    from bangfu_eval.pipeline import run

    year = run(DATA).year
    assert year is not None and year.disbursements is not None
    rows = [d for d in year.disbursements.disbursements if d.batch == "S08"]
    text = runner.invoke(app, ["publicity", str(DATA), "--batch", "S08"]).output
    assert f"| 合计 | {len(rows)} 人次 |" in text
    assert fmt_yuan(sum(d.amount for d in rows)) in text


@pytest.mark.parametrize(
    ("fn", "value", "masked"),
    [
        (mask_name, "张三", "张*"),
        (mask_name, "张三丰", "张*丰"),
        (mask_name, "欧阳娜娜", "欧**娜"),
        (mask_id_number, "460199198001011238", "460199********1238"),
        (mask_tail, "13912345678", "*******5678"),
    ],
)
def test_masks(fn, value: str, masked: str) -> None:  # type: ignore[no-untyped-def]
    assert fn(value) == masked


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("460199198001011238", True),
        ("460199198001011239", False),  # check digit
        ("460199198002301234", False),  # 30 February
        ("46019919800101123", False),  # 17 characters
        ("46019919800101123x", False),
    ],
)
def test_id_numbers(value: str, ok: bool) -> None:
    assert (problem(value) is None) is ok
    if not ok:
        assert value not in (problem(value) or "")


WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # GB 11643-1999, table 1


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_check_digit_is_the_standards_weighted_sum(first17: str) -> None:
    total = sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    assert check_digit(first17) == "10X98765432"[total % 11]


def test_check_digit_of_the_standards_own_example() -> None:
    assert check_digit("11010519491231002") == "X"  # GB 11643-1999, annex A


NUMBERS = st.builds(
    lambda region, born, seq, last: region + born + seq + last,
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.one_of(
        st.dates().map(lambda d: d.strftime("%Y%m%d")), st.text(alphabet="0123456789", min_size=8, max_size=8)
    ),
    st.text(alphabet="0123456789", min_size=3, max_size=3),
    st.sampled_from("0123456789X"),
)


@given(st.lists(NUMBERS, max_size=3))
def test_the_bulk_screen_agrees_with_the_one_by_one_check(values: list[str]) -> None:
    assert all_valid(values) == all(problem(v) is None for v in values)


@given(st.lists(st.text(alphabet="0123456789X xX", min_size=16, max_size=19), max_size=5))
def test_the_bulk_screen_never_passes_a_number_that_has_a_problem(values: list[str]) -> None:
    if all_valid(values):
        assert all(problem(v) is None for v in values)


def test_the_bulk_screen_passes_valid_numbers() -> None:
    values = [f"{first}{check_digit(first)}" for first in ("46019919800101123", "11010519491231002")]
    assert all_valid(values) and all_valid([])
    assert not all_valid([*values, "460199198002301234"])  # 30 February


# --- personal data in free text and in the wrong field: masked by value -------------------------

from casekit import BASE  # noqa: E402

PLACES = {
    "narrative": ("narrative.yaml", "subtitle: 示例市总工会", "subtitle: '示例市总工会 {}'"),
    "batch title": (
        "disbursements.yaml",
        "{id: B2, publicity_start",
        "{{id: B2, title: '{}', publicity_start",
    ),
    "work unit": ("households.yaml", "{id: H2, name: 钱二,", "{{id: H2, name: 钱二, work_unit: '{}',"),
    "source note": ("funds.yaml", "kind: union\n", "kind: union\n    note: '{}'\n"),
    "target name": ("indicators.yaml", "{name: 目标明确,", "{{name: '目标明确 {}',"),
}
BASE_NAMES = ["赵一", "钱二", "孙三", "周四"]

ids = st.builds(
    lambda first: first + check_digit(first),
    st.builds(
        lambda region, born, seq: region + born.strftime("%Y%m%d") + seq,
        st.text(alphabet="0123456789", min_size=6, max_size=6),
        st.dates(),
        st.text(alphabet="0123456789", min_size=3, max_size=3),
    ),
)
mobiles = st.builds(
    lambda second, rest: "1" + second + rest,
    st.sampled_from("3456789"),
    st.text("0123456789", min_size=9, max_size=9),
)
cards = st.text(alphabet="0123456789", min_size=16, max_size=19).filter(lambda c: c[0] != "0")


def _grouped(value: str, how: int) -> str:
    if how == 0 or len(value) < 8:
        return value
    sep = " " if how == 1 else "-"
    return sep.join(value[i : i + 4] for i in range(0, len(value), 4))


@settings(max_examples=12, deadline=None)
@given(
    st.sampled_from(sorted(PLACES)),
    st.one_of(ids, mobiles, cards, st.sampled_from(BASE_NAMES)),
    st.integers(0, 2),
    st.sampled_from(["", "身份证号", "电话：", "卡号 ", "H"]),
)
def test_personal_values_in_free_text_are_masked(place: str, value: str, how: int, prefix: str) -> None:
    import shutil
    import tempfile

    file, old, new = PLACES[place]
    shown = value if value in BASE_NAMES else _grouped(value, how)
    with tempfile.TemporaryDirectory() as tmp:
        year = Path(tmp) / "y"
        shutil.copytree(BASE, year)
        text = (year / file).read_text(encoding="utf-8")
        (year / file).write_text(text.replace(old, new.format(prefix + shown), 1), encoding="utf-8")
        outputs = [runner.invoke(app, ["check", str(year)]).output]
        out = Path(tmp) / "r.md"
        outputs.append(runner.invoke(app, ["report", str(year), "--draft", "--out", str(out)]).output)
        if out.exists():
            outputs.append(out.read_text(encoding="utf-8"))
        for printed in outputs:
            assert shown not in printed
            assert value not in printed
