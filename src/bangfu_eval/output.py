"""Writing outputs: the one place bangfu writes a file. Atomic (a temporary file in the same
directory, then a rename), never inside the year directory, never over a file without --force."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class RefusedWrite(Exception):
    """A write bangfu will not make; the message says why (in Chinese)."""


def check_target(out: Path, year_dir: Path, force: bool) -> None:
    target = out.resolve()
    if target.is_relative_to(year_dir.resolve()):
        raise RefusedWrite(f"不写入年度数据目录：{out}（bangfu 从不改动数据文件）")
    if target.is_dir():
        raise RefusedWrite(f"{out} 是目录")
    if target.exists() and not force:
        raise RefusedWrite(f"{out} 已存在；用 --force 覆盖")
    if not target.parent.is_dir():
        raise RefusedWrite(f"目录不存在：{out.parent}")


def write_atomic(out: Path, data: bytes) -> None:
    """Write ``data`` to ``out`` so that readers see the old file or the whole new one."""
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.resolve().parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; a report is shared like any file
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    """The process's umask (reading it means setting it; set straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
