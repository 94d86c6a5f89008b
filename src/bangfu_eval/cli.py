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

_HELP_ZH = (
    ("Usage: ", "用法："),
    ("[OPTIONS]", "[选项]"),
    ("COMMAND [ARGS]...", "命令 [参数]..."),
    ("Arguments:", "参数："),
    ("Options:", "选项："),
    ("Commands:", "命令："),
    ("Show this message and exit.", "显示本帮助并退出。"),
    ("[default: ", "[默认："),
    ("[required]", "[必填]"),
)


def _zh(text: str) -> str:
    """The help and usage lines the command-line library writes, in Chinese, refitted to 80
    columns (the library counts a Chinese character as one column; a terminal shows two)."""
    for en, zh in _HELP_ZH:
        text = text.replace(en, zh)
    return "\n".join(line for raw in text.split("\n") for line in _fit(raw, 80))


def _cols(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


_NO_LINE_START = frozenset("，。；：、）》」』！？")
"""Punctuation that never starts a line (避头点)."""


def _fit(line: str, width: int) -> list[str]:
    """``line`` broken at ``width`` display columns; continuation lines start under its text
    (after an option's name and its two-space gap, or under its own indentation)."""
    if _cols(line) <= width:
        return [line]
    gap = re.match(r"(\s*\S.*?\s{2,})\S", line)
    indent = " " * _cols(gap.group(1)) if gap else " " * (len(line) - len(line.lstrip()))
    out, current = [], ""
    for token in re.findall(r"[\x00-\u2e7f]+?(?=\s|[^\x00-\u2e7f]|$)\s*|.", line):
        if current.strip() and _cols(current + token.rstrip()) > width and token not in _NO_LINE_START:
            out.append(current.rstrip())
            current = indent + token.lstrip()
        else:
            current += token
    return [*out, current.rstrip()]


class _ZhCommand(typer.core.TyperCommand):
    def get_help(self, ctx: Any) -> str:
        return _zh(super().get_help(ctx))

    def get_usage(self, ctx: Any) -> str:
        return _zh(super().get_usage(ctx))


class _ZhGroup(typer.core.TyperGroup):
    def get_help(self, ctx: Any) -> str:
        return _zh(super().get_help(ctx))

    def get_usage(self, ctx: Any) -> str:
        return _zh(super().get_usage(ctx))


app = typer.Typer(
    name="bangfu",
    cls=_ZhGroup,
    help="检查、评分并生成工会困难职工帮扶资金绩效自评报告。\n\n数据为年度目录中的纯文本 YAML/CSV 文件。",
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
        bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本并退出。")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="内部错误时显示调用栈。")] = False,
) -> None:
    """bangfu：检查、评分并生成工会困难职工帮扶资金绩效自评报告。"""
    _Session.debug = debug
    global _MASK
    _MASK = None  # each command masks with what its own run read


YearDir = Annotated[
    Path | None,
    typer.Argument(
        metavar="DIR",
        help="年度数据目录；默认为 data/ 下最新的年度（也可用 $BANGFU_YEAR_DIR 指定）。",
    ),
]
MaxMb = Annotated[int, typer.Option("--max-file-mb", min=1, metavar="MB", help="拒绝读取大于此大小的文件。")]
Select = Annotated[
    list[str] | None,
    typer.Option(
        "--select",
        metavar="CODES",
        help="只报告这些代码或类别（如 BF2、BF601）；可重复，或用逗号分隔；未知代码为用法错误。",
    ),
]
Ignore = Annotated[
    list[str] | None,
    typer.Option(
        "--ignore", metavar="CODES", help="不报告这些代码或类别；可重复，或用逗号分隔；未知代码为用法错误。"
    ),
]


Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="读取较慢时也不显示进度条。")]
Force = Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件。")]
ShowPersonal = Annotated[
    bool,
    typer.Option("--show-personal-data", help="不遮蔽帮扶对象的姓名和号码（输出开头会注明）。"),
]
Template = Annotated[
    Path | None,
    typer.Option("--template", metavar="DIR", help="本单位自己的模板目录（report.md.j2、publicity.md.j2）。"),
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


def _codes(values: list[str] | None) -> list[str]:
    """The codes of --select/--ignore; an unknown one is a usage error (exit 2)."""
    from bangfu_eval.selectors import problems

    out = _split(values)
    wrong = problems(out)
    if wrong:
        _usage("\n".join(wrong))
    return out


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
    return found.path


def _usage(message: str) -> None:
    _emit(f"bangfu: {message}", err=True)
    raise typer.Exit(EXIT_USAGE)


@app.command(cls=_ZhCommand)
def check(
    directory: YearDir = None,
    fmt: Annotated[
        CheckFormat,
        typer.Option(
            "--format", metavar="text|json|github", help="输出格式：text 文本、json、github（工作流注释）。"
        ),
    ] = CheckFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="有警告也以退出码 1 结束。")] = False,
    select: Select = None,
    ignore: Ignore = None,
    max_file_mb: MaxMb = 200,
    quiet: Quiet = False,
) -> None:
    """检查一个年度的文件，列出全部问题。

    读取、格式、算术和政策规则；有错误时退出码为 1（--strict：有警告也为 1），用法错误为 2。"""
    from bangfu_eval.render import formats

    year_dir = resolve_year_dir(directory)
    outcome = _run(year_dir, quiet, max_file_mb=max_file_mb, select=_codes(select), ignore=_codes(ignore))
    _emit(formats.check(outcome, fmt.value), nl=False)
    if outcome.hidden_errors and outcome.year is None:
        _emit(
            f"bangfu: 年度数据未能读取（{outcome.hidden_errors} 个错误不在 --select/--ignore 所选范围内）",
            err=True,
        )
    raise typer.Exit(EXIT_FINDINGS if outcome.failed(strict) else EXIT_OK)


