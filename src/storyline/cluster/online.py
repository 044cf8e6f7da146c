"""Online story clustering: each article joins an open story or starts one, on arrival.

The past is never re-clustered. An arriving article is compared with the *centroid* (mean
vector) of every open story that shares a discriminative feature with it; the dot product with
a centroid is the article's average similarity to the story's articles, so the rule is the same
average link as in batch mode. When the article and the story are dated, the similarity is
scaled by the time decay between the article's date and the mean date of the story's three
newest members
(:func:`~storyline.cluster.batch.time_decay`), as batch mode scales each pair. It joins the best
story when that similarity reaches ``Settings.cluster_online_threshold``, else it founds a new
story. A *young* stream (fewer than
``Settings.cluster_online_young_docs`` articles seen) normalises over all features and has its
own thresholds (see :meth:`OnlineClusterer._set_regime`). With ``Settings.cluster_online_delay``
> 0, :meth:`OnlineClusterer.push` holds the last arrivals back and decides each one later, by
average link over the waiting articles and open stories (:mod:`storyline.cluster.pending`).

Memory and time per article stay bounded as the stream grows:

* features are hashed into a fixed table of document frequencies (``hash_bits``);
* a story keeps only its centroid, pruned to its ``centroid_terms`` heaviest features;
* a story with no new article for ``Settings.cluster_window_days`` (by ``published``) is
  closed, and at most ``Settings.cluster_max_open`` stories stay open (the quietest close first),
  so an undated stream is bounded too;
* candidate stories come from an inverted index over the centroids, skipping features so common
  that their posting lists would make every story a candidate.

The whole state serialises to bytes (:meth:`OnlineClusterer.to_bytes`) so the store can persist
it between ingests.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from typing import Any

import numpy as np

from ..brief import story_id_for
from ..models import Article
from ..settings import Settings, get_settings
from .batch import article_features, day_of, decay_matrix, decay_of, weights_from
from .copies import CopyMemory
from .features import Packed, Vectorizer, dot, sum_by_key
from .pending import constrained_average_link
from .stories import StoryState, arrival_order, dict_arrays, sparse_rows

__all__ = ["OnlineClusterer", "StoryState", "arrival_order"]

class OnlineClusterer:
    """Assigns articles to stories one at a time, with a time window.

    API:
        ``add(article) -> story_id``: assign one article (call in arrival order).
        ``open_stories()``: the stories still accepting articles, by id.
        ``all_stories()``: open plus closed ones (closed are kept only with ``keep_closed``).
        ``to_bytes()`` / ``OnlineClusterer.from_bytes(data, settings)``: persist and restore
        the whole state (document frequencies, open stories, clock).

    Story ids are ``storyline.brief.story_id_for([founding article id])``, fixed for the story's
    life.

    Args:
        settings: tunables (``cluster_*``); the process settings when omitted.
        keep_closed: remember closed stories (batch mode uses this to merge them afterwards).
        hash_bits: size of the hashed feature table (``2**hash_bits`` counters).
        centroid_terms: Features kept per story centroid.
        max_postings: features whose posting list is longer do not generate candidates.
        member_memory: members remembered per story (the most recent), to re-weight its centroid.
        refresh_ratio: a centroid is re-weighted when the number of articles seen has grown by
            this factor since it was last computed (IDF is unreliable early in a stream).
        query_terms: the article's heaviest features that look up candidate stories.
        max_candidates: candidate stories scored exactly (those sharing most looked-up features).
        recent_memory: decided articles whose story is remembered, so a copy of one of them
            joins it (:class:`~storyline.cluster.copies.CopyMemory`; not persisted).
        warmup: during the first ``warmup`` articles, candidate centroids are re-weighted
            whenever anything arrived since they were computed.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        keep_closed: bool = False,
        hash_bits: int = 20,
        centroid_terms: int = 300,
        max_postings: int = 200,
        member_memory: int = 12,
        refresh_ratio: float = 1.3,
        warmup: int = 100,
        query_terms: int = 20,
        max_candidates: int = 40,
        recent_memory: int = 50_000,
    ) -> None:
        self.settings = settings or get_settings()
        self.keep_closed = keep_closed
        self.centroid_terms = centroid_terms
        self.max_postings = max_postings
        self.member_memory = member_memory
        self.refresh_ratio = refresh_ratio
        self.warmup = warmup
        self.query_terms = query_terms
        self.max_candidates = max_candidates
        self.copies = CopyMemory(recent_memory)
        self.vectorizer = Vectorizer(weights_from(self.settings), hash_bits=hash_bits)
        self._open: dict[str, StoryState] = {}
        self._closed: dict[str, StoryState] = {}
        self._postings: dict[Hashable, set[str]] = {}
        self._seq = 0
        self._today: int | None = None
        #: Articles waiting for their story (``push``): id, packed features, day.
        self._pending: list[tuple[str, Packed, int | None]] = []
        #: The clock each waiting article holds quiet stories back to: its day, else the newest
        #: day seen when it arrived (:meth:`_close_quiet`).
        self._pending_clock: list[int | None] = []
        #: Each waiting article's copy partners (``CopyMemory.partners``): it follows their story.
        self._pending_copied: list[list[str]] = []
        self._quiet_clock: int | None = None
        self.delay = self.settings.cluster_online_delay
        self._share_weighed = 0.0
        self._set_regime()

    # --- assignment -------------------------------------------------------------------------

    def warm(self, articles: Iterable[Article]) -> None:
        """Count past articles into the document frequencies without assigning them.

        A fresh clusterer has no idea which words are common; warming it with earlier articles
        (the store's history, or any news sample) gives the first arrivals a mature IDF.
        """
        for article in articles:
            self.vectorizer.observe(article_features(article, self.vectorizer.weights))
        self._set_regime()

    def _set_regime(self) -> None:
        """How young the stream is: the share of rare features in the norm, and the thresholds.

        While the stream is young almost every feature is still rare, and normalising a block
        over its few shared features alone makes the first articles look alike. So up to
        ``cluster_online_young_docs`` articles seen, blocks are normalised over all features
        (:attr:`Vectorizer.rare_share` 1) with the young thresholds; from there to twice as many
        both move linearly to the mature rule (share 0, ``cluster_online_threshold``). Centroids
        are re-weighted whenever the share has moved by 0.1 since the last re-weighting.
        """
        young = self.settings.cluster_online_young_docs
        n = self.vectorizer.n_docs
        share = 1.0 if young <= 0 or n <= young else max(0.0, 2.0 - n / young)
        if young <= 0:
            share = 0.0
        previous = self.vectorizer.rare_share
        self.vectorizer.rare_share = share
        if abs(share - self._share_weighed) >= 0.1 or (share != previous and share in (0.0, 1.0)):
            self._share_weighed = share
            for story in self._open.values():
                story.computed_at = 0

    def _thresholds(self) -> tuple[float, float]:
        """The similarity needed to join a story, and the extra a story of one article needs."""
        share = self.vectorizer.rare_share
        young, mature = self.settings.cluster_online_young_threshold, self.settings.cluster_online_threshold
        return share * young + (1.0 - share) * mature, share * self.settings.cluster_online_young_extra

    def _arrive(self, article: Article) -> tuple[Packed, int | None]:
        """Count an arriving article in: the clock, quiet stories closed, document frequencies."""
        self._seq += 1
        day = day_of(article.published)
        if day is not None and (self._today is None or day > self._today):
            self._today = day
            self._close_quiet()
        packed = self.vectorizer.pack(article_features(article, self.vectorizer.weights))
        self.vectorizer.observe_packed(packed)
        self._set_regime()
        return packed, day

    def _refresh_weights(self, story: StoryState) -> None:
        seen = self.vectorizer.n_docs
        # early in a stream IDF moves with every article, so re-weight on every change
        if seen > story.computed_at * self.refresh_ratio or (
            seen > story.computed_at and seen <= self.warmup
        ):
            self._recompute(story)

    def _join(self, sid: str | None, article_id: str, packed: Packed,
              vector: dict[Hashable, float], day: int | None) -> str:
        """Put the article in story ``sid``, or in a new story when ``sid`` is None."""
        if sid is None:
            sid = story_id_for([article_id])
            # (an article seen before, whose story is still open, rejoins that story)
            self._open.setdefault(sid, StoryState(sid))
        self._update(self._open[sid], packed, vector, day)
        if len(self._open) > self.settings.cluster_max_open:
            self._close_overflow()
        self.copies.decided(article_id, sid)
        return sid

    def remember(self, stories: dict[str, str]) -> None:
        """Tell the clusterer the stories of articles decided earlier (article id → story id).

        A copy of one of them then joins that story (:mod:`storyline.cluster.copies`). The store
        passes the stories of stored originals of the articles it is about to link, since what
        the clusterer remembers by itself is not persisted.
        """
        for article_id, sid in stories.items():
            self.copies.decided(article_id, sid)

    def _copied_story(self, partners: list[str], article_id: str, packed: Packed,
                      day: int | None) -> str | None:
        """Place a copy in the story of its original (or another copy) when known; else None.

        A story that has closed keeps its members: the copy gets its id without reopening it.
        """
        sid = self.copies.story_of(partners)
        if sid is None:
            return None
        if sid not in self._open:
            self.copies.decided(article_id, sid)
            return sid
        vector = self.vectorizer.transform_packed(packed, self.settings.cluster_min_df)
        return self._join(sid, article_id, packed, vector, day)

    def add(self, article: Article) -> str:
        """Assign one article to an open story or a new one; returns the story id."""
        packed, day = self._arrive(article)
        copied = self._copied_story(self.copies.partners(article), article.id, packed, day)
        if copied is not None:
            return copied
        threshold, extra = self._thresholds()
        vector = self.vectorizer.transform_packed(packed, self.settings.cluster_min_df)
        best_id, best_sim = None, -1.0
        for sid in self._candidates(vector):
            story = self._open[sid]
            self._refresh_weights(story)
            members = max(1, len(story.members))
            sim = dot(vector, story.total) / members
            centre = story.mean_day
            if day is not None and centre is not None:
                sim *= decay_of(day - centre, self.settings.cluster_time_grace_days,
                                self.settings.cluster_time_scale_days)
            # one article is a noisier target than a story's average: joining it takes more
            sim -= extra if members == 1 else 0.0
            if sim > best_sim:
                best_id, best_sim = sid, sim
        if best_sim < threshold:
            best_id = None
        return self._join(best_id, article.id, packed, vector, day)

    def push(self, article: Article) -> list[tuple[str, str]]:
        """Queue one article; decide the oldest queued ones once more than the delay are waiting.

        With ``Settings.cluster_online_delay`` = k, an article's story is decided when k later
        articles have arrived (or at :meth:`flush`), by average link over the waiting articles
        and the open stories they could join (see :mod:`storyline.cluster.pending`). A decided
        article never changes story.

        Returns:
            The ``(article id, story id)`` pairs decided by this call, oldest first (empty while
            the queue is not full; one pair, the article's own, when the delay is 0).
        """
        if self.delay <= 0 and not self._pending:
            return [(article.id, self.add(article))]  # the same rule, without the matrix
        packed, day = self._arrive(article)
        self._pending.append((article.id, packed, day))
        self._pending_clock.append(day if day is not None else self._today)
        self._pending_copied.append(self.copies.partners(article))
        decided = []
        while len(self._pending) > self.delay:
            decided.append(self._decide_oldest())
        return decided

    def flush(self) -> list[tuple[str, str]]:
        """Decide every queued article, oldest first; returns the ``(article id, story id)`` pairs."""
        return [self._decide_oldest() for _ in range(len(self._pending))]

    def assign(
        self, articles: Iterable[Article], progress: Callable[[int], None] | None = None
    ) -> dict[str, str]:
        """Push the articles in the order given, then flush: article id → story id for all.

        ``progress`` is called with the number of articles pushed so far after each one. Ids
        that were already waiting (a restored state) are decided here too and included.
        """
        articles = list(articles)
        self.copies.link(articles)  # a copy that arrives before its original still joins it
        stories: dict[str, str] = {}
        for i, article in enumerate(articles, 1):
            stories.update(self.push(article))
            if progress is not None:
                progress(i)
        stories.update(self.flush())
        self.copies.clear()
        return stories

    def restore_pending(self, items: list[tuple[str, Packed, int | None]]) -> None:
        """Set the waiting articles of a restored state: (id, packed features, day), oldest first.

        Each holds the clock that closes quiet stories at its own day, else at the newest day
        seen (the state's ``today``, which must be restored first).
        """
        self._pending = list(items)
        self._pending_clock = [d if d is not None else self._today for *_, d in self._pending]
        # (copy links are not persisted; every ingest flushes, so a saved queue is empty)
        self._pending_copied = [[] for _ in self._pending]

    @property
    def pending(self) -> list[str]:
        """Ids of the articles pushed but not decided yet, oldest first."""
        return [p[0] for p in self._pending]

    def _decide_oldest(self) -> tuple[str, str]:
        art_id, packed, day = self._pending.pop(0)
        self._pending_clock.pop(0)
        copied = self._copied_story(self._pending_copied.pop(0), art_id, packed, day)
        if copied is not None:
            self._close_quiet()
            return art_id, copied
        min_df = self.settings.cluster_min_df
        vectors = [self.vectorizer.transform_packed(packed, min_df)]
        vectors += [self.vectorizer.transform_packed(p[1], min_df) for p in self._pending]
        candidates: dict[str, None] = {}
        for vec in vectors:
            candidates.update(dict.fromkeys(self._candidates(vec)))
        stories = [self._open[sid] for sid in candidates]
        for story in stories:
            self._refresh_weights(story)
        n_items = len(vectors) + len(stories)
        matrix = sparse_rows([dict_arrays(v) for v in vectors] + [s.total_arrays() for s in stories])
        gram = np.zeros((n_items, n_items))
        # story-story entries stay 0: two stories never meet in one group, so they are not read
        gram[: len(vectors)] = (matrix[: len(vectors)] @ matrix.T).toarray()
        decay = decay_matrix([day, *(p[2] for p in self._pending), *(s.mean_day for s in stories)],
                             self.settings.cluster_time_grace_days, self.settings.cluster_time_scale_days)
        if decay is not None:
            gram[: len(vectors)] *= decay[: len(vectors)]
        gram[:, : len(vectors)] = gram[: len(vectors)].T
        sizes = np.array([1.0] * len(vectors) + [max(1, len(s.members)) for s in stories])
        fixed = np.zeros(n_items, dtype=bool)
        fixed[len(vectors):] = True
        labels = constrained_average_link(gram, sizes, fixed, *self._thresholds())
        group = [i for i in range(n_items) if labels[i] == labels[0]]
        story_item = next((i for i in group if fixed[i]), None)
        sid = None if story_item is None else stories[story_item - len(vectors)].id
        decided = art_id, self._join(sid, art_id, packed, vectors[0], day)
        self._close_quiet()  # as of the oldest article still waiting, now that this one is placed
        return decided

    def _candidates(self, vector: dict[Hashable, float]) -> list[str]:
        """Open stories that share the article's heaviest features, most shared first."""
        hits: Counter[str] = Counter()
        top = heapq.nlargest(self.query_terms, vector.items(), key=lambda kv: kv[1])
        for key, _ in top:
            stories = self._postings.get(key)
            if stories and len(stories) <= self.max_postings:
                hits.update(stories)
        return [sid for sid, _ in hits.most_common(self.max_candidates)]

    def _update(
        self,
        story: StoryState,
        packed: Packed,
        vector: dict[Hashable, float],
        day: int | None,
    ) -> None:
        story.size += 1
        story.last_seq = self._seq
        if day is not None and (story.last_day is None or day > story.last_day):
            story.last_day = day
        story.members.append(packed)
        story.member_days.append(day)
        story.arrays = None
        if not story.computed_at:
            self._recompute(story)
            return
        for key, value in vector.items():
            story.total[key] = story.total.get(key, 0.0) + value
        if len(story.members) > self.member_memory:
            # forget the oldest member: take out (today's weighting of) its vector
            oldest = story.members.pop(0)
            story.member_days.pop(0)
            vec = self.vectorizer.transform_packed(oldest, self.settings.cluster_min_df)
            for key, value in vec.items():
                if key in story.total:
                    story.total[key] = max(0.0, story.total[key] - value)
        self._prune_and_post(story)

    def _recompute(self, story: StoryState) -> None:
        """Re-weight the centroid from the remembered members with today's frequencies.

        All members are weighed in one vectorised pass (their features concatenated, norms per
        member and block by ``bincount``), then summed per feature and pruned.
        """
        parts = story.members
        if not parts:
            story.total = {}
        else:
            keys = np.concatenate([p[0] for p in parts])
            segments = np.repeat(np.arange(len(parts)), [len(p[0]) for p in parts])
            values = self.vectorizer.weigh_hashed(
                keys,
                np.concatenate([p[1] for p in parts]),
                np.concatenate([p[2] for p in parts]),
                segments,
                self.settings.cluster_min_df,
            )
            story.total = sum_by_key(keys, values, self.centroid_terms)
        story.computed_at = self.vectorizer.n_docs
        story.arrays = None
        self._prune_and_post(story)

    def _prune_and_post(self, story: StoryState) -> None:
        if len(story.total) > self.centroid_terms:
            story.arrays = None
            keep = heapq.nlargest(self.centroid_terms, story.total.items(), key=lambda kv: kv[1])
            story.total = dict(keep)
        wanted = set(story.total)
        if story.members:
            wanted.update(story.members[-1][0].tolist())
        for key in story.posted - wanted:
            self._unpost(key, story.id)
        for key in wanted - story.posted:
            self._postings.setdefault(key, set()).add(story.id)
        story.posted = wanted

    def _unpost(self, key: Hashable, sid: str) -> None:
        stories = self._postings.get(key)
        if stories is not None:
            stories.discard(sid)
            if not stories:
                del self._postings[key]

    # --- closing ----------------------------------------------------------------------------

    def _close(self, sid: str) -> None:
        story = self._open.pop(sid)
        for key in story.posted:
            self._unpost(key, sid)
        story.posted = set()
        if self.keep_closed:
            self._closed[sid] = story

    def _close_quiet(self) -> None:
        # the clock is the oldest waiting article's: its stories stay open until it is placed
        waiting = [d for d in self._pending_clock if d is not None]
        clock = min([self._today, *waiting]) if self._today is not None else None
        if clock is None or clock == self._quiet_clock:
            return  # nothing falls behind a clock that has not moved
        self._quiet_clock = clock
        horizon = clock - self.settings.cluster_window_days
        for sid in [s for s, st in self._open.items() if st.last_day is not None and st.last_day < horizon]:
            self._close(sid)

    def _close_overflow(self) -> None:
        excess = len(self._open) - self.settings.cluster_max_open
        # close a tenth more than needed so this sort runs rarely
        excess += self.settings.cluster_max_open // 10
        quiet = heapq.nsmallest(excess, self._open.values(), key=lambda s: s.last_seq)
        for story in quiet:
            self._close(story.id)

    # --- inspection and persistence ---------------------------------------------------------

    def open_stories(self) -> dict[str, StoryState]:
        """The stories that still accept articles, by id."""
        return dict(self._open)

    def all_stories(self) -> dict[str, StoryState]:
        """Open and (with ``keep_closed``) closed stories, by id."""
        return {**self._closed, **self._open}

    def state(self) -> dict[str, Any]:
        """The whole state as JSON-able data (closed stories are not kept)."""
        from .online_state import state_of

        return state_of(self)

    def to_bytes(self) -> bytes:
        """The state, compressed, for the store (see :mod:`storyline.cluster.online_state`)."""
        from .online_state import dump

        return dump(self)

    @classmethod
    def from_bytes(cls, data: bytes, settings: Settings | None = None) -> OnlineClusterer:
        """Restore a clusterer saved with :meth:`to_bytes` (any state version up to the current)."""
        from .online_state import load

        return load(cls, data, settings)
