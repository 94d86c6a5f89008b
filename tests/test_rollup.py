"""bangfu rollup: a synthetic province of a handful of units, one broken, one with a planted
cross-unit duplicate and one with a wrong declared total. Expectations come from the input files
(funds.yaml, the ledgers, planted.json), never from the output."""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from bangfu_eval.cli import app
from bangfu_eval.money import round_places
from bangfu_eval.render.scorecard import QUOTIENT_PLACES

runner = CliRunner()
ID = re.compile(r"4601\d{13}[\dX]")


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("prov") / "2022"
    result = runner.invoke(app, ["synth", str(root), "--units", "8", "-n", "300", "--seed", "4"])
    assert result.exit_code == 0, result.output
    return root


def exact(quotient: Decimal) -> Decimal:
    """A quotient as JSON carries it (to QUOTIENT_PLACES decimals, half up)."""
    return round_places(quotient, QUOTIENT_PLACES)


def manifest(root: Path) -> dict:
    return json.loads((root / "planted.json").read_text(encoding="utf-8"))


def rollup_json(*args: str) -> tuple[int, dict]:
    result = runner.invoke(app, ["rollup", *args, "--format", "json", "--quiet"])
    return result.exit_code, json.loads(result.stdout)


def inputs(unit: Path) -> dict:
    """What a unit's files say: Σ arrived, Σ spent (the ledger), payments, households by category."""
    funds = yaml.safe_load((unit / "funds.yaml").read_text(encoding="utf-8"))
    pays = yaml.safe_load((unit / "disbursements.yaml").read_text(encoding="utf-8"))["disbursements"]
    homes = yaml.safe_load((unit / "households.yaml").read_text(encoding="utf-8"))["households"]
    cats: dict[str, int] = {}
    for h in homes:
        cats[h["category"]] = cats.get(h["category"], 0) + 1
    return {
        "arrived": sum(Decimal(str(s["arrived"])) for s in funds["sources"]),
        "spent": sum(Decimal(str(p["amount"])) for p in pays),
        "payments": len(pays),
        "categories": cats,
    }


def test_province_table_and_exit_code(province: Path) -> None:
    planted = manifest(province)["planted"]
    code, doc = rollup_json(str(province), "--jobs", "2")
    assert code == 1  # one unit not scored, one with errors, one cross-unit duplicate
    rows = {r["unit"]: r for r in doc["units"]}
    assert list(rows) == manifest(province)["units"]
    (broken,) = planted["broken"]
    assert rows[broken]["scored"] is False
    assert "BF006" in rows[broken]["failure"] and "funds.yaml" in rows[broken]["failure"]
    (wrong,) = planted["declared"]
    assert rows[wrong]["declared_total"] == "99" and rows[wrong]["total"] == "100"
    assert "BF304" in [p["code"] for p in rows[wrong]["problems"]]
    for name, row in rows.items():
        if name == broken:
            continue
        facts = inputs(province / name)
        assert Decimal(row["spent"]) == facts["spent"]
        assert row["person_times"] == facts["payments"]
        assert Decimal(row["execution_rate"]) == exact(facts["spent"] / facts["arrived"])
    assert doc["grades"]["未评分"] == 1
    assert sum(doc["grades"].values()) == len(rows)


def test_province_rates_are_rates_of_the_sums(province: Path) -> None:
    planted = manifest(province)["planted"]
    _, doc = rollup_json(str(province))
    scored = [u for u in manifest(province)["units"] if u not in planted["broken"]]
    facts = [inputs(province / u) for u in scored]
    arrived = sum(f["arrived"] for f in facts)
    spent = sum(f["spent"] for f in facts)
    t = doc["totals"]
    assert (t["units"], t["scored"]) == (8, len(scored))
    assert Decimal(t["arrived"]) == arrived and Decimal(t["spent"]) == spent
    assert Decimal(t["execution_rate"]) == exact(spent / arrived)
    mean_of_rates = sum(f["spent"] / f["arrived"] for f in facts) / len(facts)
    assert Decimal(t["execution_rate"]) != exact(mean_of_rates)  # units differ in size: not the same
    assert t["person_times"] == sum(f["payments"] for f in facts)
    labels = {"deep": "深度困难", "relative": "相对困难"}
    for code, label in labels.items():
        assert t["households"][label] == sum(f["categories"].get(code, 0) for f in facts)


