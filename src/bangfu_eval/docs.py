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
        "   and list it in `DATA_RULES` (it reads the data only; its findings may be a leaf's",
        "   evidence) or `SCORE_RULES` (it reads the scores) in `rules/__init__.py`.",
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


def score_example(root: Path) -> str:
    """`bangfu score data/2022 --level 2` as a terminal 80 columns wide shows it."""
    from bangfu_eval.pipeline import run
    from bangfu_eval.render.terminal import as_text

    outcome = run(Path("data/2022")) if root == Path.cwd() else run(root / "data/2022")
    assert outcome.results is not None
    body = as_text(outcome.results, 80, 2)
    return "```console\n$ bangfu score data/2022 --level 2\n" + body + "```\n"


BLOCK = re.compile(r"(<!-- begin: (?P<name>[\w-]+) -->\n).*?(<!-- end: (?P=name) -->)", re.S)


def benchmark_table(root: Path) -> str:
    """The measured table of benchmarks/results.md, as committed with the machine it ran on."""
    path = root / "benchmarks" / "results.md"
    if not path.exists():
        return "(run benchmarks/run.py)\n"
    lines = path.read_text(encoding="utf-8").splitlines()
    keep = [line for line in lines if line.startswith(("|", "Measured"))]
    return "\n".join(keep) + "\n"


def readme(root: Path, current: str) -> str:
    blocks = {
        "check-2022": check_example(root),
        "score-2022": score_example(root),
        "benchmark": benchmark_table(root),
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
