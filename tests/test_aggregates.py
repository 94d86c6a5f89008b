"""A year of aggregates only (no households.yaml, no disbursements.yaml): figures the ledger
gives are unknown, never 0; declarations stand in for them and are checked against each other
(BF203), one identity family at a time; checks that need the ledger do not run, and say so."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from bangfu_eval.aggregates import LEDGER, mode_line, needs_ledger, report_note, skipped_checks
from bangfu_eval.cli import app
from bangfu_eval.compute import leaves
from bangfu_eval.pipeline import Outcome, run
from casekit import BASE

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "2022"
runner = CliRunner()
Place = tuple[str, str, int, int]


def without_ledger(source: Path, target: Path) -> Path:
    """A copy of a year directory without its person-level files (made at test time: the seed's
    figures stay in data/2022 only)."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(*LEDGER))
    return target


def places(outcome: Outcome) -> set[Place]:
    return {(f.code, f.location.file, f.location.line, f.location.column) for f in outcome.findings}


def at(year: Path, file: str, marker: str) -> tuple[int, int]:
    """1-based line and column of ``marker`` in a file (the place of a placeholder's ``{{``)."""
    for n, line in enumerate((year / file).read_text(encoding="utf-8").splitlines(), 1):
        if marker in line:
            return n, line.index(marker) + 1
    raise AssertionError(f"{marker} not in {file}")


def _value_at(year: Path, file: str, marker: str) -> tuple[int, int]:
    """The place of the value after ``key: `` in ``marker``."""
    line, column = at(year, file, marker)
    return line, column + marker.index(": ") + 2


# --- data/2022 without its ledger -------------------------------------------------------------


def test_2022_without_ledger_finds_what_the_seed_gets_wrong_and_nothing_from_a_zero(
    tmp_path: Path, year2022: Outcome
) -> None:
    year = without_ledger(DATA, tmp_path / "2022")
    agg = run(year)
    assert agg.results is not None and agg.ledger_missing == LEDGER
    figs = agg.results.figures
    # the targets whose actual the ledger would give now have none (BF404), and nothing else is new
    unknown_actuals = {
        ("BF404", "targets.yaml", *_value_at(year, "targets.yaml", f"id: {t.id}"))
        for t in agg.year.targets.targets  # type: ignore[union-attr]
        if t.actual_figure and figs[t.actual_figure].origin == "unknown"
    }
    assert unknown_actuals
    # what the ledger judged is open without it: a target missed on a ledger figure (BF405), a
    # leaf with nothing in the ledger behind it (BF309; the leaf is ※ unverifiable instead)
    open_targets = tuple(
        f"{t.name}："
        for t in agg.year.targets.targets  # type: ignore[union-attr]
        if t.actual_figure and figs[t.actual_figure].origin == "unknown"
    )
    open_leaves = tuple(
        f"“{leaf.label}”"
        for tree in agg.results.trees
        for node in tree.nodes
        for leaf in leaves(node)
        if leaf.unverifiable
    )
    judged = {
        (f.code, f.location.file, f.location.line, f.location.column)
        for f in year2022.findings
        if (f.code == "BF405" and f.message.startswith(open_targets))
        or (f.code == "BF309" and f.message.startswith(open_leaves))
    }
    with_ledger = {p for p in places(year2022) if p[0] not in needs_ledger()} - judged
    assert places(agg) == with_ledger | unknown_actuals
    # among them the seed's own: 附件3's total 99 against its scores, the narrative's plan 200万元
    # against 附件5's 242万元, the evaluators' 99, the targets' bands
    found = places(agg)
    line, _ = at(year, "indicators.yaml", "declared: {weight: 100, score: 99}")
    column = (year / "indicators.yaml").read_text(encoding="utf-8").splitlines()[line - 1].index("99}") + 1
    assert ("BF304", "indicators.yaml", line, column) in found
    assert ("BF206", *narrative_at(year, "{{ project.planned_amount")) in found  # a second declaration
    assert {"BF304", "BF305", "BF206", "BF802", "BF401", "BF403", "BF406"} <= {p[0] for p in found}
    # every declaration of a figure only the ledger gives is taken as given, not compared with 0
    assert figs["households.archived"].origin == "declared"
    assert figs["person_times.total"].origin == "declared"
    assert figs["payments.on_time_share"].origin == "unknown"
    assert figs["payments.on_time_share"].value is None


