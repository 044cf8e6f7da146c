"""Tests of the learned within-document pronoun resolver."""

from __future__ import annotations

from storyline.extract.crossdoc import CorefMention
from storyline.extract.withindoc import FEATURES, PronounResolver, candidate_pairs


def _m(doc: str, pos: int, text: str, lemma: str, hpos: str, kind: str) -> CorefMention:
    name = text if hpos == "PROPN" else None
    return CorefMention(doc, "t", pos, text, lemma, hpos, name, None, kind)


def _doc(d: str) -> tuple[list[CorefMention], list[str]]:
    """A person, a thing, then "he" and "it": the person's and the thing's pronouns."""
    mentions = [
        _m(d, 0, "Dana Whitlock", "whitlock", "PROPN", "HUM"),
        _m(d, 5, "the ferry", "ferry", "NOUN", "NON"),
        _m(d, 1002, "he", "he", "PRON", "HUM"),
        _m(d, 1007, "it", "it", "PRON", "NON"),
        _m(d, 2000, "the harbour", "harbour", "NOUN", "LOC"),
    ]
    return mentions, [f"{d}:p", f"{d}:f", f"{d}:p", f"{d}:f", f"{d}:h"]


def test_candidates_are_earlier_mentions_and_later_ones_in_the_sentence() -> None:
    mentions = [
        _m("d", 3, "his", "his", "PRON", "HUM"),
        _m("d", 8, "Dana Whitlock", "whitlock", "PROPN", "HUM"),
        _m("d", 1000, "the captain", "captain", "NOUN", "HUM"),
    ]
    x, pairs = candidate_pairs(mentions)
    assert pairs == [(0, 1)]  # the next sentence's "captain" is no candidate of "his"
    assert x.shape == (1, len(FEATURES))
    assert x[0, FEATURES.index("after")] == 1.0


def test_resolver_learns_agreement_in_kind() -> None:
    train_m: list[CorefMention] = []
    train_c: list[str] = []
    for k in range(30):
        ms, cs = _doc(f"train{k}")
        train_m += ms
        train_c += cs
    resolver = PronounResolver(min_samples_leaf=5).fit(train_m, train_c)
    test_m, _ = _doc("new")
    assert resolver.antecedents(test_m) == {2: 0, 3: 1}


def test_no_candidates_no_antecedents() -> None:
    resolver = PronounResolver(min_samples_leaf=5)
    ms, cs = _doc("a")
    resolver.fit(ms * 10, cs * 10)
    assert resolver.antecedents([_m("b", 0, "she", "she", "PRON", "HUM")]) == {}
