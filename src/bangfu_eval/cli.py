"""The command line: arguments in → pipeline → renderer → exit code. No rules, no maths.

Exit codes: 0 no errors · 1 errors found (or warnings with --strict) · 2 usage error ·
3 internal error (rerun with --debug for the traceback).
"""

from __future__ import annotations

import contextlib
import os
import re
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


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"


class DocFormat(StrEnum):
    md = "md"
    docx = "docx"
    pdf = "pdf"


SUFFIXES = {".md": DocFormat.md, ".markdown": DocFormat.md, ".docx": DocFormat.docx, ".pdf": DocFormat.pdf}


class ScoreFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"
    md = "md"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"bangfu {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")] = False,
) -> None:
    """bangfu: 帮扶资金绩效自评 as code."""


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


def _run(year_dir: Path, quiet: bool, **kwargs: Any) -> Any:
    """The pipeline, with a progress bar when it is slow. A command is a short process that
    builds much and frees little, so the cyclic garbage collector stays off during the run
    (rules over a million records run a third faster), and what the run built is frozen
    afterwards: rendering's collections never walk the million records again."""
    import gc

    from bangfu_eval.pipeline import run

    bar = _ProgressBar(quiet)
    gc.disable()
    try:
        return run(year_dir, progress=bar, **kwargs)
    finally:
        gc.freeze()
        gc.enable()
        bar.close()


def _refuse(outcome: Any, what: str, override: str) -> None:
    """Print check's findings on stderr, say what was not done (and the option that does it
    anyway, when the year loaded at all), and exit 1."""
    from bangfu_eval.render import findings_text

    typer.echo(findings_text.text(outcome, lines=outcome.loaded.lines), nl=False, err=True)
    hint = override if outcome.results is not None else ""
    typer.echo(f"bangfu: 检查发现错误，{what}{hint}", err=True)
    raise typer.Exit(EXIT_FINDINGS)


def _split(values: list[str] | None) -> list[str]:
    return [v for item in values or [] for v in item.split(",") if v.strip()]


def resolve_year_dir(arg: Path | None) -> Path:
    """The year directory: the argument, a project setting, or the newest data/<year>/."""
    if arg is not None:
        if not arg.is_dir():
            _usage(f"不是目录：{arg}（not a directory）")
        return arg
    setting = os.environ.get("BANGFU_YEAR_DIR") or _pyproject_setting()
    if setting:
        chosen = Path(setting)
    else:
        years = sorted(
            (p for p in Path("data").glob("*") if p.is_dir() and re.fullmatch(r"\d{4}", p.name)),
            key=lambda p: p.name,
        )
        if not years:
            _usage("没有给出年度目录，当前目录下也没有 data/<年度>/（give a year directory）")
        chosen = years[-1]
    if not chosen.is_dir():
        _usage(f"不是目录：{chosen}")
    typer.echo(f"使用年度目录 {chosen}", err=True)
    return chosen