def test_one_changed_person_time_by_source_gives_one_finding_naming_the_others(tmp_path: Path) -> None:
    year = without_ledger(DATA, tmp_path / "2022")
    before = places(run(year))
    path = year / "narrative.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("{{ person_times.central = 405 }}") == 1
    path.write_text(
        text.replace("person_times.central = 405", "person_times.central = 406"), encoding="utf-8"
    )
    outcome = run(year)
    new = [
        f
        for f in outcome.findings
        if (f.code, f.location.file, f.location.line, f.location.column) not in before
    ]
    assert [f.code for f in new] == ["BF203"]
    total = at(year, "narrative.yaml", "{{ person_times.total")
    assert (new[0].location.line, new[0].location.column) == total
    line = total[0]
    parts = [
        at(year, "narrative.yaml", m)
        for m in ("{{ person_times.central", "{{ person_times.provincial", "{{ person_times.city")
    ]
    assert re.findall(r"narrative\.yaml:(\d+):(\d+)", new[0].help) == [(str(n), str(c)) for n, c in parts]
    assert all(n == line for n, _ in parts)


def test_mode_is_said_once_in_check_and_score_and_in_json(tmp_path: Path) -> None:
    year = without_ledger(DATA, tmp_path / "2022")
    line = mode_line(LEDGER)
    assert set(skipped_checks(LEDGER)) == set(needs_ledger())
    check = runner.invoke(app, ["check", str(year)])
    assert check.output.count(line) == 1
    score = runner.invoke(app, ["score", str(year), "--force"])
    assert score.exit_code == 0 and score.output.replace("\n", "").count(line) == 1  # wrapped at 80
    markdown = runner.invoke(app, ["score", str(year), "--force", "--format", "md"])
    assert markdown.output.count(line) == 1
    assert line not in runner.invoke(app, ["score", str(DATA), "--force", "--format", "md"]).output
    assert mode_line(()) == ""
    github = runner.invoke(app, ["check", str(year), "--format", "github"]).output
    assert github.count(line) == 1
    doc = json.loads(runner.invoke(app, ["check", str(year), "--format", "json"]).output)
    assert doc["ledger"] == {
        "aggregate_only": True,
        "missing": list(LEDGER),
        "skipped_checks": list(skipped_checks(LEDGER)),
    }
    scored = json.loads(runner.invoke(app, ["score", str(year), "--force", "--format", "json"]).stdout)
    assert scored["ledger"] == doc["ledger"]
    assert scored["figures"]["person_times.total"]["origin"] == "declared"
    assert scored["figures"]["households.coverage"]["value"] is None


def test_leaves_that_need_the_ledger_are_unverifiable_not_scored(tmp_path: Path, year2022: Outcome) -> None:
    year = without_ledger(DATA, tmp_path / "2022")
    agg = run(year)
    assert agg.results is not None and year2022.results is not None
    marked = 0
    for tree_model, tree in zip(agg.year.indicators.trees, agg.results.trees, strict=True):  # type: ignore[union-attr]
        models = [n for top in tree_model.nodes for n in _model_leaves(top)]
        results = [n for top in tree.nodes for n in leaves(top)]
        for ind, res in zip(models, results, strict=True):
            name = ind.measure.figure if ind.measure is not None else None  # a measure may have no figure
            needs = name is not None and agg.results.figures[name].origin == "unknown"
            assert res.unverifiable == needs
            assert res.score == ind.score  # as awarded: neither 0 nor the full weight
            marked += needs
    assert marked > 0
    assert "BF303" not in {f.code for f in agg.findings}
    assert not any(n.unverifiable for t in year2022.results.trees for top in t.nodes for n in leaves(top))


def _model_leaves(ind):  # type: ignore[no-untyped-def]
    if not ind.children:
        yield ind
    for c in ind.children:
        yield from _model_leaves(c)


def test_report_of_an_aggregate_year_shows_the_declared_figures(tmp_path: Path) -> None:
    year = without_ledger(DATA, tmp_path / "2022")
    out = tmp_path / "report.md"
    result = runner.invoke(app, ["report", str(year), "--out", str(out), "--draft"])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    narrative = (year / "narrative.yaml").read_text(encoding="utf-8")
    for name in ("households.archived", "person_times.total", "person_times.central"):
        declared = re.search(r"\{\{ " + re.escape(name) + r" = (\d+) \}\}", narrative)
        assert declared is not None
        assert declared.group(1) in text
    assert "【?】" not in text
    assert report_note(LEDGER) in text and "yaml" not in report_note(LEDGER)


# --- one identity family at a time, on the small base year without its ledger ------------------