@app.command(cls=_ZhCommand)
def score(
    directory: YearDir = None,
    fmt: Annotated[
        ScoreFormat | None,
        typer.Option(
            "--format",
            metavar="text|json|csv|md|xlsx",
            help="输出格式：text、json、csv、md 或 xlsx（默认按 --out 的扩展名）。",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", metavar="PATH", help="写入文件（自评表.xlsx、score.csv 等），不输出到终端。"
        ),
    ] = None,
    level: Annotated[
        int | None, typer.Option("--level", min=1, metavar="N", help="指标树只显示到第几级。")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="覆盖已存在的 --out 文件（评分本身不需要 --force）。")
    ] = False,
    max_file_mb: MaxMb = 200,
    quiet: Quiet = False,
) -> None:
    """输出评分表：总分、等次、指标树、资金和目标。

    指标按数据和评分方法计算。年度能读取即退出码 0；检查结果的计数在标准错误输出中占一行。"""
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
        metavar="PATH",
        help="输出文件（.md、.docx、.pdf）；- 为标准输出。",
    ),
]
OutFormat = Annotated[
    DocFormat | None,
    typer.Option("--format", metavar="md|docx|pdf", help="md、docx 或 pdf；须与 --out 的扩展名一致。"),
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


@app.command(cls=_ZhCommand)
def report(
    directory: YearDir = None,
    out: OutPath = "report.md",
    fmt: OutFormat = None,
    template: Template = None,
    final: Annotated[
        bool, typer.Option("--final", help="仍有错误时拒绝输出（用于自动流程）。")
    ] = False,
    draft: Annotated[
        bool, typer.Option("--draft", help="保留给旧脚本：有错误时报告本来就标为“草稿”。")
    ] = False,
    force: Force = False,
    show_personal_data: ShowPersonal = False,
    max_file_mb: MaxMb = 200,
    quiet: Quiet = False,
) -> None:
    """生成绩效自评报告（Markdown、Word 或 PDF）。

    含附件2–6（附件6为自评表）及问题清单；有错误时标为“草稿”并说明如何定稿。"""
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
    if not ctx["improvements"]:
        _emit("注意：改进措施未填写，报告中显示【待填写】；在 narrative.yaml 的 improvements 中写明。",
              err=True)
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


@app.command(cls=_ZhCommand)
def publicity(
    directory: YearDir = None,
    batch: Annotated[
        list[str] | None,
        typer.Option("--batch", "-b", metavar="BATCH", help="发放批次编号，可重复或用逗号分隔；默认全部。"),
    ] = None,
    out: Annotated[
        str | None,
        typer.Option(
            "--out",
            "-o",
            metavar="PATH",
            help="公示.md、.docx 或 .pdf；默认（或 -）为标准输出。",
        ),
    ] = None,
    fmt: OutFormat = None,
    template: Template = None,
    force: Force = False,
    show_personal_data: ShowPersonal = False,
    max_file_mb: MaxMb = 200,
    quiet: Quiet = False,
) -> None:
    """生成发放批次的公示名单。

    姓名按规定遮蔽，列出金额和合计，可直接张贴。"""
    from bangfu_eval import publicity as pub
    from bangfu_eval.privacy import Masker
    from bangfu_eval.render.markdown import TemplateProblem, render_source

    year_dir = resolve_year_dir(directory)
    path, kind = _output(out, fmt, year_dir, force)
    outcome = _run(year_dir, quiet, max_file_mb=max_file_mb)
    _masking(outcome, show_personal_data)
    if outcome.year is None:
        _refuse(outcome, "没有可公示的发放记录（年度数据未能读取）", "")
    if outcome.year.disbursements is None:  # a year of aggregates only: nothing to list
        _usage(f"{year_dir} 没有发放明细（disbursements.yaml 或 disbursements.csv），无法生成公示名单")
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


@app.command(cls=_ZhCommand)
def synth(
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="要写入的新的空目录。")],
    households: Annotated[
        int, typer.Option("--households", "-n", min=1, metavar="N", help="户数（每户约 8 笔发放）。")
    ] = 114,
    seed: Annotated[int, typer.Option("--seed", metavar="S", help="随机种子（同一种子生成相同文件）。")] = 1,
    year: Annotated[
        int, typer.Option("--year", min=1990, max=2100, metavar="YEAR", help="数据所属年度。")
    ] = 2022,
    as_csv: Annotated[bool, typer.Option("--csv", help="帮扶对象和发放明细写成 CSV。")] = False,
    units: Annotated[
        int | None,
        typer.Option(
            "--units",
            min=1,
            metavar="N",
            help="生成一个省的合成数据：N 个单位各一个目录（规模不一，部分单位埋设问题，见 "
            "planted.json）；此时 --households 为全省户数。",
        ),
    ] = None,
) -> None:
    """生成任意规模的合成年度数据（SYNTHETIC）。

    供试用、测试和基准测试；同一种子生成相同文件。"""
    from bangfu_eval.synthyear import synth as write

    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        _usage(f"{directory} 已存在且不是空目录；bangfu synth 只写入新目录")
    if units is not None:
        from bangfu_eval.synthprovince import synth_province

        manifest = synth_province(directory, units, households, seed, year, as_csv)
        _emit(
            f"已写出合成省份 {directory}：{units} 个单位，{manifest['households']} 户，"
            f"{manifest['disbursements']} 笔发放；埋设的问题见 planted.json（合成数据）",
            err=True,
        )
        return
    counts = write(directory, households, seed, year, as_csv)
    _emit(
        f"已写出合成数据 {directory}：{counts['households']} 户，"
        f"{counts['disbursements']} 笔发放（合成数据，非真实人员）",
        err=True,
    )


class RollupFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"
    md = "md"
    docx = "docx"


class RollupSort(StrEnum):
    unit = "unit"
    rank = "rank"
    rate = "rate"
    spent = "spent"
    balance = "balance"
    errors = "errors"


class _UnitBar:
    """A progress bar over units on stderr (only on a terminal, not with --quiet)."""

    def __init__(self, quiet: bool, total: int) -> None:
        self.bar: Any = None
        if quiet or not sys.stderr.isatty():
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(
            TextColumn("单位"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.bar.start()
        self.task = self.bar.add_task("", total=total)

    def __call__(self, done: int, total: int, unit: str) -> None:
        if self.bar is not None:
            self.bar.update(self.task, completed=done, description=unit)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


@app.command(cls=_ZhCommand)
def rollup(
    directories: Annotated[
        list[Path],
        typer.Argument(metavar="DIR", help="每个单位一个年度目录的上级目录，或若干年度目录。"),
    ],
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, metavar="N", help="并行的工作进程数（默认：CPU 核数）。"),
    ] = None,
    fmt: Annotated[
        RollupFormat | None,
        typer.Option(
            "--format",
            metavar="FORMAT",
            help="text、json、csv、xlsx、md 或 docx（默认按 --out 的后缀，否则 text）。",
        ),
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", metavar="PATH", help="写入此文件。")] = None,
    sort: Annotated[
        RollupSort,
        typer.Option("--sort", metavar="KEY", help="排序：unit、rank、rate、spent、balance、errors。"),
    ] = RollupSort.unit,
    reverse: Annotated[bool, typer.Option("--reverse", help="倒序。")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="有警告也以失败退出。")] = False,
    force: Force = False,
    max_file_mb: MaxMb = 200,
    quiet: Quiet = False,
) -> None:
    """省级汇总：并行检查、评分各单位，合计、排名并做跨单位核查。

    每个单位在单独的工作进程中检查和评分；某个单位的文件缺失或损坏不影响其他单位。"""
    from bangfu_eval import rollup as ru
    from bangfu_eval.output import RefusedWrite, check_target
    from bangfu_eval.render import rollup as render

    for d in directories:
        if not d.is_dir():
            _usage(f"不是目录：{d}")
    units = ru.discover(directories)
    if not units:
        _usage(f"{directories[0]} 中没有单位目录")
    kind = fmt or (
        RollupFormat(out.suffix.lower()[1:])
        if out and out.suffix.lower()[1:] in RollupFormat.__members__
        else RollupFormat.text
    )
    if kind in (RollupFormat.xlsx, RollupFormat.docx) and out is None:
        _usage(f"--format {kind.value} 需要 --out 文件")
    if kind is RollupFormat.text and out is not None:
        _usage("--out 需要 .json、.csv、.xlsx、.md 或 .docx 文件（或给出 --format）")
    if out is not None:
        try:
            for _, d in units:
                check_target(out, d, force)
        except RefusedWrite as exc:
            _usage(str(exc))
    bar = _UnitBar(quiet, len(units))
    try:
        prov = ru.rollup(units, jobs, max_file_mb, bar)
    finally:
        bar.close()
    rows = render.sort_rows(prov.rows, sort.value, reverse)
    if kind is RollupFormat.text and out is None:
        from bangfu_eval.render.terminal import province

        console = _console()
        with console.capture() as captured:
            province(prov, rows, console)
        typer.echo(_masking()(captured.get()), nl=False)  # the output boundary, rich's colours kept
    else:
        data = _rollup_bytes(kind, prov, rows)
        if out is None:
            _emit(data.decode("utf-8-sig"), nl=False)
        else:
            _write_out(out, data, force)
            _emit(f"已写出 {out}", err=True)
    raise typer.Exit(EXIT_FINDINGS if prov.failed(strict) else EXIT_OK)


