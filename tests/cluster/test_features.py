"""Event features: names, figures and content words, and the weighted vectors built from them."""

from __future__ import annotations

import math

from storyline.cluster.features import FeatureWeights, Vectorizer, dot, raw_features, stem


def test_names_figures_and_words() -> None:
    feats = raw_features("Rescuers reached Kessel Bridge on Tuesday. The 6.4 quake hit in 2031.")
    assert feats["n:kessel_bridge"] == 1
    assert feats["n:kessel"] == 1
    assert feats["y:2031"] == 1
    assert feats["d:6.4"] == 1
    assert "w:rescuer" in feats
    assert "n:tuesday" not in feats  # weekdays are not names
    assert "n:the" not in feats  # sentence-initial ordinary words are not names


def test_title_counts_more() -> None:
    feats = raw_features("Flooding in Arlen.", title="Floods hit Arlen", title_boost=3)
    assert feats["n:arlen"] == 1 + 3


def test_stem() -> None:
    assert stem("arrested") == stem("arrests") == stem("arresting") == "arrest"
    assert stem("counties") == "county"
    assert stem("gas") == "gas"


def test_vectors_are_block_normalised() -> None:
    weights = FeatureWeights(words=0.5, names=0.3, numbers=0.2)
    docs = [raw_features(t) for t in ("Storms hit Arlen in 2030.", "Storms hit Brenna in 2031.")]
    for bits in (None, 16):
        vec = Vectorizer(weights, hash_bits=bits).fit(docs)
        v = vec.transform(docs[0])
        assert math.isclose(dot(v, v), 1.0, rel_tol=1e-9)
        assert 0.0 < dot(v, vec.transform(docs[1])) < 1.0


def test_vectorizer_state_round_trip() -> None:
    docs = [raw_features("Storms hit Arlen."), raw_features("Storms hit Brenna.")]
    for bits in (None, 12):
        vec = Vectorizer(hash_bits=bits).fit(docs)
        again = Vectorizer.from_state(vec.state())
        assert again.transform(docs[0]) == vec.transform(docs[0])
