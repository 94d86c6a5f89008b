"""The shape the code keeps: codes declared beside their rules and collected, records that know
where they were read (YAML and CSV alike, the caret on the field's first character), personal
fields declared once and never echoed."""

from __future__ import annotations

import ast
from pathlib import Path

from bangfu_eval import models as m
from bangfu_eval.catalogue import CODES, MODULES
from bangfu_eval.findings import Code, Severity
from bangfu_eval.pipeline import run
from bangfu_eval.privacy import PERSONAL, mask_field
from bangfu_eval.render.findings_text import text
from bangfu_eval.rules import FAMILIES, RULES
from casekit import synth

SRC = Path(__file__).resolve().parents[1] / "src" / "bangfu_eval"


def test_every_code_is_declared_once_beside_the_code_that_raises_it() -> None:
    declared = {c.code for module in MODULES for c in vars(module).values() if isinstance(c, Code)}
    assert declared == set(CODES) and len(CODES) >= 59
    raised: set[str] = set()
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id.startswith("BF") and node.id[2:].isdigit():
                raised.add(node.id)
            if isinstance(node, ast.Constant) and node.value in CODES and path.name != "catalogue.py":
                # a code as a string outside its declaration: `if code == "BF803"` and the like
                assert isinstance(node.value, str)
                assert _is_declaration(tree, node), f"{path.name} names {node.value} as a string"
    assert raised == set(CODES)


def _is_declaration(tree: ast.AST, constant: ast.Constant) -> bool:
    return any(
        isinstance(call, ast.Call)
        and getattr(call.func, "id", "") == "Code"
        and call.args
        and call.args[0] is constant
        for call in ast.walk(tree)
    )


def test_the_registry_is_the_families_rules() -> None:
    assert tuple(rule for family in FAMILIES for rule in family.RULES) == RULES
    assert len(set(RULES)) == len(RULES)


def test_the_report_lists_errors_warnings_and_the_blank_grade() -> None:
    shown = {code for code, info in CODES.items() if info.in_report}
    assert "BF803" in shown and "BF801" not in shown and "BF606" not in shown
    assert {c for c, i in CODES.items() if i.severity is not Severity.INFO} <= shown


def test_a_code_fills_its_template() -> None:
    code = CODES["BF705"]
    finding = code(m_location(), household="H1", batch="B1", use="生活救助", first=7)
    assert finding.message == "H1 在批次 B1 中第二次领取生活救助（第 7 行已有）"
    assert finding.severity is code.severity and finding.code == "BF705"


def m_location():  # type: ignore[no-untyped-def]
    from bangfu_eval.findings import Location

    return Location("disbursements.yaml", 3, 5)


def test_rules_do_not_import_the_loader() -> None:
    loader = {"bangfu_eval.load", "bangfu_eval.records", "bangfu_eval.csvtable", "bangfu_eval.yamlread"}
    for path in (SRC / "rules").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                assert node.module not in loader, f"{path.name} imports {node.module}"
            elif isinstance(node, ast.Import):
                assert not loader & {alias.name for alias in node.names}, path.name


def _bad_type(year: Path, name: str) -> None:
    path = year / name
    body = path.read_text(encoding="utf-8")
    marker = "schooling" if name.endswith(".csv") else "type: schooling"
    path.write_text(body.replace(marker, marker.replace("schooling", "schoolng"), 1), encoding="utf-8")


def test_yaml_and_csv_forms_give_the_same_findings_with_the_caret_on_the_field(tmp_path: Path) -> None:
    yaml_year, csv_year = synth(tmp_path / "y"), synth(tmp_path / "c", "--csv")
    _bad_type(yaml_year, "disbursements.yaml")
    _bad_type(csv_year, "disbursements.csv")
    in_yaml, in_csv = run(yaml_year).findings, run(csv_year).findings
    assert [(f.code, f.message, f.location.path) for f in in_yaml] == [
        (f.code, f.message, f.location.path) for f in in_csv
    ]
    assert [f.code for f in in_csv] == ["BF107", "BF405"]  # and the schooling target is short
    for year, finding in ((yaml_year, in_yaml[0]), (csv_year, in_csv[0])):
        loc = finding.location
        line = (year / loc.file).read_text(encoding="utf-8").splitlines()[loc.line - 1]
        assert line[loc.column - 1 :].startswith("schoolng"), (loc, line)


def test_personal_fields_are_declared_on_the_models() -> None:
    assert PERSONAL == {
        "name": "name",
        "responsible_person": "name",
        "id_number": "id_number",
        "phone": "tail",
        "card_number": "tail",
    }
    assert mask_field("id_number", "460199198001011238") == "460199********1238"
    assert mask_field("title", "主任") == "主任"
    assert m.fields_of(m.Household)["name"].json_schema_extra == {"personal": "name"}


def test_a_finding_on_a_households_csv_row_never_echoes_the_row(tmp_path: Path) -> None:
    year = synth(tmp_path / "c", "--csv")
    path = year / "households.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[3].split(",")
    cells[header.index("category")] = "deeep"  # a rule finding (BF107) on this row
    lines[3] = ",".join(cells)
    cells = lines[5].split(",")
    cells[header.index("archived_on")] = "2022-02-30"  # a schema finding (BF104) on that one
    lines[5] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outcome = run(year)
    assert {f.code for f in outcome.findings} == {"BF104"}  # the row that failed stops the rules
    shown = text(outcome, lines=outcome.loaded.lines)
    assert lines[5] not in shown and cells[header.index("id_number")] not in shown
    cells = lines[5].split(",")
    cells[header.index("archived_on")] = "2022-02-03"
    lines[5] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outcome = run(year)
    assert [f.code for f in outcome.findings] == ["BF107"]
    shown = text(outcome, lines=outcome.loaded.lines)
    for cell in lines[3].split(","):
        if len(cell) > 6:  # names, numbers, ids: nothing of the row is echoed
            assert cell not in shown.replace(outcome.findings[0].message, ""), cell


def test_record_types_declare_no_validators_of_their_own() -> None:
    """csvtable types a CSV column at a time, which equals validating each row only while
    the record types have no validators of their own."""
    for record in (m.Household, m.Batch, m.Disbursement):
        decorators = record.__pydantic_decorators__  # type: ignore[attr-defined]
        assert not any(
            getattr(decorators, kind)
            for kind in ("validators", "field_validators", "root_validators", "model_validators")
        )
