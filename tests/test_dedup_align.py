"""The sentence alignment of rewrite detection equals the textbook LCS under the same match."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.dedup import DedupIndex, _Entry


def _entry(sentences: list[frozenset[int]]) -> _Entry:
    empty = np.zeros(1)
    return _Entry(id="x", when=(False, "", 0), author=None, exact="", shingles=empty, bag=empty,
                  sentences=sentences)


def _reference(a: list[frozenset[int]], b: list[frozenset[int]], need: float) -> float:
    """The dynamic programme the index used before (every pair of sentences compared)."""
    if not a or not b:
        return 0.0
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    prev = [0] * (len(long_) + 1)
    for s in short:
        cur = [0] * (len(long_) + 1)
        for j, t in enumerate(long_):
            match = len(s & t) / len(s | t) >= need
            cur[j + 1] = max(prev[j] + 1 if match else 0, prev[j + 1], cur[j])
        prev = cur
    return prev[-1] / len(short)


_sentence = st.frozensets(st.integers(0, 12), min_size=1, max_size=6)


@settings(max_examples=150, deadline=None)
@given(st.lists(_sentence, max_size=12), st.lists(_sentence, max_size=12),
       st.sampled_from([0.0, 0.3, 0.6, 1.0]))
def test_alignment_matches_the_dynamic_programme(
    a: list[frozenset[int]], b: list[frozenset[int]], floor: float
) -> None:
    index = DedupIndex()
    need = index.config.sentence_match
    expected = _reference(a, b, need)
    got = index._aligned_share(_entry(a), _entry(b), floor)
    if expected >= floor:
        assert got == expected
    else:  # below the floor only the verdict counts
        assert got < floor


def test_alignment_on_larger_random_articles() -> None:
    rng = random.Random(7)
    index = DedupIndex()
    for _ in range(40):
        vocab = rng.randint(10, 60)
        a = [frozenset(rng.sample(range(vocab), rng.randint(3, 9))) for _ in range(rng.randint(1, 50))]
        b = [rng.choice(a) if rng.random() < 0.5 else
             frozenset(rng.sample(range(vocab), rng.randint(3, 9))) for _ in range(rng.randint(1, 60))]
        assert index._aligned_share(_entry(a), _entry(b)) == _reference(a, b, 0.5)
