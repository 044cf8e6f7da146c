"""Tests of the learned pairwise coreference layer's lexical statistics and fit/predict."""

from __future__ import annotations

import numpy as np

from storyline.extract.coref_model import FEATURES, LexicalStats, PairwiseCoref, _pair_matrix
from storyline.extract.crossdoc import CorefMention


def _m(topic: str, doc: str, pos: int, lemma: str, kind: str = "HUM") -> CorefMention:
    return CorefMention(doc, topic, pos, f"the {lemma}", lemma, "NOUN", kind=kind)


def _topic(t: str) -> tuple[list[CorefMention], list[str]]:
    """A suspect who is also "the gunman", and a victim who is not."""
    ms = [
        _m(t, f"{t}a", 0, "suspect"),
        _m(t, f"{t}a", 10, "victim"),
        _m(t, f"{t}b", 0, "gunman"),
        _m(t, f"{t}b", 10, "victim"),
        _m(t, f"{t}b", 20, "suspect"),
    ]
    return ms, [f"{t}:s", f"{t}:v", f"{t}:s", f"{t}:v", f"{t}:s"]


def test_lexical_stats_count_pairs_of_head_lemmas() -> None:
    ms, chains = _topic("1")
    stats = LexicalStats.count(ms, chains)
    assert stats.total[("gunman", "suspect")] == 2 and stats.coref[("gunman", "suspect")] == 2
    assert stats.total[("suspect", "victim")] == 4 and stats.coref[("suspect", "victim")] == 0
    assert stats.total[("suspect", "suspect")] == 1 and stats.coref[("suspect", "suspect")] == 1
    rate, seen = stats.matrices(["gunman", "suspect", "victim", "unseen"])
    assert rate[0, 1] == rate[1, 0] == 1.0
    assert rate[1, 2] == 0.0
    assert rate[0, 3] == -1.0 and seen[0, 3] == 0.0
    assert np.isclose(seen[1, 2], np.log1p(4))


def test_lexical_stats_minus_removes_a_topic() -> None:
    a, ca = _topic("1")
    b, cb = _topic("2")
    both = LexicalStats.count(a + b, ca + cb)
    assert both.total[("gunman", "suspect")] == 4
    rest = both.minus(LexicalStats.count(a, ca))
    assert rest.total == LexicalStats.count(b, cb).total


def test_pair_matrix_carries_the_lexical_rate() -> None:
    ms, chains = _topic("1")
    stats = LexicalStats.count(*_topic("9"))
    x = _pair_matrix(ms, {m.doc: "e" for m in ms}, stats)
    assert x.shape == (5, 5, len(FEATURES))
    assert x[0, 2, FEATURES.index("lex_rate")] == 1.0  # suspect / gunman
    assert x[0, 1, FEATURES.index("lex_rate")] == 0.0  # suspect / victim


def test_layer_learns_from_other_topics_which_nouns_corefer() -> None:
    train_m: list[CorefMention] = []
    train_c: list[str] = []
    for t in range(12):
        ms, cs = _topic(str(t))
        train_m += ms
        train_c += cs
    layer = PairwiseCoref(threshold=0.5, min_samples_leaf=2, lexical=True)
    layer.fit(train_m, train_c, {m.doc: m.topic for m in train_m})
    test_m, _ = _topic("new")
    labels = layer.predict(test_m, {m.doc: "new" for m in test_m})
    assert labels[0] == labels[2] == labels[4]  # suspect, gunman, suspect
    assert labels[1] == labels[3] != labels[0]  # the victims