def base_without_ledger(tmp: Path, paragraph: str, funds: tuple[str, str] | None = None) -> Path:
    """The base year without its ledger, one paragraph added to the narrative, funds.yaml edited."""
    year = without_ledger(BASE, tmp / "year")
    with open(year / "narrative.yaml", "a", encoding="utf-8") as fh:
        fh.write(f"      - {paragraph}\n")
    if funds:
        path = year / "funds.yaml"
        text = path.read_text(encoding="utf-8")
        assert text.count(funds[0]) == 1
        path.write_text(text.replace(funds[0], funds[1]), encoding="utf-8")
    return year


def identity_findings(year: Path) -> list[tuple[str, int, int]]:
    """Where BF203 stands: (file, line, column); the year must have loaded and been checked."""
    outcome = run(year)
    assert outcome.results is not None, outcome.findings
    return [
        (f.location.file, f.location.line, f.location.column) for f in outcome.findings if f.code == "BF203"
    ]


def narrative_at(year: Path, marker: str) -> tuple[str, int, int]:
    return ("narrative.yaml", *at(year, "narrative.yaml", marker))


def test_base_without_ledger_declares_nothing_inconsistent(tmp_path: Path) -> None:
    year = without_ledger(BASE, tmp_path / "year")
    assert identity_findings(year) == []
    assert {f.code for f in run(year).findings} <= {"BF404"}


def _by_source(central: int) -> str:
    return (
        f"中央{{{{ person_times.central = {central} }}}}，省{{{{ person_times.province = 2 }}}}，"
        "市和工会{{ person_times.city + person_times.union = 2 }}。"
    )


def test_sum_by_source(tmp_path: Path) -> None:
    assert identity_findings(base_without_ledger(tmp_path / "a", _by_source(3))) == []
    year = base_without_ledger(tmp_path / "b", _by_source(4))
    assert identity_findings(year) == [narrative_at(year, "{{ person_times.total")]


UNION_SPENT = ("    spent: 36000\n", "")


def test_money_by_source_with_a_spent_only_declared(tmp_path: Path) -> None:
    ok = base_without_ledger(tmp_path / "a", "工会{{ funds.union.spent = 36000 }}元。", UNION_SPENT)
    assert identity_findings(ok) == []
    year = base_without_ledger(tmp_path / "b", "工会{{ funds.union.spent = 36001 }}元。", UNION_SPENT)
    # the narrative's total 241000 and project.yaml's city + union 91000 both break
    line, _ = at(year, "project.yaml", "figure: [funds.city.spent")
    value = (year / "project.yaml").read_text(encoding="utf-8").splitlines()[line - 1].index("91000")
    assert identity_findings(year) == [narrative_at(year, "{{ funds.spent"), ("project.yaml", line, value)]


def _by_type(living: int) -> str:
    return (
        f"生活{{{{ person_times.living = {living} }}}}，医疗{{{{ person_times.medical = 1 }}}}，"
        "助学{{ person_times.schooling = 1 }}。"
    )


def test_sum_by_type_known_parts_never_exceed_the_total(tmp_path: Path) -> None:
    ok = base_without_ledger(tmp_path / "a", _by_type(5))  # 5 + 1 + 1 = 7; other types unknown
    assert identity_findings(ok) == []
    outcome = run(ok)
    living = next(t for t in outcome.results.targets if t.id == "living")  # type: ignore[union-attr]
    assert living.actual == 5 and living.met  # a measure whose input is declared uses it
    fewer = base_without_ledger(tmp_path / "b", _by_type(4))  # 6 ≤ 7: festival etc. may hold 1
    assert identity_findings(fewer) == []
    year = base_without_ledger(tmp_path / "c", _by_type(6))  # 8 > 7
    assert identity_findings(year) == [narrative_at(year, "{{ person_times.total")]


def test_sum_by_category_and_by_status(tmp_path: Path) -> None:
    def text(sudden: int, graduating: int) -> str:
        return (
            f"深度{{{{ households.deep = 1 }}}}，相对{{{{ households.relative = 2 }}}}，"
            f"意外{{{{ households.sudden = {sudden} }}}}；在档{{{{ households.status.archived = 3 }}}}，"
            f"渐退期{{{{ households.status.graduating = {graduating} }}}}。"
        )

    assert identity_findings(base_without_ledger(tmp_path / "a", text(1, 1))) == []
    year = base_without_ledger(tmp_path / "b", text(2, 1))
    assert identity_findings(year) == [narrative_at(year, "{{ households.archived")]
    year = base_without_ledger(tmp_path / "c", text(1, 2))
    assert identity_findings(year) == [narrative_at(year, "{{ households.archived")]


