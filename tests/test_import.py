"""bangfu import: workbooks written here (openpyxl) and a GBK CSV, each kind of Excel damage
with its finding at its cell; the round trip of data/2022 through a workbook; all or nothing."""

from __future__ import annotations

import datetime as dt
import functools
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from bangfu_eval.cli import app
from bangfu_eval.excel.codes import CODES, ImportFinding
from bangfu_eval.excel.importer import ImportResult, Year, build, existing_year, import_workbook
from bangfu_eval.excel.read_tables import read_sheet
from bangfu_eval.excel.workbook import Sheet
from bangfu_eval.pipeline import run
from excelkit import workbook_of

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "2022"
ID_OK = "460199197212164539"  # synthetic: unassigned region code, valid check digit
ID_OK2 = "460199198006135627"
runner = CliRunner()


def found(result: ImportResult) -> set[tuple[str, str]]:
    return {(f.code, str(f.cell)) for f in result.findings}


def damaged_workbook(path: Path) -> Path:
    """A roster and a ledger carrying every kind of damage the import names, at known cells."""
    wb = openpyxl.Workbook()
    roster = wb.active
    assert roster is not None
    roster.title = "花名册"
    roster.append(["2023年困难职工花名册"])  # A1: a title row, merged across
    roster.merge_cells("A1:H1")
    roster.append(["户编号", "姓名", "身份证号", "困难类别", "状态", "建档日期", "联系电话", "备注"])
    roster.append(["H1", "张三", ID_OK, "深度困难", "在档", dt.date(2020, 1, 5)])
    roster.append(["H2", "李四", int(ID_OK2), "相对困难", "在档", 43835])  # C4 number, F4 serial
    roster.append(["H3", "王五", "4.60199E+17", "深度", "在档", "2020/1/5"])  # C5 scientific, F5 text
    roster.append(["H4", "赵六", "460199198006135000", "低保户", "在档", "2020年1月5日"])  # C6, D6
    roster.append([])  # row 7: blank
    roster.append(
        ["H5", "钱七", "４６０１９９１９７２１２１６４５３９", "意外致困", "在档", "2020.1.5"]
    )  # C8
    roster.append(["户编号", "姓名", "身份证号", "困难类别", "状态", "建档日期", "联系电话", "备注"])  # row 9
    roster.append(["H6", "孙八", ID_OK2, "意外致困", "在档", dt.date(2021, 3, 1), 13800000000, "x"])
    ledger = wb.create_sheet("发放台账")
    ledger.append(["序号", "发放日期", "户编号", "帮扶信息", None, None, "发放方式", "附注"])
    ledger.merge_cells("D1:F1")  # a two-row header: the group title above its parts
    ledger.append([None, None, None, "帮扶类型", "资金来源", "金额", None, None])
    day = dt.date(2022, 1, 20)
    ledger.append([1, day, "H1", "生活救助", "中央财政", "1,234.50", "社保卡"])  # F3 separators
    ledger.append([2, day, "H1", "生活救助", "中央财政", "800元", "社保卡"])
    ledger.append([3, day, "H1", "医疗救助", "省财政", "0.08万元", "社保卡"])  # F5 万元
    ledger.append([4, day, "H6", "生活救助", "中央财政", "８００", "银行卡"])  # F6 full width
    ledger.append([5, day, "H9", "生活救助", "中央财政", 500, "银行卡"])  # C7 not in the roster
    ledger.append(["合计", None, None, None, None, 99999])  # A8, F8 differs from the rows
    ledger.append(["制表人：某某"])  # the footer below the total
    hidden = wb.create_sheet("旧台账")
    hidden.append(["发放日期", "户编号", "帮扶类型", "资金来源", "金额", "发放方式"])
    hidden.sheet_state = "hidden"
    notes = wb.create_sheet("说明")
    notes.append(["本工作簿由帮扶管理系统导出"])
    wb.save(path)
    return path


