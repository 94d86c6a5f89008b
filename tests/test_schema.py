"""bangfu schema: the emitted JSON Schemas validate data/2022 (read as an editor's YAML 1.2
reads it: dates stay text) with the jsonschema package, and catch what check would refuse."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from bangfu_eval.cli import app

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "2022"
runner = CliRunner()


class Yaml12Loader(yaml.SafeLoader):
    """YAML as an editor's language server reads it: dates stay text, yes/no stay text."""


Yaml12Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


@pytest.fixture(scope="module")
def schemas(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("schema")
    result = runner.invoke(app, ["schema", "--out", str(out), str(DATA)])
    assert result.exit_code == 0, result.output
    return out


def _validator(schemas: Path, file: str) -> Any:
    schema = json.loads((schemas / file.replace(".yaml", ".schema.json")).read_text("utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@pytest.mark.parametrize("file", sorted(p.name for p in DATA.glob("*.yaml")))
def test_data_2022_validates(schemas: Path, file: str) -> None:
    data = yaml.load((DATA / file).read_text("utf-8"), Loader=Yaml12Loader)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in _validator(schemas, file).iter_errors(data)]
    assert errors == []


def test_schema_catches_a_typo_and_a_wrong_code(schemas: Path) -> None:
    v = _validator(schemas, "households.yaml")
    row = {"id": "H1", "name": "张三", "category": "deep", "status": "archived", "archived_on": "2021-01-01"}
    assert not list(v.iter_errors({"households": [row]}))
    assert list(v.iter_errors({"households": [{**row, "categroy": "deep"}]}))  # unknown field
    assert list(v.iter_errors({"households": [{**row, "category": "低保"}]}))  # not a policy code
    assert list(v.iter_errors({"households": [{**row, "archived_on": "2021-13-01"}]}))  # no such date


def test_titles_are_chinese_and_codes_are_listed(schemas: Path) -> None:
    doc = json.loads((schemas / "disbursements.schema.json").read_text("utf-8"))
    props = doc["$defs"]["Disbursement"]["properties"]
    assert props["amount"]["title"] == "金额（元）"
    assert "central" in props["source"]["enum"] and "living" in props["type"]["enum"]
    assert "生活救助" in props["type"]["description"]
