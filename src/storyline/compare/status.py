"""Deciding whether aligned values from different sources agree, can all be true, or conflict.

The rule is the same for figures, dates and names; what changes is how two readings are compared:

* ``single-source`` — fewer than two *independent* sources give a value (copies count once);
* ``conflict`` — two readings from different independent sources cannot both be true (their
  intervals do not overlap, their dates differ at the precision both state, or they name different
  people for one role);
* ``agreed`` — every source gives the same value;
* ``compatible`` — the values differ, but only within their hedges, so all can be true.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..models import Article, FactValue, Span
from .sources import outlet

#: Order in which facts are shown: what readers look at first comes first.
STATUS_ORDER = {"conflict": 0, "compatible": 1, "agreed": 2, "single-source": 3}


@dataclass
class Reading:
    """One source's value for a fact: where it is in the article and what it allows.

    ``meaning`` says in words what the value allows ("1,000 or more", "July 2023"); ``key`` is what
    must be equal for two readings to agree.
    """

    article: Article
    source: str
    start: int
    end: int
    value: float | str | None
    meaning: str
    key: Any
    unit: str | None = None
    qualifier: str | None = None
    low: float | None = None
    high: float | None = None

    @property
    def surface(self) -> str:
        """The value as the article writes it."""
        return self.article.text[self.start : self.end].strip()

    def to_value(self) -> FactValue:
        """The ``FactValue`` of the brief, with its evidence span."""
        return FactValue(
            span=Span.of(self.article, self.start, self.end),
            value=self.value,
            unit=self.unit,
            qualifier=self.qualifier,
            low=self.low,
            high=self.high,
        )


def dedupe(readings: list[Reading]) -> list[Reading]:
    """One reading per (article, key): an article repeating its value shows it once."""
    seen: set[tuple[str, Any]] = set()
    out = []
    for r in readings:
        k = (r.article.id, r.key)
        if k not in seen:
            seen.add(k)
            out.append(r)
    return out


def decide_status(
    readings: list[Reading],
    can_both_hold: Callable[[Reading, Reading], bool],
    hedge_note: Callable[[Reading], str] = lambda r: "",
    agree: Callable[[list[Reading]], bool] | None = None,
) -> tuple[str, str]:
    """The status of one aligned row and a one-sentence explanation a reader understands.

    Args:
        readings: The aligned values, from any number of articles.
        can_both_hold: Whether two readings can both be true.
        hedge_note: Extra words on what a hedge allows (", the ±5% that “about” allows").
        agree: Whether all readings give the same value (default: all keys equal).

    Returns:
        ``(status, explanation)``.
    """
    sources = {r.source for r in readings}
    if len(sources) < 2:
        outlets = sorted({outlet(r.article) for r in readings})
        copies = len({r.article.id for r in readings}) > 1
        extra = " (its copies count once)" if copies else ""
        return (
            "single-source",
            f"Only one independent report gives this: {', '.join(outlets)}{extra}.",
        )
    by_source: dict[str, list[Reading]] = {}
    for r in readings:
        by_source.setdefault(r.source, []).append(r)
    # a source disagrees with another when it gives a value none of the other's values allows; a
    # row where every source gives both "5.2%" and "5.4%" (two months) holds no disagreement
    for a in readings:
        for src, others in by_source.items():
            if src != a.source and not any(can_both_hold(a, b) for b in others):
                b = others[0]
                return (
                    "conflict",
                    f"{outlet(a.article)} says “{a.surface}”, meaning {a.meaning}{hedge_note(a)}, "
                    f"but {outlet(b.article)} says “{b.surface}”, meaning {b.meaning}; "
                    "both cannot be true.",
                )
    same = agree(readings) if agree else len({r.key for r in readings}) == 1
    if not same and len({frozenset(r.key for r in rs) for rs in by_source.values()}) == 1:
        values = " and ".join(dict.fromkeys(f"“{r.surface}”" for r in readings))
        return "agreed", f"{len(sources)} independent reports give the same values: {values}."
    if same:
        return (
            "agreed",
            f"{len(sources)} independent reports give the same value: “{readings[0].surface}”"
            + (
                f" ({readings[0].meaning})."
                # "next week" (March 2025), "Seventeen" (17); figures in digits speak for themselves
                if readings[0].meaning.lower() != readings[0].surface.lower()
                and not any(ch.isdigit() for ch in readings[0].surface)
                else "."
            ),
        )
    shown: dict[str, str] = {}
    for r in readings:
        shown.setdefault(r.surface.lower(), f"“{r.surface}” ({r.meaning})")
    listed = list(shown.values())[:4]
    return (
        "compatible",
        "The values differ only within their hedges, so they can all be true: "
        + ", ".join(listed)
        + ".",
    )
