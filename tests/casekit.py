"""Apply a case of tests/cases/ (text edits on the clean base year) to a temporary copy."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

CASES = Path(__file__).parent / "cases"
BASE = CASES / "_base"


def load_case(code: str) -> dict:
    return json.loads((CASES / f"{code}.json").read_text(encoding="utf-8"))


def case_codes() -> list[str]:
    return sorted(p.stem for p in CASES.glob("BF*.json"))


def build(case: dict, target: Path) -> Path:
    """Copy the base year to ``target`` and apply the case's edits there."""
    shutil.copytree(BASE, target)
    for name in case.get("delete", []):
        (target / name).unlink()
    for name in case.get("mkdir", []):
        (target / name).mkdir()
    for name, pairs in case.get("edit", {}).items():
        text = (target / name).read_text(encoding="utf-8")
        for old, new in pairs:
            assert text.count(old) == 1, f"{name}: {old!r} must occur once in the base"
            text = text.replace(old, new)
        (target / name).write_text(text, encoding="utf-8")
    for name, extra in case.get("append", {}).items():
        with open(target / name, "a", encoding="utf-8") as fh:
            fh.write(extra)
    for name, text in case.get("create", {}).items():
        (target / name).write_text(text, encoding="utf-8")
    for name, size in case.get("pad", {}).items():
        with open(target / name, "a", encoding="utf-8") as fh:
            fh.write("# padding\n" * (size // 10 + 1))
    for name, encoding in case.get("encode", {}).items():
        text = (target / name).read_text(encoding="utf-8")
        (target / name).write_bytes(text.encode(encoding))
    return target


def synth(path: Path, *args: str, households: int = 60, seed: int = 3) -> Path:
    """A synthetic year written by ``bangfu synth`` (pass "--csv" for CSV tables)."""
    from typer.testing import CliRunner

    from bangfu_eval.cli import app

    result = CliRunner().invoke(app, ["synth", str(path), "-n", str(households), "--seed", str(seed), *args])
    assert result.exit_code == 0, result.output
    return path
