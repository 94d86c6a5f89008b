"""``bangfu synth --units N``: a synthetic province, one year directory per unit.

Units differ in size (log-normal weights, at least 5 households each) and each unit numbers its
households from its own range, so ID numbers are unique across the province unless a problem is
planted. Problems are planted at fixed positions (1-based unit number modulo 40), and listed in
``planted.json`` beside the units so that tests and benchmarks know what to expect:

- 3: funds.yaml missing (the unit cannot be scored);
- 5: its first household carries the ID number of the previous unit's first household;
- 7: the indicator table declares a total of 99 where its scores give 100 (BF304).
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from bangfu_eval.synthyear import synth

BROKEN, DUPLICATE, DECLARED = 3, 5, 7
PERIOD = 40
_ID_NUMBER = re.compile(r"4601\d{13}[\dX]")


def unit_dir_name(i: int) -> str:
    return f"u{i:04d}"


def sizes(units: int, households: int, rng: random.Random) -> list[int]:
    """Households per unit: log-normal shares of ``households``, at least 5 each."""
    weights = [rng.lognormvariate(0, 0.8) for _ in range(units)]
    total = sum(weights)
    return [max(5, round(households * w / total)) for w in weights]


def synth_province(
    directory: Path, units: int, households: int, seed: int, year: int = 2022, as_csv: bool = False
) -> dict[str, object]:
    """Write ``units`` synthetic years under ``directory``; return (and write) the manifest."""
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    first, payments = 1, 0
    planted: dict[str, list[object]] = {"broken": [], "duplicate": [], "declared": []}
    names = []
    for i, n in enumerate(sizes(units, households, rng), start=1):
        name = unit_dir_name(i)
        unit = directory / name
        counts = synth(unit, n, seed * 100_003 + i, year, as_csv, first=first, unit=f"合成{i:04d}县")
        first += n
        payments += counts["disbursements"]
        names.append(name)
        if i % PERIOD == BROKEN:
            (unit / "funds.yaml").unlink()
            planted["broken"].append(name)
        elif i % PERIOD == DUPLICATE and i > 1:
            _copy_first_id_number(directory / unit_dir_name(i - 1), unit, as_csv)
            planted["duplicate"].append([unit_dir_name(i - 1), name])
        elif i % PERIOD == DECLARED:
            path = unit / "indicators.yaml"
            text = path.read_text(encoding="utf-8")
            path.write_text(
                text.replace("declared: {weight: 100, score: 100}", "declared: {weight: 100, score: 99}")
            )
            planted["declared"].append(name)
    manifest: dict[str, object] = {
        "synthetic": True,
        "seed": seed,
        "year": year,
        "units": names,
        "households": first - 1,
        "disbursements": payments,
        "planted": planted,
    }
    (directory / "planted.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return manifest


def _first_id_number(unit: Path, as_csv: bool) -> tuple[Path, str]:
    path = unit / ("households.csv" if as_csv else "households.yaml")
    found = _ID_NUMBER.search(path.read_text(encoding="utf-8"))
    assert found is not None, path  # synth writes an ID number for every household
    return path, found.group()


def _copy_first_id_number(source: Path, target: Path, as_csv: bool) -> None:
    _, number = _first_id_number(source, as_csv)
    path, own = _first_id_number(target, as_csv)
    path.write_text(path.read_text(encoding="utf-8").replace(own, number, 1), encoding="utf-8")