def _rollup_bytes(kind: RollupFormat, prov: Any, rows: Any) -> bytes:
    """A province file, every text in it through the output boundary's masking (the workers
    masked the names they read; numbers are masked here by their shape)."""
    from bangfu_eval.render import rollup as render
    from bangfu_eval.render.text import printable

    def mask(text: str) -> str:
        return printable(_masking()(text))

    if kind is RollupFormat.json:
        return mask(render.to_json(prov, rows)).encode("utf-8")
    if kind is RollupFormat.csv:
        return "\ufeff".encode() + mask(render.to_csv(prov, rows).decode("utf-8-sig")).encode("utf-8")
    if kind is RollupFormat.xlsx:
        return render.to_xlsx(prov, rows, mask)
    source = mask(render.to_markdown(prov, rows))
    if kind is RollupFormat.docx:
        from bangfu_eval.render.docx import render as render_docx

        return render_docx(source, False)
    return source.encode("utf-8")


class DiffFormat(StrEnum):
    text = "text"
    json = "json"
    md = "md"


@app.command(cls=_ZhCommand)
def diff(
    old: Annotated[Path, typer.Argument(metavar="OLD", help="较早年度的目录。")],
    new: Annotated[Path, typer.Argument(metavar="NEW", help="较晚年度的目录（同一单位）。")],
    fmt: Annotated[
        DiffFormat, typer.Option("--format", metavar="FORMAT", help="text、json 或 md。")
    ] = DiffFormat.text,
    max_file_mb: MaxMb = 200,
    quiet: Quiet = False,
) -> None:
    """同一单位两个年度的对比（同比）。

    资金、人次、在档户的增减和类别变化、两年均受助的户、定义变化的指标和目标、总分和等次。"""
    from bangfu_eval.diffyears import diff as compare
    from bangfu_eval.render import diffyears as render

    for directory in (old, new):
        if not directory.is_dir():
            _usage(f"不是目录：{directory}")
    before, after = _run(old, quiet, max_file_mb=max_file_mb), _run(new, quiet, max_file_mb=max_file_mb)
    global _MASK
    from bangfu_eval.privacy import Masking

    _MASK = Masking([*before.loaded.names, *after.loaded.names])  # both years' archived persons
    for outcome in (before, after):
        if outcome.results is None:
            _refuse(outcome, f"{outcome.directory} 未能计算，无法对比", "")
        elif outcome.failed():
            _emit(f"注意：{outcome.directory} 有错误（bangfu check 查看详情）", err=True)
    renderers = {
        DiffFormat.text: render.text,
        DiffFormat.json: render.to_json,
        DiffFormat.md: render.to_markdown,
    }
    _emit(renderers[fmt](compare(before, after)), nl=False)


