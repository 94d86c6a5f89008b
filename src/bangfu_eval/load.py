"""Files → models, or findings with file:line:col. The only module that reads files of a year.

``load_year`` reads every known file of a year directory, collects *all* problems of all files
(never stopping at the first), and returns typed models whose records know their origin, plus
the parsed trees and row indexes that turn an origin into a file, line and column
(``LoadedYear.at``, what the rules' context calls).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from bangfu_eval import gate, tofill
from bangfu_eval import models as m
from bangfu_eval.csvtable import read_csv
from bangfu_eval.findings import ERROR, WARNING, Code, Finding, Location
from bangfu_eval.privacy import PERSON_NAMES, personal_place
from bangfu_eval.records import Progress, RowCollector, RowIndex
from bangfu_eval.schema import BF103, path_str, validate
from bangfu_eval.yamlread import YMap, locate, parse

DEFAULT_MAX_FILE_MB = 200
KEEP_BYTES = 8_000_000
"""Files up to this many bytes are kept after reading, for the snippets under findings;
larger ones (a province's ledger) are read again for a snippet, only if unchanged."""

# --- the codes this module raises ---------------------------------------------------------

BF001 = Code(
    "BF001",
    ERROR,
    "file unreadable",
    "文件无法读取",
    message={
        "link": "链接指向年度目录之外，拒绝读取",
        "directory": "这是一个目录，不是文件",
        "special": "不是普通文件（管道、设备或套接字），拒绝读取",
        "os": "无法读取：{reason}",
    },
    why=(
        "A file that cannot be read loses every figure in it; one that is not a regular file of the "
        "year (a FIFO, a device, a link out of the directory) is never read at all: it could hang the "
        "run or pull in what is not the year's."
    ),
    example="funds.yaml is a directory, unreadable, a FIFO, or a link that leaves the year directory.",
    fix="Make it a regular, readable file inside the year directory.",
    source="实践：无政策条文，为读取数据所需（bangfu 自定）",
    zh_why="文件读不出来，其中的数字全部丢失。",
    zh_example="funds.yaml 是目录、无读取权限，或是指向年度目录之外的链接。",
    remedy="改为年度目录内可读的普通文件。",
)


BF002 = Code(
    "BF002",
    ERROR,
    "not UTF-8",
    "文件编码不是 UTF-8",
    message="不是 UTF-8 编码{guess}",
    why=(
        "Files saved from Excel or old editors are often GBK; read as UTF-8 they turn into garbage and "
        "figures are lost silently."
    ),
    example="households.yaml saved as GBK/GB18030.",
    fix="Convert it: iconv -f GB18030 -t UTF-8 old.yaml > new.yaml, or save as UTF-8.",
    help="用 iconv -f GB18030 -t UTF-8 转换，或在编辑器中另存为 UTF-8",
    source="实践：无政策条文，为读取数据所需（bangfu 自定）",
    zh_why="从 Excel 或旧编辑器保存的文件常为 GBK 编码，按 UTF-8 读取会变成乱码，数字悄悄丢失。",
    zh_example="households.yaml 以 GBK/GB18030 保存。",
    remedy="转换编码：iconv -f GB18030 -t UTF-8 旧.yaml > 新.yaml，或另存为 UTF-8。",
)


BF006 = Code(
    "BF006",
    ERROR,
    "required file missing",
    "缺少必需的文件",
    message="缺少必需的文件 {name}",
    why="Without it part of the evaluation cannot be checked or computed.",
    example="A year directory without funds.yaml.",
    fix="Add the file; docs/data-format.md lists the files of a year.",
    source="实践：无政策条文，为读取数据所需（bangfu 自定）",
    zh_why="缺少该文件，评价的一部分无法检查或计算。",
    zh_example="年度目录中没有 funds.yaml。",
    remedy="补上该文件；docs/data-format.md 列出年度目录的文件。",
)


BF007 = Code(
    "BF007",
    WARNING,
    "unknown file",
    "未知的文件",
    message="未知的文件，不会被读取",
    why="A YAML file bangfu does not read may hold figures that nobody checks.",
    example="fund.yaml (a typo for funds.yaml).",
    fix="Rename it to a known file or move it out of the year directory.",
    source="实践：无政策条文，为读取数据所需（bangfu 自定）",
    zh_why="bangfu 不读取的 YAML 文件中的数字无人核对。",
    zh_example="fund.yaml（应为 funds.yaml）。",
    remedy="改为已知文件名，或移出年度目录。",
)


BF008 = Code(
    "BF008",
    ERROR,
    "file too large",
    "文件过大",
    message="文件 {size:,} 字节，超过 {mb} MB 的上限",
    why="A file over the size limit is refused rather than exhausting memory.",
    example="A 300 MB households.yaml with the default limit of 200 MB.",
    fix="Split the data or raise the limit with --max-file-mb.",
    source="实践：无政策条文，为读取数据所需（bangfu 自定）",
    zh_why="超过大小上限的文件被拒绝读取，以免耗尽内存。",
    zh_example="默认上限 200 MB 时一个 300 MB 的 households.yaml。",
    remedy="拆分数据，或用 --max-file-mb 提高上限。",
)


BF013 = Code(
    "BF013",
    ERROR,
    "empty file",
    "文件为空",
    message={"": "文件为空", "csv": "文件为空：没有表头，{key} 为空"},
    why=(
        "A file with no content is read as 'nothing', which is rarely what was meant: a save that failed "
        "or a copy that went wrong. It fails like an unreadable file: checked as a year without those "
        "records, every payment would look like one to an unknown household."
    ),
    example="households.yaml with only a comment.",
    fix="Restore its content, or delete the file if the year has none.",
    source="实践：无政策条文，为读取数据所需（bangfu 自定）",
    zh_why="空文件被读作“没有内容”，往往是保存失败或复制出错。",
    zh_example="households.yaml 大小为 0。",
    remedy="恢复文件内容；本年确无此项数据时删除该文件。",
)


BF014 = Code(
    "BF014",
    ERROR,
    "list both in YAML and in CSV",
    "同一清单同时写在 YAML 和 CSV 中",
    message="{key} 同时写在 YAML 和 {csv} 中，只读取 YAML",
    why="Records kept twice drift apart; bangfu reads the YAML list and ignores the CSV file.",
    example="households.yaml with a households list, and households.csv beside it.",
    fix="Keep one of the two.",
    help="删除 {csv}，或删除 YAML 中的 {key}",
    source="实践：无政策条文，为读取数据所需（bangfu 自定）",
    zh_why="同一清单存两份会逐渐不一致；bangfu 读取 YAML 中的清单，忽略 CSV 文件。",
    zh_example="households.yaml 中有 households，同时存在 households.csv。",
    remedy="只保留其中一份。",
)


@dataclass(frozen=True)
class FileSpec:
    """A file of a year: its model, whether it must exist, the lists of records that are
    streamed row by row, and the CSV files that may hold those lists instead."""

    model: type[BaseModel]
    required: bool
    rows: tuple[tuple[str, Any], ...] = ()
    csv: tuple[tuple[str, str], ...] = ()


FILES: dict[str, FileSpec] = {
    "project.yaml": FileSpec(m.ProjectFile, True),
    "funds.yaml": FileSpec(m.FundsFile, True),
    "indicators.yaml": FileSpec(m.IndicatorsFile, True),
    "targets.yaml": FileSpec(m.TargetsFile, True),
    "narrative.yaml": FileSpec(m.NarrativeFile, True),
    "households.yaml": FileSpec(
        m.HouseholdsFile,
        False,
        (("households", m.Household),),
        (("households.csv", "households"),),
    ),
    "disbursements.yaml": FileSpec(
        m.DisbursementsFile,
        False,
        (("batches", m.Batch), ("disbursements", m.Disbursement)),
        (("batches.csv", "batches"), ("disbursements.csv", "disbursements")),
    ),
}
CSV_FILES = {name for spec in FILES.values() for name, _ in spec.csv}
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
    rows: dict[tuple[str, str], RowIndex] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)  # known files present (as YAML or CSV) with no model
    names: set[str] = field(default_factory=set)  # of archived persons, for masking by value
    max_bytes: int = DEFAULT_MAX_FILE_MB * 1024 * 1024
    _lines: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _texts: dict[str, bytes] = field(default_factory=dict, repr=False)
    _stamps: dict[str, gate.Stamp] = field(default_factory=dict, repr=False)

    def read(self, path: Path, rel: str) -> bytes | None:
        """Read ``rel`` through the gate, recording a finding when it is refused. Small files
        are kept for the snippets; a large one is remembered by its stamp and read again for
        a snippet only if it is still the same file."""
        data, stamp, problems = read_utf8(path, rel, self.directory, self.max_bytes)
        self.findings += problems
        if data is not None and stamp is not None:
            if len(data) <= KEEP_BYTES:
                self._texts[rel] = data
            else:
                self._stamps[rel] = stamp
        return data

    def at(self, record: object, *fields: object) -> Location:
        """Where ``fields`` (a field name, then list indexes or names further in) of a loaded
        ``record`` stand, or the record itself; the deepest part that exists."""
        place = m.origin(record)
        if place is None:
            return Location("")
        file, path = place
        return self.where(file, *path, *fields)

    def where(self, file: str, *path: object) -> Location:
        """The location of the value at ``path`` in ``file`` (the deepest part that exists).
        Streamed records are found through their row index, in their YAML or CSV file."""
        spec = FILES.get(file)
        _, personal = personal_place(spec.model if spec else m.Policy, path)
        if len(path) >= 2 and isinstance(path[1], int) and (file, str(path[0])) in self.rows:
            idx = self.rows[(file, str(path[0]))]
            line, col = idx.locate(path[1], path[2:], self.lines(idx.file))
            return Location(idx.file, line, col, path_str(path), personal)
        root = self.roots.get(file)
        line, col = locate(root, path) if root is not None else (0, 0)
        return Location(file, line, col, path_str(path), personal)

    def lines(self, file: str) -> list[str]:
        """The text lines of ``file`` as the loader read it (for snippets and offsets); none
        for a file the loader did not read, or that has changed since."""
        if file not in self._lines:
            data = self._texts.get(file)
            stamp = self._stamps.get(file)
            path = self.directory / file
            if data is None and stamp is not None and gate.same_file(path, stamp):
                data, _, _ = read_utf8(path, file, self.directory, self.max_bytes)
            self._lines[file] = (data or b"").decode("utf-8").splitlines()
        return self._lines[file]

    def in_text(self, loc: Location, offset: int) -> Location:
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


