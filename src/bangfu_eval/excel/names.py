"""Names written in cells (中央财政, 生活救助, 深度困难, 银行卡) → the codes the year declares.

The year's own names come first (its funds.yaml sources, its policy's categories, statuses,
types and methods, its batches), then the common synonyms below, then a unique prefix
("深度" → 深度困难), then a mapping file's ``[names]``. Anything else is refused at its cell.
"""

from __future__ import annotations

from bangfu_eval import models as m
from bangfu_eval.excel.cells import Refused
from bangfu_eval.excel.tables import normalise

SYNONYMS: dict[str, dict[str, str]] = {
    "category": {"深度": "deep", "相对": "relative", "意外": "sudden", "意外困难": "sudden"},
    "status": {"在册": "archived", "渐退": "graduating", "已退档": "left", "脱困": "left", "已脱困": "left"},
    "type": {
        "金秋助学": "schooling",
        "助学": "schooling",
        "两节送温暖": "festival",
        "元旦春节送温暖": "festival",
    },
    "method": {"社会保障卡": "social_security_card", "银行转账": "bank_card", "银行代发": "bank_card"},
    "source": {},
    "batch": {},
}
LABELS = {
    "category": "困难类别",
    "status": "状态",
    "type": "帮扶类型",
    "method": "发放方式",
    "source": "资金来源",
    "batch": "批次",
}


class Names:
    def __init__(self, declared: dict[str, dict[str, str]], extra: dict[str, str]) -> None:
        """``declared``: field → code → Chinese name; ``extra``: a mapping file's names."""
        self.declared = declared
        self.memo: dict[tuple[str, str], str | Refused] = {}
        self.lookup: dict[str, dict[str, str]] = {}
        for fld, codes in declared.items():
            table: dict[str, str] = {}
            for alias, code in SYNONYMS.get(fld, {}).items():
                if code in codes:
                    table[normalise(alias)] = code
            for code, name in codes.items():
                table[normalise(code)] = code
                table[normalise(name)] = code
            for alias, code in extra.items():
                if code in codes:
                    table[normalise(alias)] = code
            self.lookup[fld] = table

    @classmethod
    def of_year(
        cls,
        policy: m.Policy,
        sources: list[m.Source] | None,
        batches: list[m.Batch],
        extra: dict[str, str],
    ) -> Names:
        declared = {
            "category": dict(policy.categories),
            "status": dict(policy.statuses),
            "type": dict(policy.disbursement_types),
            "method": dict(policy.payment_methods),
            "source": {s.id: s.name for s in sources} if sources else dict(policy.source_kinds),
            "batch": {b.id: b.title or b.id for b in batches},
        }
        return cls(declared, extra)

    def with_batches(self, batches: list[m.Batch]) -> Names:
        declared = dict(self.declared, batch={b.id: b.title or b.id for b in batches})
        out = Names(declared, {})
        out.lookup.update({k: v for k, v in self.lookup.items() if k != "batch"})
        return out

    def code(self, fld: str, text: str) -> str:
        """The code for ``text`` in field ``fld``; batches not declared anywhere are kept as written."""
        key = (fld, text)
        if key not in self.memo:
            try:
                self.memo[key] = self._code(fld, text)
            except Refused as exc:
                self.memo[key] = exc
        found = self.memo[key]
        if isinstance(found, Refused):
            raise found
        return found

    def _code(self, fld: str, text: str) -> str:
        table = self.lookup.get(fld, {})
        if fld == "batch" and not self.declared.get("batch"):
            return text
        key = normalise(text)
        if key in table:
            return table[key]
        near = {code for name, code in table.items() if name.startswith(key) or key.startswith(name)}
        if len(key) >= 2 and len(near) == 1:
            return near.pop()
        known = "、".join(self.declared.get(fld, {}).values())
        raise Refused("XL110", f"{LABELS.get(fld, fld)}“{text[:20]}”不是本年度的名称（可用：{known}）")