DAMAGE = [
    ("XL003", "台账.xlsx:旧台账"),
    ("XL004", "台账.xlsx:说明"),
    ("XL005", "台账.xlsx:花名册!H2"),
    ("XL005", "台账.xlsx:发放台账!H2"),
    ("XL007", "台账.xlsx:花名册!A1"),
    ("XL007", "台账.xlsx:发放台账!A1"),
    ("XL008", "台账.xlsx:花名册!A9"),
    ("XL009", "台账.xlsx:花名册!A7"),
    ("XL010", "台账.xlsx:发放台账!A8"),
    ("XL011", "台账.xlsx:发放台账!F8"),
    ("XL101", "台账.xlsx:花名册!C4"),
    ("XL102", "台账.xlsx:花名册!C5"),
    ("XL103", "台账.xlsx:花名册!C6"),
    ("XL104", "台账.xlsx:花名册!F4"),
    ("XL105", "台账.xlsx:花名册!F5"),
    ("XL106", "台账.xlsx:发放台账!F3"),
    ("XL107", "台账.xlsx:发放台账!F5"),
    ("XL108", "台账.xlsx:花名册!C8"),
    ("XL108", "台账.xlsx:发放台账!F6"),
    ("XL110", "台账.xlsx:花名册!D6"),
    ("XL111", "台账.xlsx:发放台账!C7"),
]


@pytest.fixture(scope="module")
def damaged(tmp_path_factory: pytest.TempPathFactory) -> tuple[ImportResult, Path]:
    base = tmp_path_factory.mktemp("damaged")
    book = damaged_workbook(base / "台账.xlsx")
    year = base / "2023"
    return import_workbook(book, year), year


@pytest.mark.parametrize(("code", "cell"), DAMAGE)
def test_damage_is_named_at_its_cell(damaged: tuple[ImportResult, Path], code: str, cell: str) -> None:
    assert (code, cell) in found(damaged[0]), sorted(found(damaged[0]))


def test_errors_write_nothing(damaged: tuple[ImportResult, Path]) -> None:
    result, year = damaged
    assert result.failed
    assert not year.exists()


def test_refused_cells_do_not_cascade(damaged: tuple[ImportResult, Path]) -> None:
    """The payments of H1 stay linked although other roster rows failed; no XL111 but C7's."""
    xl111 = [str(f.cell) for f in damaged[0].findings if f.code == "XL111"]
    assert xl111 == ["台账.xlsx:发放台账!C7"]


def test_repairs_are_counted_per_column(damaged: tuple[ImportResult, Path]) -> None:
    f = next(f for f in damaged[0].findings if f.code == "XL105")
    assert "共 3 处" in f.message  # F5, F6, F8 in one finding at the first cell


def test_messages_do_not_repeat_id_numbers(damaged: tuple[ImportResult, Path]) -> None:
    text = "\n".join(str(f) for f in damaged[0].findings)
    assert ID_OK not in text and ID_OK2 not in text and "460199198006135000" not in text


def test_a_personal_number_in_a_wrong_column_is_masked(tmp_path: Path) -> None:
    book = _clean_roster(tmp_path / "r.xlsx", [["H1", "张三", "", ID_OK, "2021-01-01"]])  # ID under 困难类别
    result = import_workbook(book, tmp_path / "y")
    (f,) = [f for f in result.findings if f.code == "XL110"]
    assert ID_OK not in str(f) and "460199********4539" in str(f)


