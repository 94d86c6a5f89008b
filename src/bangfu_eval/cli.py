"""The command line: arguments in → pipeline → renderer → exit code. No rules, no maths.

Exit codes: 0 no errors · 1 errors found (or warnings with --strict) · 2 usage error ·
3 internal error (rerun with --debug for the traceback).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from bangfu_eval import __version__

app = typer.Typer(
    name="bangfu",
    help="检查、评分并生成工会困难职工帮扶资金绩效自评报告。Check, score and report a union's "
    "hardship-assistance funds from plain YAML files.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
_MASK: Any = None  # the output boundary's masking (privacy.Masking), set by _masking


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"


class DocFormat(StrEnum):
    md = "md"
    docx = "docx"
    pdf = "pdf"


class ScoreFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"
    md = "md"
    xlsx = "xlsx"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"bangfu {__version__}")
        raise typer.Exit()


class _Session:
    """What the root options say for the one command a process runs."""

    debug = False


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")] = False,
) -> None:
    """bangfu: 帮扶资金绩效自评 as code."""
    _Session.debug = debug
    global _MASK
    _MASK = None  # each command masks with what its own run read


YearDir = Annotated[
    Path | None,
    typer.Argument(
        help="The year directory (default: the newest data/<year>/ here, or "
        "[tool.bangfu] year_dir in pyproject.toml, or $BANGFU_YEAR_DIR)."
    ),
]
MaxMb = Annotated[int, typer.Option("--max-file-mb", min=1, help="Refuse larger files.")]
Select = Annotated[
    list[str] | None,
    typer.Option(
        "--select", help="Only these codes or families (BF2, BF601); repeatable or comma-separated."
    ),
]
Ignore = Annotated[
    list[str] | None,
    typer.Option("--ignore", help="Leave out these codes or families; repeatable or comma-separated."),
]


Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar on long loads.")]
Force = Annotated[bool, typer.Option("--force", help="Overwrite an existing output.")]
ShowPersonal = Annotated[
    bool,
    typer.Option(
        "--show-personal-data",
        help="Do not mask households' names and numbers (the output says so at the top).",
    ),
]
Template = Annotated[
    Path | None,
    typer.Option(
        "--template", help="A directory with the unit's own templates (report.md.j2, publicity.md.j2)."
    ),
]


class _ProgressBar:
    """A transient progress bar on stderr for loads that take more than a second; never
    when stderr is not a terminal or with --quiet."""

    def __init__(self, quiet: bool) -> None:
        self.enabled = not quiet and sys.stderr.isatty()
        self.start = time.monotonic()
        self.bar: Any = None
        self.task: Any = None

    def __call__(self, file: str, line: int, total: int) -> None:
        if not self.enabled or time.monotonic() - self.start < 1.0:
            return
        if self.bar is None:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.completed:,}/{task.total:,} 行"),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task(file, total=total)
        self.bar.update(self.task, description=f"读取 {file}", completed=line, total=total)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def _masking(outcome: Any = None, show: bool = False) -> Any:
    """The output boundary's masking: numbers by shape always, the names of the archived
    persons once a run has read them. Set once per command (after its run)."""
    global _MASK
    from bangfu_eval.privacy import Masking

    if outcome is not None or _MASK is None:
        names = outcome.loaded.names if outcome is not None else ()
        _MASK = Masking(names, show)
    return _MASK


def _emit(text: str, err: bool = False, nl: bool = True) -> None:
    """Every line bangfu prints goes through here: masked, control characters made visible."""
    from bangfu_eval.render.text import printable

    typer.echo(printable(_masking()(text)), err=err, nl=nl)


def _run(year_dir: Path, quiet: bool, **kwargs: Any) -> Any:
    """The pipeline, with a progress bar when it is slow."""
    from bangfu_eval.config import use_arrow
    from bangfu_eval.pipeline import run

    bar = _ProgressBar(quiet)
    try:
        outcome = run(year_dir, progress=bar, arrow=use_arrow(), **kwargs)
        _masking(outcome)
        return outcome
    finally:
        bar.close()


def _refuse(outcome: Any, what: str, override: str) -> None:
    """Print check's findings on stderr, say what was not done (and the option that does it
    anyway, when the year loaded at all), and exit 1."""
    from bangfu_eval.render import findings_text

    _emit(findings_text.text(outcome, lines=outcome.loaded.lines), nl=False, err=True)
    hint = override if outcome.results is not None else ""
    _emit(f"bangfu: 检查发现错误，{what}{hint}", err=True)
    raise typer.Exit(EXIT_FINDINGS)


def _note_to_fill(outcome: Any) -> None:
    """Values left to fill (# 待填, BF015) are infos, but a figure computed from an unfilled
    value is not the year's: say so on stderr."""
    from bangfu_eval.tofill import left_to_fill

    left = left_to_fill(outcome.findings)
    if left:
        typer.echo(f"注意：还有 {left} 项待填（# 待填），结果不完整；bangfu check 列出各项", err=True)


def _split(values: list[str] | None) -> list[str]:
    return [v for item in values or [] for v in item.split(",") if v.strip()]


def resolve_year_dir(arg: Path | None) -> Path:
    """The year directory (``config.year_dir``); says which on stderr when bangfu chose it."""
    from bangfu_eval.config import NoYearDir, year_dir

    try:
        found = year_dir(arg)
    except NoYearDir as exc:
        _usage(str(exc))
        raise  # not reached: _usage exits
    if found.note:
        _emit(f"bangfu: {found.note}", err=True)
    if found.chosen:
        _emit(f"使用年度目录 {found.path}", err=True)
    _require_year_files(found.path)
    return found.path


def _require_year_files(directory: Path) -> None:
    from bangfu_eval.load import has_year_files

    if not has_year_files(directory):
        _usage(
            f"{directory} 中没有年度数据文件；先运行 bangfu init {directory} --from <上一年度目录> "
            "创建（或 bangfu synth 生成合成数据）"
        )


def _usage(message: str) -> None:
    _emit(f"bangfu: {message}", err=True)
    raise typer.Exit(EXIT_USAGE)


@app.command()
def check(
    directory: YearDir = None,
    fmt: Annotated[CheckFormat, typer.Option("--format", help="text, json or github")] = CheckFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail the run too.")] = False,
    select: Select = None,
    ignore: Ignore = None,
    max_file_mb: MaxMb = 200,
    quiet: Quiet = False,
) -> None:
    """Check a year's files: load, schema, arithmetic and policy rules (exit 1 on errors)."""
    from bangfu_eval.render import formats

    year_dir = resolve_year_dir(directory)
    outcome = _run(year_dir, quiet, max_file_mb=max_file_mb, select=_split(select), ignore=_split(ignore))
    _emit(formats.check(outcome, fmt.value), nl=False)
    if outcome.hidden_errors and outcome.year is None:
        _emit(
            f"bangfu: 年度数据未能读取（{outcome.hidden_errors} 个错误不在 --select/--ignore 所选范围内）",
            err=True,
        )
    raise typer.Exit(EXIT_FINDINGS if outcome.failed(strict) else EXIT_OK)


@app.command()
def score(
    directory: YearDir = None,
    fmt: Annotated[
        ScoreFormat | None, typer.Option("--format", help="text, json, csv, md or xlsx (default: from --out)")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to a file (自评表.xlsx, score.csv …) instead.")
    ] = None,
    level: Annotated[
        int | None, typer.Option("--level", min=1, help="Fold the indicator tree below this depth.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite an existing --out file (scoring needs no --force).")
    ] = False,
    max_file_mb: MaxMb = 200,
    quiet: Quiet = False,
) -> None:
    """Print the scorecard: the total and its grade, indicator trees scored from the data,
    funds, targets. Exit 0 whenever the year loads; check's counts go to stderr in one line."""
    from bangfu_eval.render import findings_text, formats

    year_dir = resolve_year_dir(directory)
    fmt = fmt or _score_format(out)
    if out is not None or fmt is ScoreFormat.xlsx:
        _check_out(out, year_dir, force, fmt)
    outcome = _run(year_dir, quiet, max_file_mb=max_file_mb)
    if outcome.results is None:
        _refuse(outcome, "未评分", "")
    if outcome.findings:
        _emit(f"检查：{findings_text.summary_line(outcome)}（bangfu check 查看详情）", err=True)
    _note_to_fill(outcome)
    if fmt is ScoreFormat.xlsx:
        from bangfu_eval.render.xlsx import render as render_xlsx

        project = outcome.year.project if outcome.year else None
        _write_out(out, render_xlsx(outcome.results, project, _masking()), force)
        return
    text = formats.score(outcome, fmt.value, level)
    if text is not None:
        _score_out(out, text, force)
    else:
        from bangfu_eval.render.terminal import scorecard as show

        console = _console()
        with console.capture() as captured:
            show(outcome.results, console, level)
        typer.echo(_masking()(captured.get()), nl=False)  # rich's colours kept


def _score_format(out: Path | None) -> ScoreFormat:
    suffix = out.suffix.lower().lstrip(".") if out is not None else ""
    return ScoreFormat(suffix) if suffix in {"xlsx", "csv", "json", "md"} else ScoreFormat.text


def _check_out(out: Path | None, year_dir: Path, force: bool, fmt: ScoreFormat) -> None:
    from bangfu_eval.output import RefusedWrite, check_target

    if out is None:
        _usage("--format xlsx 需要 --out 自评表.xlsx")
        return
    if fmt is ScoreFormat.text:
        _usage("--out 需要 --format json、csv、md 或 xlsx")
    try:
        check_target(out, year_dir, force)
    except RefusedWrite as exc:
        _usage(str(exc))


def _score_out(out: Path | None, text: str, force: bool) -> None:
    """A scorecard to stdout or to ``out``, through the output boundary's masking."""
    from bangfu_eval.render.text import printable

    if out is None:
        _emit(text, nl=False)
    else:
        _write_out(out, printable(_masking()(text)).encode("utf-8"), force)


def _write_out(out: Path | None, data: bytes, force: bool = False) -> None:
    from bangfu_eval.output import RefusedWrite, write_atomic

    assert out is not None
    try:
        write_atomic(out, data, force)
    except RefusedWrite as exc:  # exists meanwhile, read-only or full disk, not a regular file
        _usage(str(exc))
    except OSError as exc:  # on Windows, a file open in Excel cannot be replaced
        _usage(f"无法写入 {out}：{exc.strerror or exc}（文件是否正在 Excel 中打开？）")
    _emit(f"已写出 {out}", err=True)


def _console():  # type: ignore[no-untyped-def]
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


OutPath = Annotated[
    str,
    typer.Option(
        "--out",
        "-o",
        help="report.md, report.docx or report.pdf (the suffix decides); - for Markdown on stdout",
    ),
]
OutFormat = Annotated[
    DocFormat | None, typer.Option("--format", help="md, docx or pdf; must agree with the --out suffix")
]


def _output(
    out: str | None, fmt: DocFormat | None, year_dir: Path, force: bool
) -> tuple[Path | None, DocFormat]:
    """Where and in which format to write (``formats.document``: the suffix decides, --format
    must agree; ``-`` or no --out is Markdown on stdout). A refused target or a PDF without
    LibreOffice is a usage error (exit 2)."""
    from bangfu_eval.output import RefusedWrite, check_target
    from bangfu_eval.render import formats

    path = None if out is None or out == "-" else Path(out)
    try:
        kind = DocFormat(formats.document(path, fmt.value if fmt else None))
    except formats.FormatMismatch as exc:
        _usage(str(exc))
        raise  # unreachable: _usage exits
    if kind is DocFormat.pdf:
        from bangfu_eval.render.pdf import HOW_TO_INSTALL, converter

        if converter() is None:
            _usage(HOW_TO_INSTALL)
    if path is not None:
        try:
            check_target(path, year_dir, force)
        except RefusedWrite as exc:
            _usage(str(exc))
    return path, kind


@app.command()
def report(
    directory: YearDir = None,
    out: OutPath = "report.md",
    fmt: OutFormat = None,
    template: Template = None,
    final: Annotated[
        bool, typer.Option("--final", help="Refuse to write while check finds errors (for pipelines).")
    ] = False,
    draft: Annotated[
        bool, typer.Option("--draft", help="Kept for old scripts: a report with errors is a draft anyway.")
    ] = False,
    force: Force = False,
    show_personal_data: ShowPersonal = False,
    max_file_mb: MaxMb = 200,
    quiet: Quiet = False,
) -> None:
    """Render the evaluation report (附件2–6 with the 自评表, and the 问题清单) as Markdown, Word or PDF.
    While check finds errors the report is stamped 草稿 and stderr says how to finalise it."""
    from bangfu_eval.privacy import Masker
    from bangfu_eval.render.markdown import TemplateProblem, render_source
    from bangfu_eval.report import context, previous_year

    year_dir = resolve_year_dir(directory)
    path, kind = _output(out, fmt, year_dir, force)
    if template is not None and not (template / "report.md.j2").is_file():
        _usage(f"{template} 中没有 report.md.j2")
        return
    outcome = _run(year_dir, quiet, max_file_mb=max_file_mb)
    _masking(outcome, show_personal_data)
    if not outcome.usable(despite_errors=not final):
        _refuse(outcome, "未生成报告", "（不加 --final 则写出草稿）")
    _note_to_fill(outcome)
    is_draft = outcome.failed()
    before = previous_year(year_dir, lambda d: _run(d, True, max_file_mb=max_file_mb))
    try:
        ctx = context(outcome, Masker(show_personal_data), is_draft, before)
        source = render_source(ctx, template)
    except TemplateProblem as exc:
        _usage(f"模板 {exc.template}:{exc.line or '?'}：{exc.message}")
        return
    _write_document(path, kind, source, is_draft, show_personal_data, _properties(ctx), force)
    if is_draft:
        from bangfu_eval.render import findings_text

        _emit(
            f"注意：{findings_text.summary_line(outcome)}，报告已标为“草稿”。要生成正式报告："
            "修正错误（bangfu check 查看位置），或在 project.yaml 的 acknowledge 中逐条写明理由"
            "确认；--final 在仍有错误时拒绝写出。",
            err=True,
        )


def _properties(ctx: dict[str, Any]) -> dict[str, Any]:
    """Word document properties: author = the issuing unit, title, created = now."""
    import datetime as dt

    title = f"{ctx.get('subtitle', '')}{ctx.get('title', '')}"
    return {"author": ctx.get("issuer") or "", "title": title, "created": dt.datetime.now(dt.UTC)}


UNMASKED_NOTICE = "> **本文件含未遮蔽的个人信息（--show-personal-data），注意保密。**\n\n"


def _write_document(
    out: Path | None,
    kind: DocFormat,
    source: str,
    draft: bool,
    unmasked: bool,
    properties: dict[str, Any],
    force: bool = False,
) -> None:
    """Markdown, Word or PDF from a template's output, to a file (atomically) or to stdout. The
    whole text passes the output boundary's masking first (unless --show-personal-data)."""
    from bangfu_eval.output import RefusedWrite, write_atomic
    from bangfu_eval.render.markdown import to_markdown
    from bangfu_eval.render.text import printable

    source = printable(_masking()(source))
    properties = {k: printable(_masking()(v)) if isinstance(v, str) else v for k, v in properties.items()}
    if unmasked:
        source = UNMASKED_NOTICE + source
    if kind is DocFormat.md:
        data = to_markdown(source).encode("utf-8")
    else:
        from bangfu_eval.render.docx import render as render_docx

        data = render_docx(source, draft, properties)
        if kind is DocFormat.pdf:
            from bangfu_eval.render.pdf import NoConverter, docx_to_pdf

            try:
                data = docx_to_pdf(data)
            except NoConverter as exc:
                _usage(str(exc))
    if out is None:
        sys.stdout.write(data.decode("utf-8"))
        return
    try:
        write_atomic(out, data, force)
    except RefusedWrite as exc:
        _usage(str(exc))
    _emit(f"已写出 {out}{'（草稿）' if draft else ''}", err=True)


@app.command()
def publicity(
    directory: YearDir = None,
    batch: Annotated[
        list[str] | None,
        typer.Option("--batch", "-b", help="Batch id(s), repeatable or comma-separated; default: all."),
    ] = None,
    out: Annotated[
        str | None,
        typer.Option("--out", "-o", help="publicity.md, .docx or .pdf; default (or -): Markdown on stdout"),
    ] = None,
    fmt: OutFormat = None,
    template: Template = None,
    force: Force = False,
    show_personal_data: ShowPersonal = False,
    max_file_mb: MaxMb = 200,
    quiet: Quiet = False,
) -> None:
    """Write the 公示 list of payment batches: masked names, amounts, totals, ready to post."""
    from bangfu_eval import publicity as pub
    from bangfu_eval.privacy import Masker
    from bangfu_eval.render.markdown import TemplateProblem, render_source

    year_dir = resolve_year_dir(directory)
    path, kind = _output(out, fmt, year_dir, force)
    outcome = _run(year_dir, quiet, max_file_mb=max_file_mb)
    _masking(outcome, show_personal_data)
    if outcome.year is None or outcome.year.disbursements is None:
        _refuse(outcome, "没有可公示的发放记录（disbursements.yaml 未读取）", "")
    known = pub.batch_ids(outcome.year)
    wanted = _split(batch) or known
    unknown = [b for b in wanted if b not in known]
    if unknown:
        _usage(f"未知批次：{'、'.join(unknown)}（已有：{'、'.join(known)}）")
    try:
        ctx = pub.context(outcome.year, wanted, Masker(show_personal_data))
        source = render_source(ctx, template, "publicity.md.j2")
    except TemplateProblem as exc:
        _usage(f"模板 {exc.template}:{exc.line or '?'}：{exc.message}")
        return
    title = f"{ctx['unit']}{ctx['year']}年度帮扶资金发放公示"
    properties = _properties({"issuer": ctx["unit"], "title": title})
    _write_document(path, kind, source, False, show_personal_data, properties, force)


@app.command()
def synth(
    directory: Annotated[Path, typer.Argument(help="A new, empty directory to write.")],
    households: Annotated[
        int, typer.Option("--households", "-n", min=1, help="How many households (≈8 payments each).")
    ] = 114,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same files).")] = 1,
    year: Annotated[int, typer.Option("--year", min=1990, max=2100)] = 2022,
    as_csv: Annotated[bool, typer.Option("--csv", help="Households and payments as CSV.")] = False,
) -> None:
    """Write a valid SYNTHETIC year of any size (for trying bangfu, tests and benchmarks)."""
    from bangfu_eval.synthyear import synth as write

    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        _usage(f"{directory} 已存在且不是空目录；bangfu synth 只写入新目录")
    counts = write(directory, households, seed, year, as_csv)
    _emit(
        f"已写出合成数据 {directory}：{counts['households']} 户，"
        f"{counts['disbursements']} 笔发放（synthetic）",
        err=True,
    )


