"""``--select`` / ``--ignore`` values: a code (BF201), a family (BF2) or a longer prefix that names
at least one code (BF60). Anything else is a usage error with a did-you-mean, never a selection of
nothing: a typo must not turn a pipeline green."""

from __future__ import annotations

import difflib

from bangfu_eval.catalogue import CODES, FAMILIES

_DIGIT_LOOK_ALIKES = str.maketrans("LIOZS", "11025")
"""Letters typed for digits (BF20l for BF201)."""


def known(selector: str) -> bool:
    """True when ``selector`` names a code, a family, or a prefix (4+ characters) of a code."""
    s = selector.strip().upper()
    if s in CODES or s in FAMILIES:
        return True
    return len(s) >= 4 and any(code.startswith(s) for code in CODES)


def problems(selectors: list[str]) -> list[str]:
    """One Chinese line per unknown selector, with the closest known codes or families."""
    names = [*FAMILIES, *CODES]
    out = []
    for raw in selectors:
        s = raw.strip().upper()
        if not s or known(s):
            continue
        look_alike = s[:2] + s[2:].translate(_DIGIT_LOOK_ALIKES)
        close = [look_alike] if known(look_alike) else []
        if len(s) <= 2:
            close = ["BF0", "BF1", "…", "BF9"]
        close = close or difflib.get_close_matches(s, names, n=3, cutoff=0.6)
        hint = f"；是否想用 {'、'.join(close)}？" if close else "；bangfu rules 列出全部代码"
        out.append(f"未知的代码或类别 '{raw.strip()}'（应为 BF201 这样的代码或 BF2 这样的类别）{hint}")
    return out
