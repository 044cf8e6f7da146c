"""What a figure measures, read from the spaCy parse of its sentence.

For each figure :func:`describe` finds the **anchor** (the counted noun, "300 Greek
*firefighters*", or for money, percents and measures the thing priced or measured: "a $40 million
ferry *terminal*", "the *terminal*, which cost about $38 million", "put the insured *value* at
€40 million", "40 percent of the *passengers*"), the anchor's modifiers, the sentence's entities, places and content words, and a
label hint from the governing verb ("cost of the", "spending on"). :mod:`.figures` aligns figures by
these descriptions.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import Any

from ..extract.quantities import Quantity
from ..models import Article
from .sources import canonical_place, is_country

#: Verbs whose money figure is a value of their subject ("the base cost $100 million",
#: "the vessel is insured for €40 million") → how a label names that value.
VALUE_VERBS = {
    "cost": "cost of the",
    "build": "cost of the",
    "construct": "cost of the",
    "fund": "cost of the",
    "finance": "cost of the",
    "price": "price of the",
    "buy": "price of the",
    "purchase": "price of the",
    "sell": "sale price of the",
    "value": "value of the",
    "insure": "insured value of the",
}
#: Lemmas that name the same counted thing.
SAME_NOUN = {"person": "people"}
#: Verbs → the noun a label uses for the money they govern.
MONEY_VERBS = {
    "spend": "spending",
    "pay": "payment",
    "raise": "amount raised",
    "invest": "investment",
    "fine": "fine",
    "lose": "losses",
    "earn": "earnings",
    "owe": "debt",
    "borrow": "borrowing",
    "allocate": "allocation",
    "donate": "donation",
}
_ENT_TYPES = {"GPE", "ORG", "NORP", "PERSON", "LOC", "FAC", "EVENT"}
#: Verbs whose subject only reports a figure ("the minister said 40 ..."); verbs such as
#: "report" or "add" also measure ("the company reported $5 million in profit").
REPORTING_VERBS = {"say", "tell", "announce", "confirm"}
#: Prepositions that make a duration the time between two events ("three days *after* the fire").
INTERVAL_PREPS = {"after", "before", "since", "until"}
#: Units of a duration (as :mod:`storyline.extract.quantities` writes them).
_DURATION_UNITS = {"years", "months", "weeks", "days", "hours", "minutes"}


@dataclass
class Mention:
    """One figure in one article, with what it measures."""

    article: Article
    q: Quantity
    source: str
    anchor: str | None = None
    anchor_text: str | None = None
    mods: tuple[str, ...] = ()
    proper_mods: frozenset[str] = frozenset()
    context: frozenset[str] = frozenset()
    ents: frozenset[str] = frozenset()
    places: tuple[str, ...] = ()
    hint: str | None = None
    verb: str | None = None
    #: Where the figure's sentence starts in the article (-1: not parsed).
    sentence: int = -1

    @property
    def centre(self) -> float:
        q = self.q
        return q.low if q.high is None else (q.low + q.high) / 2


def doc_entities(doc: Any) -> list[tuple[int, int, str, str]]:
    """``(start token, end token, text, label)`` of every entity of a doc, in order.

    ``doc.ents`` builds every entity span anew on each access (and ``Span.ents`` reads it):
    :func:`describe` takes this list, made once per doc, instead.
    """
    return [(e.start, e.end, e.text, e.label_) for e in doc.ents]


def _sentence_entities(
    ents: list[tuple[int, int, str, str]], start: int, end: int
) -> list[tuple[int, int, str, str]]:
    """The entities inside tokens ``[start, end)``, as spaCy's ``Span.ents`` picks them (from
    the first entity starting in the span, up to the first one that ends past it)."""
    out = []
    for e in ents[bisect_left(ents, (start,)):]:
        if e[1] > end:
            break
        out.append(e)
    return out


def describe(m: Mention, doc: Any, ents: list[tuple[int, int, str, str]] | None = None) -> None:
    """Fill the anchor, modifiers, context, entities and label of a mention from the parse.

    Args:
        m: the mention (its quantity's character offsets locate it).
        doc: the parsed article.
        ents: :func:`doc_entities` of ``doc`` (computed here when omitted).
    """
    span = doc.char_span(m.q.start, m.q.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return
    sent = span.sent
    sent_ents = _sentence_entities(doc_entities(doc) if ents is None else ents,
                                   sent.start, sent.end)
    m.sentence = sent.start_char
    m.context = frozenset(
        t.lemma_.lower()
        for t in sent
        if t.is_alpha
        and not t.is_stop
        and t.pos_ in {"NOUN", "VERB", "PROPN", "ADJ"}
        and not (span.start <= t.i < span.end)
    )
    m.ents = frozenset(canonical_place(text) for _, _, text, label in sent_ents
                       if label in _ENT_TYPES)
    m.places = tuple(
        text
        for start, _, text, label in sent_ents
        if (label in {"GPE", "LOC"} or is_country(text))
        and start > 0
        and doc[start - 1].lower_ in {"in", "inside"}
    )
    if m.q.kind == "count":
        anchor = _counted_noun(span, doc, spelled=not any(ch.isdigit() for ch in m.q.surface))
    else:
        anchor = _measured_thing(m, span, doc)
    if anchor is None or span.start <= anchor.i < span.end:
        return  # nothing named, or only the figure's own unit ("less than two weeks")
    m.anchor = SAME_NOUN.get(anchor.lemma_.lower(), anchor.lemma_.lower())
    mods = [
        c
        for c in anchor.children
        if c.dep_ in {"compound", "amod", "nmod"}
        and any(ch.isalnum() for ch in c.text)
        and c.i < anchor.i
        and not (span.start <= c.i < span.end)
        and (c.pos_ in {"NOUN", "PROPN"} or c.ent_type_ in {"NORP", "GPE"} or is_country(c.text))
    ]
    # a participle before the noun belongs in its label ("insured value"), not in its identity
    described = [
        c for c in anchor.children if c.dep_ == "amod" and c.tag_ == "VBN" and c.i < anchor.i
    ]
    m.mods = tuple(c.text for c in sorted([*mods, *described], key=lambda c: c.i))
    m.proper_mods = frozenset(
        canonical_place(c.text)
        for c in mods
        if c.pos_ == "PROPN" or c.ent_type_ in {"NORP", "GPE"} or is_country(c.text)
    )
    m.anchor_text = anchor.text if anchor.pos_ == "PROPN" else anchor.lower_
    if m.anchor == "time" and anchor.head.pos_ == "VERB" and anchor.head.tag_ == "VBN":
        m.anchor_text = f"{anchor.lower_} {anchor.head.lower_}"  # "viewed 200,000 times"


def _counted_noun(span: Any, doc: Any, spelled: bool) -> Any:
    """The first noun after a count, climbed to the head of its compound ("1,000 US troops")."""
    sent = span.sent
    for t in doc[span.end : min(span.end + 5, sent.end)]:
        # a number in words needs a common noun: "ten" before a name is rarely a count
        if t.pos_ == "NOUN" or (t.pos_ == "PROPN" and not spelled):
            while (
                t.dep_ in {"compound", "amod", "nmod"}
                and t.head.i > t.i
                and t.head.pos_ in {"NOUN", "PROPN"}
            ):
                t = t.head
            return t
        if t.pos_ in {"VERB", "AUX", "PUNCT", "ADP"} and t.lower_ != "of":
            return None
    return None


def _measured_thing(m: Mention, span: Any, doc: Any) -> Any:
    """What money, a percent or a measure is about; sets the mention's label hint and verb."""
    sent = span.sent
    nxt = doc[span.end] if span.end < sent.end else None
    modified = span.root.head
    if (
        nxt is not None
        and nxt.pos_ in {"NOUN", "PROPN"}
        and (
            nxt.dep_ in {"compound", "amod", "nmod"}
            or (modified.i >= span.end and modified.pos_ == "NOUN")
        )
    ):
        # the figure modifies a noun: "a $40 million ferry terminal"
        anchor = nxt
        while anchor.dep_ in {"compound", "amod", "nmod"} and anchor.head.i > anchor.i:
            anchor = anchor.head
        m.hint = "cost of the" if m.q.kind == "money" else "share of"
        return anchor
    if nxt is not None and nxt.pos_ in {"NOUN", "PROPN"} and m.q.kind != "money":
        return nxt
    if m.q.kind == "percent" and nxt is not None and nxt.lower_ == "of":
        # "40 percent of the passengers": a share of the passengers
        obj = next((c for c in nxt.children if c.dep_ == "pobj" and c.pos_ == "NOUN"), None)
        if obj is not None:
            m.hint = "share of"
            return obj
    if m.q.unit in _DURATION_UNITS:
        interval = _interval_of(span)
        if interval is not None:
            det = next((c.lower_ for c in interval.children if c.dep_ == "det"), None)
            m.hint = f"time {interval.head.lower_}" + (f" {det}" if det else "")
            return interval
    anchor, m.hint, m.verb = _governed(span)
    return anchor


def _interval_of(span: Any) -> Any:
    """The event a duration is counted from or to: "three days after *the fire*" → fire."""
    prep = span.root.head
    if span.root.dep_ != "npadvmod" or prep.pos_ != "ADP" or prep.lower_ not in INTERVAL_PREPS:
        return None
    if span.start > 0 and span.doc[span.start - 1].lower_ in {"for", "during", "over"}:
        return None  # "closed for 20 days after the storm": how long, not how long after
    return next((c for c in prep.children if c.dep_ == "pobj" and c.pos_ == "NOUN"), None)


def _governed(span: Any) -> tuple[Any, str | None, str | None]:
    """For a figure that is an argument (not a modifier): what it measures, a label hint, the verb.

    "The base cost $100 million" / "a base, which cost about $100 million" → (base, "cost of the");
    "the city spent $5 million on repairs" → (repairs, "spending on").
    """
    head = span.root
    for _ in range(5):
        if head.pos_ in {"VERB", "AUX"}:
            break
        if head.pos_ == "NOUN" and head.i != span.root.i and head.dep_ != "pobj":
            return head, None, None
        if head.head.i == head.i:
            return None, None, None
        head = head.head
    if head.pos_ not in {"VERB", "AUX"}:
        return None, None, None
    verb = head.lemma_.lower()
    subj = next((c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if subj is not None and subj.tag_ in {"WDT", "WP"} and head.dep_ == "relcl":
        subj = head.head
        # "a depot near Turin, which cost ...": the relative clause is about the base, not the place
        if subj.pos_ == "PROPN" and subj.dep_ == "pobj" and subj.head.head.pos_ == "NOUN":
            subj = subj.head.head
    if subj is not None and (subj.pos_ not in {"NOUN", "PROPN"} or verb in REPORTING_VERBS):
        subj = None  # a pronoun, or only the figure's reporter ("the minister said 40 ...")
    if verb in VALUE_VERBS:
        return subj, VALUE_VERBS[verb], verb
    # "the operator put the ship's insured value at €40 million", "estimated the cost at …": the
    # object is what the figure measures, the subject only who gives it
    if (
        span.root.dep_ == "pobj"
        and span.root.head.lower_ == "at"
        and span.root.head.head.i == head.i
    ):
        obj = next((c for c in head.children if c.dep_ == "dobj" and c.pos_ == "NOUN"), None)
        if obj is not None:
            return obj, None, verb
    prep = next(
        (c for c in head.children if c.dep_ in {"prep", "dative"} and c.i > span.root.i), None
    )
    obj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
    if verb not in MONEY_VERBS:
        return subj, None, verb  # "the rate hit 14.7 percent in April": about the rate, not April
    noun = MONEY_VERBS[verb]
    if prep is not None and obj is not None and obj.pos_ in {"NOUN", "PROPN"}:
        return obj, f"{noun} {prep.lower_}", verb
    return subj, f"{noun} by", verb
