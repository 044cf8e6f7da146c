"""Copies stay in their original's story, whatever the similarity says.

Provenance (:mod:`storyline.dedup`) marks an article that repeats an earlier one word for word
(``duplicate_of``) or shares at least half its word 5-grams with it (``near_duplicate_of``). A
copy reports the same event as its original by definition, yet the clustering similarity can
miss it: it is built from names, figures and content words, each block normalised on its own,
so two identical articles that name no one and give no figure compare at the words block's
weight alone (0.2), under the batch threshold. Both modes therefore read the copy relations an
article carries (when provenance ran first) and keep copies with their originals: batch mode
gives each copy pair the highest similarity before agglomerating and puts every copy group in
one cluster at the end (:func:`keep_copies_together`); online mode puts a copy in the story of
its original when that was decided (:class:`CopyMemory`, used by
:class:`storyline.cluster.OnlineClusterer`).

``rewrite_of`` is not followed: it is judged on the order of names and sentence stems, a weaker
signal than shared text, and a rewrite's wording already carries the similarity.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence

import numpy as np

from ..models import Article

#: Relation types that make an article a copy of another.
COPY_RELATIONS = frozenset({"duplicate_of", "near_duplicate_of"})


def copy_targets(article: Article) -> list[str]:
    """Ids of the articles this one is a copy of (from its provenance relations), best first."""
    copies = [r for r in article.relations if r.type in COPY_RELATIONS]
    return [r.article for r in sorted(copies, key=lambda r: -r.score)]


def copy_pairs(articles: Sequence[Article]) -> list[tuple[int, int]]:
    """Index pairs ``(original, copy)`` among ``articles``; relations to outside ids are skipped."""
    index = {a.id: i for i, a in enumerate(articles)}
    pairs = []
    for j, article in enumerate(articles):
        for target in copy_targets(article):
            i = index.get(target)
            if i is not None and i != j:
                pairs.append((i, j))
    return pairs


def pull_copies_together(similarity: np.ndarray, pairs: Sequence[tuple[int, int]]) -> None:
    """Give each copy pair the highest similarity (in place), so agglomeration joins them first."""
    if pairs:
        rows, cols = np.array(pairs).T
        top = max(1.0, float(similarity.max()))
        similarity[rows, cols] = top
        similarity[cols, rows] = top


def keep_copies_together(labels: Sequence[int], pairs: Sequence[tuple[int, int]]) -> list[int]:
    """Put every group of copies (linked through ``pairs``) in the cluster of its first member.

    The first member is the one with the lowest index (input order). Copies seldom need moving:
    :func:`pull_copies_together` has joined most groups during agglomeration already; this pass
    makes sure of the rest (a chain of copies whose two ends share little).
    """
    out = list(labels)
    if not pairs:
        return out
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    rows, cols = np.array(pairs).T
    graph = coo_matrix((np.ones(len(pairs)), (rows, cols)), shape=(len(out), len(out)))
    _, group = connected_components(graph, directed=False)
    first: dict[int, int] = {}
    for i, g in enumerate(group.tolist()):
        out[i] = out[first.setdefault(g, i)]
    return out


class CopyMemory:
    """The stories of recently decided articles, and which articles copy which, for online mode.

    Relations sit on the later article by ``published`` (else ingest order), but a stream may
    deliver the copy first (same day, earlier in the input; an undated copy of a dated article).
    So within one batch of arrivals (:meth:`link`) the relation counts both ways: whichever of the
    two is decided second follows the first. Bounded: the stories of the last ``size`` decided
    articles are kept (oldest forgotten first); the links of a batch are dropped at :meth:`clear`.
    """

    def __init__(self, size: int = 50_000) -> None:
        self.size = size
        self._story: OrderedDict[str, str] = OrderedDict()
        self._partners: dict[str, list[str]] = {}

    def link(self, articles: Iterable[Article]) -> None:
        """Record the copy relations among articles about to arrive, in both directions."""
        for article in articles:
            for target in copy_targets(article):
                self._partners.setdefault(article.id, []).append(target)
                self._partners.setdefault(target, []).append(article.id)

    def clear(self) -> None:
        """Forget the links recorded by :meth:`link` (the stories decided are kept)."""
        self._partners = {}

    def partners(self, article: Article) -> list[str]:
        """The ids this article is a copy of, then (within a linked batch) its other copies."""
        return copy_targets(article) + self._partners.get(article.id, [])

    def decided(self, article_id: str, story: str) -> None:
        """Remember the story an article went to."""
        self._story[article_id] = story
        self._story.move_to_end(article_id)
        if len(self._story) > self.size:
            self._story.popitem(last=False)

    def story_of(self, ids: Iterable[str]) -> str | None:
        """The story of the first of ``ids`` that was decided, if any."""
        return next((self._story[i] for i in ids if i in self._story), None)
