"""Turn a ``brief-v1`` story into what the story page shows, in the order an analyst reads it.

Conflicts come first, each reading with the outlets that give it and links to the passages;
then the cited summary, the facts table, the timeline chart, entities with their variants,
quotes and the articles. Every citation carries the article id and offsets of its passage, so
the page can show that passage highlighted in its article.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..models import Article
from .timeline_chart import Chart, build_charts, date_range


@dataclass
class Cite:
    """A link to one passage: ``n`` is the article's number on the page."""

    n: int
    article: str
    outlet: str
    start: int
    end: int
    text: str


@dataclass
class Reading:
    """One way sources read a fact (``"about 300"``) and the passages that say it."""

    text: str
    cites: list[Cite] = field(default_factory=list)


@dataclass
class FactRow:
    """A fact of the facts table (and of the conflicts box when its status is ``conflict``)."""

    id: str
    label: str
    kind: str
    status: str
    explanation: str
    readings: list[Reading]


@dataclass
class StoryView:
    """Everything the story page renders."""

    story: dict[str, Any]
    sources: list[dict[str, Any]]
    coverage_line: str
    conflicts: list[FactRow]
    facts: list[FactRow]
    summary: list[tuple[str, list[Cite]]]
    charts: list[tuple[str, Chart]]
    timeline: list[tuple[str, str, list[Cite]]]
    #: Events whose relative date could not be resolved: (expression, text, citations).
    undated: list[tuple[str, str, list[Cite]]]
    entities: list[dict[str, Any]]
    quotes: list[tuple[dict[str, Any], list[Cite]]]


def _label(a: Article) -> str:
    return a.outlet or a.title or a.source.rsplit("/", 1)[-1]


def _fmt_date(value: str | None) -> str:
    if not value:
        return "undated"
    r = date_range(value)
    if r is None:
        return value
    a, b = r
    if len(value) >= 10:
        return f"{a.day} {a.strftime('%b %Y')}"
    return a.strftime("%b %Y") if len(value) == 7 else str(a.year)


def coverage_line(story: dict[str, Any], articles: dict[str, Article]) -> str:
    """One sentence: how many articles and outlets, independent reports, dates, who was first."""
    cov = story.get("coverage") or {}
    n = len(story.get("articles", []))
    outlets = cov.get("outlets") or sorted({a.outlet for a in articles.values() if a.outlet})
    parts = [f"{n} article{'s' if n != 1 else ''} from {len(outlets)} outlet{'s' if len(outlets) != 1 else ''}"]
    indep = cov.get("independent_reports")
    if indep is not None:
        parts.append(f"{indep} independent report{'s' if indep != 1 else ''}")
    first, last = cov.get("first_published"), cov.get("last_published")
    if first:
        span = _fmt_date(first)
        if last and last[:10] != first[:10]:
            span += f" to {_fmt_date(last)}"
        parts.append(span)
    first_id = cov.get("first_article")
    if first_id in articles:
        parts.append(f"first reported by {_label(articles[first_id])}")
    return "; ".join(parts) + "."


def _cite(span: dict[str, Any], nums: dict[str, int], articles: dict[str, Article]) -> Cite:
    a = articles.get(span["article"])
    return Cite(nums.get(span["article"], 0), span["article"], _label(a) if a else span["article"],
                span["start"], span["end"], span["text"])


def build_story_view(story: dict[str, Any], articles: list[Article]) -> StoryView:
    """Build the story page's view of a ``brief-v1`` story.

    Args:
        story: the story dict from the brief.
        articles: the story's articles (the brief's ``articles`` rebuilt, or from the store).
    """
    by_id = {a.id: a for a in articles}
    order = [aid for aid in story.get("articles", []) if aid in by_id]
    order.sort(key=lambda aid: (by_id[aid].published or "9999", by_id[aid].ingest_order))
    nums = {aid: i + 1 for i, aid in enumerate(order)}
    sources = [
        {"n": nums[aid], "id": aid, "outlet": _label(by_id[aid]), "title": by_id[aid].title or "(untitled)",
         "published": _fmt_date(by_id[aid].published), "relations": by_id[aid].relations,
         "flags": by_id[aid].flags}
        for aid in order
    ]
    facts = []
    for f in story.get("facts", []):
        readings: dict[str, Reading] = {}
        for v in f.get("values", []):
            key = " ".join(v["text"].split()).lower()
            r = readings.setdefault(key, Reading(v["text"]))
            r.cites.append(_cite(v, nums, by_id))
        facts.append(FactRow(f["id"], f["label"], f["kind"], f["status"], f.get("explanation", ""),
                             list(readings.values())))
    status_order = {"conflict": 0, "compatible": 1, "agreed": 2, "single-source": 3}
    facts.sort(key=lambda r: status_order.get(r.status, 4))
    summary = [(x["text"], [_cite(s, nums, by_id) for s in x.get("evidence", [])])
               for x in story.get("summary", [])]
    timeline = [(t["date"], t["text"], [_cite(s, nums, by_id) for s in t.get("evidence", [])])
                for t in story.get("timeline", [])]
    undated = [(u["expression"], u["text"], [_cite(s, nums, by_id) for s in u.get("evidence", [])])
               for u in story.get("undated", [])]
    published = [(by_id[aid].published or "", _label(by_id[aid])) for aid in order]
    entities = []
    for e in story.get("entities", []):
        outlets = sorted({_label(by_id[m["article"]]) for m in e.get("mentions", []) if m["article"] in by_id})
        first = e["mentions"][0] if e.get("mentions") else None
        entities.append({**e, "n_mentions": len(e.get("mentions", [])), "outlets": outlets,
                         "first": _cite(first, nums, by_id) if first else None})
    entities.sort(key=lambda e: (-e["n_mentions"], e["name"]))
    # A quote repeated by copies of one report is shown once, citing every article.
    grouped: dict[tuple[str, str], tuple[dict[str, Any], list[Cite]]] = {}
    for q in story.get("quotes", []):
        qkey = (" ".join(q["text"].lower().split()).strip(" ,.\u201c\u201d\"'"), q.get("speaker") or "")
        grouped.setdefault(qkey, (q, []))[1].append(_cite(q, nums, by_id))
    quotes = list(grouped.values())
    return StoryView(
        story=story,
        sources=sources,
        coverage_line=coverage_line(story, by_id),
        conflicts=[f for f in facts if f.status == "conflict"],
        facts=facts,
        summary=summary,
        charts=build_charts(story.get("timeline", []), published),
        timeline=timeline,
        undated=undated,
        entities=entities,
        quotes=quotes,
    )
