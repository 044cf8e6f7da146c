"""The story timeline: dated events, one entry per event however many sources report it.

Each article's date expressions are resolved against its publication date (from metadata, else
stated on the page: :func:`storyline.extract.dates.published_from_text`). A resolved date gives
an event: the clause that the date belongs to (:mod:`storyline.extract.timeline_clause`: a
relative clause or apposition with its noun, else the sentence, or the date's own clause when the
sentence holds several dates). Unresolved dates (relative ones in an undated article) give no
entry: a timeline entry needs a calendar date, and none is invented.

Events with the same date (or one date refining the other: ``2023-07`` and ``2023-07-26``) that
report one event are one entry citing every source (:mod:`storyline.extract.timeline_match`:
average linkage over story-weighted words, gated by what happened and who acted); the entry keeps
the most precise date. Entries are sorted by date.

An unresolved date that names a month ("last July" in an undated article) still joins the one
entry of that month whose members it reads like, so the entry cites that source too. The other
unresolved events are kept apart, as :class:`~storyline.models.UndatedEvent` items with the expression the
sources use ("on Friday"), merged across sources the same way, in order of appearance.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..models import Article, Span, TimelineEvent, UndatedEvent
from .dates import published_from_text, resolve_dates
from .timeline_clause import EventClause, event_clause
from .timeline_match import best_match, group_clauses, pair_score, related, word_weights

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from ..brief import StoryContext

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
    core: set[str]
    heads: set[str]
    order: tuple[int, int]
    #: The date expression as written (kept for unresolved dates).
    expression: str = ""
    #: Where the clause's sentence starts.
    sent: int = 0
    #: The common noun the date modifies, or "".
    anchor: str = ""
    #: The words that name a place.
    places: set[str] = field(default_factory=set)
    #: The words of the attribution ("the union said").
    reported: set[str] = field(default_factory=set)

    @property
    def sentence(self) -> tuple[str, int]:
        """The article and sentence the clause is in."""
        return self.article.id, self.sent

    @classmethod
    def of(cls, date: str, article: Article, clause: EventClause, order: int, expression: str
           ) -> _Candidate:
        """The candidate of one date expression and the clause it dates."""
        return cls(
            date, article, clause.start, clause.end, clause.words, clause.core, clause.heads,
            (order, clause.start), expression, clause.sentence, clause.anchor, clause.places,
            clause.reported,
        )


@dataclass
class _Entry:
    date: str
    members: list[_Candidate] = field(default_factory=list)


def article_date(article: Article) -> str | None:
    """The publication date used to resolve an article's relative dates (metadata, else page)."""
    return article.published or published_from_text(article.text)


def candidates_of(
    article: Article, doc: Doc, order: int, unresolved: list[_Candidate] | None = None
) -> list[_Candidate]:
    """Dated event clauses of one article; with ``unresolved``, the clauses of its unresolved
    date expressions are appended there (``date`` empty, ``expression`` as written)."""
    found = resolve_dates(article.text, article_date(article))
    bounds = [(m.start, m.end) for m in found]
    mentions = [m for m in found if m.value or unresolved is not None]
    out: list[_Candidate] = []
    for m in mentions:
        clause = event_clause(doc, m.start, m.end, bounds, article.text)
        if clause is None:
            continue
        if m.value is not None:
            same = next((c for c in out if (c.start, c.end) == (clause.start, clause.end)), None)
            if same is not None and related(same.date, m.value):
                same.date = max(same.date, m.value, key=len)  # "Tuesday, March 3": one event
                continue
            out.append(_Candidate.of(m.value, article, clause, order, m.text))
        elif unresolved is not None and m.precision is not None:  # not a vague span of time
            unresolved.append(_Candidate.of("", article, clause, order, m.text))
    return out


