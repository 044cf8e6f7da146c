"""Tests of cross-document event coreference over given event mentions."""

from __future__ import annotations

import numpy as np

from storyline.extract.crossdoc import CorefMention
from storyline.extract.eventcoref import (
    EVENT_FEATURES,
    EventCoref,
    EventMention,
    event_mention,
    event_pair_matrix,
    governing_events,
    lemma_baseline,
)


def _ev(doc: str, sent: int, tok: int, lemma: str, topic: str = "t") -> EventMention:
    return EventMention(doc, topic, sent, (tok,), lemma, lemma, pos="VERB", tag="VBD")


def _ent(
    doc: str, sent: int, tok: int, name: str, gov_i: int, role: str, topic: str = "t"
) -> CorefMention:
    return CorefMention(
        doc, topic, sent * 1000 + tok, name, name.lower(), "PROPN", name=name, label="PERSON",
        kind="HUM", head_i=tok, gov_i=gov_i, role=role, governor="x",
    )  # fmt: skip


def test_governing_events_follow_the_governing_word() -> None:
    events = [_ev("a", 0, 1, "arrest"), _ev("a", 1, 4, "charge")]
    ents = [
        _ent("a", 0, 0, "Dana", 1, "nsubj"),  # governed by "arrest"
        _ent("a", 1, 2, "Lee", 4, "dobj"),  # by "charge"
        _ent("a", 1, 6, "Kim", 5, "dobj"),  # by a word that is no event mention
        _ent("b", 0, 0, "Ola", -1, ""),  # no governor
    ]
    assert governing_events(ents, events) == [0, 1, -1, -1]


def test_pair_features_see_lemmas_and_shared_arguments() -> None:
    events = [_ev("a", 0, 1, "arrest"), _ev("b", 0, 1, "arrest"), _ev("b", 1, 1, "fire")]
    ents = [
        _ent("a", 0, 2, "Dana Lee", 1, "dobj"),
        _ent("b", 0, 2, "Dana Lee", 1, "dobj"),  # the same name: one rule cluster
        _ent("b", 1, 2, "Kim Ola", 1, "dobj"),
    ]
    splits = {"a": "e", "b": "e"}
    x = event_pair_matrix(events, ents, splits)
    assert x.shape == (3, 3, len(EVENT_FEATURES))
    col = {f: k for k, f in enumerate(EVENT_FEATURES)}
    assert x[0, 1, col["same_lemma"]] == 1 and x[0, 2, col["same_lemma"]] == 0
    assert x[0, 1, col["args_shared_role"]] > 0  # Dana Lee is the one arrested in both
    assert x[0, 2, col["args_shared"]] == 0
    assert x[1, 2, col["same_doc"]] == 1 and x[1, 2, col["sent_dist"]] == 1
    assert x[0, 1, col["sent_dist"]] == -1  # different documents


def _corpus(topics: int) -> tuple[list[EventMention], list[str], list[CorefMention]]:
    """Topics of three documents, each reporting an arrest and a fire (lemmas vary)."""
    events, chains, ents = [], [], []
    for t in range(topics):
        for d in range(3):
            doc = f"{t}_{d}"
            arrest = ("arrest", "detain", "arrest")[d]
            events += [_ev(doc, 0, 1, arrest, str(t)), _ev(doc, 1, 1, "fire", str(t))]
            chains += [f"{t}-arrest", f"{t}-fire"]
            ents += [
                _ent(doc, 0, 2, f"Dana{t} Lee", 1, "dobj", str(t)),
                _ent(doc, 1, 2, f"Kim{t} Ola", 1, "dobj", str(t)),
            ]
    return events, chains, ents


def test_event_coref_learns_from_gold_chains() -> None:
    events, chains, ents = _corpus(6)
    splits = {e.doc: e.topic for e in events}
    model = EventCoref(min_samples_leaf=2, threshold=0.5).fit(events, chains, ents, splits)
    labels = model.predict(events, ents, splits)
    for i in range(len(events)):
        for j in range(len(events)):
            assert (labels[i] == labels[j]) == (chains[i] == chains[j])


def test_event_mention_heads_and_vectors() -> None:
    from spacy.tokens import Doc

    from storyline.extract.nlp import load_nlp

    nlp = load_nlp(None)
    words = "Police did not arrest the man after the deadly fire".split()
    sent = nlp(Doc(nlp.vocab, words=words))
    vecs = np.arange(len(words) * 2, dtype=np.float64).reshape(len(words), 2)
    verb = event_mention(sent, [3], ("t", "d", 4), vecs, np.ones(2))
    assert (verb.topic, verb.doc, verb.sent, verb.tokens) == ("t", "d", 4, (3,))
    assert verb.lemma == "arrest" and verb.negated
    assert verb.head_vec == (6.0, 7.0) and verb.doc_vec == (1.0, 1.0)
    noun = event_mention(sent, [8, 9], ("t", "d", 4))  # "deadly fire": the noun heads it
    assert noun.lemma == "fire" and not noun.negated and noun.head_vec == ()
    assert lemma_baseline([verb, noun, verb]) == [0, 1, 0]
