"""Every command's --help is Chinese, fits 80 columns, and names its values with clear
metavars; usage errors are Chinese and exit 2."""

from __future__ import annotations

import re

import pytest

from bangfu_eval.cli import app, run, usage_error_zh

COMMANDS = [
    "",
    "check",
    "score",
    "report",
    "publicity",
    "import",
    "init",
    "schema",
    "synth",
    "rollup",
    "diff",
    "rules",
    "explain",
]
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _cols(line: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in line)


@pytest.mark.parametrize("command", COMMANDS)
def test_help_is_chinese_and_fits_80_columns(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run([command, "--help"] if command else ["--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：bangfu")
    for english in ("Usage:", "Options:", "Arguments:", "Commands:", "Show this message"):
        assert english not in out
    assert all(_cols(line) <= 80 for line in out.splitlines()), out
    options = [line for line in out.splitlines() if line.startswith("  -")]
    assert all(_CJK.search(line) for line in options if "--" in line), options
    assert "<list[str]>" not in out and "<int range>" not in out  # metavars say what to write


def test_every_command_is_listed() -> None:
    names = {c.name or c.callback.__name__.replace("_", "-") for c in app.registered_commands if c.callback}
    assert names == set(COMMANDS) - {""}


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["check", "--nope"], "没有选项 --nope"),
        (["check", "--format", "xml"], "--format 的值 'xml' 无效"),
        (["check", "--max-file-mb", "0"], "--max-file-mb 的值应不小于 1"),
        (["explain"], "缺少参数 CODE"),
        (["nosuch"], "没有命令 'nosuch'"),
        (["check", "--select"], "选项 --select 需要一个值"),
    ],
)
def test_usage_errors_are_chinese_and_exit_2(
    argv: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(argv) == 2
    err = capsys.readouterr().err
    assert f"错误：{says}" in err
    assert "Error" not in err


def test_an_unknown_library_message_is_kept() -> None:
    assert usage_error_zh("Something new.") == "Something new."
