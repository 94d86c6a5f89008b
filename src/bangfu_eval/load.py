"""Files → models, or findings with file:line:col. The only module that reads files of a year.

``load_year`` reads every known file of a year directory, collects *all* problems of all files
(never stopping at the first), and returns typed models plus the parsed trees that locate any
value by its field path.
"""

from __future__ import annotations

import difflib
import types
import typing
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from bangfu_eval import models as m
from bangfu_eval.catalogue import CODES
from bangfu_eval.findings import Finding, Location
from bangfu_eval.privacy import PERSONAL_FIELDS
from bangfu_eval.yamlread import YMap, key_pos, locate, parse

DEFAULT_MAX_FILE_MB = 200


@dataclass(frozen=True)
class FileSpec:
    model: type[BaseModel]
    required: bool


FILES: dict[str, FileSpec] = {
    "project.yaml": FileSpec(m.ProjectFile, True),
    "funds.yaml": FileSpec(m.FundsFile, True),
    "indicators.yaml": FileSpec(m.IndicatorsFile, True),
    "targets.yaml": FileSpec(m.TargetsFile, True),
    "narrative.yaml": FileSpec(m.NarrativeFile, True),
    "households.yaml": FileSpec(m.HouseholdsFile, False),
    "disbursements.yaml": FileSpec(m.DisbursementsFile, False),
}
POLICY_FILE = "policy.yaml"
DEFAULT_POLICY = "<defaults>/policy_defaults.yaml"


@dataclass
class LoadedYear:
    """What the loader read: models (None where a file failed), findings, and positions."""

    directory: Path
    models: dict[str, BaseModel] = field(default_factory=dict)
    policy: m.Policy | None = None
    roots: dict[str, object] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    _lines: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def where(self, file: str, *path: object) -> Location:
        """The location of the value at ``path`` in ``file`` (the deepest part that exists)."""
        root = self.roots.get(file)
        line, col = locate(root, path) if root is not None else (0, 0)
        return Location(file, line, col, path_str(path))

    def lines(self, file: str) -> list[str]:
        """The text lines of ``file`` (read again on demand, for snippets and offsets)."""
        if file not in self._lines:
            try:
                text = (self.directory / file).read_bytes().decode("utf-8-sig")
            except (OSError, UnicodeDecodeError):
                text = ""
            self._lines[file] = text.splitlines()
        return self._lines[file]

    def text_location(self, loc: Location, offset: int) -> Location:
        """The location ``offset`` characters into the single-line scalar that starts at
        ``loc`` (a placeholder inside a paragraph); ``loc`` itself when that cannot be told."""
        lines = self.lines(loc.file)
        if not 0 < loc.line <= len(lines):
            return loc
        line = lines[loc.line - 1]
        col = loc.column + (1 if line[loc.column - 1 : loc.column] in ("'", '"') else 0)
        if col + offset > len(line):
            return loc
        return Location(loc.file, loc.line, col + offset, loc.path)

    def get(self, name: str, kind: type[Any]) -> Any:
        model = self.models.get(name)
        return model if isinstance(model, kind) else None


def path_str(path: tuple[object, ...]) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


def finding(code: str, loc: Location, message: str, help: str = "") -> Finding:
    return Finding(code, CODES[code].severity, loc, message, help)


# --- reading files ----------------------------------------------------------------------


def read_text(path: Path, rel: str, base: Path, max_bytes: int) -> tuple[str | None, list[Finding]]:
    """Read a file as UTF-8 (BOM allowed). Refuse links out of the year, huge and GBK files."""
    loc = Location(rel, 1, 1)
    try:
        real = path.resolve()
        if path.is_symlink() and not real.is_relative_to(base.resolve()):
            return None, [finding("BF001", loc, "链接指向年度目录之外，拒绝读取")]
        if path.is_dir():
            return None, [finding("BF001", loc, "这是一个目录，不是文件")]
        size = path.stat().st_size
        if size > max_bytes:
            mb = max_bytes // (1024 * 1024)
            return None, [finding("BF008", loc, f"文件 {size:,} 字节，超过 {mb} MB 的上限")]
        data = path.read_bytes()
    except OSError as exc:
        return None, [finding("BF001", loc, f"无法读取：{exc.strerror or exc}")]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        guess = _guess_encoding(data)
        return None, [
            finding(
                "BF002",
                Location(rel, line, 1),
                f"不是 UTF-8 编码{guess}",
                "用 iconv -f GB18030 -t UTF-8 转换，或在编辑器中另存为 UTF-8",
            )
        ]


def _guess_encoding(data: bytes) -> str:
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return ""
    return "（看起来是 GBK/GB18030）"


