"""Fixtures for the extraction tests: a story context built from hand-written articles."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from storyline.brief import StoryContext
from storyline.extract.nlp import DocCache
from storyline.models import Article, Story


@pytest.fixture
def doc_cache() -> DocCache:
    """A fresh parse cache per test (article ids repeat across tests; the model loads once)."""
    return DocCache()


@pytest.fixture
def make_ctx(doc_cache: DocCache) -> Callable[[list[Article]], StoryContext]:
    """Wrap articles in a :class:`StoryContext` for one story."""

    def make(articles: list[Article]) -> StoryContext:
        story = Story(id="s-test", title="test", articles=[a.id for a in articles])
        return StoryContext(story=story, articles=articles, docs=doc_cache)

    return make


def assert_spans_exact(articles: list[Article], spans: list[object]) -> None:
    """Every span's text is exactly the article text at its offsets."""
    by_id = {a.id: a for a in articles}
    for span in spans:
        a = by_id[span.article]  # type: ignore[attr-defined]
        assert a.text[span.start : span.end] == span.text, span  # type: ignore[attr-defined]


TRUTH = Path(__file__).resolve().parents[1] / "data" / "example_truth.json"


@dataclass
class ExampleStory:
    """Story A of the bundled example corpus, briefed by the extraction components."""

    by_key: dict[str, Article]
    key_of: dict[str, str]
    truth: dict[str, Any]
    ctx: StoryContext


@pytest.fixture(scope="session")
def example_story(example_dir: Path) -> ExampleStory:
    """Entities, quotes and timeline of the example corpus's story A, with its ground truth."""
    from storyline.extract.entities import extract_entities
    from storyline.extract.quotes import extract_quotes
    from storyline.extract.timeline import build_timeline
    from storyline.ingest import read_paths
    from storyline.ingest.build import build_article
    from storyline.ingest.records import RawDocument

    if not TRUTH.exists():
        pytest.skip("tests/data/example_truth.json is absent")
    truth: dict[str, Any] = json.loads(TRUTH.read_text(encoding="utf-8"))
    arts = [build_article(r) for r in read_paths([example_dir]) if isinstance(r, RawDocument)]
    by_key: dict[str, Article] = {}
    for info in truth["articles"]:
        if not info.get("has_text", True):
            continue
        for a in arts:
            same_url = info.get("url") and a.url == info["url"]
            same_file = not info.get("url") and a.source.endswith(info["file"])
            if same_url or same_file:
                by_key[info["key"]] = a
    story_a = [by_key[k] for k in sorted(by_key, key=lambda k: int(k[1:])) if k.startswith("A")]
    ctx = StoryContext(
        story=Story(id="s-example", title="A", articles=[a.id for a in story_a]),
        articles=story_a,
        docs=DocCache(),
    )
    ctx.story.entities = extract_entities(ctx)
    ctx.story.quotes = extract_quotes(ctx)
    ctx.story.timeline = build_timeline(ctx)
    return ExampleStory(by_key, {a.id: k for k, a in by_key.items()}, truth, ctx)
