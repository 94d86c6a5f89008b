"""Files → models, or findings with file:line:col. The only module that reads files of a year.

``load_year`` reads every known file of a year directory, collects *all* problems of all files
(never stopping at the first), and returns typed models plus the parsed trees that locate any
value by its field path.
"""

from __future__ import annotations

import difflib
import gc
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from bangfu_eval import gate
from bangfu_eval import models as m
from bangfu_eval.csvtable import read_csv
from bangfu_eval.findings import Finding, Location
from bangfu_eval.privacy import PERSON_NAMES
from bangfu_eval.records import Progress, RowCollector, RowIndex
from bangfu_eval.schema import finding, path_str, validate
from bangfu_eval.yamlread import YMap, locate, parse

DEFAULT_MAX_FILE_MB = 200
KEEP_CHARS = 8_000_000
"""Files up to this many characters are kept after reading, for the snippets under findings;
larger ones (a province's ledger) are read again for a snippet, only if unchanged."""


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
    _texts: dict[str, str] = field(default_factory=dict, repr=False)
    _stamps: dict[str, gate.Stamp] = field(default_factory=dict, repr=False)

    def read(self, path: Path, rel: str) -> str | None:
        """Read ``rel`` through the gate, recording a finding when it is refused. Small files
        are kept for the snippets; a large one is remembered by its stamp and read again for
        a snippet only if it is still the same file."""
        text, stamp, problems = _read_gated(path, rel, self.directory, self.max_bytes)
        self.findings += problems
        if text is not None and stamp is not None:
            if len(text) <= KEEP_CHARS:
                self._texts[rel] = text
            else:
                self._stamps[rel] = stamp
        return text

    def where(self, file: str, *path: object) -> Location:
        """The location of the value at ``path`` in ``file`` (the deepest part that exists).
        Streamed records are found through their row index, in their YAML or CSV file."""
        if len(path) >= 2 and isinstance(path[1], int) and (file, str(path[0])) in self.rows:
            idx = self.rows[(file, str(path[0]))]
            lines = [] if idx.header else self.lines(idx.file)
            line, col = idx.locate(path[1], path[2:], lines)
            return Location(idx.file, line, col, path_str(path))
        root = self.roots.get(file)
        line, col = locate(root, path) if root is not None else (0, 0)
        return Location(file, line, col, path_str(path))

    def lines(self, file: str) -> list[str]:
        """The text lines of ``file`` as the loader read it (for snippets and offsets); none
        for a file the loader did not read, or that has changed since."""
        if file not in self._lines:
            text = self._texts.get(file)
            stamp = self._stamps.get(file)
            path = self.directory / file
            if text is None and stamp is not None and gate.same_file(path, stamp):
                text, _, _ = _read_gated(path, file, self.directory, self.max_bytes)
            self._lines[file] = (text or "").splitlines()
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


# --- reading files ----------------------------------------------------------------------


def read_text(path: Path, rel: str, base: Path, max_bytes: int) -> tuple[str | None, list[Finding]]:
    """Read a file through the gate (a regular file inside the year, under the cap) as UTF-8
    (BOM allowed); refuse anything else with a finding."""
    text, _, problems = _read_gated(path, rel, base, max_bytes)
    return text, problems


def _read_gated(
    path: Path, rel: str, base: Path, max_bytes: int
) -> tuple[str | None, gate.Stamp | None, list[Finding]]:
    loc = Location(rel, 1, 1)
    try:
        data, stamp = gate.read_bytes(path, base, max_bytes)
    except gate.Refused as exc:
        return None, None, [finding(exc.code, loc, exc.message)]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), stamp, []
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        guess = _guess_encoding(data)
        return (
            None,
            None,
            [
                finding(
                    "BF002",
                    Location(rel, line, 1),
                    f"不是 UTF-8 编码{guess}",
                    "用 iconv -f GB18030 -t UTF-8 转换，或在编辑器中另存为 UTF-8",
                )
            ],
        )


def _guess_encoding(data: bytes) -> str:
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return ""
    return "（看起来是 GBK/GB18030）"


def parse_file(text: str, rel: str, collector: RowCollector | None = None) -> tuple[object, list[Finding]]:
    if collector is not None:
        root, problems = parse(text, collector.keys, collector)
    else:
        root, problems = parse(text)
    return root, [finding(p.code, Location(rel, p.line, p.column), p.message) for p in problems]


