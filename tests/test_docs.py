"""The docs say what the code does: generated pages are current, README commands are real."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from bangfu_eval.catalogue import CODES

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("bangfu_docs", ROOT / "scripts" / "docs.py")
assert _spec is not None and _spec.loader is not None
docs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(docs)


def test_rules_page_is_current() -> None:
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == docs.rules_markdown(), (
        "run: python scripts/docs.py"
    )


def test_readme_example_is_real_output() -> None:
    current = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "<!-- begin: check-2022 -->" in current
    assert docs.readme(ROOT, current) == current, "run: python scripts/docs.py"


def test_every_code_is_documented() -> None:
    page = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert all(f"### {code} " in page for code in CODES)


def test_data_format_documents_every_field() -> None:
    from pydantic import BaseModel

    from bangfu_eval import models as m

    page = (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8")
    for name in dir(m):
        model = getattr(m, name)
        if isinstance(model, type) and issubclass(model, BaseModel) and model not in (m.Model, m.Year):
            for field in model.model_fields:
                assert f"`{field}`" in page, f"{name}.{field} is not in docs/data-format.md"
