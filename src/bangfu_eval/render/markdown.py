"""Render the report's Jinja2 templates to Markdown.

Templates may come from a unit (``--template DIR``), so they run in Jinja2's sandbox with
StrictUndefined: a template sees only the context it is given, and a name it does not know is an
error that names the template and the line, never a silent blank.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from bangfu_eval.money import FILTERS
from bangfu_eval.render.sandbox import GatedLoader, LimitedEnvironment, LimitExceeded, render_limited
from bangfu_eval.render.text import cell as _cell
from bangfu_eval.render.text import one_line
from bangfu_eval.report_tables import MERGE_LEFT, MERGE_UP

REPORT_TEMPLATE = "report.md.j2"


class TemplateProblem(Exception):
    """A template that cannot be rendered: where and why."""

    def __init__(self, template: str, line: int | None, message: str) -> None:
        super().__init__(f"{template}:{line or '?'}: {message}")
        self.template, self.line, self.message = template, line, message


def default_templates() -> Path:
    here = Path(__file__).resolve().parent.parent
    packaged = here / "templates"  # in a wheel (force-included)
    return packaged if packaged.is_dir() else here.parents[1] / "templates"


def environment(template_dir: Path) -> SandboxedEnvironment:
    env = LimitedEnvironment(
        loader=GatedLoader(template_dir),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=False,
    )
    env.filters.update(FILTERS)
    env.filters["cell"] = _cell
    env.filters["line"] = one_line
    return env


def render_source(
    context: dict[str, Any], template_dir: Path | None = None, name: str = REPORT_TEMPLATE
) -> str:
    """The template's output with merge markers kept (the input of the Word renderer)."""
    directory = template_dir or default_templates()
    try:
        text = render_limited(environment(directory).get_template(name), context)
    except LimitExceeded as exc:
        where, line = _template_frame(exc, name)
        raise TemplateProblem(where, line, str(exc)) from exc
    except jinja2.TemplateSyntaxError as exc:
        where = Path(exc.filename or exc.name or name).name
        raise TemplateProblem(where, exc.lineno, f"模板语法错误：{exc.message}") from exc
    except jinja2.TemplateNotFound as exc:
        raise TemplateProblem(str(exc.name), None, f"找不到模板（在 {directory} 中）") from exc
    except (jinja2.UndefinedError, jinja2.exceptions.SecurityError, TypeError) as exc:
        where, line = _template_frame(exc, name)
        raise TemplateProblem(where, line, f"模板错误：{exc}") from exc
    return text  # never searched for template syntax: what looks like it there is data


def _template_frame(exc: BaseException, name: str) -> tuple[str, int | None]:
    """The template file and line where a render error happened (from Jinja's traceback)."""
    tb = exc.__traceback__
    found: tuple[str, int | None] = (name, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = (Path(filename).name, tb.tb_lineno)
        tb = tb.tb_next
    return found


def to_markdown(source: str) -> str:
    """Markdown for people: merged cells blank."""
    for marker in (MERGE_UP, MERGE_LEFT):
        source = source.replace(f"| {marker} ", "|  ").replace(f"| {marker} |", "|  |")
    return source