class ImportTo(StrEnum):
    csv = "csv"
    yaml = "yaml"


class ImportFormat(StrEnum):
    text = "text"
    json = "json"


@app.command("import")
def import_(
    workbook: Annotated[Path, typer.Argument(help="An .xlsx, .xls, .ods or .csv file (UTF-8 or GBK).")],
    into: Annotated[Path, typer.Option("--into", help="The year directory to write the tables into.")],
    to: Annotated[ImportTo, typer.Option("--to", help="Write the tables as csv or yaml.")] = ImportTo.csv,
    map_file: Annotated[
        Path | None, typer.Option("--map", help="A TOML file of the unit's own headers and names.")
    ] = None,
    fmt: Annotated[ImportFormat, typer.Option("--format", help="text or json")] = ImportFormat.text,
    force: Annotated[bool, typer.Option("--force", help="Replace the year's existing tables.")] = False,
) -> None:
    """Import a workbook's roster, visits, batches, ledger and funds into a year (all or nothing)."""
    from bangfu_eval.excel import report
    from bangfu_eval.excel.importer import import_workbook

    result = import_workbook(workbook, into, to.value, map_file, force)
    typer.echo(report.as_json(result) if fmt is ImportFormat.json else report.text(result, into), nl=False)
    raise typer.Exit(EXIT_FINDINGS if result.failed else EXIT_OK)


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="The new year's directory (new or empty).")],
    last: Annotated[Path, typer.Option("--from", help="Last year's directory.")],
) -> None:
    """Start next year from last year's files; '# 待填' marks what is left to fill."""
    from bangfu_eval.init_year import InitRefused, skeleton, write

    if not last.is_dir():
        _usage(f"不是目录：{last}")
    try:
        skel = skeleton(last)
        write(directory, skel)
    except InitRefused as exc:
        _usage(str(exc))
        return
    typer.echo(
        f"已生成 {skel.year} 年度 {directory}：{skel.households} 户在档；"
        f"运行 bangfu check {directory} 查看待填项",
        err=True,
    )


