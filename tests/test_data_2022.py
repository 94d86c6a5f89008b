"""data/2022: the seed's real inconsistencies are found, at their files and lines, and the
scorecard's figures follow from the data files (never typed here twice)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import yaml

from bangfu_eval.narrative import declarations, parse_declared, value_of
from bangfu_eval.pipeline import Outcome

DATA = Path(__file__).resolve().parents[1] / "data" / "2022"


def _raw(name: str) -> dict:
    # BaseLoader: every scalar a string, as the seed is printed
    return yaml.load((DATA / name).read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def _line_of(name: str, needle: str, after: str = "") -> int:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines, 1) if after in line) if after else 0
    return next(i for i, line in enumerate(lines, 1) if i > start and needle in line)


def test_no_load_or_schema_findings(year2022: Outcome) -> None:
    assert not [f for f in year2022.findings if f.code[:3] in ("BF0", "BF1")]
    assert year2022.results is not None


def test_the_seed_inconsistencies_are_reported_where_they_stand(year2022: Outcome) -> None:
    got = {(f.code, f.location.file, f.location.line) for f in year2022.findings}
    expected = {
        # 附件3 states 99; its leaves as printed sum to 98
        ("BF304", "indicators.yaml", _line_of("indicators.yaml", "declared: {weight: 100, score: 99}")),
        # 附件5's tree adds up to 99, 附件3's to 98
        ("BF305", "indicators.yaml", _line_of("indicators.yaml", "id: summary")),
        # 附件4: 中 '600人以下' out of order, leaving a gap and overlapping 差 — one finding for
        # the one target (its other place is related); gaps; 85%以上/85%以下 share only 85%
        ("BF401", "targets.yaml", _line_of("targets.yaml", "600人以下")),
        ("BF406", "targets.yaml", _line_of("targets.yaml", "85%以下")),
        ("BF403", "targets.yaml", _line_of("targets.yaml", "1人以下")),
        ("BF403", "targets.yaml", _line_of("targets.yaml", "60人以下")),
        ("BF403", "targets.yaml", _line_of("targets.yaml", "完未85%")),
        # the narrative's 200万元 against 附件5's 242万元
        ("BF206", "narrative.yaml", _line_of("narrative.yaml", "project.planned_amount")),
        ("BF801", "project.yaml", _line_of("project.yaml", "planned_amount:")),
        # union money: low utilisation and its carry-over
        ("BF607", "funds.yaml", _line_of("funds.yaml", "spent: 265134")),
        # 附件2 says the union money was 基本使用完毕 while 74% of it is carried over
        ("BF204", "narrative.yaml", _line_of("narrative.yaml", "基本使用完毕")),
        # the union's arrived money includes the 2021 carry-over of unstated size: matching on
        # new money cannot be verified
        ("BF609", "funds.yaml", _line_of("funds.yaml", "carried_in_included: true")),
        # matching met on arrived money, not on spent money
        ("BF606", "funds.yaml", _line_of("funds.yaml", "arrived: 1295600")),
        # no satisfaction survey result for 2022; evaluators signed 99; the grade is blank
        ("BF404", "targets.yaml", _line_of("targets.yaml", "id: satisfaction")),
        ("BF803", "project.yaml", _line_of("project.yaml", "grade:")),
        # 发放完成率 by 12-31 misses 附件4's 100%: the union's money was carried over
        ("BF405", "targets.yaml", _line_of("targets.yaml", "target: 100%", after="id: timeliness")),
        # four leaves rest on the cap check (BF602) while 2022's policy declares no caps: one
        # missing standard, one finding at the first, naming the other three
        ("BF311", "indicators.yaml", _line_of("indicators.yaml", "contradicted_by: [BF602]")),
        # the four evaluators signed the same 99: one discrepancy, one finding
        ("BF802", "project.yaml", _line_of("project.yaml", "name: 符永强,")),
        # full marks where the data holds nothing: no 送温暖 or 疫情慰问 payment, no survey
        ("BF309", "indicators.yaml", _line_of("indicators.yaml", "figure: person_times.festival") - 1),
        ("BF309", "indicators.yaml", _line_of("indicators.yaml", "figure: person_times.epidemic") - 1),
        ("BF309", "indicators.yaml", _line_of("indicators.yaml", "帮扶服务对象满意度")),
        ("BF309", "indicators.yaml", _line_of("indicators.yaml", "社会对帮扶工作的认可度")),
        ("BF309", "indicators.yaml", _line_of("indicators.yaml", "资金使用地区满意度")),
        ("BF309", "indicators.yaml", _line_of("indicators.yaml", "{name: 服务对象满意度")),
    }
    assert got == expected


def test_one_root_cause_names_its_other_places(year2022: Outcome) -> None:
    by_code = {f.code: f for f in year2022.findings}
    bands = by_code["BF401"]
    assert [r.line for r in bands.related] == [_line_of("targets.yaml", "500人以下")]
    signed = by_code["BF802"]
    others = [_line_of("project.yaml", name) for name in ("name: 胡博", "name: 覃湘", "name: 韩群")]
    assert [(r.file, r.line) for r in signed.related] == [("project.yaml", line) for line in others]


def test_leaves_without_a_standard_are_one_finding(year2022: Outcome) -> None:
    (f,) = [f for f in year2022.findings if f.code == "BF311"]
    text = (DATA / "indicators.yaml").read_text(encoding="utf-8").splitlines()
    lines = [i for i, line in enumerate(text, 1) if "contradicted_by: [BF602]" in line]
    assert [f.location.line, *(r.line for r in f.related)] == lines
    assert f"等 {len(lines)} 个指标" in f.message


def test_matching_is_met_on_arrived_money(year2022: Outcome) -> None:
    assert not [f for f in year2022.findings if f.code == "BF605"]


def test_synthetic_ledger_passes_reference_and_payment_rules(year2022: Outcome) -> None:
    assert not [f for f in year2022.findings if f.code[:3] in ("BF5", "BF7", "BF9")]
    assert _raw("households.yaml")["synthetic"] == "true"
    assert _raw("disbursements.yaml")["synthetic"] == "true"


def test_fund_figures_follow_from_funds_yaml(year2022: Outcome) -> None:
    r = year2022.results
    assert r is not None
    sources = _raw("funds.yaml")["sources"]
    arrived = sum(Decimal(s["arrived"]) for s in sources)
    spent = sum(Decimal(s["spent"]) for s in sources)
    assert r.funds.arrived == arrived
    assert r.funds.spent == spent  # from the ledger, equal to funds.yaml's declared spent
    assert r.funds.balance == arrived - spent
    assert r.funds.utilisation == spent / arrived


def test_every_seed_declaration_but_the_plan_agrees(year2022: Outcome) -> None:
    """附件2's and 附件5's printed totals (2914797, 2149834, 764963, 918, …) are the computed ones."""
    r = year2022.results
    assert r is not None and year2022.year is not None
    checked = 0
    for d in declarations(year2022.year):
        fig = value_of(d.names, r.figures)
        assert fig is not None and fig.value is not None
        value, _, _ = parse_declared(d.text, fig.kind)
        if d.names == ("project.planned_amount",):
            assert fig.value != value  # 242万元 against the narrative's 200万元
            continue
        assert fig.value == value, d
        checked += 1
    assert checked >= 20


def test_person_times_by_type_equal_the_targets(year2022: Outcome) -> None:
    r = year2022.results
    assert r is not None
    for t in _raw("targets.yaml")["targets"]:
        if t.get("actual_figure", "").startswith("person_times."):
            assert r.figures[t["actual_figure"]].value == Decimal(t["target"])


def test_grade_follows_from_the_total(year2022: Outcome) -> None:
    r = year2022.results
    assert r is not None
    bands = sorted(((Decimal(b["min"]), b["grade"]) for b in _default_bands()), reverse=True)
    assert r.grade == next(g for lo, g in bands if r.total >= lo)


def _default_bands() -> list[dict]:
    from importlib import resources

    text = resources.files("bangfu_eval").joinpath("policy_defaults.yaml").read_text("utf-8")
    return yaml.load(text, Loader=yaml.BaseLoader)["grade_bands"]


def _pct(numerator: Decimal, denominator: Decimal) -> str:
    from decimal import ROUND_HALF_UP

    return f"{(numerator / denominator * 100).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"


def _leaf_scores(nodes: list[dict]) -> list[Decimal]:
    out: list[Decimal] = []
    for n in nodes:
        out += _leaf_scores(n["children"]) if n.get("children") else [Decimal(n["score"])]
    return out


def test_score_shows_execution_rates_and_all_three_totals() -> None:
    """`bangfu score` (no flag) exits 0; 预算执行率 overall and the union's, and the computed,
    declared and declared-leaf totals, in text and JSON, each derived here from the files."""
    import json
    from decimal import ROUND_HALF_UP

    from rich.cells import cell_len
    from typer.testing import CliRunner

    from bangfu_eval.cli import app

    sources = _raw("funds.yaml")["sources"]
    arrived = sum(Decimal(s["arrived"]) for s in sources)  # the carry-over is inside arrived
    spent = sum(Decimal(s["spent"]) for s in sources)
    union = next(s for s in sources if s["id"] == "union")
    overall, union_rate = _pct(spent, arrived), _pct(Decimal(union["spent"]), Decimal(union["arrived"]))
    tree = next(t for t in _raw("indicators.yaml")["trees"] if t["id"] == "detail")
    declared, leaves = Decimal(tree["declared"]["score"]), sum(_leaf_scores(tree["nodes"]))

    runner = CliRunner()
    text = runner.invoke(app, ["score", str(DATA)], env={"COLUMNS": "80"})
    assert text.exit_code == 0
    assert overall in text.stdout and union_rate in text.stdout
    assert f"申报总分 {declared}" in text.stdout and f"申报末级得分合计 {leaves}" in text.stdout
    assert max(cell_len(line) for line in text.stdout.splitlines()) <= 80  # CJK counts 2

    doc = json.loads(runner.invoke(app, ["score", str(DATA), "--format", "json"]).stdout)
    figs = doc["figures"]
    assert figs["funds.execution_rate"]["display"] == overall
    assert figs["funds.union.execution_rate"]["display"] == union_rate
    six = (spent / arrived).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)
    assert figs["funds.execution_rate"]["value"] == str(six)
    assert doc["totals"]["declared"] == str(declared) and doc["totals"]["declared_leaves"] == str(leaves)
    assert doc["totals"]["computed"] == doc["total"]
