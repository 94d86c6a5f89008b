"""Benchmark: `bangfu check` of a ledger written as one line of JSON (valid YAML), with a finding
on every payment, so every finding's place and snippet lies on the same long line. The work per
finding must not grow with the line: N payments cost about N times one payment.

    python benchmarks/oneline.py                  # 1e3 and 1e4 payments (under a minute)
    python benchmarks/oneline.py --sizes 1e4      # the issue's row only

Writes benchmarks/oneline.md with the machine it ran on. Runs alone: it needs nothing from
benchmarks/run.py but a Python with bangfu installed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".data"
PER_HOUSEHOLD = 8.05  # payments per household in the 2022 mix


def oneline_year(n: int) -> Path:
    """A synthetic year whose disbursements.yaml is one line of JSON and whose every payment
    names a household that is not in the archive (one BF501 each)."""
    import yaml

    directory = CACHE / f"oneline-{n}"
    if (directory / "funds.yaml").exists():
        return directory
    shutil.rmtree(directory, ignore_errors=True)
    households = max(1, round(n / PER_HOUSEHOLD))
    subprocess.run(
        [sys.executable, "-m", "bangfu_eval", "synth", str(directory), "-n", str(households), "--seed", "7"],
        check=True,
        capture_output=True,
    )
    path = directory / "disbursements.yaml"
    doc = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    for row in doc["disbursements"]:
        row["household"] = "X" + str(row["household"])
    path.write_text(json.dumps(doc, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    return directory


def timed(cmd: list[str]) -> tuple[float, int, int]:
    """(seconds, exit code, findings printed) of one whole process."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=3600)
    return time.perf_counter() - start, proc.returncode, proc.stdout.count(" error BF501 ")


def _main(where: str) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="*", default=["1e3", "1e4"])
    args = parser.parse_args()
    head = ("N payments", "line MB", "findings", "check s", "µs/finding", "exit")
    rows = []
    print(" | ".join(head), flush=True)
    for size in args.sizes:
        n = int(float(size))
        d = oneline_year(n)
        mb = (d / "disbursements.yaml").stat().st_size / 1e6
        seconds, code, found = timed([sys.executable, "-m", "bangfu_eval", "check", str(d)])
        row = (
            f"{n:,}",
            f"{mb:.1f}",
            f"{found:,}",
            f"{seconds:.2f}",
            f"{seconds / max(found, 1) * 1e6:.0f}",
            str(code),
        )
        rows.append(row)
        print(" | ".join(row), flush=True)
    lines_out = [
        "# Benchmark: findings on one long line",
        "",
        f"Measured {dt.date.today().isoformat()} by `python benchmarks/oneline.py` on: {where}.",
        "",
        "A ledger written as one line of JSON, every payment naming a household not in the archive:",
        "`bangfu check` as a whole process (interpreter start included), exit 1 expected.",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
        *("| " + " | ".join(r) + " |" for r in rows),
        "",
    ]
    (HERE / "oneline.md").write_text("\n".join(lines_out), encoding="utf-8")
    print(f"wrote {HERE / 'oneline.md'}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    from run import machine

    sys.exit(_main(machine()))
