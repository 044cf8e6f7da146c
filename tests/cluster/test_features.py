"""Event features: names, figures and content words, and the weighted vectors built from them."""

from __future__ import annotations

import math

import numpy as np

from storyline.cluster.features import (
    BLOCK_CODES,
    FeatureWeights,
    Vectorizer,
    dot,
    raw_features,
    stem,
)


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


def test_hashed_vectors_equal_the_dict_path() -> None:
    docs = [
        raw_features("Rescuers reached Kessel after the 6.4 quake. Kessel was cut off in 2031."),
        raw_features("Governor Ilse Marten flew to Kessel; 12 died in the quake."),
        raw_features("Faldor Motors buys Quillon Cells for 2.3 billion euros."),
    ]
    plain = Vectorizer().fit(docs)
    hashed = Vectorizer(hash_bits=20).fit(docs)
    for counts in docs:
        expected = {hashed.key(str(f)): v for f, v in plain.transform(counts).items()}
        got = hashed.transform_packed(hashed.pack(counts))
        assert got.keys() == expected.keys()
        assert all(math.isclose(got[k], expected[k], rel_tol=1e-9) for k in got)
        # the packed and the triple forms of a document weigh the same
        assert hashed.transform_prepared(hashed.prepare(counts)) == got


def test_weigh_hashed_normalises_each_document_and_block() -> None:
    docs = [raw_features("Kessel bridge fell in 2031 after the quake."), raw_features("Lumira port, 40 hurt.")]
    vec = Vectorizer(hash_bits=16).fit(docs)
    packed = [vec.pack(d) for d in docs]
    keys = np.concatenate([p[0] for p in packed])
    segments = np.repeat(np.arange(2), [len(p[0]) for p in packed])
    values = vec.weigh_hashed(
        keys, np.concatenate([p[1] for p in packed]), np.concatenate([p[2] for p in packed]), segments
    )
    for i in range(2):
        # each document's squared weights sum to the total weight of its non-empty blocks
        blocks = {BLOCK_CODES[c] for c in packed[i][2].tolist()}
        share = sum(FeatureWeights().block_weights()[b] for b in blocks)
        assert math.isclose(float((values[segments == i] ** 2).sum()), share, rel_tol=1e-9)


def test_rare_share_keeps_rare_features_in_the_norm() -> None:
    docs = [
        raw_features("Kessel bridge fell after the quake near Varden."),
        raw_features("The Kessel quake killed 12 in the Varden valley."),
    ]
    for hash_bits in (None, 16):
        renormalised = Vectorizer(hash_bits=hash_bits).fit(docs)
        full = Vectorizer(hash_bits=hash_bits).fit(docs)
        full.rare_share = 1.0
        everything = full.transform(docs[0])  # min_df 1: all features, full norm
        shared = full.transform(docs[0], min_df=2)
        # the same weights as the complete vector, restricted to the features both articles have
        assert shared.keys() == renormalised.transform(docs[0], min_df=2).keys()
        assert all(math.isclose(shared[k], everything[k], rel_tol=1e-9) for k in shared)
        # so the similarity is deflated, not renormalised to the shared features
        assert dot(shared, full.transform(docs[1], min_df=2)) < dot(
            renormalised.transform(docs[0], min_df=2), renormalised.transform(docs[1], min_df=2)
        )
