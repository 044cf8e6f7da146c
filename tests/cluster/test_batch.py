"""Batch clustering on hand-written events: same kind of event stays apart, rewordings merge."""

from __future__ import annotations

from collections import Counter

import numpy as np

from storyline.brief import story_id_for
from storyline.cluster import cluster_articles
from storyline.cluster.batch import (
    attach_small,
    average_link,
    cluster_batch,
    decay_matrix,
    decay_of,
    join_across_days,
    merge_halves,
    range_gaps,
    time_decay,
    year_sets,
)
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


def test_a_small_cluster_attaches_only_within_the_large_clusters_days() -> None:
    # 0-3: one event on days 10-11; 4: a leftover of it on day 11; 5-6: a pair five days later
    # (same subject, another event) that reads as close to the event as the leftover does
    sim = np.full((7, 7), 0.02)
    sim[:4, :4] = 0.6
    sim[5:, 5:] = 0.6
    sim[4, :4] = sim[:4, 4] = 0.2
    sim[5:, :4] = sim[:4, 5:] = 0.2
    np.fill_diagonal(sim, 1.0)
    labels = [0, 0, 0, 0, 1, 2, 2]
    days: list[int | None] = [10, 10, 11, 11, 11, 16, 16]
    out = attach_small(sim, labels, 3, 0.14, 0.01, days, max_gap=0.0)
    assert out[4] == out[0]  # the leftover, on the event's days, stays with it
    assert out[5] == out[6] != out[0]  # the later pair stays a story of its own
    # without the limit (negative gap, or no dates) the pair is taken in as before
    assert attach_small(sim, labels, 3, 0.14, 0.01, days, max_gap=-1.0)[5] == out[0]
    assert attach_small(sim, labels, 3, 0.14, 0.01, [None] * 7, max_gap=0.0)[5] == out[0]
    # a wider limit reaches the pair
    assert attach_small(sim, labels, 3, 0.14, 0.01, days, max_gap=5.0)[5] == out[0]


def test_range_gaps_between_date_ranges() -> None:
    gaps = range_gaps(np.array([0, 0, 1, 2, 3]), [1, 4, 3, 9, None], 4)
    assert gaps[0, 1] == 0.0  # day 3 lies within days 1-4
    assert gaps[0, 2] == gaps[2, 0] == 5.0  # days 1-4 to day 9
    assert np.isinf(gaps[0, 3]) and np.isinf(gaps[3, 3])  # an undated cluster has no range
    rows, cols = np.array([2, 0]), np.array([3, 1, 2])  # a block only, as attach_small asks
    block = range_gaps(np.array([0, 0, 1, 2, 3]), [1, 4, 3, 9, None], 4, rows, cols)
    assert np.array_equal(block, gaps[np.ix_(rows, cols)])


def _two_groups(cross: float) -> np.ndarray:
    """Two groups of four articles: 0.6 within each group, ``cross`` between them."""
    sim = np.full((8, 8), cross)
    sim[:4, :4] = sim[4:, 4:] = 0.6
    np.fill_diagonal(sim, 1.0)
    return sim


def test_merge_halves_needs_the_same_main_year() -> None:
    sim = _two_groups(0.22)
    labels = [0, 0, 0, 0, 1, 1, 1, 1]
    same = [frozenset({"y:2031"})] * 3 + [frozenset()] + [frozenset({"y:2031", "y:2029"})] * 4
    assert len(set(merge_halves(sim, labels, same, 4, 0.2, 0.5))) == 1
    # two events of one kind, dated differently, stay apart at the same similarity
    other = [frozenset({"y:2031"})] * 4 + [frozenset({"y:2029"})] * 4
    assert merge_halves(sim, labels, other, 4, 0.2, 0.5) == labels
    # a year that fewer than half the articles mention is no main year
    rare = [frozenset({"y:2031"})] + [frozenset()] * 3 + [frozenset({"y:2031"})] * 4
    assert merge_halves(sim, labels, rare, 4, 0.2, 0.5) == labels
    # under the threshold, or groups too small to take part: nothing merges
    assert merge_halves(_two_groups(0.15), labels, same, 4, 0.2, 0.5) == labels
    assert merge_halves(sim, labels, same, 5, 0.2, 0.5) == labels