def parse_file(text: str, rel: str) -> tuple[object, list[Finding]]:
    root, problems = parse(text)
    return root, [finding(p.code, Location(rel, p.line, p.column), p.message) for p in problems]


# --- validating ---------------------------------------------------------------------------

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
    root: object, model: type[BaseModel], rel: str, locator: Any = None
) -> tuple[BaseModel | None, list[Finding]]:
    """Validate a parsed tree; each pydantic error becomes a finding at its line and column."""
    try:
        return model.model_validate(root if root is not None else {}), []
    except ValidationError as exc:
        out = []
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            file, tree = locator(loc) if locator else (rel, root)
            out.append(_error_finding(err, loc, model, file, tree))
        return None, out


def _error_finding(
    err: Any, loc: tuple[object, ...], model: type[BaseModel], rel: str, root: object
) -> Finding:
    kind = err["type"]
    pstr = path_str(loc)
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


def _field_names(model: type[BaseModel], loc: tuple[object, ...]) -> list[str]:
    """Field names of the model found at ``loc`` inside ``model`` (for 'did you mean')."""
    current: Any = model
    for step in loc:
        if isinstance(step, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        info = current.model_fields.get(str(step))
        if info is None:
            return []
        current = _inner_model(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _inner_model(tp: Any) -> Any:
    """The model inside Optional[...], list[...], dict[str, ...] and Annotated[...]."""
    origin = typing.get_origin(tp)
    if origin is None:
        return tp
    for arg in typing.get_args(tp):
        inner = _inner_model(arg) if arg is not type(None) else None
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return inner
    if origin in (typing.Union, types.UnionType):
        return None
    return None


# --- the year -------------------------------------------------------------------------------


def load_year(directory: Path, max_file_mb: int = DEFAULT_MAX_FILE_MB) -> LoadedYear:
    """Read and validate every known file of ``directory``; collect all findings."""
    year = LoadedYear(directory)
    max_bytes = max_file_mb * 1024 * 1024
    present = {p.name: p for p in sorted(directory.iterdir()) if p.suffix in (".yaml", ".yml")}
    for name, spec in FILES.items():
        path = present.get(name)
        if path is None:
            if spec.required:
                year.findings.append(finding("BF006", Location(name), f"缺少必需的文件 {name}"))
            continue
        root = _read_parse(year, path, name, max_bytes)
        if root is None and year.findings and year.findings[-1].location.file == name:
            continue
        year.roots[name] = root
        if root is None:
            year.findings.append(finding("BF013", Location(name, 1, 1), "文件为空"))
        model, problems = validate(root, spec.model, name)
        year.findings += problems
        if model is not None:
            year.models[name] = model
    for name in present:
        if name not in FILES and name != POLICY_FILE:
            near = difflib.get_close_matches(name, [*FILES, POLICY_FILE], n=1)
            hint = f"是否想写 {near[0]}？" if near else "bangfu 只读取已知文件名"
            year.findings.append(finding("BF007", Location(name, 1, 1), "未知的文件，不会被读取", hint))
    year.policy = _load_policy(year, present.get(POLICY_FILE), max_bytes)
    return year


def _read_parse(year: LoadedYear, path: Path, rel: str, max_bytes: int) -> object:
    text, problems = read_text(path, rel, year.directory, max_bytes)
    year.findings += problems
    if text is None:
        return None
    root, problems = parse_file(text, rel)
    year.findings += problems
    return root


def _load_policy(year: LoadedYear, path: Path | None, max_bytes: int) -> m.Policy | None:
    """Package defaults, then the year's policy.yaml replacing whole top-level keys."""
    text = resources.files("bangfu_eval").joinpath("policy_defaults.yaml").read_text("utf-8")
    defaults, _ = parse(text)
    assert isinstance(defaults, YMap)
    merged: dict[str, object] = dict(defaults)
    override: object = None
    if path is not None:
        override = _read_parse(year, path, POLICY_FILE, max_bytes)
        if override is not None and not isinstance(override, YMap):
            year.findings.append(finding("BF103", year.where(POLICY_FILE), "policy.yaml 应为映射"))
            return None
        if isinstance(override, YMap):
            year.roots[POLICY_FILE] = override
            merged.update(override)

    def locator(loc: tuple[object, ...]) -> tuple[str, object]:
        if isinstance(override, YMap) and loc and loc[0] in override:
            return POLICY_FILE, override
        if loc and loc[0] not in defaults:
            return POLICY_FILE, override
        return DEFAULT_POLICY, defaults

    policy, problems = validate(merged, m.Policy, POLICY_FILE, locator)
    year.findings += problems
    return policy if isinstance(policy, m.Policy) else None
