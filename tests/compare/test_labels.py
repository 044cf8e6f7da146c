"""Fact labels read as noun phrases: dates of verbs become gerunds, figures name what they measure."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from storyline.brief import StoryContext
from storyline.compare import align_facts
from storyline.compare.anchors import Mention, describe
from storyline.compare.dates import gerund
from storyline.compare.figures import _Group, _label
from storyline.extract.nlp import DocCache
from storyline.extract.quantities import extract_quantities
from storyline.models import Article, Story

MakeArticle = Callable[..., Article]


@pytest.mark.parametrize(
    ("lemma", "form"),
    [
        ("put", "putting"),
        ("take", "taking"),
        ("die", "dying"),
        ("enter", "entering"),
        ("pass", "passing"),
        ("stop", "stopping"),
        ("visit", "visiting"),
        ("begin", "beginning"),
        ("see", "seeing"),
        ("fix", "fixing"),
        ("play", "playing"),
        ("agree", "agreeing"),
    ],
)
def test_gerund(lemma: str, form: str) -> None:
    assert gerund(lemma) == form


def _date_labels(make_article: MakeArticle, texts: list[str]) -> list[str]:
    arts = [make_article(t, published="2031-03-05") for t in texts]
    story = Story(id="s-test", title="t", articles=[a.id for a in arts])
    facts = align_facts(StoryContext(story, arts, DocCache()))
    return sorted(f.label for f in facts if f.kind == "date")


def test_dates_of_actions_are_labelled_with_a_gerund(make_article: MakeArticle) -> None:
    labels = _date_labels(
        make_article,
        [
            "Last year the crew of the tug Orla put out an engine-room fire without injuries. "
            "The ship passed its annual safety inspection last July, the ministry said.",
            "Last year a fire in the engine room of the tug Orla was put out by its crew. "
            "The vessel passed its yearly safety inspection last July.",
        ],
    )
    assert labels == [
        "date of passing the annual safety inspection",
        "date of putting out the engine-room fire",
    ]
    assert not any(label.startswith("date:") for label in labels)


def test_a_date_without_article_keeps_the_bare_noun(make_article: MakeArticle) -> None:
    labels = _date_labels(
        make_article,
        [
            "The ferry entered service in 2019 after sea trials near the harbour.",
            "Built in a northern yard, the ferry entered service in 2019.",
        ],
    )
    assert labels == ["date of entering service"]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # the subject only gives the figure; the object is what it measures
        (
            "In a statement, the operator put the ship's insured value at roughly 40 million euros.",
            "insured value",
        ),
        ("The city estimated the cost of the repairs at $5 million.", "cost"),
        # "times" alone says nothing: the participle says times of what
        ("The video has been viewed more than 200,000 times.", "times viewed"),
        ("The base, which cost about $100 million, opened in 2019.", "cost of the base"),
        (
            "More than 300 firefighters in Portugal were sent to the coast.",
            "firefighters in Portugal",
        ),
        # a duration between two events is named by the event, not by who reported it
        (
            "The ferry sank three days after the fire, harbour spokesman Tom Vale said.",
            "time after the fire",
        ),
        ("The hull was repainted two months before the launch.", "time before the launch"),
        ("Work resumed three weeks after independence.", "time after independence"),
        ("The minister said the repairs would take six weeks.", "duration (repairs)"),
        ("The terminal stayed closed for 20 days after the storm.", "duration (terminal)"),
    ],
)
def test_figure_labels(text: str, label: str) -> None:
    article = Article(id="a", source="a", text=text)
    doc = DocCache().get(article)
    (q,) = extract_quantities(text, 0.05)
    m = Mention(article, q, "a")
    describe(m, doc)
    assert _label(_Group([m])) == label


def test_example_corpus_labels_read_as_noun_phrases(example_dir: Path) -> None:
    from storyline.ingest import RawDocument, read_paths
    from storyline.ingest.build import build_article

    arts = [build_article(r) for r in read_paths([example_dir]) if isinstance(r, RawDocument)]
    story_a = [a for a in arts if "Selini Star" in a.text]
    story = Story(id="s-test", title="t", articles=[a.id for a in story_a])
    labels = {f.label for f in align_facts(StoryContext(story, story_a, DocCache()))}
    assert not [x for x in labels if x.startswith(("date:", "figure:"))], labels
    assert any(x.startswith("date of putting out the") for x in labels), labels
    assert "insured value" in labels
    assert "operator" not in labels