def test_merge_halves_only_mutual_nearest() -> None:
    # groups 0 and 1 are each other's nearest; group 2 is nearest to 1 but 1 prefers 0
    sim = np.full((12, 12), 0.0)
    for g in range(3):
        sim[4 * g : 4 * g + 4, 4 * g : 4 * g + 4] = 0.6
    sim[:4, 4:8] = sim[4:8, :4] = 0.3
    sim[4:8, 8:] = sim[8:, 4:8] = 0.25
    np.fill_diagonal(sim, 1.0)
    labels = [0] * 4 + [1] * 4 + [2] * 4
    years = [frozenset({"y:2031"})] * 12
    out = merge_halves(sim, labels, years, 4, 0.2, 0.5)
    assert out[0] == out[4] and out[8] != out[0]


def test_year_sets_reads_year_features() -> None:
    assert year_sets([Counter({"y:2031": 2, "d:6.4": 1, "w:quake": 1})]) == [frozenset({"y:2031"})]


def test_time_decay_keeps_a_later_event_of_the_same_kind_apart(
    council_votes: dict[str, list[Article]],
) -> None:
    articles = council_votes["march"] + council_votes["april"]
    expected = {frozenset(a.id for a in v) for v in council_votes.values()}
    settings = Settings()
    assert _groups(articles, cluster_articles(articles, "batch", settings)) == expected
    # the two votes share nearly every word: without the dates they are one story
    undecayed = Settings(cluster_batch_time_scale_days=0.0)
    assert len(_groups(articles, cluster_articles(articles, "batch", undecayed))) == 1
    # undated articles compare at full similarity
    undated = [Article(id=a.id, source=a.source, text=a.text) for a in articles]
    assert len(_groups(undated, cluster_articles(undated, "batch", settings))) == 1


def test_time_decay_values() -> None:
    assert time_decay(np.array([0.0, 1.0, 3.0, 5.0]), 1.0, 2.0).tolist() == [1.0, 1.0, 0.5, 1 / 3]
    assert time_decay(-3.0, 1.0, 2.0) == 0.5  # earlier or later alike
    assert time_decay(40.0, 1.0, 0.0) == 1.0  # scale 0: dates play no part
    assert decay_of(-3.0, 1.0, 2.0) == 0.5 and decay_of(9.0, 1.0, 0.0) == 1.0
    factors = decay_matrix([10, None, 13], 1.0, 2.0)
    assert factors is not None
    assert factors.tolist() == [[1.0, 1.0, 0.5], [1.0, 1.0, 1.0], [0.5, 1.0, 1.0]]
    assert decay_matrix([10, None, None], 1.0, 2.0) is None  # fewer than two dated: nothing to do


def test_a_story_told_over_three_weeks_is_not_cut_by_day(strike_weeks: list[Article]) -> None:
    settings = Settings()
    joined = _groups(strike_weeks, cluster_articles(strike_weeks, "batch", settings))
    cut = _groups(strike_weeks, cluster_articles(
        strike_weeks, "batch", Settings(cluster_time_join_threshold=0.0)))
    assert len(joined) <= 2 < len(cut)  # the join step puts the days back together


def test_join_across_days_needs_neighbouring_dates_and_alike_text() -> None:
    similarity = np.array([
        [1.0, 0.9, 0.3, 0.3],
        [0.9, 1.0, 0.3, 0.3],
        [0.3, 0.3, 1.0, 0.05],
        [0.3, 0.3, 0.05, 1.0],
    ])  # fmt: skip
    labels = [0, 0, 1, 2]
    # cluster 1 lies a day after cluster 0 and reads alike: joined; cluster 2 lies ten days on
    assert join_across_days(similarity, labels, [1, 2, 3, 12], 2.0, 0.2) == [0, 0, 0, 1]
    # an undated cluster takes no part, and a threshold of 0 turns the step off
    out = join_across_days(similarity, labels, [1, 2, None, 3], 2.0, 0.2)
    assert out[2] not in (out[0], out[3])
    assert join_across_days(similarity, labels, [1, 2, 3, 4], 2.0, 0.0) == labels
