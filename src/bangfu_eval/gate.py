"""The one gate every read goes through: data files, the snippets under findings, templates.

A file is read only when it is a regular file (not a FIFO, a device, a socket or a
directory), lies inside its root once every link is resolved, and is no larger than the cap.
The file is opened without blocking and checked on the open descriptor (``fstat``), so what is
checked is what is read; at most cap + 1 bytes are ever read, so a file that grows meanwhile
cannot make the read endless. Stdlib only.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path


class Refused(Exception):
    """A file the gate will not read: ``kind`` (link, directory, special, os, large), a
    message in Chinese, and for a large file its size."""

    def __init__(self, kind: str, message: str, size: int = 0) -> None:
        super().__init__(message)
        self.kind, self.message, self.size = kind, message, size


@dataclass(frozen=True)
class Stamp:
    """Which file was read: a later read is of the same file only if its stamp is equal."""

    device: int
    inode: int
    size: int
    mtime_ns: int


def _stamp(st: os.stat_result) -> Stamp:
    return Stamp(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def read_bytes(path: Path, root: Path, max_bytes: int) -> tuple[bytes, Stamp]:
    """The bytes of ``path``, or Refused: not inside ``root``, not a regular file, too large."""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError) as exc:  # RuntimeError: a link loop (Python < 3.13)
        raise Refused("os", _reason(exc)) from exc
    if not real.is_relative_to(root.resolve()):
        raise Refused("link", "链接指向目录之外，拒绝读取")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(real, flags)
    except OSError as exc:
        raise Refused("os", _reason(exc)) from exc
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise Refused("directory", "这是一个目录，不是文件")
        if not stat.S_ISREG(st.st_mode):
            raise Refused("special", "不是普通文件（管道、设备或套接字），拒绝读取")
        if st.st_size > max_bytes:
            raise Refused("large", _too_large(st.st_size, max_bytes), st.st_size)
        chunks, total = [], 0
        while total <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > max_bytes:
            raise Refused("large", _too_large(total, max_bytes), total)
        return b"".join(chunks), _stamp(st)
    except OSError as exc:
        raise Refused("os", _reason(exc)) from exc
    finally:
        os.close(fd)


def same_file(path: Path, stamp: Stamp) -> bool:
    """True when ``path`` is still the file that was read (same inode, size and time)."""
    try:
        return _stamp(os.stat(path)) == stamp
    except OSError:
        return False


def _too_large(size: int, max_bytes: int) -> str:
    cap = f"{max_bytes // (1024 * 1024)} MB" if max_bytes >= 1024 * 1024 else f"{max_bytes:,} 字节"
    return f"文件 {size:,} 字节，超过 {cap} 的上限"


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or type(exc).__name__
    return "链接循环"