def test_cross_unit_duplicate_found_and_masked(province: Path) -> None:
    ((first, second),) = manifest(province)["planted"]["duplicate"]
    number = ID.search((province / first / "households.yaml").read_text(encoding="utf-8")).group()
    _, doc = rollup_json(str(province))
    (finding,) = doc["cross_unit"]
    assert finding["code"] == "BF991"
    assert finding["file"] == f"{second}/households.yaml"
    assert first in finding["message"] and second in finding["message"]
    assert number not in json.dumps(doc, ensure_ascii=False)
    assert number[:6] + "*" * 8 + number[-4:] in finding["message"]
    row = next(u for u in doc["units"] if u["unit"] == second)
    assert row["errors"] == 1 and [p["code"] for p in row["problems"]] == ["BF991"]


def test_jobs_do_not_change_the_result(province: Path) -> None:
    _, one = rollup_json(str(province), "-j", "1")
    _, two = rollup_json(str(province), "-j", "2")
    assert one == two


def test_broken_yaml_and_empty_unit_never_stop_the_others(tmp_path: Path) -> None:
    root = tmp_path / "prov"
    assert runner.invoke(app, ["synth", str(root), "--units", "2", "-n", "30"]).exit_code == 0
    code, doc = rollup_json(str(root))
    assert code == 0 and doc["totals"]["scored"] == 2  # a clean province passes
    (root / "u0002" / "targets.yaml").write_text("targets: [ {", encoding="utf-8")
    (root / "u0009").mkdir()
    code, doc = rollup_json(str(root), "-j", "2")
    assert code == 1
    rows = {r["unit"]: r for r in doc["units"]}
    assert rows["u0001"]["scored"] and not rows["u0002"]["scored"] and not rows["u0009"]["scored"]
    assert rows["u0002"]["failure"].startswith("未能评分：targets.yaml:")
    assert "BF003" in rows["u0002"]["failure"]
    assert doc["totals"]["scored"] == 1
    assert Decimal(doc["totals"]["spent"]) == inputs(root / "u0001")["spent"]


def test_list_of_year_directories_and_sorting(province: Path) -> None:
    units = [str(province / u) for u in ("u0002", "u0001", "u0007")]
    _, doc = rollup_json(*units, "--sort", "errors")
    assert doc["units"][0]["unit"] == "u0007"  # the one with errors first
    assert {u["unit"] for u in doc["units"]} == {"u0001", "u0002", "u0007"}
    _, doc = rollup_json(*units, "--sort", "unit")
    assert [u["unit"] for u in doc["units"]] == ["u0001", "u0002", "u0007"]


def test_files_csv_xlsx_md_docx(province: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    for suffix in ("csv", "xlsx", "md", "docx"):
        out = tmp_path / f"province.{suffix}"
        result = runner.invoke(app, ["rollup", str(province), "--out", str(out), "--quiet"])
        assert result.exit_code == 1 and out.stat().st_size > 0, result.output
    raw = (tmp_path / "province.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig").splitlines()[0].startswith("rank,unit,name,arrived,spent,execution_rate")
    sheet = load_workbook(io.BytesIO((tmp_path / "province.xlsx").read_bytes()))["省级汇总"]
    head = [c.value for c in sheet[1]]
    u1 = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[1] == "u0001")
    assert u1[head.index("spent")] == float(inputs(province / "u0001")["spent"])
    md = (tmp_path / "province.md").read_text(encoding="utf-8")
    assert "## 二、评价等次分布" in md and "BF991" in md and "BF304" in md
    again = runner.invoke(app, ["rollup", str(province), "--out", str(tmp_path / "province.md")])
    assert again.exit_code == 2  # no overwrite without --force
    odd = runner.invoke(app, ["rollup", str(province), "--out", str(tmp_path / "p.txt")])
    assert odd.exit_code == 2 and not (tmp_path / "p.txt").exists()


