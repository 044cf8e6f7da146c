"""Figures across sources: counts, money, percents and measures aligned by what they measure.

Each figure that :func:`storyline.extract.quantities.extract_quantities` finds is described from the
spaCy parse of its sentence (:mod:`.anchors`), never by its position:

* the **anchor**: the counted noun ("300 Greek *firefighters*") or, for money, percents and measures, the
  thing priced ("a $40 million ferry *terminal*", "the *terminal*, which cost about $38 million");
* the anchor's **modifiers** ("Greek", "ferry"), the **entities** of the sentence and its content words;
* the **kind** and **unit** (a count never aligns with money; dollars never with euros).

Two figures align when kind and unit agree and either their anchors are the same word with no
contradicting proper-noun modifiers ("French troops" ≠ "US troops"), or — for counts whose anchors
differ ("troops" / "forces" / "personnel") — they name the same entities and lie within
:data:`NEAR_RATIO` of each other (see :func:`_affinity` for the exceptions: lone figures, small
counts). An article never contradicts itself: a second, different value from one sentence of one
article starts another row. Statuses come from the intervals (:mod:`.status`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from ..extract.quantities import Quantity, extract_quantities
from ..models import Fact
from .anchors import VALUE_VERBS, Mention, describe, doc_entities
from .status import Reading, decide_status, dedupe

if TYPE_CHECKING:
    from ..brief import StoryContext

#: Counts with different anchors align only when their central values are within this ratio.
NEAR_RATIO = 1.25
#: ... and when their sentences name two common entities, or one and this share of content words.
NEAR_CONTEXT = 0.12
#: Figures with the same anchor align only within this ratio, unless their sentences are alike:
#: "17 people were taken to hospital" and "353 people were on board" are different things.
SAME_RATIO = 1.6
#: ... "alike" meaning at least this share of content words (Jaccard).
SAME_CONTEXT = 0.25
#: Different counts below this align only when their sentences are alike: "two people" and "three
#: people" in differently worded sentences are most often two groups, not a disagreement.
SMALL_COUNT = 10
#: What a unit of measure measures (labels of measures).
DIMENSIONS = {
    "km": "distance", "mi": "distance", "nmi": "distance", "m": "length", "ft": "length",
    "kg": "weight", "t": "weight", "ha": "area", "acre": "area", "bbl": "volume", "l": "volume",
    "mph": "speed", "km/h": "speed", "deg": "temperature", "years": "duration",
    "months": "duration", "weeks": "duration", "days": "duration", "hours": "duration",
    "minutes": "duration",
}  # fmt: skip
#: Nouns that are already a share: a percent of them is their value ("the jobless rate hit 14.7%").
RATE_NOUNS = {"rate", "share", "percentage", "proportion", "margin", "turnout", "ratio", "majority"}
#: Verbs after which a percent is a change, not a share ("prices rose 5 percent").
CHANGE_VERBS = {
    "rise", "fall", "increase", "decrease", "grow", "drop", "jump", "climb", "decline", "surge",
    "plunge", "gain", "slip", "soar", "sink", "shrink", "tumble", "rebound", "dip", "spike",
}  # fmt: skip
_CURRENCY_SIGNS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}
_KIND_NAMES = {"money": "money", "percent": "quantity", "measure": "quantity", "count": "count"}


@dataclass
class _Group:
    members: list[Mention] = field(default_factory=list)


def _compatible_mods(a: Mention, b: Mention) -> bool:
    return not (a.proper_mods and b.proper_mods and not (a.proper_mods & b.proper_mods))


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _ratio(a: Mention, b: Mention) -> float:
    x, y = max(a.centre, 1e-9), max(b.centre, 1e-9)
    return y / x if x <= y else x / y


def _affinity(a: Mention, b: Mention, lone: Callable[[], bool] = lambda: False) -> float:
    """How strongly two figures measure the same thing (0 = never align).

    ``lone()``: (asked only when it matters) neither article has another figure of the same kind and unit within
    :data:`SAME_RATIO` of the other's figure, so nothing else in either article could be the figure
    the other gives; related sentences then align within :data:`SAME_RATIO` even when their wording
    differs.
    """
    if a.q.kind != b.q.kind or a.q.unit != b.q.unit or not _compatible_mods(a, b):
        return 0.0
    if _interval(a) != _interval(b) and (_interval(a) or _interval(b)):
        return 0.0  # "three days after the fire" / "two days before it": two spans of time
    ctx = _jaccard(a.context, b.context)
    ents = len(a.ents & b.ents)
    bonus = ctx + 0.2 * min(ents, 3)
    if (
        a.q.kind == "count"
        and a.centre != b.centre
        and max(a.centre, b.centre) < SMALL_COUNT
        and ctx < SAME_CONTEXT
    ):
        return 0.0  # "two people" / "three people": small groups differ more than they conflict
    if a.anchor and a.anchor == b.anchor:
        if _ratio(a, b) > SAME_RATIO and ctx < SAME_CONTEXT:
            return 0.0
        return 2.0 + bonus
    related = ents >= 2 or (ents >= 1 and ctx >= NEAR_CONTEXT) or ctx >= SAME_CONTEXT
    if a.q.kind == "money" and a.verb and a.verb == b.verb and a.verb in VALUE_VERBS:
        # "the vessel is insured for €40 million" / "the ship is insured for €55 million"
        return 1.5 + bonus if _ratio(a, b) <= SAME_RATIO else 0.0
    if a.q.kind in {"count", "measure"} and related:
        # magnitude alone is weak evidence; alike sentences may differ as much as one noun's figures
        limit = SAME_RATIO if ctx >= SAME_CONTEXT or lone() else NEAR_RATIO
        return 1.0 + bonus if _ratio(a, b) <= limit else 0.0
    return 0.0


def _interval(m: Mention) -> str | None:
    """The preposition of a duration counted from or to an event ("after", "before"), if any."""
    return m.hint.split()[1] if m.hint and m.hint.startswith("time ") else None


def _distinguished(mentions: list[Mention]) -> set[frozenset[str]]:
    """Pairs of anchors that one article counts separately ("312 passengers" and "353 people"):
    that article tells them apart, so they never align on magnitude alone."""
    by_article: dict[str, dict[str, set[float]]] = {}
    for m in mentions:
        if m.anchor:
            by_article.setdefault(m.article.id, {}).setdefault(m.anchor, set()).add(m.centre)
    pairs: set[frozenset[str]] = set()
    for anchors in by_article.values():
        names = sorted(anchors)
        for i, x in enumerate(names):
            for y in names[i + 1 :]:
                if anchors[x] != anchors[y]:
                    pairs.add(frozenset((x, y)))
    return pairs


#: A figure is compared with at most this many members of each row (big stories stay fast).
MAX_COMPARED = 12


def _group(mentions: list[Mention]) -> list[_Group]:
    apart = _distinguished(mentions)
    per_article: dict[tuple[str, str, str | None], list[Mention]] = {}
    for m in mentions:
        per_article.setdefault((m.article.id, m.q.kind, m.q.unit), []).append(m)

    def lone(m: Mention, o: Mention) -> bool:
        # no other figure of m's article could be the one o gives: none of its kind and unit
        # comes within SAME_RATIO of o ("two officials" is no rival of "about 200 Americans")
        rivals = per_article[(m.article.id, m.q.kind, m.q.unit)]
        return all(r is m or _ratio(r, o) > SAME_RATIO for r in rivals)

    def both_lone(m: Mention, o: Mention) -> bool:
        return lone(m, o) and lone(o, m)

    groups: list[_Group] = []
    # only rows of the same kind and unit can take a figure
    by_unit: dict[tuple[str, str | None], list[_Group]] = {}
    for m in mentions:
        best, best_score = None, 0.0
        for g in by_unit.get((m.q.kind, m.q.unit), []):
            # an article does not contradict itself: a second, different value of its own in a row
            # ("fell to 5.2% from 5.4%") measures another thing (another month, another group)
            if any(
                o.article.id == m.article.id
                and o.sentence == m.sentence
                and not can_both_hold(o.q, m.q)
                for o in g.members
            ):
                continue
            score = max(
                0.0
                if m.anchor and o.anchor and frozenset((m.anchor, o.anchor)) in apart
                else _affinity(m, o, partial(both_lone, m, o))
                for o in g.members[:MAX_COMPARED]
            )
            if score > best_score:
                best, best_score = g, score
        if best is None:
            best = _Group([m])
            groups.append(best)
            by_unit.setdefault((m.q.kind, m.q.unit), []).append(best)
        else:
            best.members.append(m)
    return groups


def _label(g: _Group) -> str:
    anchored = [m for m in g.members if m.anchor_text]
    first = g.members[0].q
    dimension = DIMENSIONS.get(first.unit or "") if first.kind == "measure" else None
    if not anchored:
        return dimension or f"figure: {first.surface}"
    anchor = Counter(m.anchor_text or "" for m in anchored).most_common(1)[0][0]
    with_anchor = [m for m in anchored if m.anchor_text == anchor]
    mods = Counter(m.mods for m in with_anchor).most_common()
    best_mods = next((ms for ms, _ in mods if ms), ())
    mod_words = {w.lower() for w in best_mods}
    places = Counter(p for m in g.members for p in m.places if p.lower() not in mod_words)
    hints = Counter(m.hint for m in with_anchor)
    hint = next((h for h, _ in hints.most_common() if h), None)
    phrase = " ".join([*best_mods, anchor])
    if hint and hint.startswith("time "):
        label = f"{hint} {phrase}"  # "time after the fire", not "duration (fire)"
    elif dimension:
        label = f"{dimension} ({phrase})"
    elif hint:
        label = f"{hint} {phrase}"
    elif g.members[0].q.kind == "percent":
        verbs = {m.verb for m in with_anchor}
        if anchor in RATE_NOUNS:
            label = phrase  # "unemployment rate", not "share of unemployment rate"
        elif verbs & CHANGE_VERBS:
            label = f"change in {phrase}"  # "prices rose 5 percent"
        else:
            label = f"share of {phrase}"
    else:
        label = phrase
    if places and g.members[0].q.kind == "count":
        label += f" in {places.most_common(1)[0][0]}"
    return label


def _fmt(x: float | None, unit: str | None) -> str:
    if x is None:
        return "no upper limit"
    if x >= 1e9 and x % 1e7 == 0:
        s = f"{x / 1e9:g} billion"
    elif x >= 1e6 and x % 1e4 == 0:
        s = f"{x / 1e6:g} million"
    else:
        s = f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}".rstrip("0").rstrip(".")
    if unit in _CURRENCY_SIGNS:
        return _CURRENCY_SIGNS[unit] + s
    if unit == "%":
        return s + "%"
    return f"{s} {unit}" if unit else s


def _range_text(m: Mention) -> str:
    q = m.q
    if q.high is None:
        return f"{_fmt(q.low, q.unit)} or more"
    if q.low == q.high:
        return _fmt(q.low, q.unit)
    return f"{_fmt(q.low, q.unit)} to {_fmt(q.high, q.unit)}"


def can_both_hold(a: Quantity, b: Quantity) -> bool:
    """Whether two figures' intervals overlap, i.e. both can be true (open ends are infinite)."""
    a_hi = float("inf") if a.high is None else a.high
    b_hi = float("inf") if b.high is None else b.high
    # a whisker of slack so that rounding in the tolerance arithmetic never makes a conflict
    eps = 1e-9 * max(1.0, abs(a.low), abs(b.low))
    return a.low <= b_hi + eps and b.low <= a_hi + eps


