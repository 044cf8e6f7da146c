"""Ranking and choosing sentences for a multi-source extractive summary.

One ranking serves the story brief and the benchmark. Each candidate sentence is scored by

* **support** — for every *other independent* source, how closely its best-matching sentence says the
  same thing (TF-IDF cosine), summed: a sentence three outlets back scores about 2, a claim only its
  own outlet makes about 0. Copies of one report are one source;
* **centrality** — cosine with the centroid of all the story's sentences;
* **title match** — cosine with the closest headline of the story;
* **lead position** — news puts its point first: ``1 / (1 + position in its article)``.

Sentences are then taken greedily by score, skipping any too close to one already chosen
(:attr:`Weights.redundancy`) and any that does not read well alone, until the word budget is
reached. The chosen ones are shown consensus first (supported by two or more sources), then the
single-source ones, each in score order. Every sentence cites its own article and every article
that has a sentence close to it (:attr:`Weights.cite`), with that sentence as evidence.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations

from .text import content_words, reads_alone, word_count


@dataclass(frozen=True)
class Weights:
    """The ranking's tunables (tuned on the NeuS ``val`` split; see docs/benchmarks/summary.md)."""

    #: Score weights (they order the chosen sentences and break ties).
    support: float = 1.0
    centrality: float = 1.0
    title: float = 0.5
    lead: float = 1.0
    #: Coverage: a word that at least this many independent sources use is worth its source count.
    min_sources: int = 2
    #: ... or at least this share of them, when the story has many sources.
    min_share: float = 0.4
    #: Coverage: extra worth of a word that a headline uses.
    title_word: float = 1.0
    #: Coverage: cost of each word of the summary (prefers short sentences that say much).
    word_cost: float = 0.13
    #: Exhaustive search when a story has at most this many candidate sentences...
    exhaustive_pool: int = 14
    #: ... else greedy search started from each of this many best single sentences.
    greedy_seeds: int = 5
    #: Sentences considered for the summary (the best-scored; keeps big stories fast).
    max_pool: int = 200
    #: A candidate this close (cosine) to a chosen sentence is redundant.
    redundancy: float = 0.5
    #: Another article supports a sentence when one of its sentences is at least this close.
    cite: float = 0.3
    #: A sentence counts as consensus when its support reaches this.
    consensus: float = 0.5
    #: Also consider shorter forms of sentences (dateline or trailing clause dropped; compress.py).
    compress: bool = True


@dataclass
class Candidate:
    """A sentence of one article: where it is and which independent source it belongs to."""

    doc: int
    source: str
    position: int
    start: int
    end: int
    text: str
    vector: dict[str, float] = field(default_factory=dict)
    concepts: frozenset[str] = frozenset()
    score: float = 0.0
    support: float = 0.0
    #: False for a shorter form of a sentence (see :mod:`.compress`): it never cites or counts twice.
    whole: bool = True

    @property
    def key(self) -> tuple[int, int]:
        """The sentence this candidate is (a form of): its article and position."""
        return (self.doc, self.position)


@dataclass
class Chosen:
    """A sentence of the summary with the sentences (of any article) that support it."""

    sentence: Candidate
    supporters: list[Candidate]
    consensus: bool


def limit_candidates(candidates: list[Candidate], limit: int = 1500) -> list[Candidate]:
    """At most ``limit`` candidates, taken position by position across articles (leads first).

    Scoring compares every sentence with every other source's sentences, so a story of hundreds of
    articles keeps the sentences news puts first in each.
    """
    if len(candidates) <= limit:
        return candidates
    ordered = sorted(candidates, key=lambda c: (c.position, c.doc))
    kept = {id(c) for c in ordered[:limit]}
    return [c for c in candidates if id(c) in kept]