def test_balance(tmp_path: Path) -> None:
    def text(balance: int) -> str:
        spent = "工会支出{{ funds.union.spent = 36000 }}元，"
        return spent + f"结余{{{{ funds.union.balance = {balance} }}}}元。"

    assert identity_findings(base_without_ledger(tmp_path / "a", text(4000), UNION_SPENT)) == []
    year = base_without_ledger(tmp_path / "b", text(5000), UNION_SPENT)
    assert identity_findings(year) == [narrative_at(year, "{{ funds.union.balance")]


def test_rates(tmp_path: Path) -> None:
    def text(rate: str, helped: int) -> str:
        return (
            "工会支出{{ funds.union.spent = 36000 }}元，"
            f"使用率{{{{ funds.union.utilisation = {rate} }}}}；"
            f"受助{{{{ households.helped = {helped} }}}}户，覆盖率{{{{ households.coverage = 100% }}}}。"
        )

    assert identity_findings(base_without_ledger(tmp_path / "a", text("90.00%", 4), UNION_SPENT)) == []
    year = base_without_ledger(tmp_path / "b", text("91.00%", 4), UNION_SPENT)
    assert identity_findings(year) == [narrative_at(year, "{{ funds.union.utilisation")]
    year = base_without_ledger(tmp_path / "c", text("90.00%", 3), UNION_SPENT)
    assert identity_findings(year) == [narrative_at(year, "{{ households.coverage")]


def test_a_figure_declared_twice(tmp_path: Path) -> None:
    assert identity_findings(base_without_ledger(tmp_path / "a", "共{{ households.archived = 4 }}户。")) == []
    year = base_without_ledger(tmp_path / "b", "共{{ households.archived = 5 }}户。")
    assert identity_findings(year) == [narrative_at(year, "{{ households.archived = 5")]


def test_with_the_ledger_identities_are_bf201s_not_bf203s(year2022: Outcome, base_year: Outcome) -> None:
    for outcome in (year2022, base_year):
        assert outcome.ledger_missing == ()
        assert "BF203" not in {f.code for f in outcome.findings}


def test_households_without_payments_skip_only_the_payment_checks(tmp_path: Path) -> None:
    year = tmp_path / "year"
    shutil.copytree(BASE, year, ignore=shutil.ignore_patterns("disbursements.yaml"))
    outcome = run(year)
    assert outcome.ledger_missing == ("disbursements.yaml",)
    assert outcome.results is not None
    figs = outcome.results.figures
    assert figs["households.archived"].origin == "computed"
    assert figs["households.helped"].origin == "unknown"
    assert "BF901" not in skipped_checks(outcome.ledger_missing)


# --- property: consistent declarations never break an identity ------------------------------


@st.composite
def consistent(draw: st.DrawFn) -> str:
    """A paragraph of declared parts and totals that agree: person-times by source and by type,
    households by category and status, the union's spent, balance and utilisation, coverage."""
    counts = st.integers(min_value=0, max_value=10_000)
    by_source = [draw(counts) for _ in range(4)]
    total = sum(by_source)
    cut = sorted(draw(st.lists(st.integers(0, total), min_size=2, max_size=2)))
    by_type = [cut[0], cut[1] - cut[0], total - cut[1]]
    deep, relative, sudden = (draw(counts) for _ in range(3))
    archived = deep + relative + sudden
    graduating = draw(st.integers(0, archived))
    helped = draw(st.integers(0, archived))
    spent = Decimal(draw(st.integers(0, 4_000_000))) / 100  # the union's arrived is 40000 元
    ledger = {
        "person_times.total": total,
        "person_times.central": by_source[0],
        "person_times.province": by_source[1],
        "person_times.city + person_times.union": by_source[2] + by_source[3],
        "person_times.living": by_type[0],
        "person_times.medical": by_type[1],
        "person_times.schooling": by_type[2],
        "households.archived": archived,
        "households.deep": deep,
        "households.relative": relative,
        "households.sudden": sudden,
        "households.status.archived": archived - graduating,
        "households.status.graduating": graduating,
        "households.helped": helped,
    }
    parts = [f"{{{{ {name} = {value} }}}}" for name, value in ledger.items()]
    if archived:
        parts.append(f"{{{{ households.coverage = {_pct(Decimal(helped) * 100 / archived)} }}}}")
    parts.append(f"{{{{ funds.union.spent = {spent} }}}}")
    parts.append(f"{{{{ funds.union.balance = {40000 - spent} }}}}")
    parts.append(f"{{{{ funds.union.utilisation = {_pct(spent * 100 / 40000)} }}}}")
    return "据报：" + "，".join(draw(st.permutations(parts))) + "。"


