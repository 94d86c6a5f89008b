"""The rules, grouped by family: each module declares the codes it raises (``Code``) beside the
small functions that raise them, and lists those functions in its ``RULES`` tuple. To add a rule,
write it and declare its code in its family's module, and give the code a case under
tests/cases/; the registry below, the catalogue and docs/rules.md follow from that."""

from __future__ import annotations

from bangfu_eval.rules import (
    declared,
    funds,
    identity,
    indicators,
    payments,
    project,
    references,
    targets,
)
from bangfu_eval.rules.base import Context, Places, Rule

FAMILIES = (references, declared, indicators, targets, funds, payments, project, identity)
"""The family modules, in the order their rules run."""

RULES: tuple[Rule, ...] = tuple(rule for family in FAMILIES for rule in family.RULES)

__all__ = ["FAMILIES", "RULES", "Context", "Places", "Rule"]
