"""A small hand-written brief (fictional articles) that the renderer tests share."""

from __future__ import annotations

import pytest

from storyline.models import (
    Article,
    Brief,
    Entity,
    Fact,
    FactValue,
    Quote,
    Relation,
    RemovedLine,
    Span,
    Story,
    SummarySentence,
    TimelineEvent,
)

TEXT_A = (
    "The Lakeside bridge reopened on Monday after repairs that cost about $40 million, the city said. "
    "More than 300 workers took part. <script>alert('x')</script> Mayor Ana Reyes called it "
    '"a good day for commuters".'
)
TEXT_B = (
    "Repairs to the Lakeside bridge cost $52 million, officials said on Monday. "
    "Roughly 320 workers were involved | according to the builder."
)


def _find(article: Article, needle: str) -> Span:
    start = article.text.index(needle)
    return Span.of(article, start, start + len(needle))


@pytest.fixture
def sample_brief() -> Brief:
    a = Article(
        id="a1",
        source="a.html",
        text=TEXT_A,
        title="Bridge reopens <b>today</b>",
        outlet="Daily Ledger",
        published="2031-05-05",
        removed=[RemovedLine("Share.", "share line"), RemovedLine("Photo: X", "photo credit")],
    )
    b = Article(
        id="b1",
        source="b.html",
        text=TEXT_B,
        title="Bridge repairs done",
        outlet="Harbor Times",
        published="2031-05-06",
        relations=[Relation("rewrite_of", "a1", 0.7)],
    )
    cost = Fact(
        id="f1",
        label="cost of the repairs",
        kind="money",
        status="conflict",
        values=[
            FactValue(_find(a, "about $40 million"), 40e6, "USD", "about", 38e6, 42e6),
            FactValue(_find(b, "$52 million"), 52e6, "USD", None, 52e6, 52e6),
        ],
        explanation="$52 million is outside the range that “about $40 million” allows.",
    )
    workers = Fact(
        id="f2",
        label="workers",
        kind="count",
        status="compatible",
        values=[
            FactValue(_find(a, "More than 300"), 300, None, "more than", 301, None),
            FactValue(_find(b, "Roughly 320"), 320, None, "about", 304, 336),
        ],
        explanation="The hedged figures can all be true.",
    )
    story = Story(
        id="s-1",
        title="Lakeside bridge reopens",
        articles=["a1", "b1"],
        entities=[Entity("e1", "Ana Reyes", "PERSON", ["Ana Reyes", "Reyes"], ["Mayor"], [])],
        facts=[workers, cost],
        timeline=[TimelineEvent("2031-05-05", "The bridge reopened.", ["a1", "b1"], [])],
        quotes=[Quote(_find(a, '"a good day for commuters"'), "e1", "Ana Reyes")],
        summary=[
            SummarySentence(
                "The Lakeside bridge reopened on Monday after repairs that cost about $40 million, "
                "the city said.",
                ["a1", "b1"],
                [
                    _find(a, "The Lakeside bridge reopened on Monday"),
                    _find(b, "Repairs to the Lakeside bridge"),
                ],
            ),
            SummarySentence(
                "<script>alert('x')</script>", ["a1"], [_find(a, "<script>alert('x')</script>")]
            ),
        ],
        coverage={
            "articles": 2,
            "outlets": ["Daily Ledger", "Harbor Times"],
            "independent_reports": 1,
            "first_published": "2031-05-05",
            "last_published": "2031-05-06",
        },
    )
    return Brief(articles=[a, b], stories=[story])