def _pct(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'), ROUND_HALF_UP)}%"


@settings(max_examples=25, deadline=None)
@given(paragraph=consistent())
def test_consistent_declarations_never_give_an_identity_finding(paragraph: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        year = base_without_ledger(Path(tmp), paragraph, UNION_SPENT)
        # the base's own narrative declares 7 person-times and 4 households: drop those two
        path = year / "narrative.yaml"
        text = path.read_text(encoding="utf-8")
        text = text.replace("{{ person_times.total = 7 }}", "7").replace("{{ households.archived = 4 }}", "4")
        text = text.replace("{{ funds.spent = 241000 }}", "241000")
        path.write_text(text, encoding="utf-8")
        (year / "project.yaml").write_text(
            (year / "project.yaml")
            .read_text(encoding="utf-8")
            .replace(
                '  - {figure: [funds.city.spent, funds.union.spent], value: "91000", source: 附件5}\n', ""
            ),
            encoding="utf-8",
        )
        assert identity_findings(year) == []


def test_an_unscored_leaf_that_needs_the_ledger_adds_nothing(tmp_path: Path) -> None:
    year = without_ledger(BASE, tmp_path / "year")
    path = year / "indicators.yaml"
    text = path.read_text(encoding="utf-8")
    old = "{name: 按时发放, weight: 20, score: 20, measure:"
    assert text.count(old) == 1
    path.write_text(text.replace(old, "{name: 按时发放, weight: 20, measure:"), encoding="utf-8")
    outcome = run(year)
    assert outcome.results is not None
    assert "BF303" not in {f.code for f in outcome.findings}
    tree = outcome.results.primary
    group = next(n for n in tree.nodes if n.name == "管理")
    timely, public = group.children
    assert timely.unverifiable and timely.score is None
    assert group.score == public.score  # neither 0 that voids the group nor the full weight
    assert tree.score == sum((leaf.score or 0 for n in tree.nodes for leaf in leaves(n)), Decimal(0))


def _unscored_timeliness(tmp: Path, declared_total: int) -> Outcome:
    year = without_ledger(BASE, tmp / "year")
    path = year / "indicators.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in (
        ("{name: 按时发放, weight: 20, score: 20, measure:", "{name: 按时发放, weight: 20, measure:"),
        ("declared: {weight: 100, score: 98}", f"declared: {{weight: 100, score: {declared_total}}}"),
    ):
        assert text.count(old) == 1
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return run(year)


def test_totals_with_unverifiable_points_are_checked_as_ranges(tmp_path: Path) -> None:
    # the leaf's 20 points are unknown: the total is known to lie between the rest and 20 more
    inside = _unscored_timeliness(tmp_path / "a", 98)
    assert inside.results is not None
    low = inside.results.total
    assert not {f.code for f in inside.findings} & {"BF304", "BF802", "BF803", "BF804"}
    assert low < 98 <= low + 20
    assert inside.results.grade == ""  # the range spans more than one grade band
    outside = _unscored_timeliness(tmp_path / "b", int(low) + 21)
    assert "BF304" in {f.code for f in outside.findings}
    below = _unscored_timeliness(tmp_path / "c", int(low) - 1)
    assert "BF304" in {f.code for f in below.findings}


def test_a_synthetic_year_without_payments_fails_nothing_for_the_missing_ledger(tmp_path: Path) -> None:
    from casekit import synth

    year = synth(tmp_path / "year", "--csv")
    for name in ("disbursements.csv", "batches.csv"):
        (year / name).unlink()
    outcome = run(year)
    assert outcome.ledger_missing == ("disbursements.yaml",)
    assert outcome.counts["error"] == 0, [f.message for f in outcome.findings]
    assert {f.code for f in outcome.findings} <= {"BF404"}


def test_publicity_of_an_aggregate_year_says_so_in_one_line(tmp_path: Path) -> None:
    """No ledger, nothing to post: one line and exit 2, not every finding of check first."""
    year = without_ledger(DATA, tmp_path / "2022")
    result = runner.invoke(app, ["publicity", str(year), "--batch", "L01"])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "没有发放明细" in lines[0]