def _group_events(
    candidates: list[_Candidate], weight: dict[str, float], news_from: str
) -> list[_Entry]:
    """Candidates grouped into entries (see :mod:`storyline.extract.timeline_match`); an entry
    takes the most precise date of its members."""
    groups = group_clauses(candidates, weight, news_from)
    entries = []
    for group in groups:
        members = [candidates[i] for i in group]
        entries.append(_Entry(max((m.date for m in members), key=len), members))
    return entries


def _events_of(entries: list[_Entry], weight: dict[str, float]) -> list[TimelineEvent]:
    """The timeline items of grouped entries, sorted by date."""
    out: list[tuple[str, tuple[int, int], TimelineEvent]] = []
    for e in entries:
        e.members.sort(key=lambda m: m.order)
        first = e.members[0]
        # The entry reads as the report that agrees best with the others (then the fullest)
        # among those that are still one sentence-sized clause.
        fitting = [m for m in e.members if len(m.article.text[m.start : m.end].split()) <= 45]
        agree = {
            id(m): math.fsum(pair_score(m, o, weight) for o in e.members if o is not m)
            for m in fitting
        }
        shown = max(
            fitting,
            key=lambda m: (round(agree[id(m)], 9), len(m.words), -m.order[0], -m.order[1]),
            default=first,
        )
        articles: list[str] = []
        for m in e.members:
            if m.article.id not in articles:
                articles.append(m.article.id)
        event = TimelineEvent(
            date=e.date,
            text=_display(shown.article.text[shown.start : shown.end]),
            articles=articles,
            evidence=[Span.of(m.article, m.start, m.end) for m in e.members],
        )
        out.append((e.date, first.order, event))
    out.sort(key=lambda x: (x[0], x[1]))
    return [event for _date, _order, event in out]


def _display(text: str) -> str:
    """An entry's text: one line, starting with a capital (a clause cut from mid-sentence reads
    "The existing one, which expires ...", not "the existing one, ...")."""
    text = re.sub(r"\s+", " ", text)
    return text[:1].upper() + text[1:]


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


def _attach_unresolved(
    entries: list[_Entry], unresolved: list[_Candidate], weight: dict[str, float]
) -> list[_Candidate]:
    """Let unresolved expressions that name a month join the one resolved entry of that month
    whose members they read like; return the ones left undated."""
    left = []
    for c in unresolved:
        named = _named_month(c.expression)
        months = [e for e in entries if named and _fits(e.date, named)]
        fitting = [months[k] for k in best_match(c, [e.members for e in months], weight)]
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


def _merge_undated(unresolved: list[_Candidate], weight: dict[str, float]) -> list[UndatedEvent]:
    """Group unresolved events of different articles that read alike and use the same date
    words ("on Friday" / "Friday"; never "last week" / "next week"), in text order (two
    "Monday"s of one article may be two Mondays: never merged)."""
    groups: list[tuple[tuple[str, str], list[_Candidate]]] = []
    for c in sorted(unresolved, key=lambda c: c.order):
        key = _date_key(c.expression)
        open_ = [g for g in groups if _same_date_words(g[0], key)
                 and all(m.article.id != c.article.id for m in g[1])]
        fitting = best_match(c, [g[1] for g in open_], weight)
        if not fitting:
            groups.append((key, [c]))
        else:
            open_[fitting[0]][1].append(c)
    out = []
    for _key, members in groups:
        shown = max(members, key=lambda m: (len(m.words), -m.order[0], -m.order[1]))
        out.append(UndatedEvent(
            expression=shown.expression,
            text=_display(shown.article.text[shown.start : shown.end]),
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
    weight = word_weights([c.words for c in candidates + unresolved])
    published = [d for d in (article_date(a) for a in ctx.articles) if d]
    entries = _group_events(candidates, weight, min(published)[:7] if published else "")
    left = _attach_unresolved(entries, unresolved, weight)
    return _events_of(entries, weight), _merge_undated(left, weight)


def build_timeline(ctx: StoryContext) -> list[TimelineEvent]:
    """The dated events of the story's articles, merged across sources (see :func:`timeline_of`)."""
    return timeline_of(ctx)[0]