def _pyproject_setting() -> str | None:
    import tomllib

    try:
        with open("pyproject.toml", "rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError):
        return None
    value = data.get("tool", {}).get("bangfu", {}).get("year_dir")
    return str(value) if value else None


def _usage(message: str) -> None:
    typer.echo(f"bangfu: {message}", err=True)
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
    from bangfu_eval.render import findings_text

    year_dir = resolve_year_dir(directory)
    outcome = _run(year_dir, quiet, max_file_mb=max_file_mb, select=_split(select), ignore=_split(ignore))
    if fmt is CheckFormat.text:
        typer.echo(findings_text.text(outcome, lines=outcome.loaded.lines), nl=False)
    else:
        typer.echo(findings_text.RENDERERS[fmt.value](outcome), nl=False)
    raise typer.Exit(EXIT_FINDINGS if outcome.failed(strict) else EXIT_OK)


@app.command()
def score(
    directory: YearDir = None,
    fmt: Annotated[ScoreFormat, typer.Option("--format", help="text, json, csv or md")] = ScoreFormat.text,
    level: Annotated[
        int | None, typer.Option("--level", min=1, help="Fold the indicator tree below this depth.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Accepted for old scripts; score always prints now.", hidden=True)
    ] = False,
    max_file_mb: MaxMb = 200,
    quiet: Quiet = False,
) -> None:
    """Print the scorecard: the total and its grade, indicator trees scored from the data,
    funds, targets. Exit 0 whenever the year loads; check's counts go to stderr in one line."""
    from bangfu_eval.render import findings_text, scorecard

    year_dir = resolve_year_dir(directory)
    outcome = _run(year_dir, quiet, max_file_mb=max_file_mb)
    if outcome.results is None:
        _refuse(outcome, "未评分", "")
    if outcome.findings:
        typer.echo(f"检查：{findings_text.summary_line(outcome)}（bangfu check 查看详情）", err=True)
    results = outcome.results
    if fmt is ScoreFormat.json:
        typer.echo(scorecard.to_json(results, outcome.counts, str(year_dir)), nl=False)
    elif fmt is ScoreFormat.csv:
        typer.echo(scorecard.to_csv(results), nl=False)
    elif fmt is ScoreFormat.md:
        typer.echo(scorecard.to_markdown(results, level), nl=False)
    else:
        from bangfu_eval.render.terminal import scorecard as show

        show(results, _console(), level)


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
    """Where and in which format to write: the suffix decides, --format must agree; ``-`` (or no
    --out) is Markdown on stdout. A refused target is a usage error (exit 2)."""
    from bangfu_eval.output import RefusedWrite, check_target

    if out is None or out == "-":
        if fmt not in (None, DocFormat.md):
            _usage(f"--format {fmt.value} 不能写到标准输出；用 --out 文件名.{fmt.value}")
        return None, DocFormat.md
    path = Path(out)
    by_suffix = SUFFIXES.get(path.suffix.lower())
    if by_suffix is None and fmt is None:
        _usage(f"不知道 {out} 的格式：文件名以 .md、.docx 或 .pdf 结尾，或给出 --format")
    if by_suffix is not None and fmt is not None and fmt is not by_suffix:
        _usage(f"--format {fmt.value} 与文件名 {out} 的格式（{by_suffix.value}）不一致")
    kind = by_suffix or fmt
    assert kind is not None
    if kind is DocFormat.pdf:
        from bangfu_eval.render.pdf import HOW_TO_INSTALL, converter

        if converter() is None:
            _usage(HOW_TO_INSTALL)
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
    if outcome.results is None or (outcome.failed() and final):
        _refuse(outcome, "未生成报告", "（不加 --final 则写出草稿）")
    is_draft = outcome.failed()
    before = previous_year(year_dir, lambda d: _run(d, True, max_file_mb=max_file_mb))
    try:
        ctx = context(outcome, Masker(show_personal_data), is_draft, before)
        source = render_source(ctx, template)
    except TemplateProblem as exc:
        _usage(f"模板 {exc.template}:{exc.line or '?'}：{exc.message}")
        return
    _write_document(path, kind, source, is_draft, show_personal_data, _properties(ctx))
    if is_draft:
        from bangfu_eval.render import findings_text

        typer.echo(
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
) -> None:
    """Markdown, Word or PDF from a template's output, to a file (atomically) or to stdout."""
    from bangfu_eval.output import write_atomic
    from bangfu_eval.render.markdown import to_markdown

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
    write_atomic(out, data)
    typer.echo(f"已写出 {out}{'（草稿）' if draft else ''}", err=True)


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
    _write_document(path, kind, source, False, show_personal_data, properties)


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

    if directory.exists() and any(directory.iterdir()):
        _usage(f"{directory} 不是空目录；bangfu synth 只写入新目录")
    counts = write(directory, households, seed, year, as_csv)
    typer.echo(
        f"已写出合成数据 {directory}：{counts['households']} 户，"
        f"{counts['disbursements']} 笔发放（synthetic）",
        err=True,
    )


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
    if info is None:
        _usage(f"未知代码 {code}；bangfu rules 列出全部代码")
        return
    typer.echo(f"{info.code} {info.zh} — {info.title}  [{info.severity.value}]\n")
    typer.echo(f"Why:     {info.why}")
    typer.echo(f"Example: {info.example}")
    typer.echo(f"Fix:     {info.fix}")


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


def main() -> None:
    """Entry point: one handler turns anything unexpected into one line and exit code 3."""
    try:
        app()
    except SystemExit as done:
        _exit(done.code)
    except Exception as exc:
        if "--debug" in sys.argv:
            raise
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
