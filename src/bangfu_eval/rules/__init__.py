"""The rules, grouped by family: each module declares the codes it raises (``Code``) beside the
small functions that raise them, and lists those functions in its ``RULES`` tuple. To add a rule,
write it and declare its code in its family's module, and give the code a case under
tests/cases/; the registry below, the catalogue and docs/rules.md follow from that."""

from __future__ import annotations

from bangfu_eval.rules import (
    benefits,
    carryover,
    claims,
    consistency,
    declared,
    exits,
    funds,
    identity,
    indicators,
    leaves,
    payments,
    project,
    references,
    targets,
    visits,
)
from bangfu_eval.rules.base import Context, Places, Rule

DATA_FAMILIES = (references, exits, visits, targets, funds, carryover, payments, identity, benefits)
"""Families that read the data only: their findings can be a leaf's evidence (contradicted_by)."""

SCORE_FAMILIES_RULES = (declared, claims, consistency, indicators, leaves, project)
"""Families that read the scores (declared figures may name score.total); they run after the
leaves have been scored knowing the data rules' findings."""

FAMILIES = DATA_FAMILIES + SCORE_FAMILIES_RULES
"""Every family module, in the order their rules run."""

DATA_RULES: tuple[Rule, ...] = tuple(rule for family in DATA_FAMILIES for rule in family.RULES)
SCORE_RULES: tuple[Rule, ...] = tuple(rule for family in SCORE_FAMILIES_RULES for rule in family.RULES)
RULES: tuple[Rule, ...] = DATA_RULES + SCORE_RULES

SCORE_FAMILIES = ("BF2", "BF3", "BF8")
"""Families of SCORE_RULES' codes: they cannot be a leaf's evidence."""

__all__ = [
    "DATA_RULES",
    "FAMILIES",
    "RULES",
    "SCORE_FAMILIES",
    "SCORE_RULES",
    "Context",
    "Places",
    "Rule",
]
