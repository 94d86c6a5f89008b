"""YAML text → plain values with a (line, column) for every key and value.

Only this module and ``load.py`` know about YAML. We walk libyaml's event stream (the C parser)
instead of constructing Python objects, for three reasons: every scalar stays a *string* until
the Pydantic schema types it (so YAML 1.1 never turns ``no`` into False, ``0571`` into 377 or an
ID number into an int, and no amount ever passes through float); we keep the position of every
value for findings; and it is several times faster than ``yaml.load`` with CSafeLoader because
nothing is constructed twice. Duplicate keys and aliases are findings, not silent surprises.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from bangfu_eval.findings import ERROR, Code

Pos = tuple[int, int]  # 1-based line and column
NULLS = frozenset({"", "~", "null", "Null", "NULL"})
MAX_DEPTH = 64  # deeper structures are refused: no year needs them, and recursion has limits


class YMap(dict):  # type: ignore[type-arg]
    """A mapping with the position of the mapping, of each key and of each value."""

    __slots__ = ("kpos", "pos", "vpos")

    def __init__(self, pos: Pos) -> None:
        super().__init__()
        self.pos = pos
        self.kpos: dict[str, Pos] = {}
        self.vpos: dict[str, Pos] = {}


class YSeq(list):  # type: ignore[type-arg]
    """A sequence with its own position and the position of each item."""

    __slots__ = ("pos", "vpos")

    def __init__(self, pos: Pos) -> None:
        super().__init__()
        self.pos = pos
        self.vpos: list[Pos] = []


class StreamSeq(YSeq):
    """A top-level list whose items are handed to a callback as they close, not kept."""

    __slots__ = ("key", "seen")

    def __init__(self, pos: Pos, key: str) -> None:
        super().__init__(pos)
        self.key = key
        self.seen = 0


RowCallback = Callable[[str, int, object, Pos, int], None]
"""(list key, index, the item's value with positions, its position, its last line)."""


# --- the codes this module raises (a parse problem becomes a finding in load.py) -------------

BF003 = Code(
    "BF003",
    ERROR,
    "YAML syntax error",
    "YAML 语法错误",
    message={
        "syntax": "YAML 语法错误：{problem}{context}",
        "reader": "YAML 读取错误：{error}",
    },
    why="The file cannot be parsed, so nothing in it is checked.",
    example="A tab used for indentation, an unclosed quote or bracket.",
    fix="Fix the syntax at the line shown; indent with spaces.",
    source="实践：无政策条文，为读取数据所需（bangfu 自定）",
    zh_why="文件无法解析，其中内容都无法检查。",
    zh_example="用制表符缩进，引号或括号未闭合。",
    remedy="按所示行修正语法，用空格缩进。",
)


BF004 = Code(
    "BF004",
    ERROR,
    "duplicate key",
    "重复的键",
    message={
        "": "重复的键 '{key}'（第 {first} 行已有），只保留第一个",
        "column": "第 {column} 列与第 {first} 列同名，此表不读取",
    },
    why=(
        "YAML loaders silently keep the last of two equal keys, and a CSV reader the last of two equal "
        "columns: a figure is lost, or one field silently replaced by another."
    ),
    example="spent: 1295600 written twice in one source.",
    fix="Keep one of the two keys.",
    source="实践：无政策条文，为读取数据所需（bangfu 自定）",
    zh_why="同一键写两次时 YAML 只保留后一个，一个数字就此丢失。",
    zh_example="同一来源中 spent: 1295600 写了两次。",
    remedy="保留其中一个。",
)


BF005 = Code(
    "BF005",
    ERROR,
    "anchors and aliases refused",
    "不支持锚点和别名",
    message="不支持别名 *{anchor}",
    why="Aliases copy values invisibly and can expand into huge documents (alias bombs).",
    example="*base or <<: *defaults in a record.",
    fix="Write the values out in full.",
    source="实践：无政策条文，为读取数据所需（bangfu 自定）",
    zh_why="别名会不可见地复制数值，还可能膨胀成巨大的文档。",
    zh_example="记录中写了 *base 或 <<: *defaults。",
    remedy="把数值完整写出。",
)


BF009 = Code(
    "BF009",
    ERROR,
    "more than one YAML document",
    "文件包含多个 YAML 文档",
    message="只读取第一个 YAML 文档",
    why="Only the first document would be read; the rest would be lost.",
    example="A line '---' in the middle of the file.",
    fix="Keep one document per file.",
    source="实践：无政策条文，为读取数据所需（bangfu 自定）",
    zh_why="只会读取第一个文档，其余内容丢失。",
    zh_example="文件中间有一行 '---'。",
    remedy="每个文件只保留一个文档。",
)


BF010 = Code(
    "BF010",
    ERROR,
    "key is not text",
    "键不是文本",
    message="键必须是文本（字段名）",
    why="Mapping keys must be plain field names.",
    example="? [a, b] : 1",
    fix="Use a plain field name as the key.",
    source="实践：无政策条文，为读取数据所需（bangfu 自定）",
    zh_why="映射的键必须是普通字段名。",
    zh_example="? [a, b] : 1",
    remedy="改用普通字段名。",
)


BF012 = Code(
    "BF012",
    ERROR,
    "nesting too deep",
    "嵌套层数过多",
    message="嵌套超过 {depth} 层，拒绝读取此文件",
    why=(
        "No year's data needs more than 64 levels; deeper files are refused before they can exhaust "
        "memory or recursion."
    ),
    example="An indicator tree nested 40 levels deep, or [[[[…]]]].",
    fix="Flatten the structure.",
    source="实践：无政策条文，为读取数据所需（bangfu 自定）",
    zh_why="年度数据不需要超过 64 层嵌套；过深的文件在耗尽内存前即被拒绝。",
    zh_example="上千层嵌套的列表。",
    remedy="减少嵌套层数。",
)


@dataclass(frozen=True)
class Problem:
    """A parse problem: its code, where, and the values of its message."""

    code: Code
    line: int
    column: int
    fields: Mapping[str, object] = field(default_factory=dict)
    variant: str = ""


def _pos(mark: Any) -> Pos:
    return (mark.line + 1, mark.column + 1)


class _Builder:
    """Turns events into YMap / YSeq / str / None, collecting problems on the way."""

    def __init__(self, on_row: RowCallback | None = None) -> None:
        self.stack: list[list[object]] = []  # [container, pending key or None]
        self.root: object = None
        self.problems: list[Problem] = []
        self.on_row = on_row

    def add(self, value: object, pos: Pos, end_line: int = 0) -> None:
        if not self.stack:
            self.root = value
            return
        frame = self.stack[-1]
        container = frame[0]
        if isinstance(container, StreamSeq):
            if self.on_row is not None:
                self.on_row(container.key, container.seen, value, pos, end_line or pos[0])
            container.seen += 1
            return
        if isinstance(container, YSeq):
            container.append(value)
            container.vpos.append(pos)
            return
        assert isinstance(container, YMap)
        key = frame[1]
        if key is None:
            self._add_key(frame, value, pos)
            return
        frame[1] = None
        if key is _SKIP:
            return
        assert isinstance(key, str)
        container[key] = value
        container.vpos[key] = pos

    def _add_key(self, frame: list[object], value: object, pos: Pos) -> None:
        container = frame[0]
        assert isinstance(container, YMap)
        if not isinstance(value, str):
            if value is None:
                value = ""
            else:
                self.problems.append(Problem(BF010, *pos))
                frame[1] = _SKIP
                return
        if value in container:
            first = container.kpos[value][0]
            self.problems.append(Problem(BF004, *pos, {"key": value, "first": first}))
            frame[1] = _SKIP
            return
        container.kpos[value] = pos
        frame[1] = value


_SKIP = object()


class _Stop(Exception):
    """The walk ends early (a second document, nesting too deep); problems say why."""


def _open(builder: _Builder, event: Any, stream: frozenset[str]) -> None:
    pos = _pos(event.start_mark)
    node: YMap | YSeq
    if type(event) is yaml.MappingStartEvent:
        node = YMap(pos)
    else:
        key = _streamed_key(builder, stream) if stream else None
        node = StreamSeq(pos, key) if key is not None else YSeq(pos)
    if len(builder.stack) >= MAX_DEPTH:
        builder.problems.append(Problem(BF012, *pos, {"depth": MAX_DEPTH}))
        builder.root = None
        raise _Stop
    if builder.stack and isinstance(builder.stack[-1][0], StreamSeq):
        builder.stack.append([node, None, pos])  # a row: handed over when it ends
    else:
        builder.add(node, pos)
        builder.stack.append([node, None])


def _close(builder: _Builder, event: Any) -> None:
    frame = builder.stack.pop()
    if len(frame) == 3:
        start = frame[2]
        assert isinstance(start, tuple)
        # a block row ends where the next token starts, left of the row's own column (the next
        # row's "- ", the next key, the end of the file): its last line is the one before
        end = event.end_mark
        builder.add(frame[0], start, end.line + 1 if end.column + 1 > start[1] else end.line)


def _walk_events(builder: _Builder, loader: Any, stream: frozenset[str]) -> None:
    docs = 0
    scalar, alias = yaml.ScalarEvent, yaml.AliasEvent
    opening = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
    closing = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    add, get_event = builder.add, loader.get_event
    while True:
        event = get_event()
        kind = type(event)
        if kind is scalar:
            value = event.value
            if event.style in (None, "") and value in NULLS:
                value = None
            mark = event.start_mark
            add(value, (mark.line + 1, mark.column + 1))
        elif kind in opening:
            _open(builder, event, stream)
        elif kind in closing:
            _close(builder, event)
        elif kind is alias:
            pos = _pos(event.start_mark)
            builder.problems.append(Problem(BF005, *pos, {"anchor": event.anchor}))
            builder.add(None, pos)
        elif kind is yaml.DocumentStartEvent:
            docs += 1
            if docs > 1:
                builder.problems.append(Problem(BF009, *_pos(event.start_mark)))
                raise _Stop
        elif kind is yaml.StreamEndEvent:
            return


def parse(
    text: str | bytes, stream: frozenset[str] = frozenset(), on_row: RowCallback | None = None
) -> tuple[object, list[Problem]]:
    """Parse one YAML document (text, or UTF-8 bytes: libyaml copies a str into bytes first).
    Returns (root or None, problems).

    Items of the top-level lists named in ``stream`` are not kept: each is passed to ``on_row``
    when it closes (with its positions), so a million records never sit in memory as trees."""
    builder = _Builder(on_row)
    loader = yaml.CBaseLoader(text)
    try:
        _walk_events(builder, loader, stream)
    except _Stop:
        pass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = _pos(mark) if mark else (1, 1)
        problem = exc.problem or "语法错误"
        context = f"（{exc.context}）" if exc.context else ""
        fields = {"problem": problem, "context": context}
        builder.problems.append(Problem(BF003, line, col, fields, "syntax"))
        return None, builder.problems
    except yaml.YAMLError as exc:  # reader errors: control characters and the like
        mark = getattr(exc, "problem_mark", None)
        line, col = _pos(mark) if mark else (1, 1)
        builder.problems.append(Problem(BF003, line, col, {"error": exc}, "reader"))
        return None, builder.problems
    finally:
        loader.dispose()
    return builder.root, builder.problems


def _streamed_key(builder: _Builder, stream: frozenset[str]) -> str | None:
    """The key when a sequence starts as the value of a streamed top-level key."""
    if len(builder.stack) != 1:
        return None
    container, key = builder.stack[0][0], builder.stack[0][1]
    return key if isinstance(container, YMap) and isinstance(key, str) and key in stream else None


def _walk(root: object, path: tuple[object, ...]) -> tuple[object, Pos, int]:
    """Follow ``path`` as far as it exists: (node reached, its position, steps taken)."""
    node = root
    pos: Pos = getattr(root, "pos", (1, 1))
    for taken, step in enumerate(path):
        if isinstance(node, YMap) and isinstance(step, str) and step in node:
            pos = node.vpos[step]
            node = node[step]
        elif isinstance(node, YSeq) and isinstance(step, int) and 0 <= step < len(node):
            pos = node.vpos[step]
            node = node[step]
        else:
            return node, pos, taken
    return node, pos, len(path)


def locate(root: object, path: tuple[object, ...]) -> Pos:
    """Position of the value at ``path``, or of the deepest part of it that exists."""
    return _walk(root, path)[1]


def key_pos(root: object, path: tuple[object, ...]) -> Pos | None:
    """Position of the key that ends ``path`` (for unknown fields)."""
    if not path or not isinstance(path[-1], str):
        return None
    parent, _, taken = _walk(root, path[:-1])
    if taken != len(path) - 1 or not isinstance(parent, YMap):
        return None
    return parent.kpos.get(path[-1])
