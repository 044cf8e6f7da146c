"""Batch clustering on hand-written events: same kind of event stays apart, rewordings merge."""

from __future__ import annotations

import numpy as np

from storyline.brief import story_id_for
from storyline.cluster import cluster_articles
from storyline.cluster.batch import attach_small, average_link, cluster_batch
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


def test_small_clusters_attach_to_their_clear_nearest_cluster() -> None:
    # articles 0-3 and 4-7 are two stories; 8 leans to the first, 9 is between both, 10 is alone
    sim = np.full((11, 11), 0.02)
    sim[:4, :4] = sim[4:8, 4:8] = 0.6
    sim[8, :4] = sim[:4, 8] = 0.2
    sim[9, :8] = sim[:8, 9] = 0.2
    np.fill_diagonal(sim, 1.0)
    labels = [0, 0, 0, 0, 1, 1, 1, 1, 2, 3, 4]
    out = attach_small(sim, labels, max_size=3, threshold=0.14, margin=0.01)
    assert out[8] == out[0]  # clear and close enough: joins
    assert out[9] not in (out[0], out[4])  # as close to both: stays alone
    assert out[10] == 4  # close to nothing: stays alone
    assert attach_small(sim, labels, max_size=3, threshold=0.25, margin=0.01)[8] == 2
    assert out[:8] == labels[:8]
