"""Generated documentation: docs/rules.md from the catalogue, and the README's example blocks
from real runs. ``python -m bangfu_eval.docs`` rewrites them; tests/test_docs.py checks them."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from bangfu_eval.catalogue import CODES, FAMILIES


def rules_markdown() -> str:
    out = [
        "# Finding codes",
        "",
        "Generated from `src/bangfu_eval/catalogue.py` by `python -m bangfu_eval.docs`; do not edit.",
        "`bangfu rules` lists them and `bangfu explain CODE` prints one page.",
        "",
        "## Adding a rule",
        "",
        "1. Give the code an entry in `catalogue.py` (severity, English and Chinese title, why,",
        "   example, fix). A code is never reused.",
        "2. Write one function `(ctx: Context) -> Iterable[Finding]` in its family's module under",
        "   `src/bangfu_eval/rules/`, reading thresholds from `ctx.year.policy`, never constants,",
        "   and list it in `RULES` in `rules/__init__.py`.",
        "3. Add `tests/cases/BFxxx.json`: one edit of the clean base year that fires it, with the",
        "   expected `[code, file, line, column]`. `tests/test_cases.py` runs it; the base year",
        "   itself is the passing input.",
        "4. Run `python -m bangfu_eval.docs` to regenerate this page.",
        "",
    ]
    family = ""
    for code, info in CODES.items():
        if info.family != family:
            family = info.family
            out += [f"## {family}xx — {FAMILIES[family]}", ""]
        out += [
            f"### {code} {info.title} · {info.zh}",
            "",
            f"Severity: **{info.severity.value}**",
            "",
            f"- Why: {info.why}",
            f"- Example: {info.example}",
            f"- Fix: {info.fix}",
            "",
        ]
    return "\n".join(out)


def check_example(root: Path) -> str:
    from bangfu_eval.pipeline import run
    from bangfu_eval.render.findings_text import text

    outcome = run(Path("data/2022")) if root == Path.cwd() else run(root / "data/2022")
    body = text(outcome, lines=outcome.loaded.lines)
    body = body.replace(str(root / "data/2022"), "data/2022")
    return "```console\n$ bangfu check data/2022\n" + body + "```\n"


BLOCK = re.compile(r"(<!-- begin: (?P<name>[\w-]+) -->\n).*?(<!-- end: (?P=name) -->)", re.S)


def benchmark_table(root: Path, name: str = "results.md") -> str:
    """The measured table of benchmarks/<name>, as committed with the machine it ran on."""
    path = root / "benchmarks" / name
    if not path.exists():
        return "(run benchmarks/run.py)\n"
    lines = path.read_text(encoding="utf-8").splitlines()
    keep = [line for line in lines if line.startswith(("|", "Measured"))]
    return "\n".join(keep) + "\n"


def rollup_example() -> str:
    """``bangfu rollup`` on a synthetic province of 8 units (seed 2), as the terminal shows it."""
    import tempfile

    from bangfu_eval.render.rollup import sort_rows
    from bangfu_eval.render.terminal import province_text
    from bangfu_eval.rollup import discover, rollup
    from bangfu_eval.synthprovince import synth_province

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "2022"
        synth_province(root, 8, 320, 2)
        p = rollup(discover([root]), jobs=1)
        body = province_text(p, sort_rows(p.rows, "unit"))
    lines = [line.rstrip() for line in body.splitlines()]
    return (
        "```console\n$ bangfu synth province/2022 --units 8 -n 320 --seed 2\n"
        "$ bangfu rollup province/2022\n" + "\n".join(lines) + "\n```\n"
    )


def diff_example() -> str:
    """``bangfu diff`` of two synthetic years of one unit (seed 5; 3 more households in 2023)."""
    import tempfile

    from bangfu_eval.diffyears import diff
    from bangfu_eval.pipeline import run
    from bangfu_eval.render.diffyears import text
    from bangfu_eval.synthyear import synth

    with tempfile.TemporaryDirectory() as tmp:
        old, new = Path(tmp) / "2022", Path(tmp) / "2023"
        synth(old, 20, 5)
        synth(new, 23, 5, 2023)
        body = text(diff(run(old), run(new))).replace(tmp + "/", "unit/")
    return (
        "```console\n$ bangfu synth unit/2022 -n 20 --seed 5\n"
        "$ bangfu synth unit/2023 -n 23 --seed 5 --year 2023\n$ bangfu diff unit/2022 unit/2023\n"
        + body
        + "```\n"
    )


def readme(root: Path, current: str) -> str:
    blocks = {
        "check-2022": check_example(root),
        "benchmark": benchmark_table(root),
        "rollup-benchmark": benchmark_table(root, "rollup.md"),
        "rollup-example": rollup_example(),
        "diff-example": diff_example(),
    }
    return BLOCK.sub(lambda mt: mt.group(1) + blocks[mt.group("name")] + mt.group(3), current)


def main() -> int:
    root = Path(__file__).resolve().parents[2]
    (root / "docs" / "rules.md").write_text(rules_markdown(), encoding="utf-8")
    path = root / "README.md"
    path.write_text(readme(root, path.read_text(encoding="utf-8")), encoding="utf-8")
    print("updated docs/rules.md and README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
