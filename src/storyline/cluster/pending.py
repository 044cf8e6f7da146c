"""Average link over open stories and articles still waiting for their story (delayed decision).

The online clusterer can hold the last few arrivals back before it assigns them
(``Settings.cluster_online_delay``). When the oldest waiting article must be decided, the
waiting articles and the open stories they could join are grouped together by average link, with
one constraint: two open stories never merge (the past is not revised). The oldest article then
joins the story its group holds, or founds a new one when its group holds none. Seeing the next
few articles first lets a pair of articles that belong together find each other before either is
committed, and the document frequencies have matured by the time an early article is decided.

Average link needs only each group's *sum* of vectors and its size: the average similarity of
two disjoint groups is ``sum_a · sum_b / (n_a · n_b)``, so the agglomeration runs on the Gram
matrix of the items' sums, updated in place as groups merge.
"""

from __future__ import annotations

import numpy as np


def constrained_average_link(
    gram: np.ndarray, sizes: np.ndarray, fixed: np.ndarray, threshold: float, small_extra: float = 0.0
) -> list[int]:
    """Average-link agglomeration in which two ``fixed`` items never end up in one group.

    Args:
        gram: the items' sums of vectors, as a Gram matrix (``gram[i, j] = sum_i · sum_j``).
        sizes: how many articles each item stands for (1 for an article, the number of
            remembered members for a story).
        fixed: which items are open stories (at most one per group).
        threshold: groups merge while their average similarity is at least this.
        small_extra: two single articles merge only at ``threshold + small_extra`` (as an
            arriving article joins a one-article story online).

    Returns:
        A group label per item (the index of one item of the group).
    """
    n = gram.shape[0]
    g = np.array(gram, dtype=np.float64, copy=True)
    size = np.asarray(sizes, dtype=np.float64).copy()
    is_fixed = np.asarray(fixed, dtype=bool).copy()
    active = np.ones(n, dtype=bool)
    label = np.arange(n)
    while True:
        with np.errstate(divide="ignore", invalid="ignore"):
            avg = g / np.outer(size, size)
        if small_extra:
            avg -= small_extra * (np.maximum.outer(size, size) == 1)
        blocked = ~np.outer(active, active) | np.outer(is_fixed, is_fixed)
        np.fill_diagonal(blocked, True)
        avg[blocked] = -np.inf
        flat = int(np.argmax(avg))
        i, j = divmod(flat, n)
        if not np.isfinite(avg[i, j]) or avg[i, j] < threshold:
            break
        # merge j into i: the sums add, so do the Gram rows and columns
        g[i, :] += g[j, :]
        g[:, i] += g[:, j]
        size[i] += size[j]
        is_fixed[i] |= is_fixed[j]
        active[j] = False
        label[label == j] = i
    return label.tolist()  # type: ignore[no-any-return]

