"""Robustness and privacy, round two (issue 16): one test per class of hostile input, several
cases each, asserting the finding, the exit code and, for privacy, that no ID number, phone,
card number or name of the inputs appears in any output of any command and format."""

from __future__ import annotations

import csv
import errno
import io
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from bangfu_eval import output
from bangfu_eval.cli import app
from bangfu_eval.money import capital_yuan, fmt_pct, fmt_wan, fmt_yuan, round_half_up
from bangfu_eval.pipeline import run
from casekit import BASE

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def _year(tmp: Path, name: str = "y") -> Path:
    year = tmp / name
    shutil.copytree(BASE, year)
    return year


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def _codes(year: Path) -> set[tuple[str, str]]:
    return {(f.code, f.location.file) for f in run(year).findings}


# --- 1. personal data, by value, in every output ---------------------------------------------

PHONE, CARD, CARD_GROUPED = "13912345678", "6222021234567890123", "6222 0212 3456 7890 123"


def _households(year: Path) -> list[dict[str, str]]:
    return yaml.load((year / "households.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)[
        "households"
    ]


def _leaky_year(tmp: Path, as_csv: bool, failing: bool) -> tuple[Path, list[str]]:
    """The base year with personal data where masking by field name cannot see it: a household
    id that is the ID number, numbers in the work-unit column, names and numbers in the
    narrative and a batch title; ``failing``: a household row that does not validate."""
    year = _year(tmp)
    homes = _households(year)
    first = homes[0]["id_number"]
    _edit(year / "households.yaml", "{id: H1,", f'{{id: "{first}",')
    for d in ("D1", "D5"):
        _edit(year / "disbursements.yaml", f"{{id: {d}, date: ", f"{{id: {d}, date: ")
    text = (year / "disbursements.yaml").read_text(encoding="utf-8")
    (year / "disbursements.yaml").write_text(
        text.replace("household: H1,", f'household: "{first}",'), encoding="utf-8"
    )
    _edit(year / "households.yaml", "{id: H2, name: 钱二,", f"{{id: H2, name: 钱二, work_unit: '{PHONE}',")
    _edit(year / "households.yaml", "{id: H3, name: 孙三,", f"{{id: H3, name: 孙三, work_unit: '{CARD}',")
    _edit(
        year / "disbursements.yaml",
        "{id: B2, publicity_start",
        "{id: B2, title: 孙三等第二批, publicity_start",
    )
    with open(year / "narrative.yaml", "a", encoding="utf-8") as fh:
        fh.write(
            f"      - 走访赵一、钱二（电话{PHONE}，身份证{homes[1]['id_number']}，卡号{CARD_GROUPED}）。\n"
        )
    if failing:
        _edit(
            year / "households.yaml", "archived_on: 2020-05-01", f"archived_on: 周四{homes[3]['id_number']}"
        )
    if as_csv:
        rows = _households(year)
        fields = ["id", "name", "id_number", "work_unit", "category", "status", "archived_on", "exited_on"]
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        (year / "households.yaml").write_text("synthetic: true\n", encoding="utf-8")
        (year / "households.csv").write_text(buf.getvalue(), encoding="utf-8")
    secrets = [PHONE, CARD, *(h["id_number"] for h in homes), *(h["name"] for h in homes)]
    return year, secrets


def _every_output(year: Path, tmp: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for fmt in ("text", "json", "github"):
        out[f"check {fmt}"] = _invoke("check", str(year), "--format", fmt)[1]
    for fmt in ("text", "json", "csv", "md"):
        out[f"score {fmt}"] = _invoke("score", str(year), "--force", "--format", fmt)[1]
    out["score default"] = _invoke("score", str(year))[1]
    for suffix in ("md", "docx"):
        for command, extra in (("report", ["--draft"]), ("publicity", [])):
            path = tmp / f"{command}.{suffix}"
            out[f"{command} {suffix} (messages)"] = _invoke(command, str(year), "--out", str(path), *extra)[1]
            if path.exists():
                text = path.read_text("utf-8") if suffix == "md" else Document(str(path)).element.xml
                out[f"{command} {suffix}"] = text
                path.unlink()
    out["publicity stdout"] = _invoke("publicity", str(year))[1]
    return out


@pytest.mark.parametrize("as_csv", [False, True], ids=["yaml", "csv"])
@pytest.mark.parametrize("failing", [False, True], ids=["valid", "row-fails"])
def test_no_personal_value_in_any_output(tmp_path: Path, as_csv: bool, failing: bool) -> None:
    year, secrets = _leaky_year(tmp_path, as_csv, failing)
    (tmp_path / "out").mkdir()
    outputs = _every_output(year, tmp_path / "out")
    if failing:  # the failing row's value is echoed, masked
        assert "460199********0121" in outputs["check text"]
        assert "460199********0121" in outputs["score default"]
    else:  # the numbers and names are there, masked
        assert "report md" in outputs and "publicity docx" in outputs
        assert "赵*" in outputs["report md"] and "460199********4560" in outputs["report md"]
        assert "孙*等第二批" in outputs["publicity md"]
    for label, text in outputs.items():
        leaked = [s for s in secrets if s in text]
        assert not leaked, f"{label} shows {leaked}"
        assert CARD_GROUPED not in text, label


def test_show_personal_data_shows_them(tmp_path: Path) -> None:
    year, _ = _leaky_year(tmp_path, False, False)
    path = tmp_path / "r.md"
    code, _ = _invoke("report", str(year), "--out", str(path), "--draft", "--show-personal-data")
    assert code == 0
    text = path.read_text(encoding="utf-8")
    assert PHONE in text and "赵一" in text


def test_id_with_a_superscript_digit_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    year = _year(tmp_path)
    _edit(year / "households.yaml", '"460199198001011238"', '"46019919800101123²"')
    code, out = _invoke("check", str(year))
    assert code == 1 and "BF902" in out
    assert "46019919800101123²" not in out


# --- 2. the read gate ----------------------------------------------------------------------------


def test_fifo_and_device_links_are_refused_without_reading(tmp_path: Path) -> None:
    year = _year(tmp_path)
    (year / "funds.yaml").unlink()
    os.mkfifo(year / "funds.yaml")
    (year / "narrative.yaml").unlink()
    (year / "narrative.yaml").symlink_to("/dev/zero")
    (year / "targets.yaml").unlink()
    (year / "targets.yaml").symlink_to(year / "targets.yaml")  # a loop
    proc = subprocess.run(
        [sys.executable, "-m", "bangfu_eval", "check", str(year), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    codes = _codes(year)
    assert {("BF001", "funds.yaml"), ("BF001", "narrative.yaml"), ("BF001", "targets.yaml")} <= codes


def test_refused_files_are_never_echoed(tmp_path: Path) -> None:
    year = _year(tmp_path)
    outside = tmp_path / "outside.yaml"
    outside.write_text("SECRET-FIRST-LINE: 1\n", encoding="utf-8")
    (year / "funds.yaml").unlink()
    (year / "funds.yaml").symlink_to(outside)
    with open(year / "indicators.yaml", "ab") as fh:
        fh.write(b"# BIG-FILE-MARKER\n" * 200_000)
    code, out = _invoke("check", str(year), "--max-file-mb", "1")
    assert code == 1
    assert ("BF001", "funds.yaml") in _codes(year)
    assert "BF008" in out
    assert "SECRET-FIRST-LINE" not in out and "BIG-FILE-MARKER" not in out
    loaded = run(year, max_file_mb=1).loaded
    assert loaded.lines("funds.yaml") == [] and loaded.lines("indicators.yaml") == []


def test_a_file_changed_after_reading_is_not_echoed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bangfu_eval import load

    monkeypatch.setattr(load, "KEEP_BYTES", 10)  # every file is re-read for its snippet
    year = _year(tmp_path)
    outcome = run(year)
    assert outcome.loaded.lines("funds.yaml")  # unchanged: read again
    (year / "targets.yaml").write_text("REPLACED-AFTER-READING\n", encoding="utf-8")
    assert outcome.loaded.lines("targets.yaml") == []


# --- 3. templates ------------------------------------------------------------------------------


def _template(tmp: Path, body: str) -> Path:
    tdir = tmp / "t"
    tdir.mkdir(exist_ok=True)
    (tdir / "report.md.j2").write_text(body, encoding="utf-8")
    return tdir


@pytest.mark.parametrize(
    "body",
    [
        "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}\n",  # recursion
        "{% for i in range(10 ** 9) %}x{% endfor %}\n",  # a huge range
        "{{ 'a' * 4000000000 }}\n",  # a huge string
        "{{ [1] * 4000000000 }}\n",
        "{{ 9 ** 999999 }}\n",  # a huge number
        "{{ 1 / 0 }}\n",
        "{{ 'a'.ljust(4000000000) }}\n",  # memory, past the operators
    ],
    ids=["recursion", "range", "string", "list", "power", "zero", "ljust"],
)
def test_template_limits_are_template_errors(tmp_path: Path, body: str) -> None:
    out = tmp_path / "r.md"
    code, msg = _invoke("report", str(BASE), "--out", str(out), "--template", str(_template(tmp_path, body)))
    assert code == 2, msg
    assert "report.md.j2" in msg and not out.exists()


def test_template_time_and_size_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bangfu_eval.render import sandbox

    monkeypatch.setattr(sandbox, "TIME_LIMIT_S", 0.5)
    loops = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n"
    code, msg = _invoke(
        "report", str(BASE), "--out", str(tmp_path / "a.md"), "--template", str(_template(tmp_path, loops))
    )
    assert code == 2 and "时限" in msg
    monkeypatch.setattr(sandbox, "MAX_OUTPUT_CHARS", 10_000)
    wide = "{% for i in range(100000) %}xxxxxxxxxx{% endfor %}\n"
    code, msg = _invoke(
        "report", str(BASE), "--out", str(tmp_path / "b.md"), "--template", str(_template(tmp_path, wide))
    )
    assert code == 2 and "上限" in msg


def test_template_links_out_of_the_directory_are_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT\n", encoding="utf-8")
    tdir = _template(tmp_path, "{% include 'inc.j2' %}\n")
    (tdir / "inc.j2").symlink_to(secret)
    code, msg = _invoke("report", str(BASE), "--out", str(tmp_path / "r.md"), "--template", str(tdir))
    assert code == 2 and "TOP-SECRET-CONTENT" not in msg
    (tdir / "report.md.j2").unlink()
    (tdir / "report.md.j2").symlink_to(secret)
    code, msg = _invoke("report", str(BASE), "--out", str(tmp_path / "r.md"), "--template", str(tdir))
    assert code == 2 and not (tmp_path / "r.md").exists()


@pytest.mark.parametrize("text", ["{% if x %}", "{# 注释 #}", "{{ raw }}", "{%- endfor %}"])
def test_data_is_never_template_syntax(tmp_path: Path, text: str) -> None:
    year = _year(tmp_path)
    _edit(year / "narrative.yaml", "subtitle: 示例市总工会", f"subtitle: '示例市总工会 {text}'")
    out = tmp_path / "r.md"
    code, msg = _invoke("report", str(year), "--out", str(out))
    assert code == 0, msg
    assert text in out.read_text(encoding="utf-8")


# --- 4. crashes on input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # the extremes an amount can take: exact to the 分 (finer is BF103), at most 15 digits of 元
        ("allocated: 100000, arrived: 100000", "allocated: 0.01, arrived: 0.01"),
        ("arrived: 100000, spent: 100000", "arrived: 999999999999999.99, spent: 0.01"),
        ("arrived: 50000, spent: 50000", "arrived: 0.01, spent: 999999999999999"),
    ],
    ids=["tiny", "huge", "ratio"],
)
def test_extreme_amounts_are_findings_not_crashes(tmp_path: Path, old: str, new: str) -> None:
    year = _year(tmp_path)
    _edit(year / "funds.yaml", old, new)
    for args in (["check"], ["score", "--force"], ["score", "--force", "--format", "md"]):
        code, msg = _invoke(*args[:1], str(year), *args[1:])
        assert code in (0, 1), msg
    # the extremes load (exact to the 分), so the report is written, as a draft if need be
    code, msg = _invoke("report", str(year), "--out", str(tmp_path / "r.docx"))
    assert code == 0, msg
    assert (tmp_path / "r.docx").exists()


def test_rounding_never_overflows() -> None:
    for v in (Decimal("1e40"), Decimal("1e-40"), Decimal("123456789012345.1234567891") * 10**15):
        assert Decimal(fmt_yuan(v).replace(",", "")) - v <= Decimal("0.005")
        assert fmt_wan(v) and fmt_pct(v)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(-(10**40), 10**40),
    st.integers(-60, 40),
    st.integers(0, 12),
)
def test_rounding_never_raises(digits: int, exponent: int, places: int) -> None:
    value = Decimal(digits).scaleb(exponent)
    rounded = round_half_up(value, places)
    assert abs(rounded - value) <= Decimal(1).scaleb(-places) / 2


@pytest.mark.parametrize(
    ("value", "capital"),
    [
        (10**16, "壹亿亿元整"),
        (10**16 + 1, "壹亿亿零壹元整"),
        (12 * 10**16 + 3 * 10**8, "壹拾贰亿亿零叁亿元整"),
        (10**20, "壹万亿亿元整"),
    ],
)
def test_capital_amounts_beyond_ten_to_the_sixteenth(value: int, capital: str) -> None:
    assert capital_yuan(Decimal(value)) == capital


def test_csv_cell_over_the_csv_module_limit(tmp_path: Path) -> None:
    year = _year(tmp_path)
    (year / "households.yaml").write_text("synthetic: true\n", encoding="utf-8")
    long = "长" * 200_000
    (year / "households.csv").write_text(
        "id,name,category,status,archived_on,work_unit\n"
        f"H1,赵一,deep,archived,2021-01-10,{long}\n"
        'H2,钱二,relative,archived,2021-06-01,"a, quoted ' + "x" * 200_000 + '"\n'
        "H3,孙三,sudden,archived,2022-03-01,\nH4,周四,relative,archived,2020-05-01,\n",
        encoding="utf-8",
    )
    code, out = _invoke("check", str(year))
    assert code in (0, 1) and long not in out


@pytest.mark.parametrize("day", ["02-30", "13-01", "00-10", "04-31"])
def test_policy_month_day_that_is_no_day(tmp_path: Path, day: str) -> None:
    year = _year(tmp_path)
    with open(year / "policy.yaml", "a", encoding="utf-8") as fh:
        fh.write(f'payment_deadline: "{day}"\n')
    code, _ = _invoke("check", str(year))
    assert code == 1
    assert any(c in {("BF103", "policy.yaml"), ("BF104", "policy.yaml")} for c in _codes(year))


@pytest.mark.parametrize("char", ["\\x01", "\\x1b[2J", "\\x0b", "\\ufffe"])
def test_control_characters_never_reach_word_or_the_terminal(tmp_path: Path, char: str) -> None:
    year = _year(tmp_path)
    _edit(year / "narrative.yaml", "subtitle: 示例市总工会", f'subtitle: "示例市总工会{char}B"')
    for suffix in ("docx", "md"):
        out = tmp_path / f"r.{suffix}"
        code, msg = _invoke("report", str(year), "--out", str(out))
        assert code == 0, msg
    text = out.read_text(encoding="utf-8")
    assert "示例市总工会\ufffd" in text and not any(0 < ord(c) < 32 and c not in "\n\t" for c in text)
    Document(str(tmp_path / "r.docx"))  # opens: the XML is valid


def test_synth_into_an_existing_file_or_directory(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("mine", encoding="utf-8")
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "x").write_text("mine", encoding="utf-8")
    for target in ("f", "d"):
        code, _ = _invoke("synth", str(tmp_path / target), "-n", "2")
        assert code == 2
    assert (tmp_path / "f").read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize(
    "content",
    [b"\xff\xfe[tool.bangfu]\n", "[tool.bangfu]\nyear_dir = '数据'\n".encode("gb18030"), b"[[[", None],
)
def test_pyproject_that_does_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes | None
) -> None:
    if content is None:
        os.mkfifo(tmp_path / "pyproject.toml")  # an open() for reading would block
    else:
        (tmp_path / "pyproject.toml").write_bytes(content)
    shutil.copytree(BASE, tmp_path / "data" / "2023")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BANGFU_YEAR_DIR", raising=False)
    code, msg = _invoke("check")
    assert code == 0, msg
    assert "pyproject.toml" in msg