@app.command()
def schema(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Directory to write the *.schema.json files into.")
    ],
    directory: Annotated[
        Path | None, typer.Argument(help="A year whose policy codes and sources the schemas list.")
    ] = None,
) -> None:
    """Write a JSON Schema per file of a year, for editors (completion, Chinese field names)."""
    from bangfu_eval.editor_schema import write_all

    if directory is not None and not directory.is_dir():
        _usage(f"不是目录：{directory}")
    try:
        written = write_all(out, directory)
    except OSError as exc:
        _usage(f"无法写入 {out}：{exc.strerror or exc}")
        return
    for path in written:
        typer.echo(f"已写出 {path}", err=True)


@app.command()
def rules() -> None:
    """List every finding code with its severity and title."""
    from bangfu_eval.catalogue import CODES, FAMILIES

    family = ""
    for code, info in CODES.items():
        if info.family != family:
            family = info.family
            typer.echo(f"\n{family}xx  {FAMILIES[family]}")
        typer.echo(f"  {code}  {info.severity.value:<7}  {info.zh} — {info.title}")


@app.command()
def explain(code: Annotated[str, typer.Argument(help="A finding code, e.g. BF201.")]) -> None:
    """Explain a finding code: why it matters, an example, how to fix it."""
    from bangfu_eval.catalogue import CODES

    info = CODES.get(code.strip().upper())
    if info is None and code.strip().upper().startswith("XL"):
        from bangfu_eval.excel.codes import CODES as IMPORT_CODES

        found = IMPORT_CODES.get(code.strip().upper())
        if found is not None:
            typer.echo(
                f"{code.strip().upper()} {found[1]}  [{found[0].value}]  (bangfu import; see docs/import.md)"
            )
            return
    if info is None:
        _usage(f"未知代码 {code}；bangfu rules 列出全部代码")
        return
    typer.echo(f"{info.code} {info.zh} — {info.title}  [{info.severity.value}]\n")
    for variant, template in info.templates.items():
        typer.echo(f"Message: {template}" + (f"  ({variant})" if variant else ""))
    typer.echo(f"Why:     {info.why}")
    typer.echo(f"Example: {info.example}")
    typer.echo(f"Fix:     {info.fix}")
    if info.policy:
        typer.echo(f"Policy:  {info.policy}")


