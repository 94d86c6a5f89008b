"""Limits on templates, which may come from a unit (``--template DIR``).

- The loader is confined like the data loader: a template is read through ``gate`` (a regular
  file inside the template directory once links are resolved, at most ``MAX_TEMPLATE_BYTES``).
- Jinja2's sandbox (no attribute escapes), with ``*`` and ``**`` checked before they run, so
  ``'a' * 4000000000`` or ``9 ** 9 ** 9`` is an error, not a machine brought to its knees;
  ``range`` is capped by the sandbox itself.
- Rendering stops after ``TIME_LIMIT_S`` seconds (a timer signal, where the platform has one)
  and once the output passes ``MAX_OUTPUT_CHARS``.
- While rendering, the process may grow by at most ``MEMORY_HEADROOM`` bytes (an address-space
  limit, on Linux), so ``'a'.ljust(4000000000)`` fails at once with a memory error.
- Recursion, overflow and memory errors raised while rendering are template errors (exit 2).
Data is never template syntax: values are inserted as text and never rendered again.
"""

from __future__ import annotations

import operator
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jinja2
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment

from bangfu_eval import gate

MAX_TEMPLATE_BYTES = 1024 * 1024
MAX_OUTPUT_CHARS = 64 * 1024 * 1024
MAX_SEQUENCE = 1_000_000  # items or characters made by one * in a template
MAX_EXPONENT_BITS = 4096
TIME_LIMIT_S = 60.0
MEMORY_HEADROOM = 1024 * 1024 * 1024


class LimitExceeded(Exception):
    """A template went past one of the limits above (message in Chinese)."""


class GatedLoader(jinja2.BaseLoader):
    """Templates of one directory, read through the gate."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        path = self.directory.joinpath(*split_template_path(template))
        if not path.exists() and not path.is_symlink():
            raise jinja2.TemplateNotFound(template)
        try:
            data, _ = gate.read_bytes(path, self.directory, MAX_TEMPLATE_BYTES)
        except gate.Refused as exc:
            raise LimitExceeded(f"模板 {template}：{exc.message}") from exc
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise LimitExceeded(f"模板 {template} 不是 UTF-8 编码") from exc
        return text, str(path), lambda: True


class LimitedEnvironment(SandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator_: str, left: Any, right: Any) -> Any:
        if operator_ == "*":
            _check_repeat(left, right)
            _check_repeat(right, left)
            return operator.mul(left, right)
        if operator_ == "**":
            big = isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and right > 0
            if big and right * abs(left).bit_length() > MAX_EXPONENT_BITS:
                raise LimitExceeded("模板中的乘方结果过大")
            return operator.pow(left, right)
        return super().call_binop(context, operator_, left, right)


def _check_repeat(seq: Any, times: Any) -> None:
    sized = isinstance(seq, (str, bytes, list, tuple)) and isinstance(times, int)
    if sized and times > 0 and max(len(seq), 1) * times > MAX_SEQUENCE:
        raise LimitExceeded(f"模板中的重复结果过长（超过 {MAX_SEQUENCE:,} 个）")


def render_limited(template: jinja2.Template, context: dict[str, Any]) -> str:
    """The template's output, within the time and size limits."""
    with _deadline(TIME_LIMIT_S), _memory_cap(MEMORY_HEADROOM):
        parts: list[str] = []
        size = 0
        for piece in _generate(template, context):
            size += len(piece)
            if size > MAX_OUTPUT_CHARS:
                raise LimitExceeded(f"模板输出超过 {MAX_OUTPUT_CHARS // (1024 * 1024)} MB 的上限")
            parts.append(piece)
        return "".join(parts)


def _generate(template: jinja2.Template, context: dict[str, Any]) -> Iterator[str]:
    try:
        yield from template.generate(context)
    except RecursionError as exc:
        raise LimitExceeded("模板递归过深") from exc
    except (OverflowError, MemoryError) as exc:
        raise LimitExceeded(f"模板计算结果过大：{exc}") from exc
    except (ArithmeticError, ValueError, LookupError, AttributeError) as exc:
        # the template's own mistake ({{ 1 / 0 }}, a number too long to print): exit 2
        raise LimitExceeded(f"模板错误：{type(exc).__name__}: {exc}") from exc


class _deadline:
    """Raise LimitExceeded in the main thread after ``seconds`` (a no-op where there is no
    timer signal or off the main thread)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.armed = False
        self.start = 0.0
        self.previous: Any = None

    def __enter__(self) -> _deadline:
        if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGALRM, self._expired)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
            self.armed = True
        self.start = time.monotonic()
        return self

    def _expired(self, signum: int, frame: Any) -> None:
        raise LimitExceeded(f"模板渲染超过 {self.seconds:g} 秒的时限")

    def __exit__(self, *exc: object) -> None:
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)


class _memory_cap:
    """Limit the address space to what is in use plus ``headroom`` while rendering (Linux;
    a no-op elsewhere), restoring the limit afterwards."""

    def __init__(self, headroom: int) -> None:
        self.headroom = headroom
        self.previous: tuple[int, int] | None = None

    def __enter__(self) -> _memory_cap:
        try:
            import resource

            with open("/proc/self/statm", encoding="ascii") as fh:
                in_use = int(fh.read().split()[0]) * resource.getpagesize()
            soft, hard = resource.getrlimit(resource.RLIMIT_AS)
            cap = in_use + self.headroom
            if hard != resource.RLIM_INFINITY:
                cap = min(cap, hard)
            if soft == resource.RLIM_INFINITY or cap < soft:
                resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
                self.previous = (soft, hard)
        except (ImportError, OSError, ValueError):
            self.previous = None
        return self

    def __exit__(self, *exc: object) -> None:
        if self.previous is not None:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, self.previous)