def test_a_payment_whose_id_number_belongs_to_another_household(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    roster = wb.active
    assert roster is not None
    roster.append(["户编号", "姓名", "身份证号", "困难类别", "建档日期"])
    roster.append(["H1", "张三", ID_OK, "深度困难", "2021-01-01"])
    roster.append(["H2", "李四", ID_OK2, "深度困难", "2021-01-01"])
    ledger = wb.create_sheet("台账")
    ledger.append(["发放日期", "户编号", "身份证号", "帮扶类型", "资金来源", "金额", "发放方式"])
    ledger.append(["2022-03-01", "H1", ID_OK2, "生活救助", "中央财政", 500, "银行卡"])
    wb.save(tmp_path / "r.xlsx")
    result = import_workbook(tmp_path / "r.xlsx", tmp_path / "y")
    assert found(result) == {("XL111", "r.xlsx:台账!C2")}
    assert "H2" in result.findings[0].message and ID_OK2 not in result.findings[0].message


def test_every_code_has_a_case() -> None:
    covered = {code for code, _ in DAMAGE} | {"XL001", "XL002", "XL109", "XL112", "XL113"}
    assert covered == set(CODES)


def _clean_roster(path: Path, rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "花名册"
    ws.append(["户编号", "姓名", "身份证号", "困难类别", "建档日期"])
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_unreadable_workbook(tmp_path: Path) -> None:
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    result = import_workbook(bad, tmp_path / "2023")
    assert found(result) == {("XL001", "坏.xlsx")}


def test_bad_value_and_duplicate_id(tmp_path: Path) -> None:
    book = _clean_roster(
        tmp_path / "r.xlsx",
        [
            ["H1", "张三", ID_OK, "深度困难", "2021-01-01"],
            ["H1", "李四", ID_OK2, "深度困难", "2021-01-01"],
            ["H2", "王五", "", "深度困难", "去年"],
        ],
    )
    expected = {("XL112", "r.xlsx:花名册!A3"), ("XL109", "r.xlsx:花名册!E4")}
    assert found(import_workbook(book, tmp_path / "y")) == expected
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["发放日期", "户编号", "帮扶类型", "资金来源", "金额", "发放方式"])
    ws.append(["2022-03-01", "H1", "生活救助", "中央财政", -500, "银行卡"])  # a refund typed as a payment
    wb.save(tmp_path / "l.xlsx")
    year = tmp_path / "ok"
    assert not import_workbook(
        _clean_roster(tmp_path / "h.xlsx", [["H1", "张三", "", "深度困难", "2021-01-01"]]), year
    ).failed
    result = import_workbook(tmp_path / "l.xlsx", year)
    assert [(f.code, str(f.cell), f.message) for f in result.findings] == [
        ("XL109", "l.xlsx:Sheet!E2", "金额（元）：应大于 0")
    ]


def test_gbk_csv_is_read_and_said_so(tmp_path: Path) -> None:
    csv = tmp_path / "花名册.csv"
    csv.write_bytes(
        f"户编号,姓名,身份证号,困难类别,建档日期\nH1,张三,{ID_OK},深度困难,2021/3/1\n".encode("gbk")
    )
    result = import_workbook(csv, tmp_path / "2023")
    assert ("XL002", "花名册.csv") in found(result)
    assert ("XL105", "花名册.csv:E2") in found(result)
    assert not result.failed
    data = (tmp_path / "2023" / "households.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # a BOM: Excel on Chinese Windows opens it as UTF-8
    text = data.decode("utf-8-sig")
    assert "H1,张三," in text and "deep,archived,2021-03-01" in text


def test_utf8_bom_csv_reads_without_info(tmp_path: Path) -> None:
    csv = tmp_path / "r.csv"
    csv.write_bytes("\ufeff户编号,姓名,身份证号,困难类别,建档日期\nH1,张三,,深度困难,2021-03-01\n".encode())
    result = import_workbook(csv, tmp_path / "2023")
    assert result.findings == [] and not result.failed


def test_mapping_file(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["户主姓名", "户主身份证", "困难类别", "建档日期"])
    ws.append(["张三", ID_OK, "低保边缘户", dt.date(2021, 1, 1)])
    wb.save(tmp_path / "r.xlsx")
    mapping = tmp_path / "映射.toml"
    mapping.write_text('[columns]\n"户主身份证" = "id_number"\n[names]\n"低保边缘户" = "relative"\n', "utf-8")
    result = import_workbook(tmp_path / "r.xlsx", tmp_path / "y", map_file=mapping)
    assert result.findings == [], [str(f) for f in result.findings]
    assert "relative" in (tmp_path / "y" / "households.csv").read_text("utf-8-sig")
    mapping.write_text('[columns]\n"户主身份证" = "身份证"\n', "utf-8")
    assert ("XL113", "映射.toml") in found(
        import_workbook(tmp_path / "r.xlsx", tmp_path / "z", map_file=mapping)
    )


def test_never_overwrites_without_force(tmp_path: Path) -> None:
    book = _clean_roster(tmp_path / "r.xlsx", [["H1", "张三", ID_OK, "深度困难", "2021-01-01"]])
    year = tmp_path / "2023"
    year.mkdir()
    (year / "households.yaml").write_text("households: []\n", "utf-8")
    result = import_workbook(book, year)
    assert result.failed and "--force" in result.refused
    assert (year / "households.yaml").read_text("utf-8") == "households: []\n"
    assert not (year / "households.csv").exists()
    result = import_workbook(book, year, force=True)
    assert not result.failed and result.removed == ["households.yaml"]
    assert (year / "households.csv").exists() and not (year / "households.yaml").exists()


def test_round_trip_of_2022_gives_the_same_check_and_score(tmp_path: Path) -> None:
    year = tmp_path / "2022"
    shutil.copytree(DATA, year)
    (year / "households.yaml").unlink()
    (year / "disbursements.yaml").unlink()
    book = workbook_of(DATA, tmp_path / "台账.xlsx")
    result = runner.invoke(app, ["import", str(book), "--into", str(year)])
    assert result.exit_code == 0, result.output
    assert "114 户" in result.output and "918 笔发放" in result.output
    before, after = run(DATA), run(year)
    assert [(f.code, f.location, f.message) for f in after.findings] == [
        (f.code, f.location, f.message) for f in before.findings
    ]
    scores = []
    for d in (DATA, year):
        out = runner.invoke(app, ["score", str(d), "--force", "--format", "json"])
        doc = json.loads(out.stdout)
        doc.pop("directory")
        scores.append(doc)
    assert scores[0] == scores[1]


def test_round_trip_as_yaml(tmp_path: Path) -> None:
    year = tmp_path / "2022"
    shutil.copytree(DATA, year)
    book = workbook_of(DATA, tmp_path / "台账.xlsx")
    result = import_workbook(book, year, to="yaml", force=True)
    assert not result.failed and result.written == ["disbursements.yaml", "households.yaml"]
    assert run(year).results == run(DATA).results


def test_gbk_table_in_a_year_gives_one_finding_and_no_cascade(tmp_path: Path) -> None:
    year = tmp_path / "2022"
    shutil.copytree(DATA, year)
    book = workbook_of(DATA, tmp_path / "台账.xlsx")
    (year / "households.yaml").unlink()
    (year / "disbursements.yaml").unlink()
    assert not import_workbook(book, year).failed
    text = (year / "households.csv").read_bytes().decode("utf-8-sig")
    (year / "households.csv").write_bytes(text.encode("gb18030"))  # as Excel on Chinese Windows saves it
    outcome = run(year)
    errors = [(f.code, f.location.file) for f in outcome.findings if f.severity.value == "error"]
    assert errors == [("BF002", "households.csv")]
    assert outcome.results is None


@pytest.mark.parametrize("command", ["check", "score", "report", "publicity"])
def test_an_empty_directory_says_run_init(tmp_path: Path, command: str) -> None:
    result = runner.invoke(app, [command, str(tmp_path)])
    assert result.exit_code == 2
    assert "bangfu init" in result.output and ":0:0" not in result.output


def test_docs_alias_table_is_current() -> None:
    from bangfu_eval.excel.tables import alias_markdown

    page = (ROOT / "docs" / "import.md").read_text(encoding="utf-8")
    block = page.split("<!-- begin: aliases -->\n", 1)[1].split("<!-- end: aliases -->", 1)[0]
    assert block == alias_markdown(), "regenerate the block from excel.tables.alias_markdown()"
    assert all(f"| {code} |" in page for code in CODES)


def test_funds_and_a_ledger_sheet_into_an_existing_year(tmp_path: Path) -> None:
    """Names matched to the year's sources, types, methods and batch titles; payments linked by
    ID number; the year's other batches carried over; funds.yaml written from the sheet."""
    year = tmp_path / "2022"
    shutil.copytree(DATA, year)
    before = run(DATA)
    assert before.year is not None and before.results is not None
    wb = openpyxl.Workbook()
    funds = wb.active
    assert funds is not None
    funds.append(["资金来源", "上年结转", "下达资金", "到位资金", "支出", "结转下年"])
    for s in before.year.funds.sources:
        funds.append([s.name, s.carried_in, s.allocated, f"{s.arrived:,}", s.spent, s.carried_out])
    ledger = wb.create_sheet("台账")
    ledger.append(["发放日期", "身份证号", "帮扶类型", "资金来源", "金额", "发放方式", "批次"])
    person = before.year.households.households[0]
    ledger.append(["2022/12/20", person.id_number, "生活救助", "中央", 100, "社保卡", "12月生活救助"])
    wb.save(tmp_path / "资金.xlsx")
    assert import_workbook(tmp_path / "资金.xlsx", year).refused  # tables exist: --force needed
    result = import_workbook(tmp_path / "资金.xlsx", year, force=True)
    assert not result.failed, [str(f) for f in result.findings]
    assert result.removed == ["disbursements.yaml"]
    after = run(year)
    assert after.year is not None and after.year.disbursements is not None
    (paid,) = after.year.disbursements.disbursements
    assert (paid.household, paid.type, paid.source, paid.method, paid.batch) == (
        person.id,
        "living",
        "central",
        "social_security_card",
        "L12",
    )
    assert after.year.disbursements.batches == before.year.disbursements.batches  # type: ignore[union-attr]
    assert [(s.id, s.arrived, s.spent) for s in after.year.funds.sources] == [
        (s.id, s.arrived, s.spent) for s in before.year.funds.sources
    ]


def test_repaired_cells_are_read_as_what_they_mean(tmp_path: Path) -> None:
    """Each date and amount form Excel leaves behind, read to the value it stands for."""
    wb = openpyxl.Workbook()
    roster = wb.active
    assert roster is not None
    roster.append(["户编号", "姓名", "身份证号", "困难类别", "建档日期", "联系电话"])
    forms: list[object] = [
        dt.date(2022, 1, 5),
        44566,
        "2022/1/5",
        "2022年1月5日",
        "2022.1.5",
        "20220105",
        "２０２２-０１-０５",
    ]
    for i, form in enumerate(forms, 1):
        roster.append([f"H{i}", "张三", "", "深度困难", form, 13800000000 + i])
    ledger = wb.create_sheet("台账")
    ledger.append(["发放日期", "户编号", "帮扶类型", "资金来源", "金额", "发放方式"])
    amounts: list[object] = ["1,234.50", "800元", "0.08万元", "８００", "¥1,000", 2500.0, 0.1 + 0.2]
    for amount in amounts:
        ledger.append([dt.date(2022, 3, 1), "H1", "生活救助", "中央财政", amount, "银行卡"])
    wb.save(tmp_path / "r.xlsx")
    result = import_workbook(tmp_path / "r.xlsx", tmp_path / "y")
    assert not result.failed, [str(f) for f in result.findings]
    households = (tmp_path / "y" / "households.csv").read_text("utf-8-sig").splitlines()[1:]
    assert [line.split(",")[8] for line in households] == ["2022-01-05"] * len(forms)
    assert households[0].split(",")[3] == "13800000001"  # a phone stored as a number keeps its digits
    payments = (tmp_path / "y" / "disbursements.csv").read_text("utf-8-sig").splitlines()[1:]
    assert [line.split(",")[5] for line in payments] == [
        "1234.50",
        "800",
        "800.00",
        "800",
        "1000",
        "2500",
        "0.3",  # 0.30000000000000004 in the cell: binary noise dropped
    ]


def test_cli_json_and_explain(tmp_path: Path) -> None:
    book = _clean_roster(tmp_path / "r.xlsx", [["H1", "张三", ID_OK, "深度困难", 44566]])
    result = runner.invoke(app, ["import", str(book), "--into", str(tmp_path / "y"), "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["ok"] and doc["counts"] == {"households": 1} and doc["written"] == ["households.csv"]
    assert [(f["code"], f["cell"]) for f in doc["findings"]] == [("XL104", "r.xlsx:花名册!E2")]
    assert "XL104" in runner.invoke(app, ["explain", "XL104"]).output


def _ods(path: Path, sheet: str, rows: list[list[object]]) -> Path:
    """A minimal OpenDocument spreadsheet, written by hand (what LibreOffice and WPS save)."""
    import zipfile
    from xml.sax.saxutils import escape

    def cell(v: object) -> str:
        if isinstance(v, (int, float)):
            return f'<table:table-cell office:value-type="float" office:value="{v}"/>'
        text = f"<text:p>{escape(str(v))}</text:p>"
        return f'<table:table-cell office:value-type="string">{text}</table:table-cell>'

    body = "".join("<table:table-row>" + "".join(map(cell, r)) + "</table:table-row>" for r in rows)
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="{sheet}">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", manifest)
        z.writestr("content.xml", content)
    return path


def test_ods_workbook(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["户编号", "姓名", "身份证号", "困难类别", "建档日期"],
        ["H1", "张三", ID_OK, "深度困难", "2021-03-01"],
        ["H2", "李四", float(ID_OK2), "相对困难", 44566],
    ]
    book = _ods(tmp_path / "花名册.ods", "花名册", rows)
    result = import_workbook(book, tmp_path / "y")
    assert found(result) == {("XL101", "花名册.ods:花名册!C3"), ("XL104", "花名册.ods:花名册!E3")}
    del rows[2]
    assert not import_workbook(_ods(tmp_path / "ok.ods", "花名册", rows), tmp_path / "z").failed


def test_a_failed_write_leaves_the_year_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The second file cannot be renamed into place (Excel holds it open): the first is undone."""
    import os

    year = tmp_path / "2022"
    shutil.copytree(DATA, year)
    (year / "households.yaml").unlink()
    (year / "disbursements.yaml").unlink()
    book = workbook_of(DATA, tmp_path / "台账.xlsx")
    assert not import_workbook(book, year).failed
    for name in ("households.csv", "batches.csv", "disbursements.csv"):
        with (year / name).open("a", encoding="utf-8") as fh:
            fh.write("# edited since\n")  # so that a written file would differ
    before = {p.name: p.read_bytes() for p in year.iterdir() if p.is_file()}
    real, calls = os.replace, []

    def replace(src: object, dst: object) -> None:
        calls.append(dst)
        if len(calls) == 3:  # moving the second file aside
            raise PermissionError(13, "另一个程序正在使用此文件")
        real(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", replace)
    result = import_workbook(book, year, force=True)
    monkeypatch.setattr(os, "replace", real)
    assert result.failed and "Excel" in result.refused
    assert {p.name: p.read_bytes() for p in year.iterdir() if p.is_file()} == before


CELLS = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.floats(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.dates(),
    st.booleans(),
    st.sampled_from(
        ["合计", "2022/1/5", "1,234元", "0.5万元", "4.6E+17", "中央财政", "生活救助", "银行卡", "H1"]
    ),
)


HEADERS: list[list[object]] = [
    ["发放日期", "户编号", "帮扶类型", "资金来源", "金额", "发放方式", "签名", "批次", "身份证号"],
    ["户编号", "姓名", "身份证号", "困难类别", "状态", "建档日期", "退档日期", "联系电话", "银行卡号"],
    ["资金来源", "上年结转", "下达资金", "到位资金", "支出", "结转下年"],
    ["户编号", "核查日期", "核查方式"],
    ["批次", "批次名称", "公示开始日期", "公示结束日期"],
]


@pytest.mark.parametrize("header", HEADERS, ids=["ledger", "roster", "funds", "visits", "batches"])
@settings(max_examples=100, deadline=None)
@given(rows=st.lists(st.lists(CELLS, max_size=9), max_size=8))
def test_any_cells_give_findings_never_a_traceback(header: list[object], rows: list[list[object]]) -> None:
    out: list[ImportFinding] = []
    table = read_sheet(Sheet("t.xlsx", "台账", [header, *[list(r) for r in rows]]), {}, out)
    assert table is not None
    build([table], _empty_year(), {}, out)
    assert all(f.code in CODES for f in out)


@functools.cache
def _empty_year() -> Year:
    return existing_year(Path("/nonexistent"))
