"""Batch story clustering: average-link agglomeration with a similarity threshold.

The number of stories is never given. Every article becomes a vector (see
:mod:`storyline.cluster.features`); groups merge while the *average* similarity between their
articles stays at or above ``Settings.cluster_threshold``. Average link is the right shape for
news: one article that mentions two events cannot chain them together (as single link would),
yet a story whose articles drift in wording still holds together (as complete link would not).
When articles are dated, each pair's similarity is scaled down by the days between them beyond a
grace period (:func:`time_decay`): a month of news about one subject holds many events that share
their words. Clusters next to each other in time that read alike are then joined again
(:func:`join_across_days`), so a story told over weeks is not cut by day.

Exact agglomeration needs the full similarity matrix, so it runs up to
``Settings.cluster_batch_exact_max`` articles. Beyond that, the online pass
(:class:`~storyline.cluster.online.OnlineClusterer`) groups the articles in one sweep and its
stories are then merged by the same average-link rule over their centroids, so memory stays
linear in the number of articles.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from datetime import date

import numpy as np

from ..models import Article
from ..settings import Settings, get_settings
from .copies import copy_pairs, keep_copies_together, pull_copies_together
from .features import FeatureWeights, Vectorizer, raw_features


def weights_from(settings: Settings) -> FeatureWeights:
    """The feature block weights configured in the settings."""
    return FeatureWeights(
        words=settings.cluster_weight_words,
        names=settings.cluster_weight_names,
        numbers=settings.cluster_weight_numbers,
    )


def article_features(article: Article, weights: FeatureWeights) -> Counter[str]:
    """The raw feature counts of one article (its text and title)."""
    return raw_features(article.text, article.title, weights.title_boost)


def day_of(published: str | None) -> int | None:
    """The proleptic ordinal of an ISO date or datetime string, or None when absent/unparsable."""
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10]).toordinal()
    except ValueError:
        return None


def time_decay(gap_days: np.ndarray | float, grace: float, scale: float) -> np.ndarray:
    """How much a similarity counts between items ``gap_days`` apart.

    1 up to ``grace`` days, then ``1 / (1 + (gap - grace) / scale)`` (all ones when ``scale`` is
    0). Reports of one event appear within days, while other events of the same kind (another
    court ruling, the next vaccine decision) keep coming for weeks and share most of the words.
    Online mode uses ``Settings.cluster_time_grace_days`` / ``cluster_time_scale_days``, batch
    mode the ``cluster_batch_time_*`` pair.
    """
    return _decay_in_place(np.array(gap_days, dtype=np.float64), grace, scale)


def _decay_in_place(gap: np.ndarray, grace: float, scale: float) -> np.ndarray:
    """:func:`time_decay` computed in ``gap`` itself (an n×n matrix needs no second one)."""
    if scale <= 0:
        gap.fill(1.0)
        return gap
    np.abs(gap, out=gap)
    gap -= grace
    np.maximum(gap, 0.0, out=gap)
    gap /= scale
    gap += 1.0
    return np.reciprocal(gap, out=gap)


def decay_of(gap_days: float, grace: float, scale: float) -> float:
    """:func:`time_decay` of one gap, as a plain float (the online path scores one at a time)."""
    if scale <= 0:
        return 1.0
    return 1.0 / (1.0 + max(0.0, abs(gap_days) - grace) / scale)


def decay_matrix(days: Sequence[float | None], grace: float, scale: float) -> np.ndarray | None:
    """Pairwise :func:`time_decay` of items dated ``days`` (1 where either date is unknown).

    Returns None when it would change nothing: decay off, or fewer than two dated items.
    """
    known = np.array([d is not None for d in days])
    if scale <= 0 or known.sum() < 2:
        return None
    at = np.array([0.0 if d is None else float(d) for d in days])
    factor = _decay_in_place(np.subtract.outer(at, at), grace, scale)
    factor[~known, :] = 1.0
    factor[:, ~known] = 1.0
    return factor


def join_across_days(
    similarity: np.ndarray, labels: Sequence[int], days: Sequence[int | None], gap_days: float,
    threshold: float,
) -> list[int]:
    """Rejoin the pieces of one event that the time decay cut by day.

    Average link over decayed similarities has trouble holding a story told over weeks: its first
    and last articles compare at a fraction of their similarity. So afterwards clusters whose date
    ranges lie at most ``gap_days`` apart merge by average link (each cluster one item) over their
    *undecayed* average similarity, at ``threshold``. A chain of days reconnects only where the
    next days read alike; clusters with no dated article take no part.

    Args:
        similarity: the articles' undecayed similarity matrix.
        labels: the clusters after average link and the small-cluster step.
        days: each article's date (proleptic ordinal) or None.
        gap_days: most days between two clusters' date ranges for them to merge.
        threshold: least undecayed average similarity to merge (0 = no merging).

    Returns:
        One label per article.
    """
    from scipy.sparse import csr_matrix

    ids, inverse = np.unique(np.asarray(labels), return_inverse=True)
    k, n = len(ids), len(labels)
    if threshold <= 0 or k < 2:
        return list(labels)
    member = csr_matrix((np.ones(n), (np.arange(n), inverse)), shape=(n, k))
    sizes = np.bincount(inverse, minlength=k).astype(np.float64)
    average = np.asarray((member.T @ similarity) @ member) / np.outer(sizes, sizes)
    gap = range_gaps(inverse, days, k)
    near = np.isfinite(gap) & (gap <= gap_days)
    joined = np.where(near, average, 0.0)
    np.fill_diagonal(joined, 1.0)
    top = average_link(joined, threshold)
    return [top[c] for c in inverse]


def range_gaps(
    labels: np.ndarray, days: Sequence[int | None], k: int,
    rows: np.ndarray | None = None, cols: np.ndarray | None = None,
) -> np.ndarray:
    """Days between the date ranges of clusters ``0..k-1`` (0 where they overlap).

    A cluster's range runs from its earliest to its latest dated article; ``inf`` where either
    cluster has no dated article. ``rows`` / ``cols`` (cluster numbers) ask for that block only
    (default: all k×k).
    """
    at = np.array([np.nan if d is None else float(d) for d in days])
    lo, hi = np.full(k, np.inf), np.full(k, -np.inf)
    dated = ~np.isnan(at)
    np.fmin.at(lo, labels[dated], at[dated])
    np.fmax.at(hi, labels[dated], at[dated])
    r = np.arange(k) if rows is None else rows
    c = np.arange(k) if cols is None else cols
    # max(lo_c - hi_r, lo_r - hi_c), at least 0
    gap = np.maximum(np.maximum(lo[c][None, :] - hi[r][:, None], lo[r][:, None] - hi[c][None, :]), 0.0)
    gap[~(np.isfinite(lo[r])[:, None] & np.isfinite(lo[c])[None, :])] = np.inf
    return gap


def to_matrix(vectors: Sequence[dict[Hashable, float]]) -> np.ndarray:
    """Pack sparse vectors into a CSR matrix (rows = vectors); returns a scipy sparse matrix."""
    from scipy.sparse import csr_matrix

    vocab: dict[Hashable, int] = {}
    indptr = [0]
    indices: list[int] = []
    data: list[float] = []
    for vec in vectors:
        for key, value in vec.items():
            indices.append(vocab.setdefault(key, len(vocab)))
            data.append(value)
        indptr.append(len(indices))
    return csr_matrix(  # type: ignore[no-any-return]
        (np.asarray(data, dtype=np.float64), np.asarray(indices), np.asarray(indptr)),
        shape=(len(vectors), max(1, len(vocab))),
    )


def average_link(similarity: np.ndarray, threshold: float) -> list[int]:
    """Cut an average-link dendrogram where the average similarity drops below ``threshold``.

    Args:
        similarity: a symmetric matrix of similarities in [0, 1].
        threshold: groups merge while their average similarity is at least this.

    Returns:
        One label per row; rows with the same label form one cluster.
    """
    n = similarity.shape[0]
    if n == 0:
        return []
    if n == 1:
        return [0]
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    distance = np.clip(1.0 - similarity, 0.0, None)
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), method="average")
    labels = fcluster(tree, t=1.0 - threshold, criterion="distance")
    return [int(x) - 1 for x in labels]


def attach_small(
    similarity: np.ndarray,
    labels: Sequence[int],
    max_size: int,
    threshold: float,
    margin: float,
    days: Sequence[int | None] | None = None,
    max_gap: float = -1.0,
) -> list[int]:
    """Attach each small cluster to the larger cluster it is closest to on average, if clear.

    Average link leaves behind articles (and pairs, triples) whose average similarity to their
    event's cluster falls just under the merge threshold: a short article, or one that covers the
    event from an odd angle. Once the clusters are formed they are easier to place than during
    agglomeration: a cluster of at most ``max_size`` articles joins the cluster of more than
    ``max_size`` articles with the highest average similarity when that average is at least
    ``threshold`` and beats the runner-up by at least ``margin`` (an ambiguous one stays alone).
    All small clusters are placed against the large clusters as they were, in one step.

    With ``days`` and ``max_gap`` ≥ 0, a small cluster only considers the large clusters whose
    date range lies at most ``max_gap`` days from its own (clusters with no dated article are
    not held back). A leftover of an event comes out on the event's days, while on a news
    stream a small cluster from other days is mostly a whole story of its own: same subject,
    another event (a large cluster there is often one subject chained over days).

    Args:
        similarity: the articles' symmetric similarity matrix.
        labels: cluster labels from :func:`average_link`.
        max_size: clusters of at most this many articles are candidates to attach.
        threshold: the least average similarity to the cluster joined.
        margin: the least lead of the best large cluster over the second best.
        days: each article's date (proleptic ordinal) or None; None for no date limit.
        max_gap: most days between the two clusters' date ranges (negative = no limit).

    Returns:
        New labels (a subset of the old ones).
    """
    labels_arr = np.asarray(labels, dtype=np.int64)
    if labels_arr.size == 0:
        return []
    k = int(labels_arr.max()) + 1
    onehot = np.zeros((labels_arr.size, k))
    onehot[np.arange(labels_arr.size), labels_arr] = 1.0
    sizes = onehot.sum(axis=0)
    large = np.flatnonzero(sizes > max_size)
    small = np.flatnonzero((sizes > 0) & (sizes <= max_size))
    if not large.size or not small.size:
        return labels_arr.tolist()
    sums = onehot[:, small].T @ similarity @ onehot[:, large]
    averages = sums / np.outer(sizes[small], sizes[large])
    if days is not None and max_gap >= 0:
        gap = range_gaps(labels_arr, days, k, small, large)
        averages[np.isfinite(gap) & (gap > max_gap)] = -np.inf
    target = np.arange(k)
    for row, cluster in enumerate(small.tolist()):
        order = np.argsort(-averages[row])
        best = averages[row, order[0]]
        second = averages[row, order[1]] if len(order) > 1 else -np.inf
        if best >= threshold and best - second >= margin:
            target[cluster] = large[order[0]]
    return target[labels_arr].tolist()  # type: ignore[no-any-return]


def year_sets(feature_counts: Sequence[Mapping[str, int]]) -> list[frozenset[str]]:
    """The years (``y:`` features) each article mentions, for :func:`merge_halves`."""
    return [frozenset(f for f in counts if f.startswith("y:")) for counts in feature_counts]


def main_years(members: Sequence[int], years: Sequence[frozenset[str]], share: float) -> set[str]:
    """The year(s) most members mention, when at least ``share`` of them do; else none."""
    counts = Counter(y for i in members for y in years[i])
    if not counts:
        return set()
    top = max(counts.values())
    if top < share * len(members):
        return set()
    return {y for y, c in counts.items() if c == top}


def merge_halves(
    similarity: np.ndarray,
    labels: Sequence[int],
    years: Sequence[frozenset[str]],
    min_size: int,
    threshold: float,
    share: float,
) -> list[int]:
    """Merge two large clusters that are halves of one event: nearest pair, same main year.

    Average link sometimes cuts one event into two groups written from two angles (where a
    celebrity checked in, and that she left): each group is the other's nearest cluster, but
    their average similarity falls under the merge threshold. Two *different* events of one
    kind look the same by that measure, but their articles date them differently. So two
    clusters of at least ``min_size`` articles merge when each is the other's nearest (by
    average similarity, among such clusters), that average is at least ``threshold``, and the
    year most articles of each mention (at least ``share`` of them) is the same. Repeated until
    no pair merges.

    Args:
        similarity: the articles' symmetric similarity matrix.
        labels: cluster labels (after :func:`attach_small`).
        years: the years each article mentions (:func:`year_sets`).
        min_size: only clusters of at least this many articles take part.
        threshold: the least average similarity between the two clusters.
        share: the least share of a cluster's articles that mention its main year.

    Returns:
        New labels (a subset of the old ones).
    """
    out = np.asarray(labels, dtype=np.int64).copy()
    while out.size:
        ids, sizes = np.unique(out, return_counts=True)
        large = ids[sizes >= min_size]
        if len(large) < 2:
            break
        onehot = (out[:, None] == large[None, :]).astype(np.float64)
        size = onehot.sum(axis=0)
        averages = (onehot.T @ similarity @ onehot) / np.outer(size, size)
        np.fill_diagonal(averages, -np.inf)
        nearest = averages.argmax(axis=1)
        merged = False
        for a, b in enumerate(nearest.tolist()):
            if a >= b or nearest[b] != a or averages[a, b] < threshold:
                continue
            years_a = main_years(np.flatnonzero(onehot[:, a]).tolist(), years, share)
            if years_a & main_years(np.flatnonzero(onehot[:, b]).tolist(), years, share):
                out[out == large[b]] = large[a]
                merged = True
        if not merged:
            break
    return out.tolist()  # type: ignore[no-any-return]


def vectorize(
    articles: Sequence[Article], settings: Settings, feats: Sequence[Counter[str]] | None = None
) -> tuple[list[dict[Hashable, float]], Vectorizer]:
    """Vectors for a batch of articles, with document frequencies counted over the batch.

    ``feats`` are the articles' raw feature counts when the caller has them already.
    """
    weights = weights_from(settings)
    if feats is None:
        feats = [article_features(a, weights) for a in articles]
    vectorizer = Vectorizer(weights).fit(feats)
    return [vectorizer.transform(f, settings.cluster_min_df) for f in feats], vectorizer


def cluster_batch(articles: Sequence[Article], settings: Settings | None = None) -> list[int]:
    """Group a batch of articles into stories; the number of stories is found, not given.

    Args:
        articles: the articles (cleaned ``text``, optional ``title``).
        settings: tunables (``cluster_*``); the process settings when omitted.

    Returns:
        One story label (an int; equal labels = one story) per article, in input order.
    """
    settings = settings or get_settings()
    if len(articles) > settings.cluster_batch_exact_max:
        return _cluster_large(articles, settings)
    weights = weights_from(settings)
    feats = [article_features(a, weights) for a in articles]
    vectors, _ = vectorize(articles, settings, feats)
    matrix = to_matrix(vectors)
    raw = (matrix @ matrix.T).toarray()
    days = [day_of(a.published) for a in articles]
    grace, scale = settings.cluster_batch_time_grace_days, settings.cluster_batch_time_scale_days
    decay = decay_matrix(days, grace, scale)
    similarity = raw if decay is None else np.multiply(raw, decay, out=decay)
    copies = copy_pairs(articles)
    pull_copies_together(similarity, copies)
    labels = average_link(similarity, settings.cluster_threshold)
    if settings.cluster_attach_max_size > 0:
        labels = attach_small(
            similarity,
            labels,
            settings.cluster_attach_max_size,
            settings.cluster_attach_threshold,
            settings.cluster_attach_margin,
            days,
            settings.cluster_attach_gap_days,
        )
    if decay is not None:
        labels = join_across_days(raw, labels, days, grace, settings.cluster_time_join_threshold)
    if settings.cluster_halves_threshold > 0:
        labels = merge_halves(
            similarity,
            labels,
            year_sets(feats),
            settings.cluster_attach_max_size + 1,
            settings.cluster_halves_threshold,
            settings.cluster_halves_year_share,
        )
    return keep_copies_together(labels, copies)


def _cluster_large(articles: Sequence[Article], settings: Settings) -> list[int]:
    """One online sweep, then an average-link merge of the resulting stories' centroids."""
    from .online import OnlineClusterer

    clusterer = OnlineClusterer(settings, keep_closed=True)
    clusterer.copies.link(articles)
    copies = copy_pairs(articles)
    story_of = [clusterer.add(a) for a in articles]
    stories = clusterer.all_stories()
    if len(stories) > settings.cluster_batch_exact_max:
        names = {sid: i for i, sid in enumerate(stories)}
        return keep_copies_together([names[s] for s in story_of], copies)
    ids = list(stories)
    centroids = to_matrix([stories[s].mean() for s in ids])
    # The dot product of two centroids is the average similarity between the two stories'
    # articles, so merging them keeps the average-link rule (each story weighs as one item).
    similarity = (centroids @ centroids.T).toarray()
    decay = decay_matrix([stories[s].mean_day for s in ids], settings.cluster_batch_time_grace_days,
                         settings.cluster_batch_time_scale_days)
    if decay is not None:
        similarity *= decay
    merged = average_link(similarity, settings.cluster_threshold)
    label_of = dict(zip(ids, merged, strict=True))
    return keep_copies_together([label_of[s] for s in story_of], copies)
