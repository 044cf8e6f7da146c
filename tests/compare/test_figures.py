"""Figures: what a figure measures (anchors), labels of percents, and rows an article cannot split."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from storyline.brief import StoryContext
from storyline.compare import align_facts
from storyline.compare.anchors import Mention, describe
from storyline.compare.figures import _Group, _label
from storyline.extract.nlp import DocCache
from storyline.extract.quantities import extract_quantities
from storyline.models import Article, Fact, Story

MakeArticle = Callable[..., Article]


def _mention(text: str, surface: str) -> Mention:
    article = Article(id="a", source="a", text=text)
    doc = DocCache().get(article)
    q = next(q for q in extract_quantities(text, 0.05) if q.surface == surface)
    m = Mention(article, q, "a")
    describe(m, doc)
    return m


@pytest.mark.parametrize(
    ("text", "surface", "anchor", "label"),
    [
        # a hyphenated measure before its noun measures that noun
        (
            "Officials ousted a nine-year French counter-terrorism mission after a deal.",
            "nine-year",
            "mission",
            "duration (French counter terrorism mission)",
        ),
        # a percent of a rate is the rate's value, not a share of it
        ("The harbor unemployment rate hit 14.7 percent in April.", "14.7 percent", "rate", None),
        # after a verb of change it is a change
        ("Ferry fares rose 5 percent last year.", "5 percent", "fare", "change in Ferry fares"),
        (
            "About 40 percent of the passengers were tourists.",
            "About 40 percent",
            "passenger",
            None,
        ),
        # money after a verb of spending names what it is spent on
        ("The port spent $5 million on repairs.", "$5 million", "repair", "spending on repairs"),
    ],
)
def test_anchors_and_labels(text: str, surface: str, anchor: str, label: str | None) -> None:
    m = _mention(text, surface)
    assert m.anchor == anchor
    got = _label(_Group([m]))
    if label is not None:
        assert got == label
    assert "share of" not in got or "percent of" in text


def _facts(articles: list[Article]) -> list[Fact]:
    story = Story(id="s-test", title="t", articles=[a.id for a in articles])
    return align_facts(StoryContext(story, articles, DocCache()))


def test_two_values_of_one_sentence_are_two_things(make_article: MakeArticle) -> None:
    # each article gives both months' rates: two rows that agree, not one row in conflict
    a = make_article(
        "The harbor jobless rate fell to 5.2% in May from 5.4% in April, officials said."
    )
    b = make_article("Harbor unemployment eased to 5.2% in May after 5.4% in April, the port said.")
    rows = [f for f in _facts([a, b]) if f.kind == "quantity"]
    assert rows and all(f.status != "conflict" for f in rows), [(f.label, f.status) for f in rows]
    # a real disagreement is still caught
    c = make_article("The harbor jobless rate fell to 6.3% in May, officials said.")
    rows = [f for f in _facts([a, c]) if f.kind == "quantity"]
    assert "conflict" in {f.status for f in rows}
