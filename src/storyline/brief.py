"""Assembles the brief of each story from the extraction components.

Like a spaCy pipeline, a brief is built by a list of components. Each component is a callable
that takes the :class:`StoryContext` (the story, its articles, parsed docs, settings) and fills
one part of the story. Components run in order, so later ones can use what earlier ones added
(quotes use entities; facts use entities).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .extract.nlp import DocCache
from .models import Article, Brief, Story
from .settings import Settings, get_settings


@dataclass
class StoryContext:
    """Everything a brief component may read: the story, its articles in order, parsed docs."""

    story: Story
    articles: list[Article]
    docs: DocCache
    settings: Settings = field(default_factory=get_settings)

    def article(self, article_id: str) -> Article:
        for a in self.articles:
            if a.id == article_id:
                return a
        raise KeyError(article_id)


Component = Callable[[StoryContext], None]


def _entities(ctx: StoryContext) -> None:
    from .extract.entities import extract_entities

    ctx.story.entities = extract_entities(ctx)


def _quotes(ctx: StoryContext) -> None:
    from .extract.quotes import extract_quotes

    ctx.story.quotes = extract_quotes(ctx)


def _timeline(ctx: StoryContext) -> None:
    from .extract.timeline import timeline_of

    ctx.story.timeline, ctx.story.undated = timeline_of(ctx)


def _facts(ctx: StoryContext) -> None:
    from .compare import align_facts

    ctx.story.facts = align_facts(ctx)


def _summary(ctx: StoryContext) -> None:
    from .summarize import summarize_story

    ctx.story.summary = summarize_story(ctx)


#: The default components, in the order they run.
DEFAULT_COMPONENTS: list[tuple[str, Component]] = [
    ("entities", _entities),
    ("quotes", _quotes),
    ("timeline", _timeline),
    ("facts", _facts),
    ("summary", _summary),
]


def story_id_for(article_ids: Iterable[str]) -> str:
    """A stable story id derived from its earliest member (stable as later articles join)."""
    first = min(article_ids)
    return "s-" + hashlib.sha1(first.encode()).hexdigest()[:10]


def coverage(articles: list[Article]) -> dict[str, object]:
    """Counts a reader wants on the first line: articles, outlets, independent reports, span."""
    copies = {
        a.id
        for a in articles
        for r in a.relations
        if r.type in {"duplicate_of", "near_duplicate_of", "rewrite_of"}
    }
    dates = sorted(a.published for a in articles if a.published)
    first = min(
        articles, key=lambda a: (a.published is None, a.published or "", a.ingest_order)
    )
    outlets = sorted({a.outlet for a in articles if a.outlet})
    return {
        "articles": len(articles),
        "outlets": outlets,
        "independent_reports": max(1, len(articles) - len(copies)) if articles else 0,
        "first_published": dates[0] if dates else None,
        "last_published": dates[-1] if dates else None,
        "first_article": first.id if articles else None,
    }


def pick_title(articles: list[Article]) -> str:
    """The story title: the title of its earliest article that has one."""
    ordered = sorted(articles, key=lambda a: (a.published is None, a.published or "", a.ingest_order))
    for a in ordered:
        if a.title:
            return a.title
    return (ordered[0].text[:80] + "…") if ordered else "Untitled story"


def brief_story(
    story: Story,
    articles: list[Article],
    docs: DocCache | None = None,
    components: list[tuple[str, Component]] | None = None,
    settings: Settings | None = None,
) -> Story:
    """Fill a story's brief (entities, quotes, timeline, facts, summary) from its articles."""
    ctx = StoryContext(
        story=story,
        articles=articles,
        docs=docs or DocCache((settings or get_settings()).spacy_model),
        settings=settings or get_settings(),
    )
    ctx.docs.prime(articles)
    story.title = story.title or pick_title(articles)
    story.coverage = coverage(articles)
    for _name, component in components or DEFAULT_COMPONENTS:
        component(ctx)
    return story


def build_brief(
    articles: list[Article],
    assignments: dict[str, str] | None = None,
    components: list[tuple[str, Component]] | None = None,
    settings: Settings | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Brief:
    """Group articles into stories by ``assignments`` (article id → story id) and brief each.

    Without assignments every article joins one story.
    """
    if assignments is None:
        sid = story_id_for(a.id for a in articles)
        assignments = {a.id: sid for a in articles}
    groups: dict[str, list[Article]] = {}
    for a in articles:
        a.story = assignments[a.id]
        groups.setdefault(a.story, []).append(a)
    docs = DocCache((settings or get_settings()).spacy_model)
    stories = []
    for i, (sid, members) in enumerate(groups.items()):
        story = Story(id=sid, title="", articles=[a.id for a in members])
        stories.append(brief_story(story, members, docs, components, settings))
        if progress:
            progress(i + 1, len(groups))
    stories.sort(key=lambda s: (-len(s.articles), s.id))
    return Brief(articles=articles, stories=stories)
