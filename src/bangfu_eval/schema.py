"""Pydantic validation errors → findings at the file, line and column of the value."""

from __future__ import annotations

import difflib
import typing
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from bangfu_eval.catalogue import CODES
from bangfu_eval.findings import Finding, Location
from bangfu_eval.privacy import PERSONAL_FIELDS
from bangfu_eval.yamlread import key_pos, locate


def path_str(path: tuple[object, ...]) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


def finding(code: str, loc: Location, message: str, help: str = "") -> Finding:
    return Finding(code, CODES[code].severity, loc, message, help)


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


def validate(root: object, model: Any, rel: str, locator: Any = None) -> tuple[Any, list[Finding]]:
    """Validate a parsed tree; each pydantic error becomes a finding at its line and column."""
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
    last = next((s for s in reversed(loc) if isinstance(s, str)), "")
    shown = "" if last in PERSONAL_FIELDS else _short(err.get("input"))
    if kind == "extra_forbidden":
        line, col = key_pos(root, loc) or locate(root, loc)
        names = _field_names(model, loc[:-1])
        near = difflib.get_close_matches(str(loc[-1]), names, n=1, cutoff=0.6)
        help = f"是否想写 '{near[0]}'？" if near else "可用字段：" + "、".join(names)
        return finding("BF101", Location(rel, line, col, pstr), f"未知字段 '{loc[-1]}'", help)
    if kind == "missing":
        line, col = locate(root, loc[:-1])
        return finding("BF102", Location(rel, line, col, pstr), f"缺少必填字段 '{loc[-1]}'")
    line, col = locate(root, loc)
    where = Location(rel, line, col, pstr)
    if kind.startswith(("date", "datetime")):
        return finding("BF104", where, f"'{pstr}' 不是有效日期{shown}", "日期写作 YYYY-MM-DD")
    msg = str(err.get("msg", ""))
    if kind.startswith("decimal") or "不是数字" in msg:
        return finding(
            "BF105",
            where,
            f"'{pstr}' 不是有效的数字或金额{shown}",
            "写作纯数字，可带 元 或 万元，例如 2914797 或 291.4797万元",
        )
    text = _TYPE_MESSAGES.get(kind)
    if kind == "literal_error":
        text = "应为以下之一：" + str(err.get("ctx", {}).get("expected", ""))
    elif kind.startswith(("greater", "less")):
        text = "超出允许范围：" + msg
    return finding("BF103", where, f"'{pstr}' 的值无效：{text or msg}{shown}")


def _short(value: object) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ""
    text = str(value)
    return f"（{text[:40]}{'…' if len(text) > 40 else ''}）"


def fields_of(tp: Any) -> dict[str, Any]:
    """The fields of a pydantic model or pydantic dataclass ({} for anything else)."""
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return dict(tp.model_fields)
    return dict(getattr(tp, "__pydantic_fields__", {}) or {})


def _field_names(model: Any, loc: tuple[object, ...]) -> list[str]:
    """Field names of the model found at ``loc`` inside ``model`` (for 'did you mean')."""
    current: Any = model
    for step in loc:
        if isinstance(step, int):
            continue
        info = fields_of(current).get(str(step))
        if info is None:
            return []
        current = _inner_model(info.annotation)
    return list(fields_of(current))


def _inner_model(tp: Any) -> Any:
    """The model inside Optional[...], list[...], dict[str, ...] and Annotated[...]."""
    if typing.get_origin(tp) is None:
        return tp
    for arg in typing.get_args(tp):
        inner = _inner_model(arg) if arg is not type(None) else None
        if fields_of(inner):
            return inner
    return None
