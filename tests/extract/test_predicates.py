"""Tests of predicate clustering and the shared-predicate pair features."""

from __future__ import annotations

import numpy as np

from storyline.extract.coref_model import FEATURES, _pair_matrix
from storyline.extract.crossdoc import CorefMention
from storyline.extract.predicates import (
    PREDICATE_FEATURES,
    argument_role,
    predicate_clusters,
    predicate_features,
)


def _m(
    doc: str,
    pos: int,
    lemma: str,
    governor: str,
    role: str,
    gov_vec: tuple[float, ...] = (),
    head_pos: str = "NOUN",
) -> CorefMention:
    return CorefMention(
        doc, "t", pos, f"the {lemma}", lemma, head_pos, kind="HUM", governor=governor, role=role,
        gov_vec=gov_vec,
    )  # fmt: skip


def test_argument_roles() -> None:
    assert argument_role("nsubj") == "agent"
    assert argument_role("pobj:by") == "agent"
    assert argument_role("nsubjpass") == "patient"
    assert argument_role("dobj") == "patient"
    assert argument_role("poss") == "possessor"
    assert argument_role("pobj:in") == "oblique"
    assert argument_role("compound") is None
    assert argument_role("") is None


def test_predicates_cluster_by_lemma_and_vector_within_an_event() -> None:
    arrest, detain, praise = (1.0, 0.1, 0.0), (0.95, 0.2, 0.0), (0.0, 0.0, 1.0)
    ms = [
        _m("a", 0, "woman", "arrest", "nsubjpass", arrest),
        _m("b", 0, "suspect", "detain", "dobj", detain),
        _m("c", 0, "officer", "praise", "dobj", praise),
        _m("d", 0, "man", "arrest", "nsubjpass", arrest),  # another event
        _m("a", 1000, "police", "say", "nsubj", praise),  # a reporting verb: no predicate
        _m("b", 2000, "day", "", "npadvmod"),  # no governor
    ]
    events = {"a": "e1", "b": "e1", "c": "e1", "d": "e2"}
    pred = predicate_clusters(ms, events, threshold=0.8)
    assert pred[0] == pred[1]  # "arrested" / "detained": close in context
    assert pred[2] != pred[0]
    assert pred[3] not in (pred[0], pred[2])  # the same lemma, but in another event
    assert pred[4] == -1 and pred[5] == -1


def test_predicates_without_vectors_match_by_lemma_only() -> None:
    ms = [
        _m("a", 0, "woman", "arrest", "nsubjpass"),
        _m("b", 0, "suspect", "arrest", "dobj"),
        _m("c", 0, "man", "detain", "dobj"),
    ]
    pred = predicate_clusters(ms, {"a": "e", "b": "e", "c": "e"})
    assert pred[0] == pred[1] != pred[2]


def test_features_pool_the_slots_of_a_group() -> None:
    v = (1.0, 0.0)
    ms = [
        _m("a", 0, "woman", "arrest", "nsubjpass", v),  # group 0
        _m("a", 1000, "she", "charge", "nsubjpass", (0.0, 1.0), head_pos="PRON"),  # group 0
        _m("b", 0, "Dana", "charge", "dobj", (0.0, 1.0)),  # group 1
        _m("b", 1000, "police", "arrest", "nsubj", v),  # group 2: the agent, not the patient
    ]
    events = {"a": "e", "b": "e"}
    same, same_slot, shared, share = predicate_features(ms, events, [0, 0, 1, 2])
    assert same[0, 3] and not same_slot[0, 3]  # one predicate cluster, other roles
    assert same[1, 2] and same_slot[1, 2]  # both charged: patients of "charge"
    # "the woman" shares the pronoun's slot with "Dana", though the two never meet.
    assert shared[0, 2] == np.log1p(1) and share[0, 2] == 1.0
    assert shared[0, 3] == 0.0 and share[0, 3] == 0.0


def test_pair_matrix_fills_the_predicate_columns_only_when_asked() -> None:
    ms = [
        _m("a", 0, "woman", "arrest", "nsubjpass"),
        _m("b", 0, "suspect", "arrest", "dobj"),
    ]
    events = {"a": "e", "b": "e"}
    cols = [FEATURES.index(f) for f in PREDICATE_FEATURES]
    off = _pair_matrix(ms, events)
    on = _pair_matrix(ms, events, predicates=0.8)
    assert off.shape == on.shape == (2, 2, len(FEATURES))
    assert not off[:, :, cols].any()
    assert on[0, 1, FEATURES.index("pred_same_role")] == 1.0
