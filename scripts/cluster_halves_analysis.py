#!/usr/bin/env python
"""Error analysis behind the batch halves pass (``merge_halves``), on ECB+ train and dev only.

Prints, for each of train and dev (each clustered on its own):

1. after average link and the small-cluster attach step (the batch steps before the halves pass),
   every pair of clusters that are each other's nearest by average similarity, with the average,
   the cross / within-cluster ratio, the per-block centroid cosines (words, names, figures), the
   two clusters' main years and whether both hold mostly one gold event;
2. the constructed check: every gold event of 6+ articles cut into its two natural halves (the top
   split of its own average-link tree; both halves of 3+) against every pair of two events of one
   topic, counting how often the main years agree.

Never reads the test split. Usage::

    .venv/bin/python scripts/cluster_halves_analysis.py --data ../shared/datasets/ecbplus
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from pathlib import Path

import numpy as np

from storyline.bench.cluster import load_docs, to_articles
from storyline.cluster.batch import (
    article_features,
    attach_small,
    average_link,
    main_years,
    to_matrix,
    vectorize,
    weights_from,
    year_sets,
)
from storyline.settings import get_settings

BLOCKS = {"words": ("w:",), "names": ("n:",), "figures": ("y:", "d:")}


def _within(sim: np.ndarray, members: list[int]) -> float:
    if len(members) < 2:
        return float("nan")
    block = sim[np.ix_(members, members)]
    return float((block.sum() - np.trace(block)) / (len(members) * (len(members) - 1)))


def _block_cosine(block_sim: np.ndarray, a: list[int], b: list[int]) -> float:
    within = block_sim[np.ix_(a, a)].mean() * block_sim[np.ix_(b, b)].mean()
    return float(block_sim[np.ix_(a, b)].mean() / np.sqrt(max(within, 1e-12)))


def _majority(gold: Sequence[str], members: list[int]) -> str:
    return Counter(gold[i] for i in members).most_common(1)[0][0]


def _top_split(sim: np.ndarray, members: list[int]) -> tuple[list[int], list[int]]:
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    distance = np.clip(1.0 - sim[np.ix_(members, members)], 0.0, None)
    np.fill_diagonal(distance, 0.0)
    cut = fcluster(linkage(squareform(distance, checks=False), "average"), 2, "maxclust")
    return [m for m, c in zip(members, cut, strict=True) if c == 1], [
        m for m, c in zip(members, cut, strict=True) if c == 2
    ]


def analyse(docs: Sequence[dict[str, object]], name: str) -> tuple[int, int, int, int]:
    """Print the mutual-nearest pairs of one split; returns the constructed-check counts."""
    settings = get_settings()
    articles = to_articles(docs)  # type: ignore[arg-type]
    feats = [article_features(a, weights_from(settings)) for a in articles]
    vectors, _ = vectorize(articles, settings, feats)
    years = year_sets(feats)
    sim = (to_matrix(vectors) @ to_matrix(vectors).T).toarray()
    block_sims = {}
    for block, prefixes in BLOCKS.items():
        part: list[dict[Hashable, float]] = [
            {k: v for k, v in vec.items() if str(k).startswith(prefixes)} for vec in vectors
        ]
        matrix = to_matrix(part)
        block_sims[block] = (matrix @ matrix.T).toarray()
    gold = [str(d["subtopic"]) for d in docs]
    share = settings.cluster_halves_year_share
    labels = attach_small(
        sim,
        average_link(sim, settings.cluster_threshold),
        settings.cluster_attach_max_size,
        settings.cluster_attach_threshold,
        settings.cluster_attach_margin,
    )
    groups: dict[int, list[int]] = defaultdict(list)
    for i, label in enumerate(labels):
        groups[label].append(i)
    clusters = list(groups.values())
    onehot = np.zeros((len(labels), len(clusters)))
    for j, members in enumerate(clusters):
        onehot[members, j] = 1.0
    size = onehot.sum(axis=0)
    averages = (onehot.T @ sim @ onehot) / np.outer(size, size)
    np.fill_diagonal(averages, -np.inf)
    nearest = averages.argmax(axis=1)
    print(f"== {name}: mutual-nearest cluster pairs after average link + attach")
    print("sizes    avg   ratio  words  names  figures  one event  main years")
    for a, b in enumerate(nearest.tolist()):
        if a >= b or nearest[b] != a:
            continue
        ca, cb = clusters[a], clusters[b]
        ratio = averages[a, b] / np.nanmean([_within(sim, ca), _within(sim, cb)])
        cosines = [_block_cosine(block_sims[k], ca, cb) for k in BLOCKS]
        same = _majority(gold, ca) == _majority(gold, cb)
        ya, yb = sorted(main_years(ca, years, share)), sorted(main_years(cb, years, share))
        print(
            f"{len(ca):>2}+{len(cb):<3} {averages[a, b]:.3f}  {ratio:.2f}   "
            + "  ".join(f"{c:.2f} " for c in cosines)
            + f"    {'yes' if same else 'no ':<9}  {ya or '-'} {yb or '-'}"
        )
    events: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(gold):
        events[g].append(i)
    halves = halves_agree = pairs = pairs_agree = 0
    for members in events.values():
        if len(members) < 6:
            continue
        ha, hb = _top_split(sim, members)
        if min(len(ha), len(hb)) < 3:
            continue
        halves += 1
        halves_agree += bool(main_years(ha, years, share) & main_years(hb, years, share))
    topics: dict[object, list[str]] = defaultdict(list)
    for g, members in events.items():
        topics[docs[members[0]]["topic"]].append(g)
    for names in topics.values():
        for i, ga in enumerate(names):
            for gb in names[i + 1 :]:
                pairs += 1
                pairs_agree += bool(
                    main_years(events[ga], years, share) & main_years(events[gb], years, share)
                )
    return halves, halves_agree, pairs, pairs_agree


def main() -> None:
    """Run the analysis on train and dev."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, required=True, help="shared/datasets/ecbplus")
    args = parser.parse_args()
    docs = load_docs(args.data)
    totals = np.zeros(4, dtype=int)
    for split in ("train", "dev"):
        totals += analyse([d for d in docs if d["split"] == split], split)
    halves, halves_agree, pairs, pairs_agree = totals.tolist()
    print(f"\nmain year agrees: {halves_agree} of {halves} natural halves of one event, "
          f"{pairs_agree} of {pairs} pairs of two events of one topic (train+dev)")


if __name__ == "__main__":
    main()