class ImportTo(StrEnum):
    csv = "csv"
    yaml = "yaml"


class ImportFormat(StrEnum):
    text = "text"
    json = "json"


@app.command("import", cls=_ZhCommand)
def import_(
    workbook: Annotated[
        Path, typer.Argument(metavar="WORKBOOK", help="工作簿：.xlsx、.xls、.ods 或 .csv（UTF-8 或 GBK）。")
    ],
    into: Annotated[Path, typer.Option("--into", metavar="DIR", help="写入表格的年度目录。")],
    to: Annotated[
        ImportTo, typer.Option("--to", metavar="csv|yaml", help="表格写成 csv 或 yaml。")
    ] = ImportTo.csv,
    map_file: Annotated[
        Path | None, typer.Option("--map", metavar="FILE", help="本单位表头和名称的对照表（TOML）。")
    ] = None,
    fmt: Annotated[
        ImportFormat, typer.Option("--format", metavar="text|json", help="输出格式：text 或 json。")
    ] = ImportFormat.text,
    force: Annotated[bool, typer.Option("--force", help="替换年度目录中已有的表格。")] = False,
) -> None:
    """把工作簿导入年度目录（全部成功或全不写入）。

    帮扶对象名册、走访、发放批次、发放明细和资金。"""
    from bangfu_eval.excel import report
    from bangfu_eval.excel.importer import import_workbook

    result = import_workbook(workbook, into, to.value, map_file, force)
    typer.echo(report.as_json(result) if fmt is ImportFormat.json else report.text(result, into), nl=False)
    raise typer.Exit(EXIT_FINDINGS if result.failed else EXIT_OK)


@app.command(cls=_ZhCommand)
def init(
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="新年度的目录（新建或空目录）。")],
    last: Annotated[Path, typer.Option("--from", metavar="DIR", help="上一年度的目录。")],
) -> None:
    """从上一年度的文件开始新的年度。

    “# 待填”标出尚需填写之处。"""
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


@app.command(cls=_ZhCommand)
def schema(
    out: Annotated[Path, typer.Option("--out", "-o", metavar="DIR", help="写入 *.schema.json 文件的目录。")],
    directory: Annotated[
        Path | None,
        typer.Argument(metavar="DIR", help="年度目录：模式中列出其政策代码和资金来源。"),
    ] = None,
) -> None:
    """为年度的每个文件写出 JSON Schema，供编辑器使用。

    编辑器据此补全字段并显示中文字段名。"""
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


@app.command(cls=_ZhCommand)
def rules() -> None:
    """列出全部问题代码：级别、依据和名称。

    bangfu explain CODE 查看一个代码的详细说明。"""
    from bangfu_eval.render.explain import listing

    typer.echo(listing(), nl=False)


class Lang(StrEnum):
    zh = "zh"
    en = "en"