def test_unit_without_its_ledger_is_summed_where_known(tmp_path: Path) -> None:
    root = tmp_path / "prov"
    assert runner.invoke(app, ["synth", str(root), "--units", "2", "-n", "40"]).exit_code == 0
    full = inputs(root / "u0001")
    spent2 = sum(
        Decimal(str(s["spent"]))
        for s in yaml.safe_load((root / "u0002" / "funds.yaml").read_text(encoding="utf-8"))["sources"]
    )
    (root / "u0002" / "households.yaml").unlink()
    (root / "u0002" / "disbursements.yaml").unlink()
    _, doc = rollup_json(str(root))
    rows = {r["unit"]: r for r in doc["units"]}
    assert rows["u0002"]["scored"] and rows["u0002"]["person_times"] is None
    assert rows["u0002"]["rank"] is None  # its total is a range: leaves that need the ledger
    assert Decimal(rows["u0002"]["spent"]) == spent2  # as funds.yaml declares it
    t = doc["totals"]
    assert t["person_times"] == full["payments"] and t["unknown"]["person_times"] == 1
    assert Decimal(t["spent"]) == full["spent"] + spent2


def test_units_named_by_the_directory_above_a_year_and_empty_dir(province: Path, tmp_path: Path) -> None:
    import shutil

    for city, unit in (("haikou", "u0001"), ("sanya", "u0002")):
        shutil.copytree(province / unit, tmp_path / city / "2022")
    _, doc = rollup_json(str(tmp_path / "haikou" / "2022"), str(tmp_path / "sanya" / "2022"))
    assert [u["unit"] for u in doc["units"]] == ["haikou", "sanya"]
    (tmp_path / "empty").mkdir()
    assert runner.invoke(app, ["rollup", str(tmp_path / "empty")]).exit_code == 2


def test_an_internal_error_in_one_unit_is_its_row(province: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bangfu_eval import pipeline
    from bangfu_eval.rollup import discover, rollup

    real = pipeline.run

    def flaky(directory: Path, **kwargs: object) -> pipeline.Outcome:
        if directory.name == "u0002":
            raise RuntimeError("bug")
        return real(directory, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "run", flaky)
    p = rollup(discover([province]), jobs=1)
    rows = {r.unit: r for r in p.rows}
    assert not rows["u0002"].scored and "RuntimeError" in rows["u0002"].failure
    assert rows["u0001"].scored and p.failed()


def test_a_unit_named_like_a_formula_is_quoted(province: Path, tmp_path: Path) -> None:
    import shutil

    shutil.copytree(province / "u0001", tmp_path / "=1+1")
    out = tmp_path / "p.csv"
    assert runner.invoke(app, ["rollup", str(tmp_path / "=1+1"), "--out", str(out), "-q"]).exit_code == 0
    row = out.read_bytes().decode("utf-8-sig").splitlines()[1].split(",")
    assert row[1] == "'=1+1"


def test_ranking_shares_ranks_and_skips_ranges() -> None:
    from dataclasses import replace

    from bangfu_eval.rollup import _failed_row, ranked

    base = _failed_row("x", "", "")
    rows = [
        replace(base, unit=u, scored=True, total=Decimal(t), total_open=Decimal(o))
        for u, t, o in (("a", 90, 0), ("b", 95, 0), ("c", 95, 0), ("d", 80, 0), ("e", 99, 1))
    ]
    assert [r.rank for r in ranked([*rows, base])] == [3, 1, 1, 4, None, None]


def test_a_name_in_a_wrong_column_never_leaves_a_worker_unmasked(tmp_path: Path) -> None:
    root = tmp_path / "prov"
    assert runner.invoke(app, ["synth", str(root), "--units", "2", "-n", "20"]).exit_code == 0
    name = homes_of(root / "u0001")[0]["name"]
    path = root / "u0001" / "disbursements.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("household: H0000001", f"household: {name}", 1), encoding="utf-8")
    for fmt in ("json", "csv", "md", "text"):
        result = runner.invoke(app, ["rollup", str(root), "--format", fmt, "-j", "2"])
        assert result.exit_code == 1 and "BF501" in result.stdout
        assert name not in result.stdout


def homes_of(unit: Path) -> list[dict]:
    return yaml.safe_load((unit / "households.yaml").read_text(encoding="utf-8"))["households"]
