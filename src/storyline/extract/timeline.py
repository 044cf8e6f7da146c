"""The story timeline: dated events, one entry per event however many sources report it.

Each article's date expressions are resolved against its publication date (from metadata, else
stated on the page: :func:`storyline.extract.dates.published_from_text`). A resolved date gives
an event: the clause that the date belongs to (the whole sentence when it holds one date).
Unresolved dates (relative ones in an undated article) give no entry: a timeline entry needs a
calendar date, and none is invented.

Events with the same date (or one date refining the other: ``2023-07`` and ``2023-07-26``) whose
clauses share enough content words are one entry citing every source; the entry keeps the most
precise date. Entries are sorted by date.

An unresolved date that names a month ("last July" in an undated article) still joins an entry of
that month whose clause it shares, so the entry cites that source too. The other unresolved
events are kept apart, as :class:`~storyline.models.UndatedEvent` items with the expression the
sources use ("on Friday"), merged across sources the same way, in order of appearance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..models import Article, Span, TimelineEvent, UndatedEvent
from .dates import DateMention, published_from_text, resolve_dates

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from ..brief import StoryContext

_MIN_OVERLAP = 0.2  # Jaccard of content lemmas for two clauses to be one event
_MIN_SHARED = 3  # ... or this many shared content lemmas
_DATELINE = re.compile(r"\s*(?:published|posted|updated|last updated|date)\b", re.I)
_STEM = 6  # content words compare on their first letters (terminate / termination)
_DATE_WORDS = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday week month year day today "
    "yesterday last next early late earlier later mid".split()
)
_MONTHS = (
    "january february march april may june july august september october november december"
).split()
_NAMED_MONTH = re.compile(
    r"\b(" + "|".join(m[:3] for m in _MONTHS) + r")[a-z]*\.?(?:\s+(\d{1,2})\b)?", re.I
)
_LEAD_WORDS = re.compile(r"^(?:on|in|at|by|during|the)\s+", re.I)
_DIRECTION = re.compile(r"^(last|this|next)\s+", re.I)


@dataclass
class _Candidate:
    date: str
    article: Article
    start: int
    end: int
    words: set[str]
    order: tuple[int, int]
    #: The date expression as written (kept for unresolved dates).
    expression: str = ""


@dataclass
class _Entry:
    date: str
    members: list[_Candidate] = field(default_factory=list)
    words: set[str] = field(default_factory=set)


def article_date(article: Article) -> str | None:
    """The publication date used to resolve an article's relative dates (metadata, else page)."""
    return article.published or published_from_text(article.text)


def _clause(
    doc: Doc, mention: DateMention, alone: bool, text: str | None = None
) -> tuple[int, int, set[str]] | None:
    """Character bounds of the event clause a date belongs to, and its content lemmas.

    ``text`` is the text the doc was parsed from, when the caller has it (``doc.text`` rebuilds
    the string from every token on each access).
    """
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None:
        return None
    sent = span.sent
    lo, hi = sent.start, sent.end
    if not alone:
        tok = span.root
        while tok.pos_ not in ("VERB", "AUX") and tok.head.i != tok.i:
            tok = tok.head
        if tok.pos_ in ("VERB", "AUX"):
            sub = [t.i for t in tok.subtree]
            if max(sub) - min(sub) >= 4:
                lo, hi = max(lo, min(sub)), min(hi, max(sub) + 1)
    # Never let a clause run across a line break (a headline glued to the first sentence).
    text = doc.text if text is None else text
    line_lo = text.rfind("\n", 0, mention.start) + 1
    line_hi = text.find("\n", mention.end)
    line_hi = len(text) if line_hi == -1 else line_hi
    line = text[line_lo:line_hi]
    if _DATELINE.match(line) or len(line.split()) <= 4:
        return None  # the page's dateline or a bare date: no event
    toks = [t for t in doc[lo:hi] if not t.is_space and line_lo <= t.idx < line_hi]
    while toks and (toks[0].is_punct or toks[0].pos_ in ("CCONJ", "SCONJ")):
        toks = toks[1:]
    while toks and toks[-1].is_punct and toks[-1].text not in (".", "!", "?", "”", '"'):
        toks = toks[:-1]
    if len(toks) < 3:
        return None
    words = {
        t.lemma_.lower()[:_STEM]
        for t in toks
        if t.pos_ in ("NOUN", "PROPN", "VERB", "NUM")
        and not t.is_stop
        and t.lemma_.lower() not in _DATE_WORDS
    }
    start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    return start, end, words


