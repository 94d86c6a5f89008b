"""Benchmark the Word outputs (not part of the tests): the report and the 公示 list as .docx.

Times whole processes, best of 3: `bangfu report data/2022 --out r.docx`, `bangfu publicity
data/2022 --out p.docx`, and the 公示 list (every batch) of synthetic years of about 1,000,
10,000 and 30,000 payments, one table row per payment; prints µs per row so that growth can be
read as linear or not, and writes benchmarks/word-results.md.

    python benchmarks/word.py            # about a minute on 2 cores
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = HERE / ".data"
PER_HOUSEHOLD = 8.05  # payments per household in the 2022 mix (918 / 114)
BANGFU = [sys.executable, "-m", "bangfu_eval"]


def seconds(cmd: list[str], repeat: int = 3) -> float:
    """The fastest of ``repeat`` runs of one whole process (the others add only noise)."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        runs.append(time.perf_counter() - start)
    return min(runs)


def synthetic(n: int) -> Path:
    directory = CACHE / f"word-{n}"
    if not (directory / "funds.yaml").exists():
        shutil.rmtree(directory, ignore_errors=True)
        households = max(1, round(n / PER_HOUSEHOLD))
        subprocess.run([*BANGFU, "synth", str(directory), "-n", str(households), "--seed", "7"], check=True)
    return directory


def payments(year: Path) -> int:
    """How many payments (rows of the 公示 list) the year has."""
    text = (year / "disbursements.yaml").read_text(encoding="utf-8")
    return text.count(" household: ")  # one line per payment; batches have none


def main() -> None:
    out = Path(tempfile.mkdtemp())
    data = ROOT / "data" / "2022"
    rows = []
    t = seconds([*BANGFU, "report", str(data), "--out", str(out / "r.docx"), "--force"])
    rows.append(("report .docx", "data/2022", "—", t, None))
    for label, year in [("data/2022", data)] + [
        (f"synthetic {n:,}", synthetic(n)) for n in (1000, 10000, 30000)
    ]:
        n = payments(year)
        t = seconds([*BANGFU, "publicity", str(year), "--out", str(out / "p.docx"), "--force"])
        rows.append(("publicity .docx", label, f"{n:,}", t, t / n * 1e6))
    shutil.rmtree(out)
    lines = [
        f"Measured {dt.date.today()} by `python benchmarks/word.py` on: {_machine()}.",
        "",
        "| output | year | rows | seconds (best of 3) | µs per row |",
        "|---|---|---|---|---|",
    ]
    for what, label, n_rows, t, per in rows:
        lines.append(f"| {what} | {label} | {n_rows} | {t:.2f} | {'—' if per is None else f'{per:.0f}'} |")
    text = "\n".join(lines) + "\n"
    (HERE / "word-results.md").write_text(text, encoding="utf-8")
    print(text)


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            cpu = next(line.split(":", 1)[1].strip() for line in fh if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


if __name__ == "__main__":
    main()
