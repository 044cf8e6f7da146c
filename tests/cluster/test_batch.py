"""Batch clustering on hand-written events: same kind of event stays apart, rewordings merge."""

from __future__ import annotations

import numpy as np

from storyline.brief import story_id_for
from storyline.cluster import cluster_articles
from storyline.cluster.batch import average_link, cluster_batch
from storyline.models import Article
from storyline.settings import Settings


def _groups(articles: list[Article], stories: dict[str, str]) -> set[frozenset[str]]:
    out: dict[str, set[str]] = {}
    for a in articles:
        out.setdefault(stories[a.id], set()).add(a.id)
    return {frozenset(g) for g in out.values()}


def test_two_earthquakes_stay_apart_and_rewordings_merge(events: dict[str, list[Article]]) -> None:
    articles = [a for group in events.values() for a in group]
    stories = cluster_articles(articles, "batch")
    expected = {frozenset(a.id for a in group) for group in events.values()}
    assert _groups(articles, stories) == expected


def test_story_ids_come_from_members(events: dict[str, list[Article]]) -> None:
    articles = [a for group in events.values() for a in group]
    stories = cluster_articles(articles, "batch")
    for group in events.values():
        assert {stories[a.id] for a in group} == {story_id_for(a.id for a in group)}


def test_average_link_threshold() -> None:
    sim = np.array([[1.0, 0.9, 0.1], [0.9, 1.0, 0.2], [0.1, 0.2, 1.0]])
    labels = average_link(sim, 0.5)
    assert labels[0] == labels[1] != labels[2]
    assert len(set(average_link(sim, 0.05))) == 1
    assert average_link(np.zeros((0, 0)), 0.5) == []


def test_large_batches_take_the_online_path(events: dict[str, list[Article]]) -> None:
    articles = [a for group in events.values() for a in group]
    small = Settings(cluster_batch_exact_max=3)
    labels = cluster_batch(articles, small)
    by_event = [{labels[articles.index(a)] for a in group} for group in events.values()]
    assert all(len(s) == 1 for s in by_event)
    assert len(set().union(*by_event)) == 3


def test_unknown_mode_is_a_usage_error(events: dict[str, list[Article]]) -> None:
    import pytest

    from storyline.errors import UsageError

    with pytest.raises(UsageError):
        cluster_articles(events["merger"], "kmeans")
