"""Fixtures for the extraction tests: a story context built from hand-written articles."""

from __future__ import annotations

from collections.abc import Callable

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
