"""No merge conflict marks left in any tracked text file (one landed in the README once)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARK = re.compile(r"^(<{7} |>{7} |={7}$)", re.M)


def test_no_tracked_file_holds_a_conflict_mark() -> None:
    try:
        listed = subprocess.run(
            ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        listed = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*.md")]
    assert listed
    marked = []
    for name in listed:
        path = ROOT / name
        text = path.suffix in {".py", ".md", ".yaml", ".j2", ".toml", ".json", ".csv", ".txt"}
        if text and path.is_file() and MARK.search(path.read_text(encoding="utf-8", errors="replace")):
            marked.append(name)
    assert marked == []
