"""Every code declares its Chinese explanation with its policy source and the remedy an auditor
accepts; remedies for money paid never ask to rewrite the record."""

from __future__ import annotations

import re

import pytest

from bangfu_eval.catalogue import CODES
from bangfu_eval.render.explain import listing, page, short_source

_CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("code", sorted(CODES))
def test_explanation_is_chinese_with_a_source(code: str) -> None:
    info = CODES[code]
    for text in (info.zh_why, info.remedy):  # an example may be a line of YAML
        assert _CJK.search(text), (code, text)
    assert info.zh_example and short_source(code)
    assert f"政策依据：{info.source}" in page(code)
    assert f"Source:  {info.source}" in page(code, "en")


@pytest.mark.parametrize("code", ["BF501", "BF502", "BF505", "BF506", "BF602", "BF705", "BF708", "BF901"])
def test_money_paid_wrongly_is_recovered_or_explained_in_writing(code: str) -> None:
    remedy = CODES[code].remedy
    assert "追回" in remedy or "书面说明" in remedy


def test_payment_before_publicity_asks_for_a_late_notice_not_new_dates() -> None:
    assert "补公示" in CODES["BF702"].remedy
    assert "不得改写" in CODES["BF702"].remedy


def test_rules_listing_has_a_source_column() -> None:
    lines = listing().splitlines()
    assert "依据" in lines[0]
    row = next(line for line in lines if line.startswith("  BF603"))
    assert "琼工办发〔2023〕33号" in row
