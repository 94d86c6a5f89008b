"""Any input gets findings with a file and a line, exit 0 or 1, never a traceback."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from bangfu_eval import cli
from bangfu_eval.cli import app
from bangfu_eval.load import FILES
from bangfu_eval.pipeline import run
from casekit import BASE

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "2022"
runner = CliRunner()

HOSTILE = {
    "empty": b"",
    "only a comment": b"# nothing\n",
    "binary garbage": bytes(range(256)) * 16,
    "NUL in text": b"rate_base: arr\x00ived\n",
    "truncated": b"sources:\n  - {id: a, name: \xe4\xb8",
    "tabs": b"sources:\n\t- id: a\n",
    "list not mapping": b"- a\n- b\n",
    "scalar not mapping": b"just words\n",
    "billion laughs": b"a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    b"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n",
    "merge key": b"base: &b {x: 1}\nother:\n  <<: *b\n",
    "deep nesting": b"[" * 5000 + b"]" * 5000,
    "GBK text": "名称: 中央财政\n".encode("gb18030"),
    "UTF-16": "sources: []\n".encode("utf-16"),
    "two documents": b"sources: []\n---\nsources: []\n",
    "huge number": b"sources:\n  - {id: a, name: a, kind: central, arrived: " + b"9" * 5000 + b"}\n",
    "exponent": b"sources:\n  - {id: a, name: a, kind: central, arrived: 1e400}\n",
}


def _year(tmp: Path) -> Path:
    year = tmp / "y"
    shutil.copytree(BASE, year)
    return year


@pytest.mark.parametrize("name", sorted(HOSTILE))
@pytest.mark.parametrize("target", ["funds.yaml", "indicators.yaml", "households.yaml"])
def test_hostile_file_gives_findings_not_tracebacks(tmp_path: Path, name: str, target: str) -> None:
    year = _year(tmp_path)
    (year / target).write_bytes(HOSTILE[name])
    result = runner.invoke(app, ["check", str(year), "--format", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 1, result.output
    outcome = run(year)
    assert any(f.location.file == target for f in outcome.findings)


def test_symlink_out_of_the_directory_is_refused(tmp_path: Path) -> None:
    year = _year(tmp_path)
    secret = tmp_path / "secret.yaml"
    secret.write_text("sources: []\n", encoding="utf-8")
    (year / "funds.yaml").unlink()
    (year / "funds.yaml").symlink_to(secret)
    codes = {(f.code, f.location.file) for f in run(year).findings}
    assert ("BF001", "funds.yaml") in codes


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    year = _year(tmp_path)
    real = os.open

    def deny(path: object, flags: int, *args: object) -> int:
        if str(path).endswith("targets.yaml"):
            raise PermissionError(13, "Permission denied")
        return real(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr("bangfu_eval.gate.os.open", deny)
    found = [f for f in run(year).findings if f.code == "BF001"]
    assert found and found[0].location.file == "targets.yaml"
    assert "Permission denied" in found[0].message


def test_file_over_the_limit_is_refused_quickly(tmp_path: Path) -> None:
    year = _year(tmp_path)
    with open(year / "narrative.yaml", "ab") as fh:
        fh.write(b"#" * (3 * 1024 * 1024))
    result = runner.invoke(app, ["check", str(year), "--max-file-mb", "2"])
    assert result.exit_code == 1 and "BF008" in result.output


def test_internal_error_is_one_line_and_debug_shows_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret 460199198001011238")

    monkeypatch.setattr("bangfu_eval.pipeline.run", boom)
    monkeypatch.setattr("sys.argv", ["bangfu", "check", str(BASE)])
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    assert exit_info.value.code == cli.EXIT_INTERNAL
    err = capsys.readouterr().err
    assert "--debug" in err and "Traceback" not in err
    assert "460199198001011238" not in err  # the exception's text is never echoed
    monkeypatch.setattr("sys.argv", ["bangfu", "--debug", "check", str(BASE)])
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    assert exit_info.value.code == cli.EXIT_INTERNAL  # an internal error, with or without --debug
    err = capsys.readouterr().err
    assert "Traceback" in err and "RuntimeError" in err
    assert "460199198001011238" not in err and "460199********1238" in err


MUTATIONS = ("delete", "duplicate", "truncate", "bad_char", "retype", "swap")
TARGETS = sorted(FILES)


def _mutate(text: str, kind: str, at: int, char: str) -> str:
    lines = text.splitlines(keepends=True)
    i = at % max(len(lines), 1)
    if kind == "delete":
        del lines[i]
    elif kind == "duplicate":
        lines.insert(i, lines[i])
    elif kind == "truncate":
        return text[: at % max(len(text), 1)]
    elif kind == "bad_char":
        line = lines[i]
        pos = at % max(len(line), 1)
        lines[i] = line[:pos] + char + line[pos:]
    elif kind == "retype":
        lines[i] = lines[i].replace(": ", ": [", 1)
    elif kind == "swap" and i + 1 < len(lines):
        lines[i], lines[i + 1] = lines[i + 1], lines[i]
    return "".join(lines)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(TARGETS),
    st.sampled_from(MUTATIONS),
    st.integers(0, 10**6),
    st.sampled_from(
        [
            "\t",
            "\x00",
            "\ufeff",
            "'",
            '"',
            "{",
            "]",
            "&a ",
            "*a",
            ": ",
            "#",
            "\u3000",
            "é",
            "\x1b",
            "%",
            "!!python/object ",
        ]
    ),
)
def test_mutated_2022_files_never_crash(target: str, kind: str, at: int, char: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        year = Path(tmp) / "2022"
        shutil.copytree(DATA, year)
        path = year / target
        path.write_text(_mutate(path.read_text(encoding="utf-8"), kind, at, char), encoding="utf-8")
        result = runner.invoke(app, ["check", str(year), "--format", "json"])
        assert result.exit_code in (0, 1), result.output
        outcome = run(year)
        for f in outcome.findings:
            if f.code == "BF006" or f.location.file.startswith("<defaults>"):
                continue
            file = year / f.location.file
            assert file.exists(), f
            n_lines = len(file.read_bytes().splitlines()) or 1
            assert 1 <= f.location.line <= n_lines + 1, f


def test_no_stray_files_written(tmp_path: Path) -> None:
    year = _year(tmp_path)
    before = sorted(os.listdir(year))
    runner.invoke(app, ["check", str(year)])
    runner.invoke(app, ["score", str(year)])
    assert sorted(os.listdir(year)) == before


# --- CSV tables: the same mutations, and no personal value in what check or report print ------

CSV_CHARS = [",", '"', "\r", "\n", "\x00", ";", "#", "\u3000", "é", "=", " "]


def _csv_secrets(year: Path) -> list[str]:
    import csv

    with open(year / "households.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [r[k] for r in rows for k in ("name", "id_number", "phone", "card_number") if len(r[k]) >= 2]


@pytest.fixture(scope="module")
def csv_year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from casekit import synth

    return synth(tmp_path_factory.mktemp("csv") / "year", "--csv", households=12)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["households.csv", "disbursements.csv", "batches.csv"]),
    st.sampled_from((*MUTATIONS, "shift")),
    st.integers(0, 10**6),
    st.sampled_from(CSV_CHARS),
)
def test_mutated_csv_tables_never_crash_or_leak(
    csv_year: Path, target: str, kind: str, at: int, char: str
) -> None:
    secrets = _csv_secrets(csv_year)
    with tempfile.TemporaryDirectory() as tmp:
        year = Path(tmp) / "year"
        shutil.copytree(csv_year, year)
        path = year / target
        text = path.read_text(encoding="utf-8")
        if kind == "shift":  # a row's cells moved one column left: values in the wrong column
            lines = text.splitlines(keepends=True)
            i = 1 + at % max(len(lines) - 1, 1)
            cells = lines[i].rstrip("\n").split(",")
            lines[i] = ",".join(cells[1:] + cells[:1]) + "\n"
            text = "".join(lines)
        else:
            text = _mutate(text, kind, at, char)
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        checked = runner.invoke(app, ["check", str(year)])
        assert checked.exit_code in (0, 1), checked.output
        report = runner.invoke(app, ["report", str(year), "--draft", "--out", str(Path(tmp) / "r.md")])
        assert report.exit_code in (0, 1), report.output
        printed = checked.output + report.output
        if (Path(tmp) / "r.md").exists():
            printed += (Path(tmp) / "r.md").read_text(encoding="utf-8")
        leaked = [s for s in secrets if s in printed]
        assert not leaked, leaked
