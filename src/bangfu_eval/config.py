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
    note: str = ""
    """Why ./pyproject.toml was ignored (not UTF-8, not TOML, not a regular file), if it was."""


def year_dir(arg: Path | None, cwd: Path | None = None) -> YearDir:
    """The year directory: the argument, a setting, or the newest data/<year>/ under ``cwd``."""
    here = cwd or Path()
    if arg is not None:
        if not arg.is_dir():
            raise NoYearDir(f"不是目录：{arg}")
        return _with_year_files(YearDir(arg, False))
    note = ""
    setting = os.environ.get("BANGFU_YEAR_DIR")
    if not setting:
        setting, note = _pyproject_setting(here / "pyproject.toml")
    if setting:
        chosen = Path(setting)
    else:
        years = sorted(
            (p for p in (here / "data").glob("*") if p.is_dir() and re.fullmatch(r"\d{4}", p.name)),
            key=lambda p: p.name,
        )
        if not years:
            raise NoYearDir("没有给出年度目录，当前目录下也没有 data/<年度>/")
        chosen = years[-1]
    if not chosen.is_dir():
        raise NoYearDir(f"不是目录：{chosen}")
    return _with_year_files(YearDir(chosen, True, note))


def _with_year_files(found: YearDir) -> YearDir:
    """``found`` when it holds a year's files; an empty directory needs ``bangfu init`` first."""
    from bangfu_eval.load import has_year_files  # the loader knows the file names

    if not has_year_files(found.path):
        raise NoYearDir(
            f"{found.path} 中没有年度数据文件；先运行 bangfu init {found.path} --from <上一年度目录> "
            "创建（或 bangfu synth 生成合成数据）"
        )
    return found


def _pyproject_setting(path: Path) -> tuple[str | None, str]:
    """``[tool.bangfu] year_dir``, or None and why the file was ignored. Read through the read
    gate: a FIFO or a device named pyproject.toml is refused, not waited on."""
    from bangfu_eval import gate

    if not path.exists() and not path.is_symlink():
        return None, ""
    try:
        raw, _ = gate.read_bytes(path, path.parent, 1024 * 1024)
        data = tomllib.loads(raw.decode("utf-8"))
    except gate.Refused as exc:
        return None, f"忽略 pyproject.toml（{exc.message}）"
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return None, f"忽略 pyproject.toml（无法解析：{type(exc).__name__}）"
    value = data.get("tool", {}).get("bangfu", {}).get("year_dir")
    return (str(value) if value else None), ""


def use_arrow() -> bool:
    """Whether large plain CSV files may be read by pyarrow (when it is installed)."""
    return not os.environ.get("BANGFU_NO_ARROW")
