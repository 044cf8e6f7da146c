"""The records that flow through Storyline's stages.

One :class:`Article` per ingested document and one :class:`Story` per group of articles that
report the same real-world event. Every claim a story makes carries :class:`Span` evidence that
points into the cleaned ``Article.text``; ``article.text[span.start:span.end] == span.text`` is an
invariant that tests enforce.

The ``to_dict`` methods produce the ``storyline/brief-v1`` JSON contract (see
``storyline/schema/brief-v1.json``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

SCHEMA_ID = "storyline/brief-v1"


@dataclass(frozen=True)
class Span:
    """A stretch of an article's cleaned text: ``text == article.text[start:end]``."""

    article: str
    start: int
    end: int
    text: str

    @classmethod
    def of(cls, article: Article, start: int, end: int) -> Span:
        """Build a span whose text is read from the article, so it can never disagree."""
        return cls(article.id, start, end, article.text[start:end])

    def to_dict(self) -> dict[str, Any]:
        return {"article": self.article, "start": self.start, "end": self.end, "text": self.text}


@dataclass
class RemovedLine:
    """A line the cleaner removed from the extracted text, kept for auditing."""

    text: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "reason": self.reason}


@dataclass
class Relation:
    """A provenance link from one article to another (``duplicate_of``, ``rewrite_of``, ...)."""

    type: str
    article: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "article": self.article, "score": round(float(self.score), 4)}


@dataclass
class Flag:
    """A signal about an article (boilerplate residue, translation artefacts, ...)."""

    code: str
    message: str
    evidence: list[Span] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "evidence": [s.to_dict() for s in self.evidence],
        }


@dataclass
class Article:
    """One news article: metadata, the cleaned text every span points into, and the audit trail.

    ``raw_text`` is the text as extracted, before cleaning; ``removed`` lists what cleaning took
    out and why. ``id`` is a content hash, so the same article ingested twice has the same id.
    """

    id: str
    source: str
    text: str
    raw_text: str = ""
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None
    language: str | None = None
    url: str | None = None
    format: str = "text"
    removed: list[RemovedLine] = field(default_factory=list)
    story: str = ""
    relations: list[Relation] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    ingest_order: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The article part of ``storyline/brief-v1``."""
        return {
            "id": self.id,
            "source": self.source,
            "outlet": self.outlet,
            "title": self.title,
            "author": self.author,
            "published": self.published,
            "language": self.language,
            "text": self.text,
            "removed": [r.to_dict() for r in self.removed],
            "story": self.story,
            "relations": [r.to_dict() for r in self.relations],
            "flags": [f.to_dict() for f in self.flags],
        }


@dataclass
class Entity:
    """One real-world referent within a story, with every variant of its name."""

    id: str
    name: str
    type: str
    variants: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    mentions: list[Span] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "variants": list(self.variants),
            "roles": list(self.roles),
            "mentions": [m.to_dict() for m in self.mentions],
        }


@dataclass
class FactValue:
    """One source's value for a fact, with the span it was read from."""

    span: Span
    value: float | str | None
    unit: str | None = None
    qualifier: str | None = None
    low: float | None = None
    high: float | None = None

    def to_dict(self) -> dict[str, Any]:
        d = self.span.to_dict()
        d.update(
            {
                "value": self.value,
                "unit": self.unit,
                "qualifier": self.qualifier,
                "low": self.low,
                "high": self.high,
            }
        )
        return d


@dataclass
class Fact:
    """One thing measured or named, aligned across sources, with agreement status."""

    id: str
    label: str
    kind: str
    status: str
    values: list[FactValue] = field(default_factory=list)
    explanation: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "kind": self.kind,
            "status": self.status,
            "values": [v.to_dict() for v in self.values],
            "explanation": self.explanation,
        }


@dataclass
class TimelineEvent:
    """A dated event; ``date`` is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (its precision)."""

    date: str
    text: str
    articles: list[str] = field(default_factory=list)
    evidence: list[Span] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date,
            "text": self.text,
            "articles": list(self.articles),
            "evidence": [s.to_dict() for s in self.evidence],
        }


@dataclass
class UndatedEvent:
    """An event whose date could not be resolved: a relative date ("last July", "on Friday") in
    an article with no publication date. It keeps the words the sources use and gets no date:
    none is invented."""

    expression: str
    text: str
    articles: list[str] = field(default_factory=list)
    evidence: list[Span] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "expression": self.expression,
            "text": self.text,
            "articles": list(self.articles),
            "evidence": [s.to_dict() for s in self.evidence],
        }


@dataclass
class Quote:
    """A direct quote; ``span`` covers the quoted words in the article text."""

    span: Span
    speaker: str | None = None
    speaker_name: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d = self.span.to_dict()
        d.update({"speaker": self.speaker, "speaker_name": self.speaker_name})
        return d


@dataclass
class SummarySentence:
    """One sentence of a story summary and the articles (with spans) that support it."""

    text: str
    articles: list[str] = field(default_factory=list)
    evidence: list[Span] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "articles": list(self.articles),
            "evidence": [s.to_dict() for s in self.evidence],
        }


@dataclass
class Story:
    """A group of articles about one real-world event, and its brief."""

    id: str
    title: str
    articles: list[str] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    timeline: list[TimelineEvent] = field(default_factory=list)
    #: Events whose date expression could not be resolved (kept apart from the timeline).
    undated: list[UndatedEvent] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    summary: list[SummarySentence] = field(default_factory=list)
    coverage: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "articles": list(self.articles),
            "coverage": dict(self.coverage),
            "entities": [e.to_dict() for e in self.entities],
            "facts": [f.to_dict() for f in self.facts],
            "timeline": [t.to_dict() for t in self.timeline],
            "undated": [u.to_dict() for u in self.undated],
            "quotes": [q.to_dict() for q in self.quotes],
            "summary": [s.to_dict() for s in self.summary],
        }


@dataclass
class Brief:
    """The whole output: the articles and the stories they form."""

    articles: list[Article]
    stories: list[Story]

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA_ID,
            "articles": [a.to_dict() for a in self.articles],
            "stories": [s.to_dict() for s in self.stories],
        }


def article_from_dict(d: dict[str, Any]) -> Article:
    """Rebuild an :class:`Article` from its stored dict form (the inverse of ``asdict``)."""
    d = dict(d)
    d["removed"] = [RemovedLine(**r) for r in d.get("removed", [])]
    d["relations"] = [Relation(**r) for r in d.get("relations", [])]
    d["flags"] = [
        Flag(f["code"], f["message"], [Span(**s) for s in f.get("evidence", [])])
        for f in d.get("flags", [])
    ]
    known = set(Article.__dataclass_fields__)
    return Article(**{k: v for k, v in d.items() if k in known})


def article_to_record(a: Article) -> dict[str, Any]:
    """A plain dict with every field of the article (for storage)."""
    return asdict(a)
