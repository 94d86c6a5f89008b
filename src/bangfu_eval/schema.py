"""Pydantic validation errors → findings at the file, line and column of the value."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from bangfu_eval.findings import ERROR, Code, Finding, Location
from bangfu_eval.models import fields_of, inner_model
from bangfu_eval.privacy import personal_place
from bangfu_eval.yamlread import key_pos, locate


def path_str(path: tuple[object, ...]) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


# --- the codes of the schema (shape and type of every field) ------------------------------

BF101 = Code(
    "BF101",
    ERROR,
    "unknown field",
    "未知字段",
    message={
        "field": "未知字段 '{name}'",
        "column": "未知列 '{name}'",
        "cell": "第 {column} 列的列名不是字段名（首行应为列名）",
    },
    why="A misspelt field is a figure that is never read.",
    example="spnet: 265134 instead of spent.",
    fix="Use the field name shown in the 'did you mean' hint, or see docs/data-format.md.",
    source="实践：无政策条文，为读取数据所需（bangfu 自定）",
    zh_why="拼错的字段名等于一个永远不被读取的数字。",
    zh_example="sepnt: 1295600",
    remedy="按提示的正确字段名更正，或查阅 docs/data-format.md。",
)


BF102 = Code(
    "BF102",
    ERROR,
    "required field missing",
    "缺少必填字段",
    message="缺少必填字段 '{name}'",
    why="The figure is needed to check or compute the year.",
    example="A disbursement without an amount.",
    fix="Add the field.",
    source="实践：无政策条文，为读取数据所需（bangfu 自定）",
    zh_why="检查或计算本年度需要这个数字。",
    zh_example="资金来源缺少 arrived。",
    remedy="补上该字段。",
)


BF103 = Code(
    "BF103",
    ERROR,
    "invalid value",
    "值无效",
    message={
        "value": "'{path}' 的值无效：{problem}{shown}",
        "width": "第 {line} 行有 {cells} 列，表头有 {columns} 列",
        "mapping": "policy.yaml 应为映射",
    },
    why="The value does not have the type or form the field needs.",
    example="weight: heavy, or a list where a mapping belongs.",
    fix="Write a value of the form docs/data-format.md gives for the field.",
    source="实践：无政策条文，为读取数据所需（bangfu 自定）",
    zh_why="值的类型或形式不符合字段的要求。",
    zh_example="synthetic: 也许",
    remedy="按 docs/data-format.md 给出的形式填写。",
)


BF104 = Code(
    "BF104",
    ERROR,
    "invalid date",
    "日期无效",
    message="'{path}' 不是有效日期{shown}",
    why="An impossible or malformed date cannot be compared with deadlines.",
    example="date: 2022-02-30",
    fix="Write a real date as YYYY-MM-DD.",
    help="日期写作 YYYY-MM-DD",
    source="实践：无政策条文，为读取数据所需（bangfu 自定）",
    zh_why="不存在或格式错误的日期无法与期限比较。",
    zh_example="date: 2022-02-30",
    remedy="按 YYYY-MM-DD 填写真实日期。",
)


BF105 = Code(
    "BF105",
    ERROR,
    "invalid number or amount",
    "数字或金额无效",
    message="'{path}' 不是有效的数字或金额{shown}",
    why="Amounts are exact decimals; text that is not a number loses the figure.",
    example="amount: 12O0 (letter O), or 1.2e3.",
    fix="Write the number in plain digits, optionally with 元 or 万元.",
    help="写作纯数字，可带 元 或 万元，例如 2914797 或 291.4797万元",
    source="实践：无政策条文，为读取数据所需（bangfu 自定）",
    zh_why="金额是精确的十进制数，非数字的文本会丢失该数字。",
    zh_example="arrived: 一百万",
    remedy="用阿拉伯数字填写，可带“元”或“万元”。",
)


_TYPE_MESSAGES = {
    "list_type": "应为列表",
    "dict_type": "应为映射（字段: 值）",
    "model_type": "应为映射（字段: 值）",
    "model_attributes_type": "应为映射（字段: 值）",
    "string_type": "应为文本",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_too_short": "不能为空",
    "too_short": "至少需要一项",
}


def validate(
    root: object, model: Any, rel: str, locator: Any = None, value: object = None
) -> tuple[Any, list[Finding]]:
    """Validate a parsed tree (or ``value``, the tree with some parts already typed: the
    loader's record columns); each pydantic error becomes a finding at its line and column."""
    if value is None:
        value = root if root is not None else {}
    try:
        if isinstance(model, type) and issubclass(model, BaseModel):
            return model.model_validate(value), []
        return TypeAdapter(model).validate_python(value), []
    except ValidationError as exc:
        out = []
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            file, tree = locator(loc) if locator else (rel, root)
            out.append(error_finding(err, loc, model, file, tree))
        return None, out


def error_finding(
    err: Any,
    loc: tuple[object, ...],
    model: Any,
    rel: str,
    root: object,
    prefix: tuple[object, ...] = (),
) -> Finding:
    """One pydantic error as a finding; ``root`` holds the positions of the value validated,
    ``prefix`` is its own path in the file (a streamed row: ("disbursements", 17))."""
    kind = err["type"]
    pstr = path_str(prefix + loc)
    field_personal, personal = personal_place(model, loc)
    shown = "" if field_personal else _short(err.get("input"))
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):  # a model's / a record's
        line, col = key_pos(root, loc) or locate(root, loc)
        names = _field_names(model, loc[:-1])
        near = difflib.get_close_matches(str(loc[-1]), names, n=1, cutoff=0.6)
        help = f"是否想写 '{near[0]}'？" if near else "可用字段：" + "、".join(names)
        return BF101(Location(rel, line, col, pstr, personal), variant="field", help=help, name=loc[-1])
    if kind == "missing":
        line, col = locate(root, loc[:-1])
        return BF102(Location(rel, line, col, pstr, personal), name=loc[-1])
    line, col = locate(root, loc)
    where = Location(rel, line, col, pstr, personal)
    if kind.startswith(("date", "datetime")):
        return BF104(where, path=pstr, shown=shown)
    msg = str(err.get("msg", ""))
    if kind.startswith("decimal") or "不是数字" in msg:
        return BF105(where, path=pstr, shown=shown)
    text = _TYPE_MESSAGES.get(kind)
    if kind == "literal_error":
        text = "应为以下之一：" + str(err.get("ctx", {}).get("expected", ""))
    elif kind.startswith(("greater", "less")):
        text = "超出允许范围：" + _bound(err.get("ctx", {})) if err.get("ctx") else "超出允许范围"
    return BF103(where, variant="value", path=pstr, problem=text or msg, shown=shown)


_BOUNDS = {"gt": "应大于", "ge": "应不小于", "lt": "应小于", "le": "应不大于"}


def _bound(ctx: dict[str, object]) -> str:
    """pydantic's bound in Chinese: {'gt': 0} → 应大于 0."""
    return "，".join(f"{_BOUNDS[k]} {v}" for k, v in ctx.items() if k in _BOUNDS)


def _short(value: object) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ""
    text = str(value)
    return f"（{text[:40]}{'…' if len(text) > 40 else ''}）"


def _field_names(model: Any, loc: tuple[object, ...]) -> list[str]:
    """Field names of the model found at ``loc`` inside ``model`` (for 'did you mean')."""
    current: Any = model
    for step in loc:
        if isinstance(step, int):
            continue
        info = fields_of(current).get(str(step))
        if info is None:
            return []
        current = inner_model(info.annotation)
    return list(fields_of(current))
