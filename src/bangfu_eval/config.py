"""Where a run's settings come from, read in one place: the year directory (an argument,
``$BANGFU_YEAR_DIR``, ``[tool.bangfu] year_dir`` in ./pyproject.toml, or the newest
``data/<year>/`` here) and the switches of the environment (``BANGFU_NO_ARROW=1``: never read
CSV through pyarrow, as the benchmarks' ``csv-py`` runs do)."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path


class NoYearDir(Exception):
    """No usable year directory; the message says why (in Chinese)."""


@dataclass(frozen=True)
class YearDir:
    path: Path
    chosen: bool
    """True when bangfu chose it (no argument given): the CLI says which on stderr."""


def year_dir(arg: Path | None, cwd: Path | None = None) -> YearDir:
    """The year directory: the argument, a setting, or the newest data/<year>/ under ``cwd``."""
    here = cwd or Path()
    if arg is not None:
        if not arg.is_dir():
            raise NoYearDir(f"不是目录：{arg}（not a directory）")
        return YearDir(arg, False)
    setting = os.environ.get("BANGFU_YEAR_DIR") or _pyproject_setting(here / "pyproject.toml")
    if setting:
        chosen = Path(setting)
    else:
        years = sorted(
            (p for p in (here / "data").glob("*") if p.is_dir() and re.fullmatch(r"\d{4}", p.name)),
            key=lambda p: p.name,
        )
        if not years:
            raise NoYearDir("没有给出年度目录，当前目录下也没有 data/<年度>/（give a year directory）")
        chosen = years[-1]
    if not chosen.is_dir():
        raise NoYearDir(f"不是目录：{chosen}")
    return YearDir(chosen, True)


def _pyproject_setting(path: Path) -> str | None:
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError):
        return None
    value = data.get("tool", {}).get("bangfu", {}).get("year_dir")
    return str(value) if value else None


def use_arrow() -> bool:
    """Whether large plain CSV files may be read by pyarrow (when it is installed)."""
    return not os.environ.get("BANGFU_NO_ARROW")
