"""Dates across sources: when did the thing happen, according to each source?

Date expressions come from :func:`storyline.extract.dates.resolve_dates` (relative dates resolved
against each article's publication date). Each resolved date is tied to what it dates, read from the
parse: the event noun it modifies or follows ("a July 2021 *strike*", "the *strike* last July") or the
verb it attaches to with that verb's object ("*close the terminal* by September"). Reporting verbs
("said Monday") date the article, not the story, and are left out.

Dates that date the same thing align into one row. Two dates can both hold when one contains the
other ("July 2023" and "2023-07-26"); they conflict when they differ at the precision both state.
Only rows that at least two articles give are kept: a date only one article states is already in the
timeline.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from ..models import Fact
from .status import Reading, decide_status, dedupe

if TYPE_CHECKING:
    from ..brief import StoryContext

#: Verbs that date the report itself, not the event.
REPORTING_VERBS = {
    "say", "tell", "announce", "report", "add", "confirm", "state", "write", "note", "claim",
    "publish", "post", "update", "told", "speak", "comment", "explain", "insist", "warn",
}  # fmt: skip
#: Nouns that only say when, not what ("Tuesday morning"): they date nothing.
TIME_NOUNS = {
    "morning", "afternoon", "evening", "night", "day", "week", "month", "year", "time", "hour",
    "weekend", "date", "period", "moment", "minute", "season", "decade", "century", "today",
}  # fmt: skip
_MONTH_NAMES = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip


def date_words(value: str) -> str:
    """``2023-07`` → ``July 2023``; ``2024-04-19`` → ``19 April 2024``; ``2023`` → ``2023``."""
    parts = value.split("-")
    if len(parts) == 1:
        return parts[0]
    month = _MONTH_NAMES[int(parts[1]) - 1]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    return f"{int(parts[2])} {month} {parts[0]}"


def _contains(a: str, b: str) -> bool:
    """Whether two dates of any precision can be the same day (one is a prefix of the other)."""
    return a.startswith(b) or b.startswith(a)


def _anchor(doc: Any, start: int, end: int) -> tuple[str, str] | None:
    """``(key, label)`` of what a date dates, or ``None`` when it dates nothing we can name."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    sent = span.sent
    # a noun right after the date that it modifies: "a July 2021 strike"
    if span.end < sent.end:
        nxt = doc[span.end]
        if nxt.pos_ == "NOUN" and nxt.head.i >= nxt.i:
            noun = nxt
            while noun.dep_ == "compound" and noun.head.i > noun.i:
                noun = noun.head
            if noun.lemma_.lower() not in TIME_NOUNS:
                return noun.lemma_.lower(), f"date of the {noun.lower_}"
    head = span.root
    for _ in range(4):
        if head.dep_ in {"pobj", "prep", "npadvmod", "nmod", "compound", "amod", "tmod"}:
            head = head.head
            if head.pos_ == "NOUN" and (span.start > head.i or head.i >= span.end):
                if head.lemma_.lower() in TIME_NOUNS:
                    return None
                return head.lemma_.lower(), f"date of the {head.lower_}"
            if head.pos_ in {"VERB", "AUX"}:
                break
        else:
            break
    if head.pos_ not in {"VERB", "AUX"} or head.lemma_.lower() in REPORTING_VERBS:
        return None
    obj = next((c for c in head.children if c.dep_ in {"dobj", "nsubjpass"}), None)
    if obj is None or obj.pos_ not in {"NOUN", "PROPN"}:
        return None
    verb, noun = head.lemma_.lower(), obj.lemma_.lower()
    return f"{verb}/{noun}", clause_label(head, obj)


def clause_label(verb: Any, obj: Any) -> str:
    """A noun phrase for the date of a verb and its object: "date of putting out the engine fire".

    The verb becomes a gerund (its particle kept: "put out"), the object keeps its noun and adjective
    modifiers with "the" for a common noun ("its annual inspection" → "the annual inspection").
    """
    particle = " ".join(c.lower_ for c in verb.children if c.dep_ == "prt")
    action = gerund(verb.lemma_.lower()) + (f" {particle}" if particle else "")
    return f"date of {action} {_noun_phrase(obj)}"


def _noun_phrase(noun: Any) -> str:
    mods = [
        c
        for c in noun.children
        if c.i < noun.i and c.dep_ in {"compound", "amod", "nmod", "nummod"} and c.is_alpha
    ]
    # hyphenated compounds ("engine-room fire") come as three tokens: keep them whole
    left = min([c.left_edge.i for c in mods], default=noun.i)
    words = noun.doc[left : noun.i + 1].text if mods else noun.text
    if noun.pos_ == "PROPN":
        return words
    det = any(c.dep_ in {"det", "poss"} for c in noun.children)
    return f"the {words.lower()}" if det else words.lower()


_VOWELS = set("aeiou")
# two-syllable verbs stressed on the end double their consonant too (begin → beginning)
_DOUBLES = frozenset(
    "begin admit commit permit submit omit occur refer prefer transfer control patrol regret forget "
    "equip compel expel rebel".split()
)


def gerund(lemma: str) -> str:
    """The "-ing" form of a verb: put → putting, take → taking, die → dying, enter → entering.

    Final consonants double only in one-syllable verbs (stop → stopping, not visit → visitting).
    """
    w = lemma.lower()
    if w.endswith("ie"):
        return w[:-2] + "ying"
    if w.endswith("e") and not w.endswith(("ee", "ye", "oe")) and len(w) > 2:
        return w[:-1] + "ing"
    if w in _DOUBLES:
        return w + w[-1] + "ing"
    groups = sum(
        1 for i, ch in enumerate(w) if ch in _VOWELS and (i == 0 or w[i - 1] not in _VOWELS)
    )
    if (
        groups == 1
        and len(w) >= 3
        and w[-1] not in _VOWELS | set("wxy")
        and w[-2] in _VOWELS
        and w[-3] not in _VOWELS
    ):
        return w + w[-1] + "ing"
    return w + "ing"


def date_facts(ctx: StoryContext, source_of: dict[str, str]) -> list[Fact]:
    """Align the dates of the same event across the story's articles.

    Args:
        ctx: The story context.
        source_of: Article id → its independent report.

    Returns:
        One fact (kind ``date``) per event that at least two articles date.
    """
    from ..extract.dates import resolve_dates

    groups: dict[str, list[Reading]] = defaultdict(list)
    labels: dict[str, str] = {}
    for a in ctx.articles:
        mentions = [d for d in resolve_dates(a.text, a.published) if d.value]
        if not mentions:
            continue
        doc = ctx.docs.get(a)
        for d in mentions:
            assert d.value is not None
            what = _anchor(doc, d.start, d.end)
            if what is None:
                continue
            key, label = what
            labels.setdefault(key, label)
            groups[key].append(
                Reading(
                    article=a,
                    source=source_of.get(a.id, a.id),
                    start=d.start,
                    end=d.end,
                    value=d.value,
                    meaning=date_words(d.value),
                    key=d.value,
                    unit=d.precision,
                )
            )
    facts = []
    for key, readings in groups.items():
        readings = dedupe(readings)
        if len({r.article.id for r in readings}) < 2:
            continue
        status, why = decide_status(
            readings,
            lambda x, y: _contains(str(x.value), str(y.value)),
        )
        facts.append(
            Fact(
                id="",
                label=labels[key],
                kind="date",
                status=status,
                values=[r.to_value() for r in readings],
                explanation=why,
            )
        )
    return facts
