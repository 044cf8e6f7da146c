"""The multi-source summary: consensus first, every sentence cited with exact spans, reads alone."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from storyline.brief import StoryContext
from storyline.extract.nlp import DocCache
from storyline.models import Article, Relation, Story
from storyline.settings import Settings
from storyline.summarize import summarize_story, summarize_texts
from storyline.summarize.text import content_words, reads_alone, split_sentences, stem, word_count

MakeArticle = Callable[..., Article]

FIRST = (
    "Harbor Ledger\n"
    "Firefighters battled a blaze aboard the cargo ferry Marlin off Port Avel on Sunday night. "
    "All 212 passengers were evacuated safely by coast guard boats, officials said. "
    "He said the crew acted fast. "
    "The ferry operator has not commented."
)
SECOND = (
    "A fire broke out aboard the cargo ferry Marlin near Port Avel on Sunday. "
    "Coast guard boats evacuated all 212 passengers safely. "
    "But questions remain about the vessel's age."
)
THIRD = (
    "The Marlin ferry fire near Port Avel forced the evacuation of 212 passengers on Sunday. "
    "Investigators will examine the engine room on Tuesday, a port spokesperson said. "
    "Why did it happen?"
)


def _story(articles: list[Article], words: int = 120) -> list:  # type: ignore[type-arg]
    story = Story(id="s", title="t", articles=[a.id for a in articles])
    ctx = StoryContext(story, articles, DocCache(), Settings(summary_words=words))
    return summarize_story(ctx)


def test_split_sentences_keeps_abbreviations_and_lines() -> None:
    text = "Sen. Ann Lee spoke in the U.S. Senate on Monday. She left.\nShare this\n  Next one!  "
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "Sen. Ann Lee spoke in the U.S. Senate on Monday.",
        "She left.",
        "Share this",
        "Next one!",
    ]


@pytest.mark.parametrize(
    ("sentence", "ok"),
    [
        ("Coast guard boats evacuated all 212 passengers safely.", True),
        ("But questions remain about the vessel's age today.", False),
        ("He said the crew acted fast and well.", False),
        ("Why did the fire start on the ferry?", False),
        ("Share this story", False),
        ('The mayor called it "a disaster for the town.', False),
        ('"We are safe," one passenger told reporters at the port.', True),
    ],
)
def test_reads_alone(sentence: str, ok: bool) -> None:
    assert reads_alone(sentence) is ok


def test_words_for_comparison() -> None:
    assert stem("troops") == stem("troop")
    assert content_words("The passengers were evacuated") == ["passenger", "evacuat"]


def test_summary_cites_supporters_with_exact_spans(make_article: MakeArticle) -> None:
    arts = [make_article(FIRST), make_article(SECOND), make_article(THIRD)]
    summary = _story(arts)
    assert summary
    texts = {a.id: a.text for a in arts}
    for s in summary:
        assert s.evidence and s.articles
        for span in s.evidence:
            assert texts[span.article][span.start : span.end] == span.text
        assert {sp.article for sp in s.evidence} == set(s.articles)
        # the sentence is its own span, or a part of it with a full stop (a dropped tail)
        assert s.text in (s.evidence[0].text, s.evidence[0].text + ".")
        assert reads_alone(s.text)
    # the first sentence says what all three sources report, and cites all three
    assert len(summary[0].articles) == 3
    assert sum(word_count(s.text) for s in summary) <= 120


def test_summary_respects_the_word_budget(make_article: MakeArticle) -> None:
    arts = [make_article(FIRST), make_article(SECOND), make_article(THIRD)]
    short = _story(arts, words=20)
    assert len(short) == 1


def test_copies_do_not_make_consensus(make_article: MakeArticle) -> None:
    a = make_article(FIRST)
    copy = make_article(FIRST, relations=[Relation("duplicate_of", a.id, 1.0)])
    b = make_article(THIRD)
    summary = _story([a, copy, b])
    texts = {x.id: x.text for x in (a, copy, b)}
    for s in summary:
        for span in s.evidence:
            assert texts[span.article][span.start : span.end] == span.text
    chosen = {s.text for s in summary}
    # the ferry-fire sentence that the independent third article backs ranks first
    assert summary[0].articles[0] in {a.id, copy.id, b.id}
    assert any(b.id in s.articles for s in summary)
    assert "He said the crew acted fast." not in chosen


def test_summarize_texts_plain() -> None:
    chosen = summarize_texts([FIRST, SECOND, THIRD], budget=40)
    assert chosen
    assert sum(word_count(c.sentence.text) for c in chosen) <= 40 or len(chosen) == 1
    assert chosen[0].consensus
