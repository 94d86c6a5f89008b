"""Writing outputs: the one place bangfu writes a file.

- Never inside the year directory; never onto a directory, a device, a FIFO or anything but a
  regular file; never over an existing file without --force.
- Atomic: the bytes go to a temporary file beside the target, are flushed to disk, and only
  then take the target's name. Without --force that last step is an exclusive link, so a file
  that appeared meanwhile is kept and the write is refused (the check happens at rename time,
  not before the work); with --force it is a rename over the old file.
- The temporary file is named ``.<target>.bangfu-<pid>.tmp``: SIGTERM, SIGHUP and SIGINT remove
  it before the process ends, and one left by a process that was killed outright (SIGKILL, a
  power cut) is recognised by its name and dead pid and removed by the next write.
- A read-only or full disk, or a directory without write permission, is a one-line refusal.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import signal
import stat
from collections.abc import Iterator
from pathlib import Path
from types import FrameType


class RefusedWrite(OSError):
    """A write bangfu will not (or cannot) make; the message says why (in Chinese). An OSError,
    so that callers that catch the system's write errors catch these too."""


def check_target(out: Path, year_dir: Path, force: bool) -> None:
    """Refuse early what is refused anyway (the write checks again when it happens)."""
    target = out.resolve()
    if target.is_relative_to(year_dir.resolve()):
        raise RefusedWrite(f"不写入年度数据目录：{out}（bangfu 从不改动数据文件）")
    _check_kind(out, target)
    if target.exists() and not force:
        raise RefusedWrite(f"{out} 已存在；用 --force 覆盖")
    if not target.parent.is_dir():
        raise RefusedWrite(f"目录不存在：{out.parent}")


def _check_kind(out: Path, target: Path) -> None:
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return
    if stat.S_ISDIR(mode):
        raise RefusedWrite(f"{out} 是目录")
    if not stat.S_ISREG(mode):
        raise RefusedWrite(f"{out} 不是普通文件（设备、管道或套接字），不写入")


TEMP = re.compile(r"^\.(?P<name>.+)\.bangfu-(?P<pid>\d+)\.tmp$")


def temp_name(out: Path) -> Path:
    return out.parent / f".{out.name}.bangfu-{os.getpid()}.tmp"


def remove_stale(directory: Path) -> list[Path]:
    """Remove temporary files of bangfu processes that no longer run; returns what went."""
    gone: list[Path] = []
    try:
        entries = list(directory.iterdir())
    except OSError:
        return gone
    for p in entries:
        match = TEMP.match(p.name)
        if match and not _alive(int(match.group("pid"))):
            with contextlib.suppress(OSError):
                p.unlink()
                gone.append(p)
    return gone


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # ours from an earlier write of this process: not in use now
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def write_atomic(out: Path, data: bytes, force: bool = False) -> None:
    """Write ``data`` to ``out`` so that readers see the old file or the whole new one; without
    ``force`` an existing ``out`` (even one created while bangfu worked) is never replaced."""
    target = out.resolve()
    _check_kind(out, target)
    directory = target.parent
    remove_stale(directory)
    tmp = temp_name(target)
    try:
        with _cleanup_on_signal(tmp):
            _write_temp(tmp, data)
            if force:
                os.replace(tmp, target)
            else:
                _link_exclusive(tmp, target, out)
    except RefusedWrite:
        raise
    except OSError as exc:
        raise RefusedWrite(f"无法写出 {out}：{_reason(exc)}") from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _write_temp(tmp: Path, data: bytes) -> None:
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()  # a stale one of our own pid (a reused pid)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _link_exclusive(tmp: Path, target: Path, out: Path) -> None:
    """Give the temporary file the target's name only if that name is free, in one step."""
    try:
        os.link(tmp, target)
    except FileExistsError as exc:
        raise RefusedWrite(f"{out} 已存在；用 --force 覆盖") from exc
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
            raise
        # a file system without hard links: claim the name exclusively, then rename over it
        try:
            os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        except FileExistsError as exists:
            raise RefusedWrite(f"{out} 已存在；用 --force 覆盖") from exists
        os.replace(tmp, target)


_SIGNALS = tuple(getattr(signal, n) for n in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, n))


@contextlib.contextmanager
def _cleanup_on_signal(tmp: Path) -> Iterator[None]:
    """While the temporary file exists, a terminating signal removes it, then ends the
    process as the signal would have."""

    def handler(signum: int, frame: FrameType | None) -> None:
        with contextlib.suppress(OSError):
            tmp.unlink()
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    previous = {}
    try:
        for sig in _SIGNALS:
            previous[sig] = signal.signal(sig, handler)
    except ValueError:  # not the main thread: no handlers, stale files are removed next time
        pass
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _reason(exc: OSError) -> str:
    reasons = {
        errno.EROFS: "只读文件系统",
        errno.ENOSPC: "磁盘已满",
        errno.EDQUOT: "超出磁盘配额",
        errno.EACCES: "没有写入权限",
        errno.EPERM: "没有写入权限",
    }
    return reasons.get(exc.errno or 0, exc.strerror or type(exc).__name__)
