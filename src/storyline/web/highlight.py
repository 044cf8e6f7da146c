"""Cut an article's text into pieces at the edges of highlighted spans.

Spans overlap (an entity mention inside a fact value inside a summary sentence), so the text is cut
at every span edge and each piece carries the marks that cover it. Templates render the pieces as
``<span>`` elements with classes and ``data-k`` keys; the text itself is always escaped by Jinja2,
never marked safe.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Mark:
    """A highlight over ``text[start:end]``.

    Attributes:
        start: first character.
        end: one past the last character.
        kind: CSS class (``entity``, ``fact``, ``quote``, ``date``, ``summary``, ``shared``, ...).
        key: a token naming this span, so a click elsewhere can find its pieces.
        title: tooltip text (plain text; escaped when rendered).
    """

    start: int
    end: int
    kind: str
    key: str = ""
    title: str = ""


@dataclass
class Piece:
    """A run of text covered by the same marks."""

    text: str
    start: int
    kinds: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)

    @property
    def css(self) -> str:
        """Space-separated CSS classes (``m`` plus each kind, once)."""
        return " ".join(["m", *dict.fromkeys(self.kinds)]) if self.kinds else ""

    @property
    def data_k(self) -> str:
        return " ".join(dict.fromkeys(k for k in self.keys if k))

    @property
    def title(self) -> str:
        return " · ".join(dict.fromkeys(t for t in self.titles if t))


def span_key(start: int, end: int) -> str:
    """The key of a passage by its offsets (``p-12-80``), used in links and ``data-k``."""
    return f"p-{start}-{end}"


def pieces(text: str, marks: Iterable[Mark]) -> list[Piece]:
    """Split ``text`` into pieces at every mark edge.

    Args:
        text: the article text.
        marks: highlights; those outside the text or empty are ignored.

    Returns:
        Pieces in text order whose texts concatenate to ``text``.
    """
    n = len(text)
    valid = [m for m in marks if 0 <= m.start < m.end <= n]
    cuts = sorted({0, n, *(m.start for m in valid), *(m.end for m in valid)})
    starts: dict[int, list[Mark]] = {}
    for m in valid:
        starts.setdefault(m.start, []).append(m)
    active: list[Mark] = []
    out: list[Piece] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        active = [m for m in active if m.end > a] + starts.get(a, [])
        if a == b:
            continue
        out.append(
            Piece(
                text=text[a:b],
                start=a,
                kinds=[m.kind for m in active],
                keys=[m.key for m in active],
                titles=[m.title for m in active],
            )
        )
    if not out and text:
        out.append(Piece(text=text, start=0))
    return out


def paragraphs(ps: list[Piece]) -> list[list[Piece]]:
    """Group pieces into paragraphs at blank-line or newline breaks (pieces are split there)."""
    paras: list[list[Piece]] = [[]]
    for p in ps:
        parts = p.text.split("\n")
        offset = p.start
        for i, part in enumerate(parts):
            if i > 0:
                if paras[-1]:
                    paras.append([])
                offset += 1
            if part:
                paras[-1].append(Piece(part, offset, p.kinds, p.keys, p.titles))
            offset += len(part)
    return [para for para in paras if para]


def brief_marks(story: dict[str, Any], article_id: str) -> list[Mark]:
    """Every span of a ``brief-v1`` story that points into one article, as marks.

    Kinds: ``entity`` (mentions), ``fact`` (values; ``conflict`` added for conflicting facts),
    ``quote``, ``date`` (timeline evidence) and ``summary`` (summary evidence).
    """
    marks: list[Mark] = []

    def add(span: dict[str, Any], kind: str, title: str) -> None:
        if span.get("article") == article_id:
            marks.append(Mark(span["start"], span["end"], kind, span_key(span["start"], span["end"]), title))

    for e in story.get("entities", []):
        for s in e.get("mentions", []):
            add(s, "entity", f"{e['type']}: {e['name']}")
    for f in story.get("facts", []):
        kind = "fact conflict" if f["status"] == "conflict" else "fact"
        for v in f.get("values", []):
            add(v, kind, f"{f['label']} ({f['status']})")
    for q in story.get("quotes", []):
        add(q, "quote", f"quote: {q.get('speaker_name') or 'unknown speaker'}")
    for t in story.get("timeline", []):
        for s in t.get("evidence", []):
            add(s, "date", f"timeline: {t['date']}")
    for u in story.get("undated", []):
        for s in u.get("evidence", []):
            add(s, "date", f"undated: {u['expression']}")
    for x in story.get("summary", []):
        for s in x.get("evidence", []):
            add(s, "summary", "cited in the summary")
    return marks
