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


def _line_of(name: str, needle: str) -> int:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


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
        # 附件4: 中 '600人以下' out of order and overlapping 差; gaps and an overlap at 85%
        ("BF401", "targets.yaml", _line_of("targets.yaml", "600人以下")),
        ("BF402", "targets.yaml", _line_of("targets.yaml", "500人以下")),
        ("BF402", "targets.yaml", _line_of("targets.yaml", "85%以下")),
        ("BF403", "targets.yaml", _line_of("targets.yaml", "600人以下")),
        ("BF403", "targets.yaml", _line_of("targets.yaml", "1人以下")),
        ("BF403", "targets.yaml", _line_of("targets.yaml", "60人以下")),
        ("BF403", "targets.yaml", _line_of("targets.yaml", "完未85%")),
        # the narrative's 200万元 against 附件5's 242万元
        ("BF204", "narrative.yaml", _line_of("narrative.yaml", "project.planned_amount")),
        ("BF801", "project.yaml", _line_of("project.yaml", "planned_amount:")),
        # union money: low utilisation and its carry-over
        ("BF607", "funds.yaml", _line_of("funds.yaml", "spent: 265134")),
        # matching met on arrived money, not on spent money
        ("BF606", "funds.yaml", _line_of("funds.yaml", "arrived: 1295600")),
        # no satisfaction survey result for 2022; evaluators signed 99; the grade is blank
        ("BF404", "targets.yaml", _line_of("targets.yaml", "id: satisfaction")),
        ("BF803", "project.yaml", _line_of("project.yaml", "grade:")),
        *{
            ("BF802", "project.yaml", _line_of("project.yaml", f"name: {n},"))
            for n in ("符永强", "胡博", "覃湘", "韩群")
        },
    }
    assert got == expected


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
