"""Average link over open stories and waiting articles: stories never merge, and a waiting
article joins the story its group holds."""

from __future__ import annotations

import numpy as np

from storyline.cluster.pending import constrained_average_link


def _gram(vectors: list[list[float]]) -> np.ndarray:
    m = np.asarray(vectors, dtype=np.float64)
    return m @ m.T


def test_two_stories_never_merge_however_alike() -> None:
    gram = _gram([[1.0, 0.0], [1.0, 0.0], [1.0, 0.0]])
    labels = constrained_average_link(gram, np.ones(3), np.array([True, True, False]), 0.5)
    assert labels[0] != labels[1]
    assert labels[2] in (labels[0], labels[1])
    # without the constraint all three are one group
    assert len(set(constrained_average_link(gram, np.ones(3), np.zeros(3, dtype=bool), 0.5))) == 1


def test_average_uses_sums_and_sizes() -> None:
    # item 0 is a story of 2 members whose summed vector is (2, 0): its average with (1, 0) is 1
    gram = _gram([[2.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    labels = constrained_average_link(gram, np.array([2.0, 1.0, 1.0]), np.array([True, False, False]), 0.9)
    assert labels[1] == labels[0]
    assert labels[2] != labels[0]  # orthogonal: average 0, under the threshold


def test_groups_merge_only_down_to_the_threshold() -> None:
    gram = _gram([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]])
    free = np.zeros(3, dtype=bool)
    assert len(set(constrained_average_link(gram, np.ones(3), free, 0.85))) == 3
    assert len(set(constrained_average_link(gram, np.ones(3), free, 0.75))) == 2
    assert len(set(constrained_average_link(gram, np.ones(3), free, 0.0))) == 1



def test_small_extra_holds_two_single_articles_apart() -> None:
    pair = _gram([[1.0, 0.0], [0.7, 0.71414284]])  # two articles 0.7 alike
    free = np.zeros(2, dtype=bool)
    assert len(set(constrained_average_link(pair, np.ones(2), free, 0.5))) == 1
    assert len(set(constrained_average_link(pair, np.ones(2), free, 0.5, small_extra=0.3))) == 2
    # a group of two is not a single article: the same 0.7 joins it to the third
    trio = _gram([[1.0, 0.0], [0.7, 0.71414284], [0.7, 0.71414284]])
    labels = constrained_average_link(trio, np.ones(3), np.zeros(3, dtype=bool), 0.5, small_extra=0.3)
    assert len(set(labels)) == 1