def _tfidf(bags: Sequence[list[str]], idf: dict[str, float]) -> list[dict[str, float]]:
    out = []
    for bag in bags:
        tf = Counter(bag)
        vec = {w: (1 + math.log(c)) * idf.get(w, 0.0) for w, c in tf.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        out.append({w: v / norm for w, v in vec.items()})
    return out


def _support(
    vectors: list[dict[str, float]], sources: list[str], by_source: dict[str, list[int]]
) -> list[float]:
    """For each sentence: the sum over the other sources of its best cosine with their sentences."""
    import numpy as np
    from scipy.sparse import csr_matrix

    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for i, v in enumerate(vectors):
        for w, x in v.items():
            rows.append(i)
            cols.append(vocab.setdefault(w, len(vocab)))
            vals.append(x)
    n = len(vectors)
    m = csr_matrix((vals, (rows, cols)), shape=(n, max(1, len(vocab))))
    sims = (m @ m.T).toarray()
    total = np.zeros(n)
    own = np.array([sources[i] for i in range(n)], dtype=object)
    for src, idx in by_source.items():
        best = sims[:, idx].max(axis=1)
        best[own == src] = 0.0
        total += best
    return [float(x) for x in total]


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine of two unit-normalised sparse vectors.

    Only the shared words are multiplied (in the smaller vector's order); the others would add
    exact zeros, so the sum is the same number.
    """
    if len(a) > len(b):
        a, b = b, a
    return sum([v * b[w] for w, v in a.items() if w in b], 0.0)


def _postings(vectors: Sequence[dict[str, float]]) -> dict[str, list[int]]:
    """Word -> indices of the vectors holding it."""
    post: dict[str, list[int]] = {}
    for i, v in enumerate(vectors):
        for w in v:
            post.setdefault(w, []).append(i)
    return post


def _sharing(vector: dict[str, float], post: dict[str, list[int]]) -> list[int]:
    """Indices (ascending) of the vectors that share a word with ``vector``: the only ones whose
    cosine with it is not zero (every weight is positive)."""
    hit: set[int] = set()
    for w in vector:
        p = post.get(w)
        if p:
            hit.update(p)
    return sorted(hit)


def score_candidates(candidates: list[Candidate], titles: Sequence[str], weights: Weights) -> None:
    """Fill ``vector``, ``support`` and ``score`` of every candidate (in place).

    Args:
        candidates: Sentences of all the story's articles.
        titles: The articles' headlines (may be empty).
        weights: The ranking's weights.
    """
    bags = [content_words(c.text) for c in candidates]
    # statistics come from whole sentences: a shorter form of one must not count its words twice
    whole_bags = [b for b, c in zip(bags, candidates, strict=True) if c.whole]
    title_bags = [content_words(t) for t in titles if t]
    n = len(whole_bags) + len(title_bags)
    df = Counter(w for bag in [*whole_bags, *title_bags] for w in set(bag))
    idf = {w: math.log((1 + n) / (1 + d)) + 1.0 for w, d in df.items()}
    vectors = _tfidf(bags, idf)
    title_vecs = _tfidf(title_bags, idf)
    centroid: Counter[str] = Counter()
    for v, c in zip(vectors, candidates, strict=True):
        if c.whole:
            centroid.update(v)
    norm = math.sqrt(sum(x * x for x in centroid.values())) or 1.0
    centre = {w: x / norm for w, x in centroid.items()}
    by_source: dict[str, list[int]] = {}
    for i, c in enumerate(candidates):
        c.vector = vectors[i]
        c.concepts = frozenset(bags[i])
        if c.whole:
            by_source.setdefault(c.source, []).append(i)
    support = _support(vectors, [c.source for c in candidates], by_source)
    title_post = _postings(title_vecs)
    for i, c in enumerate(candidates):
        c.support = support[i]
        # headlines without a word in common score zero: the best of the others, else zero
        title = max((cosine(c.vector, title_vecs[k]) for k in _sharing(c.vector, title_post)),
                    default=0.0)
        c.score = (
            weights.support * c.support
            + weights.centrality * cosine(c.vector, centre)
            + weights.title * title
            + weights.lead / (1 + c.position)
        )


def concept_weights(
    candidates: list[Candidate], titles: Sequence[str], weights: Weights
) -> dict[str, float]:
    """What covering each word is worth: how many independent sources use it, plus a headline bonus.

    Words fewer than ``min_sources`` sources use are worth nothing (unless the story has only one
    source), so the summary spends its words on what the sources agree on.
    """
    by_source: dict[str, set[str]] = {}
    for c in candidates:
        if c.whole:
            by_source.setdefault(c.source, set()).update(c.concepts)
    df: Counter[str] = Counter()
    for words in by_source.values():
        df.update(words)
    # in a story many outlets cover, "agreed on" means a good share of them, not any two
    floor = min(
        max(weights.min_sources, math.ceil(weights.min_share * len(by_source))), len(by_source)
    )
    in_titles = {w for t in titles for w in content_words(t)}
    return {
        w: (float(n) if n >= floor else 0.0) + weights.title_word * (w in in_titles)
        for w, n in df.items()
    }


def _value(chosen: Sequence[Candidate], worth: dict[str, float], weights: Weights) -> float:
    covered: set[str] = set().union(*(c.concepts for c in chosen))
    words = sum(word_count(c.text) for c in chosen)
    return sum(worth.get(w, 0.0) for w in covered) - weights.word_cost * words


def _select(
    pool: list[Candidate], budget: int, worth: dict[str, float], weights: Weights
) -> list[Candidate]:
    """The set of sentences within the budget whose covered words are worth most."""
    if not pool:
        return []
    singles = sorted(pool, key=lambda c: -_value([c], worth, weights))
    best = [singles[0]]
    best_value = _value(best, worth, weights)
    if len(pool) <= weights.exhaustive_pool:
        top = singles
        lengths = {id(c): word_count(c.text) for c in top}
        for k in range(2, len(top) + 1):
            if sum(sorted(lengths.values())[:k]) > budget:
                break
            for combo in combinations(top, k):
                if sum(lengths[id(c)] for c in combo) > budget:
                    continue
                if len({c.key for c in combo}) < k:  # two forms of one sentence
                    continue
                v = _value(combo, worth, weights)
                if v > best_value:
                    best, best_value = list(combo), v
        return best
    # budgeted maximum coverage: greedy by gain per word, started from each of the best few
    # single sentences (partial enumeration, as in Khuller et al. 1999); the best result wins
    for seed in singles[: weights.greedy_seeds]:
        chosen = _greedy([seed], pool, budget, worth, weights)
        v = _value(chosen, worth, weights)
        if v > best_value:
            best, best_value = chosen, v
    return best


def _greedy(
    chosen: list[Candidate],
    pool: list[Candidate],
    budget: int,
    worth: dict[str, float],
    weights: Weights,
) -> list[Candidate]:
    chosen = list(chosen)
    used = sum(word_count(c.text) for c in chosen)
    current = _value(chosen, worth, weights)
    taken = {c.key for c in chosen}
    left = [c for c in pool if c.key not in taken]
    if all(float(v).is_integer() and abs(v) < 2**40 for v in worth.values()):
        return _greedy_whole(chosen, left, used, current, budget, worth, weights)
    while left:
        gains = [
            ((_value([*chosen, c], worth, weights) - current) / max(1, word_count(c.text)), c)
            for c in left
            if used + word_count(c.text) <= budget
        ]
        gains = [g for g in gains if g[0] > 0]
        if not gains:
            break
        _, c = max(gains, key=lambda g: g[0])
        chosen.append(c)
        used += word_count(c.text)
        current = _value(chosen, worth, weights)
        left = [o for o in left if o.key != c.key]
    return chosen


def _greedy_whole(
    chosen: list[Candidate],
    left: list[Candidate],
    used: int,
    current: float,
    budget: int,
    worth: dict[str, float],
    weights: Weights,
) -> list[Candidate]:
    """:func:`_greedy` when every word's worth is a whole number (the usual case).

    Sums of whole numbers are exact in any order, so a candidate's coverage is the chosen
    sentences' coverage plus the worth of its new words: the same number ``_value`` would
    compute from scratch, without re-reading every chosen word for every candidate.
    """
    covered: set[str] = set().union(*(c.concepts for c in chosen))
    covered_worth = sum(worth.get(w, 0.0) for w in covered)
    length = {id(c): word_count(c.text) for c in left}
    while left:
        gains = []
        for c in left:
            n = length[id(c)]
            if used + n > budget:
                continue
            new = covered_worth + sum(worth.get(w, 0.0) for w in c.concepts - covered)
            value = new - weights.word_cost * (used + n)
            gains.append(((value - current) / max(1, n), c))
        gains = [g for g in gains if g[0] > 0]
        if not gains:
            break
        _, c = max(gains, key=lambda g: g[0])
        chosen.append(c)
        used += length[id(c)]
        covered |= c.concepts
        covered_worth = sum(worth.get(w, 0.0) for w in covered)
        current = covered_worth - weights.word_cost * used
        left = [o for o in left if o.key != c.key]
    return chosen


def choose(
    candidates: list[Candidate],
    budget: int,
    weights: Weights,
    titles: Sequence[str] = (),
    require_alone: bool = True,
) -> list[Chosen]:
    """Pick the sentences that cover most of what the sources agree on, within a word budget.

    Args:
        candidates: Scored candidates (see :func:`score_candidates`).
        budget: Most words in the summary (a first sentence longer than that is still taken).
        weights: Coverage, citation and consensus settings.
        titles: The articles' headlines (their words are worth a little more).
        require_alone: Skip sentences that do not read well out of context (when any other is left).

    Returns:
        The summary's sentences, consensus first, each with its supporting sentences.
    """
    pool = list(candidates)
    if require_alone and any(reads_alone(c.text) for c in pool):
        pool = [c for c in pool if reads_alone(c.text)]
    # one copy of a sentence is enough: near-identical candidates from copies add nothing;
    # only the best-scored few hundred are considered, so big stories stay fast
    unique: list[Candidate] = []
    kept: dict[str, list[int]] = {}  # word -> indices in ``unique`` (only those can be close)
    for c in sorted(pool, key=lambda c: -c.score):
        # (shorter forms of one sentence are alternatives, kept side by side)
        near = (unique[k] for k in _sharing(c.vector, kept))
        if not any(u.key != c.key and cosine(c.vector, u.vector) >= 0.9 for u in near):
            for w in c.vector:
                kept.setdefault(w, []).append(len(unique))
            unique.append(c)
            if len(unique) >= weights.max_pool:
                break
    worth = concept_weights(candidates, titles, weights)
    picked = _select(unique, budget, worth, weights)
    out = []
    whole = [o for o in candidates if o.whole]
    whole_post = _postings([o.vector for o in whole])
    for c in picked:
        supporters: list[Candidate] = []
        # a source none of whose sentences shares a word with ``c`` has a best cosine of zero,
        # below ``cite``; among the others the first best sentence wins, as over all of them
        sharing = [whole[k] for k in _sharing(c.vector, whole_post)]
        for src in dict.fromkeys(o.doc for o in whole if o.doc != c.doc):
            if weights.cite <= 0:
                best = max((o for o in whole if o.doc == src),
                           key=lambda o: cosine(c.vector, o.vector))
            else:
                same = [o for o in sharing if o.doc == src]
                if not same:
                    continue
                best = max(same, key=lambda o: cosine(c.vector, o.vector))
            if cosine(c.vector, best.vector) >= weights.cite:
                supporters.append(best)
        out.append(Chosen(c, supporters, c.support >= weights.consensus))
    out.sort(key=lambda ch: (not ch.consensus, -ch.sentence.score))
    return out
