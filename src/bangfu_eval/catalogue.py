"""The catalogue of finding codes, collected from their declarations: each code is declared
(``findings.Code``) beside the function that raises it, in the loader's modules (BF0, BF1
schema) and in the rule families under ``rules/``. ``bangfu rules``, ``bangfu explain`` and
docs/rules.md (``scripts/docs.py``) read this. A code is never reused.
"""

from __future__ import annotations

from types import ModuleType

from bangfu_eval import acknowledge, load, rollup, schema, tofill, yamlread
from bangfu_eval.findings import Code
from bangfu_eval.rules import FAMILIES as RULE_FAMILIES

FAMILIES: dict[str, str] = {
    "BF0": "load (files, encoding, YAML)",
    "BF1": "schema (fields, types, ids)",
    "BF2": "declared figures (balance assertions)",
    "BF3": "indicator trees",
    "BF4": "performance targets",
    "BF5": "references (先建档后帮扶)",
    "BF6": "fund use",
    "BF7": "payments",
    "BF8": "project facts",
    "BF9": "identity",
}

MODULES: tuple[ModuleType, ...] = (yamlread, load, tofill, acknowledge, schema, *RULE_FAMILIES, rollup)
"""The modules that declare codes."""


def _collect(modules: tuple[ModuleType, ...]) -> dict[str, Code]:
    found: dict[str, Code] = {}
    for module in modules:
        for value in vars(module).values():
            if isinstance(value, Code):
                if found.get(value.code, value) is not value:
                    raise AssertionError(f"{value.code} is declared twice")
                found[value.code] = value
    return dict(sorted(found.items()))


CODES: dict[str, Code] = _collect(MODULES)

PROVINCE_CODES = frozenset(c for c in CODES if c in vars(rollup))
"""Codes that only the province's roll-up finds (across units); no single year gives them."""