def _exit(code: object) -> None:
    """Leave without tearing down what the run built: freeing a million records one by one
    takes seconds and serves nothing (mypy exits the same way). Every output file is already
    written and closed; only the standard streams need flushing."""
    if isinstance(code, str):
        print(code, file=sys.stderr)
    status = code if isinstance(code, int) else (0 if code is None else 1)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nobody is reading
            stream.flush()
    os._exit(status)


def _portable_streams() -> None:
    """On a console or pipe whose encoding cannot hold every character (a Windows code page
    such as cp936), replace what it cannot show rather than fail on it."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", "") or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def main() -> None:
    """Entry point: one handler turns anything unexpected into one line and exit code 3
    (``bangfu --debug COMMAND`` lets the traceback through)."""
    _Session.debug = False
    _portable_streams()
    try:
        app()
    except SystemExit as done:
        _exit(done.code)
    except Exception as exc:
        if _Session.debug:
            import traceback

            # the traceback may quote personal data (an ID in an exception's text): masked too
            _emit("".join(traceback.format_exception(exc)), err=True, nl=False)
            sys.exit(EXIT_INTERNAL)
        tb = exc.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        where = f" at {Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno}" if tb else ""
        typer.echo(
            f"bangfu: internal error ({type(exc).__name__}{where}). "
            "Rerun with --debug to see the traceback, and report it.",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)
