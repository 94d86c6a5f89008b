"""Every code is explained in Chinese with its policy source and the remedy an auditor accepts;
remedies for money paid never ask to rewrite the record."""

from __future__ import annotations

import re

import pytest

from bangfu_eval.catalogue import CODES
from bangfu_eval.explanations import EXPLANATIONS, page, short_source

_CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_code_and_only_codes_are_explained() -> None:
    assert set(EXPLANATIONS) == set(CODES)


@pytest.mark.parametrize("code", sorted(CODES))
def test_explanation_is_chinese_with_a_source(code: str) -> None:
    e = EXPLANATIONS[code]
    for text in (e.why, e.remedy):  # an example may be a line of YAML
        assert _CJK.search(text), (code, text)
    assert short_source(code)
    assert f"政策依据：{e.source}" in page(code)


@pytest.mark.parametrize("code", ["BF501", "BF502", "BF505", "BF506", "BF602", "BF705", "BF901"])
def test_money_paid_wrongly_is_recovered_or_explained_in_writing(code: str) -> None:
    remedy = EXPLANATIONS[code].remedy
    assert "追回" in remedy or "书面说明" in remedy


def test_payment_before_publicity_asks_for_a_late_notice_not_new_dates() -> None:
    assert "补公示" in EXPLANATIONS["BF702"].remedy
    assert "不得改写" in EXPLANATIONS["BF702"].remedy
