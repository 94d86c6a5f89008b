"""Benchmark bangfu check and score against the YAML parser's own floor (not part of the tests).

For N in 1e3, 1e4, 1e5, 1e6 disbursements it writes a synthetic year with `bangfu synth` (YAML
and CSV), then times as whole processes, on the same files in the same run:

- floor: `yaml.load(..., Loader=CSafeLoader)` of the year's YAML files (full construction,
  no positions), or `csv.reader` over the CSV files;
- `bangfu check DIR`;
- `bangfu score DIR --format json`;

and prints a table of seconds, ratio to the floor and peak RSS, written to
benchmarks/results.md with the machine it ran on.

    python benchmarks/run.py                 # all sizes (about 15 minutes on 2 cores)
    python benchmarks/run.py --sizes 1e3 1e4 # a quick look
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".data"
PER_HOUSEHOLD = 8.05  # payments per household in the 2022 mix (918 / 114)

FLOOR_YAML = (
    "import sys, yaml\n"
    "for f in sys.argv[1:]:\n"
    "    with open(f, encoding='utf-8') as fh: yaml.load(fh, Loader=yaml.CSafeLoader)\n"
)
FLOOR_CSV = (
    "import csv, sys\n"
    "for f in sys.argv[1:]:\n"
    "    with open(f, encoding='utf-8', newline='') as fh:\n"
    "        for row in csv.reader(fh): pass\n"
)


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """(seconds, peak RSS in MB, exit code) of one whole process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    return seconds, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def best(cmd: list[str], repeat: int, env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """The fastest of ``repeat`` runs (as timeit does: the others only add the machine's
    noise), the largest peak RSS; a run over 30 s is not repeated."""
    runs = [timed(cmd, env)]
    while len(runs) < repeat and runs[0][0] < 30:
        runs.append(timed(cmd, env))
    return min(r[0] for r in runs), max(r[1] for r in runs), max(r[2] for r in runs)


def year(n: int, fmt: str) -> Path:
    directory = CACHE / f"{fmt}-{n}"
    if not (directory / "funds.yaml").exists():
        shutil.rmtree(directory, ignore_errors=True)
        households = max(1, round(n / PER_HOUSEHOLD))
        args = [
            sys.executable,
            "-m",
            "bangfu_eval",
            "synth",
            str(directory),
            "-n",
            str(households),
            "--seed",
            "7",
        ]
        subprocess.run(args + (["--csv"] if fmt == "csv" else []), check=True, capture_output=True)
    return directory


def payments(directory: Path) -> int:
    for name in ("disbursements.csv", "disbursements.yaml"):
        path = directory / name
        if path.exists():
            with open(path, encoding="utf-8") as fh:
                lines = sum(1 for line in fh if line.startswith(("  - {id: D", "D")))
            return lines
    return 0


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="*", default=["1e3", "1e4", "1e5", "1e6"])
    parser.add_argument("--formats", nargs="*", default=["yaml", "csv", "csv-py"])
    parser.add_argument("--repeat", type=int, default=3, help="runs per command; the fastest counts")
    args = parser.parse_args()
    bangfu = [sys.executable, "-m", "bangfu_eval"]
    rows = []
    head = (
        "N payments",
        "format",
        "MB",
        "floor s",
        "check s",
        "check/floor",
        "check MB",
        "score s",
        "score/floor",
        "score MB",
        "check µs/payment",
    )
    print(" | ".join(head), flush=True)
    for size in args.sizes:
        n = int(float(size))
        for fmt in args.formats:
            d = year(n, fmt.removesuffix("-py"))
            files = sorted(str(p) for p in d.iterdir() if p.suffix == ".yaml")
            if fmt.startswith("csv"):
                floor_cmd = [
                    sys.executable,
                    "-c",
                    FLOOR_CSV,
                    *sorted(str(p) for p in d.iterdir() if p.suffix == ".csv"),
                ]
            else:
                floor_cmd = [sys.executable, "-c", FLOOR_YAML, *files]
            env = {**os.environ, "BANGFU_NO_ARROW": "1"} if fmt == "csv-py" else None
            floor, _, _ = best(floor_cmd, args.repeat)
            check, check_mb, code = best([*bangfu, "check", str(d)], args.repeat, env)
            score, score_mb, _ = best([*bangfu, "score", str(d), "--format", "json"], args.repeat, env)
            count = payments(d)
            size_mb = sum(p.stat().st_size for p in d.iterdir()) / 1e6
            row = (
                f"{count:,}",
                fmt,
                f"{size_mb:.1f}",
                f"{floor:.2f}",
                f"{check:.2f}",
                f"{check / floor:.2f}",
                f"{check_mb:.0f}",
                f"{score:.2f}",
                f"{score / floor:.2f}",
                f"{score_mb:.0f}",
                f"{check / max(count, 1) * 1e6:.1f}" + ("" if code == 0 else f" (exit {code})"),
            )
            rows.append(row)
            print(" | ".join(row), flush=True)
    lines = [
        "# Benchmark results",
        "",
        f"Measured {dt.date.today().isoformat()} by `python benchmarks/run.py` on: {machine()}.",
        "",
        f"Every time is a whole process (interpreter start included), the fastest of {args.repeat} runs",
        "(one run when it takes over 30 s). The floor reads the same files with",
        "`yaml.load(Loader=CSafeLoader)` (YAML; no positions kept) or `csv.reader` (CSV).",
        "`csv` reads plain CSV files through pyarrow (`pip install 'bangfu-eval[large]'`);",
        "`csv-py` is the same files with pyarrow switched off (`BANGFU_NO_ARROW=1`).",
        "Peak RSS from `wait4`.",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
        *("| " + " | ".join(r) + " |" for r in rows),
        "",
    ]
    (HERE / "results.md").write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {HERE / 'results.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