# --- 5. writes -------------------------------------------------------------------------------------


def test_a_file_created_during_the_work_is_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "r.md"
    real = output.remove_stale

    def meanwhile(directory: Path) -> list[Path]:
        out.write_text("created meanwhile", encoding="utf-8")
        return real(directory)

    monkeypatch.setattr(output, "remove_stale", meanwhile)
    code, msg = _invoke("report", str(BASE), "--out", str(out))
    assert code == 2 and "--force" in msg
    assert out.read_text(encoding="utf-8") == "created meanwhile"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    with pytest.raises(output.RefusedWrite):
        output.write_atomic(out, b"new", force=False)
    output.write_atomic(out, b"new", force=True)
    assert out.read_bytes() == b"new"


def test_a_terminated_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import os, signal, sys, time
        from pathlib import Path
        from bangfu_eval import output
        real = output._write_temp
        def slow(tmp, data):
            real(tmp, data)
            print("written", flush=True)
            time.sleep(60)
        output._write_temp = slow
        output.write_atomic(Path({str(tmp_path / "r.md")!r}), b"data")
        """
    )
    with subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True) as proc:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "written"
        assert [p.name for p in tmp_path.iterdir() if output.TEMP.match(p.name)]
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == -signal.SIGTERM
    assert list(tmp_path.iterdir()) == []


def test_stale_temporary_files_are_recognised_and_removed(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    stale = tmp_path / f".r.md.bangfu-{dead.stdout.strip()}.tmp"
    stale.write_bytes(b"partial")
    alive = tmp_path / f".r.md.bangfu-{os.getppid()}.tmp"  # a running process: kept
    alive.write_bytes(b"in progress")
    mine = tmp_path / "notes.tmp"
    mine.write_bytes(b"not ours")
    output.write_atomic(tmp_path / "r.md", b"data")
    assert not stale.exists() and alive.exists() and mine.exists()
    assert (tmp_path / "r.md").read_bytes() == b"data"


@pytest.mark.parametrize("target", ["/dev/null", "fifo", "dir"])
def test_outputs_onto_what_is_not_a_regular_file(tmp_path: Path, target: str) -> None:
    if target == "fifo":
        os.mkfifo(tmp_path / "fifo")
    if target == "dir":
        (tmp_path / "dir").mkdir()
    path = target if target.startswith("/") else str(tmp_path / target)
    for force in ([], ["--force"]):
        code, msg = _invoke("report", str(BASE), "--out", path, *force)
        assert code == 2, msg
    assert Path("/dev/null").is_char_device()


@pytest.mark.parametrize(
    ("err", "words"), [(errno.EROFS, "只读"), (errno.ENOSPC, "磁盘已满"), (errno.EACCES, "权限")]
)
def test_disk_errors_are_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, err: int, words: str
) -> None:
    def fail(tmp: Path, data: bytes) -> None:
        raise OSError(err, os.strerror(err))

    monkeypatch.setattr(output, "_write_temp", fail)
    code, msg = _invoke("report", str(BASE), "--out", str(tmp_path / "r.md"))
    assert code == 2 and words in msg
    assert len(msg.strip().splitlines()) == 1 and "Traceback" not in msg


# --- 6. cost on one long line --------------------------------------------------------------------


def test_findings_on_one_long_line_parse_only_their_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from bangfu_eval import records

    year = _year(tmp_path)
    doc = yaml.load((year / "disbursements.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    row = doc["disbursements"][0]
    doc["disbursements"] = [{**row, "id": f"D{i}", "household": f"NOPE{i}"} for i in range(400)]
    (year / "disbursements.yaml").write_text(json.dumps(doc, ensure_ascii=False) + "\n", encoding="utf-8")
    sizes: list[int] = []
    real = records.parse

    def measured(text: str, *args: object) -> object:
        sizes.append(len(text))
        return real(text, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(records, "parse", measured)
    code, out = _invoke("check", str(year))
    assert code == 1 and out.count("BF501") == 400
    assert sizes and max(sizes) < 400  # a row's own text, not the rest of a 60 kB line


# --- 7. silent misreads ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "old", "new", "code"),
    [
        ("funds.yaml", "allocated: 100000, arrived: 100000", "allocated: 100000, arrived: -100000", "BF103"),
        ("funds.yaml", "allocated: 50000,", "allocated: -50000,", "BF103"),
        ("funds.yaml", "carried_in: 0", "carried_in: -5", "BF103"),
        ("disbursements.yaml", "{id: D1, date: 2023-01-16", "{id: D1, date: 1673827200", "BF104"),
        ("households.yaml", "archived_on: 2021-01-10", "archived_on: '20210110'", "BF104"),
        (
            "disbursements.yaml",
            "amount: 30000, method: bank_card, batch: B1}",
            "amount: ３００００, method: bank_card, batch: B1}",
            "BF105",
        ),
        ("disbursements.yaml", "amount: 40000", "amount: ٤٠٠٠٠", "BF105"),
        ("households.yaml", "{id: H2,", "{id: Ｈ1,", "BF106"),
        ("households.yaml", "{id: H3,", "{id: 'H1 ',", "BF106"),
    ],
    ids=[
        "negative-arrived",
        "negative-allocated",
        "negative-carried-in",
        "unix-time",
        "compact-date",
        "full-width",
        "arabic-indic",
        "nfkc-id",
        "trailing-space-id",
    ],
)
def test_misreads_are_findings(tmp_path: Path, file: str, old: str, new: str, code: str) -> None:
    year = _year(tmp_path)
    _edit(year / file, old, new)
    exit_code, _ = _invoke("check", str(year))
    assert exit_code == 1
    assert (code, file) in _codes(year)


@pytest.mark.parametrize(
    "key", ["allowed_uses: []", "grade_bands: []", "allowed_uses:\n  - {from_year: 2000, uses: {}}"]
)
def test_empty_policy_lists_are_refused(tmp_path: Path, key: str) -> None:
    year = _year(tmp_path)
    with open(year / "policy.yaml", "a", encoding="utf-8") as fh:
        fh.write(key + "\n")
    code, out = _invoke("check", str(year))
    assert code == 1 and ("BF103", "policy.yaml") in _codes(year)
    assert "''" not in out


@pytest.mark.parametrize(
    "header", ["id,name,name,category", "id,name,category,id", "id,name,category,category"]
)
def test_duplicate_csv_column_refuses_the_table(tmp_path: Path, header: str) -> None:
    year = _year(tmp_path)
    (year / "households.yaml").write_text("synthetic: true\n", encoding="utf-8")
    (year / "households.csv").write_text(
        f"{header},status,archived_on\nH1,赵一,海口,deep,archived,2021-01-10\n", encoding="utf-8"
    )
    code, _ = _invoke("check", str(year))
    assert code == 1 and ("BF004", "households.csv") in _codes(year)


# --- 8. exports and exit codes -----------------------------------------------------------------------


@pytest.mark.parametrize("label", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "＝1"])
def test_csv_export_cells_never_start_a_formula(tmp_path: Path, label: str) -> None:
    year = _year(tmp_path)
    _edit(year / "indicators.yaml", "{name: 目标明确,", f"{{name: {json_str(label)},")
    code, out = _invoke("score", str(year), "--format", "csv")
    assert code == 0, out
    cells = [c for row in csv.reader(io.StringIO(out)) for c in row]
    assert "'" + label in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "＝")]


def json_str(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


@pytest.mark.parametrize("name", ["目标\n明确", "目标\r\n| 注入 | 行 |", "目标\u2028明确"])
def test_line_breaks_never_split_a_markdown_table_row(tmp_path: Path, name: str) -> None:
    year = _year(tmp_path)
    _edit(year / "indicators.yaml", "{name: 目标明确,", f"{{name: {json_str(name)},")
    code, out = _invoke("score", str(year), "--format", "md")
    assert code == 0
    rows = [line for line in out.splitlines() if "\u3000目标" in line]
    assert len(rows) == 1 and rows[0].startswith("| 1.1 |") and rows[0].endswith("|")
    head = next(line for line in out.splitlines() if line.startswith("| 序号 |"))
    assert rows[0].count("|") - rows[0].count("\\|") == head.count("|")  # data's pipes escaped
    path = tmp_path / "r.md"
    assert _invoke("report", str(year), "--out", str(path))[0] == 0
    text = path.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if "目标 " in line]
    assert lines and all(line.startswith("|") and line.endswith("|") for line in lines)
    assert "\n明确" not in text and "\n| 注入" not in text


@pytest.mark.parametrize("unit", ["^^", " ^^ ", "^^^"])
def test_merge_mark_in_data_merges_nothing(tmp_path: Path, unit: str) -> None:
    year = _year(tmp_path)
    _edit(year / "households.yaml", "{id: H2, name: 钱二,", f"{{id: H2, name: 钱二, work_unit: '{unit}',")
    _edit(year / "households.yaml", "{id: H3, name: 孙三,", f"{{id: H3, name: 孙三, work_unit: '{unit}',")
    path = tmp_path / "p.docx"
    assert _invoke("publicity", str(year), "--batch", "B1,B2", "--out", str(path))[0] == 0
    doc = Document(str(path))
    assert "w:vMerge" not in doc.element.xml  # the 公示 tables merge no cell
    texts = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert unit.strip() in texts
    md = _invoke("publicity", str(year), "--batch", "B2")[1]
    assert "\\" + unit.strip() in md if unit.strip() == "^^" else unit in md


@pytest.mark.parametrize("select", ["BF2", "BF6", "BF902"])
def test_select_on_a_year_that_failed_exits_1(tmp_path: Path, select: str) -> None:
    year = _year(tmp_path)
    (year / "funds.yaml").write_text("sources: nope\n", encoding="utf-8")
    code, out = _invoke("check", str(year), "--select", select)
    assert code == 1 and "未能读取" in out


def test_empty_households_csv_is_named(tmp_path: Path) -> None:
    year = _year(tmp_path)
    (year / "households.yaml").unlink()
    (year / "households.csv").write_text("", encoding="utf-8")
    code, out = _invoke("check", str(year))
    assert code == 1
    assert ("BF013", "households.csv") in _codes(year)
    assert "households.yaml" not in out and "BF501" not in out  # the year is not checked as empty


@pytest.mark.parametrize("name", ["id", "code", "message"])
def test_a_name_that_reads_like_a_key_leaves_json_whole(tmp_path: Path, name: str) -> None:
    import json

    year = _year(tmp_path)
    _edit(year / "households.yaml", "name: 钱二,", f"name: {name},")
    _edit(year / "households.yaml", "category: sudden", "category: nope")  # a finding to print
    code, out = _invoke("check", str(year), "--format", "json")
    assert code == 1
    doc = json.loads(out)
    assert doc["findings"] and all({"code", "message"} <= set(f) for f in doc["findings"])


@pytest.mark.parametrize(
    ("file", "old", "new", "ok"),
    [
        ("disbursements.yaml", "amount: 25000,", "amount: 25000.001,", False),
        ("disbursements.yaml", "amount: 25000,", "amount: 0.001,", False),
        ("funds.yaml", "allocated: 50000, arrived: 50000,", "allocated: 50000, arrived: 49999.995,", False),
        ("disbursements.yaml", "amount: 25000,", "amount: 25000.100,", True),  # trailing zeros: 分
        ("funds.yaml", "allocated: 50000, arrived: 50000,", "allocated: 50000, arrived: 5.0000万元,", True),
    ],
)
def test_an_amount_finer_than_a_fen_is_refused_at_its_place(
    tmp_path: Path, file: str, old: str, new: str, ok: bool
) -> None:
    """An amount in 元 with a third decimal would be carried through every total and then
    hidden by display rounding (结余 -0.00, "超过可用 1,295,600.00 元"): it is a BF103 at its value."""
    year = _year(tmp_path)
    _edit(year / file, old, new)
    lines = (year / file).read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if new in text)
    hits = [f for f in run(year).findings if f.code == "BF103" and f.location.file == file]
    if ok:
        assert hits == []
    else:
        assert [(f.location.line, "精确到分" in f.message) for f in hits] == [(line, True)]


@pytest.mark.parametrize("file", ["households.yaml", "disbursements.yaml"])
def test_an_unknown_field_in_a_record_is_bf101_without_its_value(tmp_path: Path, file: str) -> None:
    """A record's unknown field is the same problem as a model's (BF101, did-you-mean), and the
    value it holds (here a phone number) is not repeated."""
    year = _year(tmp_path)
    path = year / file
    lines = path.read_text(encoding="utf-8").splitlines()
    row = next(i for i, text in enumerate(lines) if text.lstrip().startswith("- {id:"))
    lines[row] = lines[row].replace("- {id:", f'- {{mobil: "{PHONE}", id:', 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = [f for f in run(year).findings if f.location.file == file]
    assert [(f.code, f.location.line) for f in found] == [("BF101", row + 1)]
    assert "mobil" in found[0].message and PHONE[-4:] not in found[0].message + found[0].help