def stamp(model: object, file: str, path: tuple[object, ...] = ()) -> None:
    """Give ``model`` and every model inside it its origin: ``file`` and its field path."""
    if not isinstance(model, m.Model):
        return
    model._origin = (file, path)
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, m.Model):
            stamp(value, file, (*path, name))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                stamp(item, file, (*path, name, i))


# --- reading files ----------------------------------------------------------------------


def read_text(path: Path, rel: str, base: Path, max_bytes: int) -> tuple[str | None, list[Finding]]:
    """Read a file through the gate as UTF-8 text (BOM allowed); refuse anything else."""
    data, _, problems = read_utf8(path, rel, base, max_bytes)
    return (None if data is None else data.decode("utf-8")), problems


def read_utf8(
    path: Path, rel: str, base: Path, max_bytes: int
) -> tuple[bytes | None, gate.Stamp | None, list[Finding]]:
    """The bytes of a file checked to be UTF-8 (a BOM taken off), for libyaml, which reads them
    without the copy it makes of a str, and the stamp of what was read. Every read goes
    through the gate: a regular file inside the year once links are resolved, under the cap
    (a FIFO, a device, a link out of the year or a loop are refused before a byte is read)."""
    loc = Location(rel, 1, 1)
    try:
        data, stamp = gate.read_bytes(path, base, max_bytes)
    except gate.Refused as exc:
        if exc.kind == "large":
            return None, None, [BF008(loc, size=exc.size, mb=max_bytes // (1024 * 1024))]
        return None, None, [BF001(loc, variant=exc.kind, reason=exc.message)]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        data.decode("utf-8")
        return data, stamp, []
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        guess = _guess_encoding(data)
        return None, None, [BF002(Location(rel, line, 1), guess=guess)]


def _guess_encoding(data: bytes) -> str:
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return ""
    return "（看起来是 GBK/GB18030）"


def parse_file(
    text: str | bytes, rel: str, collector: RowCollector | None = None
) -> tuple[object, list[Finding]]:
    if collector is not None:
        root, problems = parse(text, collector.keys, collector)
    else:
        root, problems = parse(text)
    return root, [p.code.make(Location(rel, p.line, p.column), p.fields, p.variant) for p in problems]


# --- the year -------------------------------------------------------------------------------


def load_year(
    directory: Path,
    max_file_mb: int = DEFAULT_MAX_FILE_MB,
    progress: Progress | None = None,
    arrow: bool = True,
) -> LoadedYear:
    """Read and validate every known file of ``directory``; collect all findings.
    ``progress`` is told how far the long record lists have been read; ``arrow`` lets large
    plain CSV files be read by pyarrow when it is installed."""
    year = LoadedYear(directory, max_bytes=max_file_mb * 1024 * 1024)
    reading = _Reading(max_file_mb * 1024 * 1024, progress, arrow)
    present = {p.name: p for p in sorted(directory.iterdir()) if p.suffix in (".yaml", ".yml", ".csv")}
    for name, spec in FILES.items():
        _load_file(year, name, spec, present, reading)
        given = name in present or any(c in present for c, _ in spec.csv)
        if given and name not in year.models:
            year.failed.add(name)
    for name in present:
        if name not in FILES and name != POLICY_FILE and name not in CSV_FILES:
            near = difflib.get_close_matches(name, [*FILES, POLICY_FILE, *CSV_FILES], n=1)
            hint = f"是否想写 {near[0]}？" if near else "bangfu 只读取已知文件名"
            year.findings.append(BF007(Location(name, 1, 1), help=hint))
    year.policy = _load_policy(year, present.get(POLICY_FILE), reading.max_bytes)
    return year


def has_year_files(directory: Path) -> bool:
    """Whether ``directory`` holds any file of a year (an empty one needs ``bangfu init``)."""
    known = {*FILES, *CSV_FILES, POLICY_FILE}
    return any(p.name in known for p in directory.iterdir())


@dataclass(frozen=True)
class _Reading:
    """How the files of one run are read."""

    max_bytes: int
    progress: Progress | None
    arrow: bool


def _load_file(
    year: LoadedYear, name: str, spec: FileSpec, present: dict[str, Path], reading: _Reading
) -> None:
    path = present.get(name)
    csv_files = [(c, key) for c, key in spec.csv if c in present]
    if path is None and not csv_files:
        if spec.required:
            year.findings.append(BF006(Location(name), name=name))
        return
    collector = RowCollector(name, dict(spec.rows), reading.progress, lines=year.lines) if spec.rows else None
    root: object = YMap((1, 1))
    if path is not None:
        count = len(year.findings)
        root = _read_parse(year, path, name, reading.max_bytes, collector)
        if root is None and len(year.findings) == count:
            # an empty file is a failed one: the rules would take it for a year without records
            year.findings.append(BF013(Location(name, 1, 1)))
        if root is None:
            return
    year.roots[name] = root
    value: object = root
    if collector is not None:
        if not _read_csv_lists(year, root, csv_files, present, collector, reading):
            return  # a table that cannot be read (GBK): one finding, and no empty list for the rules
        collector.flush()
        _collect_names(year, collector)
        year.findings += collector.findings
        for key, idx in collector.index.items():
            year.rows[(name, key)] = idx
        if isinstance(root, YMap):  # the record lists, typed already, join the rest of the file
            value = {**root, **{k: v for k, v in collector.rows.items() if isinstance(root.get(k, []), list)}}
    model, problems = validate(root, spec.model, name, value=value)
    year.findings += problems
    if collector is not None and collector.findings:
        return  # some rows failed: the rules must not see the list without them
    if model is not None:
        stamp(model, name)
        year.models[name] = model


def _collect_names(year: LoadedYear, collector: RowCollector) -> None:
    """The names of archived persons, from valid rows (kept as columns) and failed ones."""
    year.names |= collector.names
    for key, name in PERSON_NAMES.items():
        table = collector.rows.get(key)
        if table is not None:
            year.names.update(table.columns.get(name, ()))


def _read_csv_lists(
    year: LoadedYear,
    root: object,
    csv_files: list[tuple[str, str]],
    present: dict[str, Path],
    collector: RowCollector,
    reading: _Reading,
) -> bool:
    """Read the CSV tables into ``collector``; False when one of them could not be read."""
    readable = True
    for csv_name, key in csv_files:
        if isinstance(root, YMap) and key in root:
            year.findings.append(BF014(Location(csv_name, 1, 1), key=key, csv=csv_name))
            continue
        data = year.read(present[csv_name], csv_name)
        text = None if data is None else data.decode("utf-8")
        if text is not None and not text.strip():  # fails the file, as an empty YAML file does
            collector.findings.append(BF013(Location(csv_name, 1, 1), variant="csv", key=key))
        if text is None:
            readable = False
        else:
            read_csv(text, csv_name, key, collector, reading.arrow)
    return readable


def _read_parse(
    year: LoadedYear, path: Path, rel: str, max_bytes: int, collector: RowCollector | None = None
) -> object:
    data = year.read(path, rel)
    if data is None:
        return None
    if collector is not None:
        collector.total_lines = data.count(b"\n") + 1
    root, problems = parse_file(data, rel, collector)
    year.findings += problems
    year.findings += tofill.marks(data, rel)
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
            year.findings.append(BF103(year.where(POLICY_FILE), variant="mapping"))
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
