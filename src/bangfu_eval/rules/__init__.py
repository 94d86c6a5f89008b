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
    payments,
    project,
    references,
    targets,
)
from bangfu_eval.rules.base import Context, Rule

RULES: tuple[Rule, ...] = (
    references.duplicate_ids,
    references.code_values,
    declared.declared_figures,
    declared.source_declarations,
    declared.placeholder_syntax,
    consistency.identities,
    indicators.weights,
    indicators.scores,
    indicators.totals,
    indicators.trees_agree,
    indicators.evidence,
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
    project.plan,
    project.evaluators,
    project.grade,
    identity.id_numbers,
)

__all__ = ["RULES", "Context", "Rule"]
