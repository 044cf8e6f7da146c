"""Copies (exact and near-duplicates) stay in their original's story in both modes."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from storyline.cluster import OnlineClusterer, cluster_articles
from storyline.cluster.copies import (
    copy_pairs,
    copy_targets,
    keep_copies_together,
    pull_copies_together,
)
from storyline.dedup import find_relations
from storyline.models import Article, Relation
from storyline.settings import get_settings

# Fictional texts with no names and no figures: only the words block can link them.
POND = (
    "the water in the old mill pond turned green overnight and neighbours said the smell reached "
    "the school by the next morning. the council asked people to keep dogs away from the bank "
    "while samples were tested, and said the cause was not yet known."
)
BAKERY = (
    "a small bakery opened on the corner with fresh bread every morning, and long queues formed "
    "before dawn as neighbours waited for the first warm loaves to come out of the oven."
)


def _article(aid: str, text: str, published: str | None = None) -> Article:
    return Article(id=aid, source=f"{aid}.txt", text=text, published=published)


def _with_relations(articles: list[Article]) -> list[Article]:
    for i, a in enumerate(articles):
        a.ingest_order = i
    find_relations(articles, flags=False)
    return articles


def test_copy_targets_and_pairs_read_copy_relations_only() -> None:
    a, b, c = _article("a", "x"), _article("b", "x"), _article("c", "y")
    b.relations = [Relation("near_duplicate_of", "a", 0.6), Relation("duplicate_of", "z", 1.0)]
    c.relations = [Relation("rewrite_of", "a", 0.9), Relation("same_author", "b", 1.0)]
    assert copy_targets(b) == ["z", "a"]  # best first
    assert copy_targets(c) == []
    assert copy_pairs([a, b, c]) == [(0, 1)]  # "z" is not in the set


def test_keep_copies_together_follows_the_first_member_of_each_group() -> None:
    # 0 ← 2 ← 4 is one chain of copies; 1 and 3 are on their own
    assert keep_copies_together([5, 6, 7, 8, 9], [(0, 2), (2, 4)]) == [5, 6, 5, 8, 5]
    assert keep_copies_together([1, 2], []) == [1, 2]


def test_pull_copies_together_gives_copy_pairs_the_top_similarity() -> None:
    sim = np.array([[1.0, 0.2, 0.0], [0.2, 1.0, 0.1], [0.0, 0.1, 1.0]])
    pull_copies_together(sim, [(0, 1)])
    assert sim[0, 1] == sim[1, 0] == 1.0
    assert sim[1, 2] == 0.1


def test_identical_articles_without_names_or_figures_are_one_story_in_batch() -> None:
    articles = _with_relations([_article("p1", POND), _article("k1", BAKERY), _article("p2", POND)])
    assert copy_targets(articles[2]) == ["p1"]
    stories = cluster_articles(articles, "batch")
    assert stories["p1"] == stories["p2"] != stories["k1"]
    # what the similarity alone does with them (the reason for the rule; a future fix of the
    # empty-block weakness in docs/clustering.md may join them and retire this check)
    for a in articles:
        a.relations = []
    alone = cluster_articles(articles, "batch")
    assert alone["p1"] != alone["p2"]


#: Online settings under which only the copy rule can join two articles.
STRICT = replace(get_settings(), cluster_online_threshold=0.99, cluster_online_young_threshold=0.99,
                 cluster_online_young_extra=0.0)


def _online(articles: list[Article], delay: int) -> dict[str, str]:
    return OnlineClusterer(replace(STRICT, cluster_online_delay=delay)).assign(articles)


def test_a_near_copy_follows_its_original_online_on_arrival_and_delayed() -> None:
    edited = POND.replace("next morning", "following day") + " more tests are due soon."
    for delay in (0, 3):
        articles = _with_relations(
            [_article("p1", POND), _article("k1", BAKERY), _article("p2", edited)]
        )
        assert [r.type for r in articles[2].relations] == ["near_duplicate_of"]
        stories = _online(articles, delay)
        assert stories["p1"] == stories["p2"] != stories["k1"]
        for a in articles:
            a.relations = []
        assert len(set(_online(articles, delay).values())) == 3  # what the similarity alone does


def test_a_copy_that_arrives_before_its_original_still_joins_it_online() -> None:
    # the relation sits on the later-published article, but the stream delivers it first
    copy, original = _article("p2", POND, "2025-03-02T18:00"), _article("p1", POND, "2025-03-02T06:00")
    articles = _with_relations([copy, _article("k1", BAKERY, "2025-03-02"), original])
    assert copy_targets(copy) == ["p1"]
    for delay in (0, 3):
        stories = _online(articles, delay)
        assert stories["p1"] == stories["p2"] != stories["k1"]


def test_a_chain_of_copies_is_one_story_in_both_modes() -> None:
    edits = [POND, POND + " samples came back.", POND + " samples came back. the pond reopened."]
    articles = _with_relations([_article(f"p{i}", t) for i, t in enumerate(edits)]
                               + [_article("k1", BAKERY)])
    assert copy_pairs(articles)
    for stories in (cluster_articles(articles, "batch"), _online(articles, 0), _online(articles, 2)):
        assert len({stories["p0"], stories["p1"], stories["p2"]}) == 1 != len(set(stories.values()))


def test_copies_stay_together_past_the_exact_batch_size() -> None:
    articles = _with_relations([_article("p2", POND), _article("k1", BAKERY), _article("p1", POND)])
    large = replace(get_settings(), cluster_batch_exact_max=2)
    stories = cluster_articles(articles, "batch", large)
    assert stories["p1"] == stories["p2"] != stories["k1"]


def test_a_copy_of_an_article_whose_story_closed_gets_that_story() -> None:
    settings = replace(get_settings(), cluster_online_delay=0)
    first = _article("p1", POND, "2025-03-01")
    later = [_article("k1", BAKERY, "2025-03-25"), _article("p2", POND, "2025-03-26")]
    articles = _with_relations([first, *later])
    clusterer = OnlineClusterer(settings)
    story = clusterer.add(first)
    assert clusterer.add(later[0]) != story
    assert story not in clusterer.open_stories()  # quiet for longer than the window
    assert clusterer.add(articles[2]) == story
    assert story not in clusterer.open_stories()  # labelled, not reopened


def test_remember_places_a_copy_of_an_article_decided_elsewhere() -> None:
    copy = _article("p2", POND)
    copy.relations = [Relation("duplicate_of", "p1", 1.0)]
    clusterer = OnlineClusterer()
    clusterer.remember({"p1": "s-earlier"})
    assert clusterer.add(copy) == "s-earlier"
