"""Fast paths of the ranking give the same numbers as the plain formulas."""

from __future__ import annotations

import random

from storyline.summarize.rank import Candidate, Weights, _greedy, _value, cosine


def _vec(rng: random.Random, vocab: int) -> dict[str, float]:
    words = rng.sample(range(vocab), rng.randint(0, 8))
    return {f"w{w}": rng.random() + 0.01 for w in words}


def test_cosine_is_the_plain_dot_product() -> None:
    rng = random.Random(3)
    for _ in range(500):
        a, b = _vec(rng, 20), _vec(rng, 20)
        small, big = (a, b) if len(a) <= len(b) else (b, a)
        assert cosine(a, b) == sum(v * big.get(w, 0.0) for w, v in small.items())


def _reference_greedy(chosen: list[Candidate], pool: list[Candidate], budget: int,
                      worth: dict[str, float], weights: Weights) -> list[Candidate]:
    """The greedy search recomputing every value from scratch."""
    chosen = list(chosen)
    used = sum(len(c.text.split()) for c in chosen)
    current = _value(chosen, worth, weights)
    taken = {c.key for c in chosen}
    left = [c for c in pool if c.key not in taken]
    while left:
        gains = [((_value([*chosen, c], worth, weights) - current) / max(1, len(c.text.split())), c)
                 for c in left if used + len(c.text.split()) <= budget]
        gains = [g for g in gains if g[0] > 0]
        if not gains:
            break
        _, c = max(gains, key=lambda g: g[0])
        chosen.append(c)
        used += len(c.text.split())
        current = _value(chosen, worth, weights)
        left = [o for o in left if o.key != c.key]
    return chosen


def test_greedy_with_whole_worths_matches_the_reference() -> None:
    rng = random.Random(5)
    weights = Weights()
    for trial in range(60):
        pool = []
        for _ in range(rng.randint(1, 25)):
            words = [f"w{rng.randrange(30)}" for _ in range(rng.randint(2, 14))]
            doc = rng.randrange(3)  # some candidates are forms of one sentence (same key)
            c = Candidate(doc=doc, source=f"s{doc}", position=rng.randrange(8), start=0, end=1,
                          text=" ".join(words))
            c.concepts = frozenset(words)
            pool.append(c)
        worth = {f"w{k}": float(rng.randint(0, 5)) for k in range(30)}
        if trial % 2:
            worth = {w: v + 0.25 for w, v in worth.items()}  # not whole: the plain path
        seed = [pool[0]]
        got = _greedy(seed, pool, 40, worth, weights)
        assert [id(c) for c in got] == [id(c) for c in _reference_greedy(seed, pool, 40, worth, weights)]