def candidates_of(
    article: Article, doc: Doc, order: int, unresolved: list[_Candidate] | None = None
) -> list[_Candidate]:
    """Dated event clauses of one article; with ``unresolved``, the clauses of its unresolved
    date expressions are appended there (``date`` empty, ``expression`` as written)."""
    found = resolve_dates(article.text, article_date(article))
    mentions = [m for m in found if m.value or unresolved is not None]
    per_sentence: dict[int, int] = {}
    for m in mentions:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is not None:
            per_sentence[span.sent.start] = per_sentence.get(span.sent.start, 0) + 1
    out = []
    for m in mentions:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        clause = _clause(doc, m, per_sentence.get(span.sent.start, 1) == 1, article.text)
        if clause is None:
            continue
        start, end, words = clause
        if m.value is not None:
            out.append(_Candidate(m.value, article, start, end, words, (order, start), m.text))
        elif unresolved is not None and m.precision is not None:  # not a vague span of time
            unresolved.append(_Candidate("", article, start, end, words, (order, start), m.text))
    return out


def _related(a: str, b: str) -> bool:
    """Same date, or one refines the other (2023-07 and 2023-07-26)."""
    return a == b or a.startswith(b + "-") or b.startswith(a + "-")


def _similar(words: set[str], other: set[str]) -> bool:
    if not words or not other:
        return False
    shared = len(words & other)
    if min(len(words), len(other)) <= 4 and shared >= 1:
        return True  # a short clause ("a coup last July") shares its one key word
    return shared >= _MIN_SHARED or shared / len(words | other) >= _MIN_OVERLAP


def _group_events(candidates: list[_Candidate]) -> list[_Entry]:
    """Candidates grouped into entries: the same or a refining date and a shared clause."""
    entries: list[_Entry] = []
    for c in sorted(candidates, key=lambda c: (-len(c.date), c.order)):
        home = next(
            (e for e in entries if _related(e.date, c.date) and _similar(e.words, c.words)), None
        )
        if home is None:
            entries.append(_Entry(c.date, [c], set(c.words)))
            continue
        if any(m.article.id == c.article.id and m.start == c.start for m in home.members):
            continue
        home.members.append(c)
        home.words |= c.words
    return entries


def _events_of(entries: list[_Entry]) -> list[TimelineEvent]:
    """The timeline items of grouped entries, sorted by date."""
    out: list[tuple[str, tuple[int, int], TimelineEvent]] = []
    for e in entries:
        e.members.sort(key=lambda m: m.order)
        first = e.members[0]
        # The entry reads as the fullest report of it that is still one sentence-sized clause.
        fitting = [m for m in e.members if len(m.article.text[m.start : m.end].split()) <= 45]
        shown = max(fitting, key=lambda m: (len(m.words), -m.order[0], -m.order[1]), default=first)
        articles: list[str] = []
        for m in e.members:
            if m.article.id not in articles:
                articles.append(m.article.id)
        event = TimelineEvent(
            date=e.date,
            text=re.sub(r"\s+", " ", shown.article.text[shown.start : shown.end]),
            articles=articles,
            evidence=[Span.of(m.article, m.start, m.end) for m in e.members],
        )
        out.append((e.date, first.order, event))
    out.sort(key=lambda x: (x[0], x[1]))
    return [event for _date, _order, event in out]


