"""What the online clusterer remembers of a story, and the order in which articles arrive.

:class:`StoryState` holds a story's pruned centroid, its newest members' packed features and
their dates; :func:`arrival_order` sorts a batch of articles into the order a news stream would
deliver them. Used by :mod:`storyline.cluster.online` and its persistence
(:mod:`storyline.cluster.online_state`).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..models import Article
from .batch import day_of
from .features import Packed

#: How many of a story's newest dated members give its date for the time decay. The mean of all
#: remembered members lagged behind a story covered for weeks (one story came out as three);
#: the newest alone let a subject that never goes quiet chain on (AllSides train+dev online B³ F1:
#: all 12 remembered 0.783, 3 newest 0.771, newest 0.769; see docs/benchmarks/cluster.md).
DATE_MEMBERS = 3


@dataclass
class StoryState:
    """What the online clusterer remembers of one story."""

    id: str
    size: int = 0
    #: Sum of the remembered members' vectors (pruned to the heaviest features).
    total: dict[Hashable, float] = field(default_factory=dict)
    #: Date (proleptic ordinal) of the newest dated member, if any.
    last_day: int | None = None
    #: Arrival number of the newest member.
    last_seq: int = 0
    #: The most recent members' features (keys, term frequencies, block codes), so the
    #: centroid can be re-weighted as document frequencies mature.
    members: list[Packed] = field(default_factory=list)
    #: Number of documents the vectorizer had seen when ``total`` was last recomputed.
    computed_at: int = 0
    #: Keys under which the story is in the inverted index: its centroid's and its newest
    #: member's (whose rare features the centroid may not weigh yet).
    posted: set[Hashable] = field(default_factory=set)
    #: ``total`` as (keys, values) arrays, cached for the delayed decision; None when stale.
    arrays: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False, compare=False)
    #: The remembered members' dates (proleptic ordinals; None when undated), with ``members``.
    member_days: list[int | None] = field(default_factory=list)

    @property
    def mean_day(self) -> float | None:
        """The mean date of the story's :data:`DATE_MEMBERS` newest dated members (None if none).

        The time decay compares an article with this date: a story that goes on for weeks is
        judged by where it is now, not by where it began.
        """
        days = [d for d in self.member_days if d is not None][-DATE_MEMBERS:]
        return sum(days) / len(days) if days else None

    def total_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """``total`` as parallel (int64 keys, float64 values) arrays (cached until it changes)."""
        if self.arrays is None:
            n = len(self.total)
            self.arrays = (
                np.fromiter(self.total.keys(), dtype=np.int64, count=n),  # type: ignore[arg-type]
                np.fromiter(self.total.values(), dtype=np.float64, count=n),
            )
        return self.arrays

    def mean(self) -> dict[Hashable, float]:
        """The centroid: the mean of the remembered member vectors."""
        n = len(self.members) or self.size
        return {k: v / n for k, v in self.total.items()} if n else {}


def arrival_order(articles: Iterable[Article]) -> list[Article]:
    """Articles in ``published`` order; undated ones keep their place by ingest/input order.

    Sorting is stable, so articles without a date (or with equal dates) stay in input order.
    An undated article is placed right after the dated article that precedes it in the input.
    """
    keyed: list[tuple[int, int, Article]] = []
    last_day = -1
    for i, article in enumerate(articles):
        day = day_of(article.published)
        if day is not None:
            last_day = day
        keyed.append((last_day if day is None else day, i, article))
    keyed.sort(key=lambda t: (t[0], t[1]))
    return [t[2] for t in keyed]


def sparse_rows(rows: list[tuple[np.ndarray, np.ndarray]]) -> Any:
    """Sparse vectors given as (int keys, values) arrays, as the rows of one CSR matrix."""
    from scipy.sparse import csr_matrix

    keys = np.concatenate([r[0] for r in rows])
    values = np.concatenate([r[1] for r in rows])
    columns, inverse = np.unique(keys, return_inverse=True)
    indptr = np.concatenate([[0], np.cumsum([len(r[0]) for r in rows])])
    return csr_matrix((values, inverse, indptr), shape=(len(rows), max(1, len(columns))))


def dict_arrays(vector: dict[Hashable, float]) -> tuple[np.ndarray, np.ndarray]:
    """A sparse vector as parallel (int64 keys, float64 values) arrays."""
    n = len(vector)
    return (
        np.fromiter(vector.keys(), dtype=np.int64, count=n),  # type: ignore[arg-type]
        np.fromiter(vector.values(), dtype=np.float64, count=n),
    )