def find_mentions(ctx: StoryContext, source_of: dict[str, str]) -> list[Mention]:
    """Every figure of every article of the story, described from its parse."""
    tol = ctx.settings.about_tolerance
    out: list[Mention] = []
    for a in ctx.articles:
        quantities = extract_quantities(a.text, tol)
        if not quantities:
            continue
        doc = ctx.docs.get(a)
        ents = doc_entities(doc)
        for q in quantities:
            m = Mention(a, q, source_of.get(a.id, a.id))
            describe(m, doc, ents)
            out.append(m)
    return out


def _reading(m: Mention) -> Reading:
    q = m.q
    return Reading(
        article=m.article,
        source=m.source,
        start=q.start,
        end=q.end,
        value=q.value,
        meaning=_range_text(m),
        key=(q.value, q.qualifier, q.low, q.high),
        unit=q.unit,
        qualifier=q.qualifier,
        low=q.low,
        high=q.high,
    )


def _quantity(r: Reading) -> Quantity:
    assert isinstance(r.value, float) and r.low is not None
    return Quantity(r.start, r.end, r.surface, r.value, r.unit, r.qualifier, r.low, r.high, "")


def figure_facts(ctx: StoryContext, source_of: dict[str, str]) -> list[Fact]:
    """Align the story's figures across its articles and decide each row's status.

    Args:
        ctx: The story context (articles, parsed docs, settings).
        source_of: Article id → its independent report (see :func:`.sources.independent_sources`).

    Returns:
        One fact per thing measured (ids are filled by the caller). A figure whose subject could not
        be read from its sentence (no anchor) is kept only when it aligns with another source.
    """
    tol = ctx.settings.about_tolerance

    def hedge(r: Reading) -> str:
        return (
            f" (the ±{tol:.0%} that “{r.qualifier}” allows)"
            if r.qualifier in {"about", "nearly"}
            else ""
        )

    def agree(rs: list[Reading]) -> bool:
        # the same figure, hedged or not by "about", is the same figure
        return len({r.key for r in rs}) == 1 or (
            len({r.value for r in rs}) == 1 and all(r.qualifier in {None, "about"} for r in rs)
        )

    facts: list[Fact] = []
    for g in _group(find_mentions(ctx, source_of)):
        readings = dedupe([_reading(m) for m in g.members])
        status, why = decide_status(
            readings, lambda a, b: can_both_hold(_quantity(a), _quantity(b)), hedge, agree
        )
        first = g.members[0].q
        named = any(m.anchor for m in g.members) or (
            first.kind == "measure" and first.unit in DIMENSIONS
        )
        if not named:
            continue  # a figure whose subject the parse could not name ("47")
        # a lone small number in words ("two boats") is rarely worth a row of its own
        if (
            status == "single-source"
            and first.kind == "count"
            and not re.search(r"\d", first.surface)
        ):
            continue
        facts.append(
            Fact(
                id="",
                label=_label(g),
                kind=_KIND_NAMES[g.members[0].q.kind],
                status=status,
                values=[r.to_value() for r in readings],
                explanation=why,
            )
        )
    return facts
