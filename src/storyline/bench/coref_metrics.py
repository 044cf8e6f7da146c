"""Coreference scores: MUC, B³ and CEAF-e, and the CoNLL F1 (their mean F1).

Key and response are clusterings of the same mentions (gold mentions), given as one cluster label
per mention. Definitions follow Pradhan et al. (2014), "Scoring Coreference Partitions of
Predicted Mentions: A Reference Implementation" (the CoNLL-2012 scorer); singletons count in B³
and CEAF-e, and contribute nothing to MUC.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class PRF:
    """Precision, recall and F1 of one metric."""

    p: float
    r: float

    @property
    def f1(self) -> float:
        return 0.0 if self.p + self.r == 0 else 2 * self.p * self.r / (self.p + self.r)


def _clusters(labels: Sequence[Hashable]) -> list[set[int]]:
    groups: dict[Hashable, set[int]] = defaultdict(set)
    for i, lab in enumerate(labels):
        groups[lab].add(i)
    return list(groups.values())


def _muc_recall(key: list[set[int]], response_of: Sequence[Hashable]) -> float:
    num = den = 0
    for k in key:
        parts = {response_of[i] for i in k}
        num += len(k) - len(parts)
        den += len(k) - 1
    return num / den if den else 0.0


def muc(key: Sequence[Hashable], response: Sequence[Hashable]) -> PRF:
    """MUC (Vilain et al. 1995): links kept, over links needed."""
    return PRF(_muc_recall(_clusters(response), key), _muc_recall(_clusters(key), response))


def b_cubed(key: Sequence[Hashable], response: Sequence[Hashable]) -> PRF:
    """B³ (Bagga & Baldwin 1998): per-mention overlap of its key and response clusters."""
    n = len(key)
    if n == 0:
        return PRF(0.0, 0.0)
    k_of = {i: c for c in _clusters(key) for i in c}
    r_of = {i: c for c in _clusters(response) for i in c}
    p = sum(len(k_of[i] & r_of[i]) / len(r_of[i]) for i in range(n)) / n
    r = sum(len(k_of[i] & r_of[i]) / len(k_of[i]) for i in range(n)) / n
    return PRF(p, r)


def ceaf_e(key: Sequence[Hashable], response: Sequence[Hashable]) -> PRF:
    """Entity-based CEAF (Luo 2005) with φ4 similarity and an optimal one-to-one alignment."""
    from scipy.optimize import linear_sum_assignment

    kc, rc = _clusters(key), _clusters(response)
    if not kc or not rc:
        return PRF(0.0, 0.0)
    r_index = {i: j for j, c in enumerate(rc) for i in c}
    sim = np.zeros((len(kc), len(rc)))
    for a, k in enumerate(kc):
        overlap: dict[int, int] = defaultdict(int)
        for i in k:
            overlap[r_index[i]] += 1
        for b, common in overlap.items():
            sim[a, b] = 2 * common / (len(k) + len(rc[b]))
    rows, cols = linear_sum_assignment(-sim)
    total = float(sim[rows, cols].sum())
    return PRF(total / len(rc), total / len(kc))


def conll_scores(key: Sequence[Hashable], response: Sequence[Hashable]) -> dict[str, PRF | float]:
    """MUC, B³, CEAF-e and the CoNLL F1 (mean of the three F1s) of a response against a key.

    Args:
        key: Gold cluster label of each mention.
        response: Predicted cluster label of each mention (same order, same length).

    Returns:
        ``{"muc": PRF, "b3": PRF, "ceafe": PRF, "conll": float}``.
    """
    if len(key) != len(response):
        raise ValueError("key and response must label the same mentions")
    m, b, c = muc(key, response), b_cubed(key, response), ceaf_e(key, response)
    return {"muc": m, "b3": b, "ceafe": c, "conll": (m.f1 + b.f1 + c.f1) / 3}
