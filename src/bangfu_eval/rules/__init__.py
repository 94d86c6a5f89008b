"""The rules: one small function each, grouped by family. ``RULES`` is the whole registry;
to add a rule, write the function in its family's module, list it here, give its code an
entry in ``catalogue.py`` and a case under tests/cases/ (docs/rules.md says more)."""

from __future__ import annotations

from bangfu_eval.rules import (
    consistency,
    declared,
    funds,
    identity,
    indicators,
    leaves,
    payments,
    project,
    references,
    targets,
)
from bangfu_eval.rules.base import Context, Rule

DATA_RULES: tuple[Rule, ...] = (
    references.duplicate_ids,
    references.code_values,
    targets.bands,
    targets.actuals,
    references.households,
    references.sources_and_batches,
    funds.uses,
    funds.caps,
    funds.balances,
    funds.matching,
    funds.utilisation,
    payments.cash,
    payments.publicity,
    payments.dates,
    payments.double_payments,
    identity.id_numbers,
)
"""Rules that read the data only: their findings can be a leaf's evidence (contradicted_by)."""

SCORE_RULES: tuple[Rule, ...] = (
    declared.declared_figures,
    declared.source_declarations,
    declared.placeholder_syntax,
    consistency.identities,
    indicators.weights,
    indicators.scores,
    indicators.totals,
    indicators.trees_agree,
    indicators.evidence,
    leaves.tiers,
    leaves.no_evidence,
    leaves.methods,
    project.plan,
    project.evaluators,
    project.grade,
)
"""Rules that read the scores (declared figures may name score.total), run after the leaves
have been scored knowing the data rules' findings."""

SCORE_FAMILIES = ("BF2", "BF3", "BF8")
"""Families of SCORE_RULES' codes: they cannot be a leaf's evidence."""

RULES: tuple[Rule, ...] = DATA_RULES + SCORE_RULES

__all__ = ["DATA_RULES", "RULES", "SCORE_FAMILIES", "SCORE_RULES", "Context", "Rule"]