def _named_month(expression: str) -> tuple[int, int | None] | None:
    """The month (and day) an unresolved expression names: "last July" → (7, None)."""
    m = _NAMED_MONTH.search(expression)
    if m is None:
        return None
    month = next(i for i, name in enumerate(_MONTHS, 1) if name.startswith(m.group(1).lower()))
    return month, int(m.group(2)) if m.group(2) else None


def _fits(date: str, named: tuple[int, int | None]) -> bool:
    """Whether a resolved date agrees with the month (and day) an expression names."""
    month, day = named
    if len(date) < 7 or int(date[5:7]) != month:
        return False
    return day is None or len(date) < 10 or int(date[8:10]) == day


def _attach_unresolved(entries: list[_Entry], unresolved: list[_Candidate]) -> list[_Candidate]:
    """Let unresolved expressions that name a month join the one resolved entry of that month
    whose clause they share; return the ones left undated."""
    left = []
    for c in unresolved:
        named = _named_month(c.expression)
        fitting = [e for e in entries if named and _fits(e.date, named) and _similar(e.words, c.words)]
        # one entry only: "last July" fits July 2019 and July 2023 alike when both are told
        home = fitting[0] if len(fitting) == 1 else None
        if home is None:
            left.append(c)
        elif not any(m.article.id == c.article.id and m.start == c.start for m in home.members):
            home.members.append(c)
    return left


def _date_key(expression: str) -> tuple[str, str]:
    """An expression's direction ("last", "this", "next" or "") and the rest: "on Friday" →
    ("", "friday"), "last week" → ("last", "week")."""
    text = _LEAD_WORDS.sub("", expression.lower()).strip()
    m = _DIRECTION.match(text)
    return (m.group(1), text[m.end() :].strip()) if m else ("", text)


def _same_date_words(a: tuple[str, str], b: tuple[str, str]) -> bool:
    """Whether two expressions can name one date: the same words, and no two directions that
    differ ("Friday" may be "last Friday"; "last week" is never "next week")."""
    return a[1] == b[1] and (a[0] == b[0] or not a[0] or not b[0])


def _merge_undated(unresolved: list[_Candidate]) -> list[UndatedEvent]:
    """Group unresolved events of different articles that read alike and use the same date
    words ("on Friday" / "Friday"; never "last week" / "next week"), in text order (two
    "Monday"s of one article may be two Mondays: never merged)."""
    groups: list[tuple[tuple[str, str], set[str], list[_Candidate]]] = []
    for c in sorted(unresolved, key=lambda c: c.order):
        key = _date_key(c.expression)
        home = next((g for g in groups if _same_date_words(g[0], key) and _similar(g[1], c.words)
                     and all(m.article.id != c.article.id for m in g[2])), None)
        if home is None:
            groups.append((key, set(c.words), [c]))
        else:
            home[1].update(c.words)
            home[2].append(c)
    out = []
    for _key, _words, members in groups:
        shown = max(members, key=lambda m: (len(m.words), -m.order[0], -m.order[1]))
        out.append(UndatedEvent(
            expression=shown.expression,
            text=re.sub(r"\s+", " ", shown.article.text[shown.start : shown.end]),
            articles=list(dict.fromkeys(m.article.id for m in members)),
            evidence=[Span.of(m.article, m.start, m.end) for m in members],
        ))
    return out


def timeline_of(ctx: StoryContext) -> tuple[list[TimelineEvent], list[UndatedEvent]]:
    """The dated events of the story's articles merged across sources, and the undated ones."""
    candidates: list[_Candidate] = []
    unresolved: list[_Candidate] = []
    for n, article in enumerate(ctx.articles):
        candidates.extend(candidates_of(article, ctx.docs.get(article), n, unresolved))
    entries = _group_events(candidates)
    left = _attach_unresolved(entries, unresolved)
    return _events_of(entries), _merge_undated(left)


def build_timeline(ctx: StoryContext) -> list[TimelineEvent]:
    """The dated events of the story's articles, merged across sources (see :func:`timeline_of`)."""
    return timeline_of(ctx)[0]