# --- the year -------------------------------------------------------------------------------


def load_year(
    directory: Path, max_file_mb: int = DEFAULT_MAX_FILE_MB, progress: Progress | None = None
) -> LoadedYear:
    """Read and validate every known file of ``directory``; collect all findings.
    ``progress`` is told how far the long record lists have been read."""
    max_bytes = max_file_mb * 1024 * 1024
    year = LoadedYear(directory, max_bytes=max_bytes)
    # Loading allocates millions of small objects and frees few: the cyclic collector would
    # walk them again and again (half of the load time at 1e6 rows), so it is paused here
    # and restored as it was.
    collecting = gc.isenabled()
    gc.disable()
    try:
        _load_all(year, directory, max_bytes, progress)
    finally:
        if collecting:
            gc.enable()
    return year


def _load_all(year: LoadedYear, directory: Path, max_bytes: int, progress: Progress | None) -> None:
    present = {p.name: p for p in sorted(directory.iterdir()) if p.suffix in (".yaml", ".yml", ".csv")}
    for name, spec in FILES.items():
        _load_file(year, name, spec, present, max_bytes, progress)
        given = name in present or any(c in present for c, _ in spec.csv)
        if given and name not in year.models:
            year.failed.add(name)
    for name in present:
        if name not in FILES and name != POLICY_FILE and name not in CSV_FILES:
            near = difflib.get_close_matches(name, [*FILES, POLICY_FILE, *CSV_FILES], n=1)
            hint = f"是否想写 {near[0]}？" if near else "bangfu 只读取已知文件名"
            year.findings.append(finding("BF007", Location(name, 1, 1), "未知的文件，不会被读取", hint))
    year.policy = _load_policy(year, present.get(POLICY_FILE), max_bytes)


def _load_file(
    year: LoadedYear,
    name: str,
    spec: FileSpec,
    present: dict[str, Path],
    max_bytes: int,
    progress: Progress | None,
) -> None:
    path = present.get(name)
    csv_files = [(c, key) for c, key in spec.csv if c in present]
    if path is None and not csv_files:
        if spec.required:
            year.findings.append(finding("BF006", Location(name), f"缺少必需的文件 {name}"))
        return
    collector = RowCollector(name, dict(spec.rows), progress) if spec.rows else None
    root: object = YMap((1, 1))
    if path is not None:
        count = len(year.findings)
        root = _read_parse(year, path, name, max_bytes, collector)
        if root is None and len(year.findings) > count:
            return
        if root is None:
            year.findings.append(finding("BF013", Location(name, 1, 1), "文件为空"))
    year.roots[name] = root
    if collector is not None:
        _read_csv_lists(year, root, csv_files, present, collector, max_bytes)
    model, problems = validate(root, spec.model, name)
    year.findings += problems
    if collector is not None:
        collector.flush()
        _collect_names(year, collector)
        year.findings += collector.findings
        for key, idx in collector.index.items():
            year.rows[(name, key)] = idx
        if collector.findings:
            return  # some rows failed: the rules must not see the list without them
        if model is not None:
            model = model.model_copy(update=collector.rows)
    if model is not None:
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
    max_bytes: int,
) -> None:
    for csv_name, key in csv_files:
        if isinstance(root, YMap) and key in root:
            year.findings.append(
                finding(
                    "BF014",
                    Location(csv_name, 1, 1),
                    f"{key} 同时写在 YAML 和 {csv_name} 中，只读取 YAML",
                    f"删除 {csv_name}，或删除 YAML 中的 {key}",
                )
            )
            continue
        text = year.read(present[csv_name], csv_name)
        if text is not None and not text.strip():
            year.findings.append(
                finding("BF013", Location(csv_name, 1, 1), f"文件为空：没有表头，{key} 为空")
            )
        if text is not None:
            read_csv(text, csv_name, key, collector)


def _read_parse(
    year: LoadedYear, path: Path, rel: str, max_bytes: int, collector: RowCollector | None = None
) -> object:
    text = year.read(path, rel)
    if text is None:
        return None
    if collector is not None:
        collector.total_lines = text.count("\n") + 1
    root, problems = parse_file(text, rel, collector)
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