@app.command(cls=_ZhCommand)
def explain(
    code: Annotated[str, typer.Argument(metavar="CODE", help="问题代码，如 BF201。")],
    lang: Annotated[
        Lang, typer.Option("--lang", metavar="zh|en", help="说明的语言：zh 中文（默认）或 en 英文。")
    ] = Lang.zh,
) -> None:
    """说明一个问题代码（中文；--lang en 英文）。

    为什么重要、政策依据、示例和审计认可的处理（追回、书面说明、补公示等）。"""
    from bangfu_eval.catalogue import CODES
    from bangfu_eval.render.explain import page
    from bangfu_eval.selectors import problems

    wanted = code.strip().upper()
    if wanted not in CODES and wanted.startswith("XL"):
        from bangfu_eval.excel.codes import CODES as IMPORT_CODES

        found = IMPORT_CODES.get(wanted)
        if found is not None:
            typer.echo(f"{wanted} {found[1]}  [{found[0].value}]  (bangfu import；见 docs/import.md)")
            return
    if wanted not in CODES:
        _usage(
            problems([code])[0] if problems([code]) else f"{code} 是类别，不是代码；bangfu rules 列出全部代码"
        )
        return
    typer.echo(page(wanted, lang.value), nl=False)


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


_ERRORS_ZH = (
    (r"No such option: (\S+)(?: \(Possible options: (.*)\))?", r"没有选项 \1", r"；是否想用 \2？"),
    (r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", r"多余的参数：\1", ""),
    (r"No such command '(.*)'\.", r"没有命令 '\1'", ""),
    (r"Missing command\.", "缺少命令", ""),
    (r"Option '(.*)' requires an argument\.", r"选项 \1 需要一个值", ""),
    (r"Missing (?:argument|parameter) '?([^'.]*)'?\.", r"缺少参数 \1", ""),
    (r"Missing option '?([^'.]*)'?\.", r"缺少选项 \1", ""),
    (r"Invalid value for '?([^':]*)'?: .*?'(.*)' is not one of (.*)\.", r"\1 的值 '\2' 无效，可选：\3", ""),
    (r"Invalid value for '?([^':]*)'?: (.*) is not in the range (.*)\.", r"\1 的值 \2 超出范围 \3", ""),
    (
        r"Invalid value for '?([^':]*)'?: .*?'?([^' ]*)'? is not a valid (\w+)\.?",
        r"\1 的值 '\2' 不是有效的 \3",
        "",
    ),
    (
        r"Invalid value for '?([^':]*)'?: Input should be greater than or equal to (\S+)",
        r"\1 的值应不小于 \2",
        "",
    ),
    (
        r"Invalid value for '?([^':]*)'?: Input should be less than or equal to (\S+)",
        r"\1 的值应不大于 \2",
        "",
    ),
    (r"Invalid value for '?([^':]*)'?: Input should be a valid integer.*", r"\1 的值应为整数", ""),
    (r"Invalid value for '?([^':]*)'?: (.*)", r"\1 的值无效：\2", ""),
)
"""The command-line library's usage errors in Chinese (pattern, message, optional tail)."""


def usage_error_zh(message: str) -> str:
    """One usage error in Chinese; a message no pattern knows is kept as it is."""
    for pattern, zh, tail in _ERRORS_ZH:
        hit = re.fullmatch(pattern, message.strip(), re.S)
        if hit:
            out = hit.expand(zh)
            if tail and hit.lastindex and hit.group(hit.lastindex) and hit.lastindex > 1:
                out += hit.expand(tail)
            return out
    return message


def run(argv: list[str]) -> int:
    """Run the command line on ``argv``; usage errors are printed in Chinese. Returns the exit
    code."""
    try:
        code = app(args=argv, prog_name="bangfu", standalone_mode=False)
    except Exception as exc:
        if not (hasattr(exc, "format_message") and hasattr(exc, "exit_code")):
            raise
        ctx = getattr(exc, "ctx", None)
        if type(exc).__name__ == "NoArgsIsHelpError":  # bare `bangfu`: the help is the message
            typer.echo(exc.format_message(), err=True)
            return int(exc.exit_code)
        if ctx is not None:
            typer.echo(ctx.get_usage(), err=True)
            typer.echo(f"运行 '{ctx.command_path} --help' 查看帮助。\n", err=True)
        typer.echo(f"错误：{usage_error_zh(exc.format_message())}", err=True)
        return int(exc.exit_code)
    return code if isinstance(code, int) else EXIT_OK


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
        _exit(run(sys.argv[1:]))
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
