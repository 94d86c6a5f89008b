"""Narrative placeholders and declared figures.

A paragraph states a figure as ``{{ name }}``, ``{{ name | 万元 }}`` or, where the source
document printed a value, ``{{ name = 2914797 }}`` (the declaration is checked, the computed value
is shown). ``name`` may be a sum: ``{{ person_times.city + person_times.union = 147 }}``.
Declarations also come from the ``declared:`` lists of project.yaml and funds.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from decimal import Decimal

from bangfu_eval import models as m
from bangfu_eval.money import (
    DEFAULT_FORMAT,
    FORMATS,
    PROSE_FORMATS,
    WAN,
    parse_decimal,
    parse_money,
    parse_rate,
    round_half_up,
)
from bangfu_eval.results import Figure, Origin

PLACEHOLDER = re.compile(r"\{\{(?P<body>.*?)\}\}")
_BODY = re.compile(
    r"^\s*(?P<expr>[A-Za-z_][\w.]*(?:\s*\+\s*[A-Za-z_][\w.]*)*)\s*"
    r"(?:\|\s*(?P<fmt>[^\s=]+)\s*)?(?:=\s*(?P<declared>\S.*?)\s*)?$"
)


@dataclass(frozen=True)
class Placeholder:
    start: int  # character offset in the paragraph
    end: int
    names: tuple[str, ...]
    fmt: str | None
    declared: str | None
    error: str = ""


@dataclass(frozen=True)
class Declaration:
    """A printed figure to compare with the computed one, and where it stands: a field of a
    record (``record``, ``fields``), ``offset`` characters in."""

    names: tuple[str, ...]
    text: str
    record: object
    fields: tuple[object, ...]
    offset: int | None  # character offset inside a paragraph (narrative placeholders), else None
    source: str


def placeholders(text: str) -> Iterator[Placeholder]:
    for match in PLACEHOLDER.finditer(text):
        body = _BODY.match(match.group("body"))
        if body is None:
            yield Placeholder(match.start(), match.end(), (), None, None, f"占位符写法错误：{match.group(0)}")
            continue
        names = tuple(n.strip() for n in body.group("expr").split("+"))
        fmt = body.group("fmt")
        error = f"未知格式 '{fmt}'（可用：{'、'.join(FORMATS)}）" if fmt and fmt not in FORMATS else ""
        yield Placeholder(match.start(), match.end(), names, fmt, body.group("declared"), error)


Paragraph = tuple[object, tuple[object, ...], str]
"""A paragraph of the narrative: the record holding it, its field there, its text."""


def paragraphs(n: m.NarrativeFile) -> Iterator[Paragraph]:
    """Every paragraph of the narrative with the record and field holding it."""
    for i, text in enumerate(n.preamble):
        yield n, ("preamble", i), text
    yield from _section_paragraphs(n.sections)


def _section_paragraphs(sections: list[m.Section]) -> Iterator[Paragraph]:
    for s in sections:
        for j, text in enumerate(s.paragraphs):
            yield s, ("paragraphs", j), text
        yield from _section_paragraphs(s.sections)


def declarations(year: m.Year) -> list[Declaration]:
    out = []
    for items in (year.project.declared, year.funds.declared):
        for d in items:
            names = (d.figure,) if isinstance(d.figure, str) else tuple(d.figure)
            out.append(Declaration(names, d.value, d, ("value",), None, d.source))
    for record, fields, text in paragraphs(year.narrative):
        for p in placeholders(text):
            if p.declared is not None and not p.error:
                out.append(Declaration(p.names, p.declared, record, fields, p.start, "附件2"))
    return out


def value_of(names: tuple[str, ...], figs: dict[str, Figure]) -> Figure | None:
    """The figure a (possibly summed) name stands for; None if any name is not a figure.
    A sum is ``unknown`` if any part is, else ``declared`` if any part is."""
    found = [figs.get(n) for n in names]
    if any(f is None for f in found):
        return None
    first = found[0]
    assert first is not None
    if len(found) == 1:
        return first
    values = [f.value for f in found if f is not None]
    total: Decimal | None = Decimal(0)
    for v in values:
        total = None if total is None or v is None else total + v
    origins = {f.origin for f in found if f is not None}
    origin: Origin = "computed"
    if origins != {"computed"}:
        origin = "unknown" if "unknown" in origins else "declared"
    return Figure(total, first.kind, " + ".join(f.label for f in found if f is not None), origin)


def parse_declared(text: str, kind: str) -> tuple[Decimal, str, int]:
    """A printed figure → (value in base units, unit it was printed in, decimals printed)."""
    t = text.strip()
    unit = next((u for u in ("万元", "元", "%", "％") if t.endswith(u)), "")
    digits = t[: len(t) - len(unit)] if unit else t
    places = len(digits.split(".")[1]) if "." in digits else 0
    if unit in ("%", "％"):
        return parse_rate(t), "%", places
    if kind == "money" or unit:
        return parse_money(t), unit or "元", places
    return parse_decimal(t), "", places


def agrees(declared: Decimal, unit: str, places: int, computed: Decimal) -> bool:
    """Equal at the precision printed: the computed figure, in the printed unit, rounded
    (ROUND_HALF_UP) to the decimals printed, equals the printed figure."""
    scale = {"万元": WAN, "%": Decimal("0.01")}.get(unit, Decimal(1))
    return round_half_up(computed / scale, places) == round_half_up(declared / scale, places)


def render_figure(fig: Figure, fmt: str | None) -> str:
    """A figure in a sentence, in the unit's style (PROSE_FORMATS: 2914797, 242, 100%)."""
    return PROSE_FORMATS[fmt or DEFAULT_FORMAT[fig.kind]](fig.value)


FACTS = frozenset({"project.planned_amount"})
"""Figures that are the unit's own declarations (project facts such as 计划投资额), not computed:
a placeholder that states one again is a second declaration (BF206), and keeps its words."""


def kept_text(p: Placeholder, fig: Figure, acknowledged: bool = False) -> str | None:
    """The unit's own figure, when the sentence keeps it, in the unit's style: the figure
    cannot be computed (a year without its ledger: the document's figure is taken as given), or
    it is itself a declaration elsewhere (附件2's 200万元 against 附件5's 242万元: neither is
    computed, so each place says what the unit wrote; check warns), or the difference from the
    computed figure was acknowledged with a reason."""
    if p.declared is None:
        return None
    if not (fig.origin != "computed" or set(p.names) <= FACTS or acknowledged):
        return None
    try:
        value, _, _ = parse_declared(p.declared, fig.kind)
    except ValueError:
        return p.declared  # as printed (check reports it: BF202)
    return render_figure(Figure(value, fig.kind, fig.label), p.fmt)


def fill(text: str, figs: dict[str, Figure], keep: Collection[int] = ()) -> str:
    """Replace every placeholder by its computed figure (or the unit's own, see kept_text; ``keep``
    holds the offsets of placeholders whose declared figure an acknowledgement keeps); an
    unknown name stays visible as 【?】."""
    out = []
    last = 0
    for p in placeholders(text):
        out.append(text[last : p.start])
        fig = value_of(p.names, figs) if not p.error else None
        if fig is None:
            out.append("【?】")
        else:
            out.append(kept_text(p, fig, p.start in keep) or render_figure(fig, p.fmt))
        last = p.end
    out.append(text[last:])
    return "".join(out)
