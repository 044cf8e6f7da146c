"""Predicate clusters and argument roles: event structure as evidence for entity coreference.

Two mentions that fill the same argument role of coreferent events tend to corefer ("the woman
was arrested" / "police detained Dana X": both the thing arrested), whatever their head words
say. This module does a cheap version of joint event and entity coreference (after Lee et al.
2012 and Barhom et al. 2019), with no event annotation:

1. every mention's *predicate* is the word that governs it in the parse (the verb or event noun
   it is an argument of, through a preposition: :attr:`CorefMention.governor`);
2. the predicates of each event's documents are clustered by average-link over the cosine of
   their contextual MiniLM vectors (:attr:`CorefMention.gov_vec`), two predicates with the same
   lemma counting as identical — "arrested" and "detained" in two articles of one event fall
   together;
3. the mention's relation to its predicate is reduced to a coarse argument role (:func:`argument_role`:
   agent, patient, possessor, oblique);
4. pair features: whether two mentions hang off predicates of one cluster, whether they also
   fill the same role there, and, for the rule clusters the two mentions belong to (names
   linked across the topic, nominals with one head lemma in an event, pronouns with their
   antecedents), how many (predicate cluster, role) slots those clusters share.

Reporting and light verbs ("say", "have") are left out: everyone says things.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from .crossdoc import CorefMention

#: Names of the pair features :func:`predicate_features` returns, in order.
PREDICATE_FEATURES = ("pred_same", "pred_same_role", "pred_slots_shared", "pred_slots_share")

#: Verbs too general to say which event a mention takes part in (reporting and light verbs).
LIGHT_VERBS = frozenset(
    "say tell be have report add state accord include do make get go come take give know see "
    "want".split()
)

_AGENT = frozenset({"nsubj", "csubj", "pobj:by"})
_PATIENT = frozenset({"dobj", "nsubjpass"})


def argument_role(relation: str) -> str | None:
    """The coarse argument role of a parse relation to the governing word.

    Args:
        relation: The mention's relation to its governor (``nsubj``, ``dobj``, ``pobj:in``...,
            as :attr:`CorefMention.role`).

    Returns:
        ``"agent"`` (subject, passive "by" phrase), ``"patient"`` (object, passive subject),
        ``"possessor"``, ``"oblique"`` (any prepositional object), or ``None`` for the others
        (compounds, appositions, modifiers).
    """
    if relation in _AGENT:
        return "agent"
    if relation in _PATIENT:
        return "patient"
    if relation == "poss":
        return "possessor"
    if relation.startswith("pobj:"):
        return "oblique"
    return None


def predicate_clusters(
    mentions: Sequence[CorefMention], events: dict[str, str], threshold: float = 0.8
) -> np.ndarray:
    """Cluster the mentions' predicates across the documents of each event.

    A predicate is one governing word in one sentence (two mentions governed by the same word
    share it). Predicates of one event are clustered by average-link over their contextual
    cosine, with the same lemma counting as cosine 1; without vectors only lemmas match.

    Args:
        mentions: The mentions of one topic.
        events: Event id of each document.
        threshold: Least average cosine for two groups of predicates to merge.

    Returns:
        A predicate cluster number per mention, ``-1`` where it has no predicate (no governor,
        or a light verb).
    """
    from sklearn.cluster import AgglomerativeClustering

    instance: dict[tuple[str, int, str], int] = {}
    of_mention = []
    vectors: dict[int, tuple[float, ...]] = {}
    for m in mentions:
        if not m.governor or m.governor in LIGHT_VERBS:
            of_mention.append(-1)
            continue
        k = instance.setdefault((m.doc, m.pos // 1000, m.governor), len(instance))
        of_mention.append(k)
        if m.gov_vec:
            vectors[k] = m.gov_vec
    keys = list(instance)
    by_event: dict[str, list[int]] = defaultdict(list)
    for k, key in enumerate(keys):
        by_event[events[key[0]]].append(k)
    dims = max((len(v) for v in vectors.values()), default=0)
    cluster_of = np.full(len(keys), -1, dtype=np.int64)
    next_id = 0
    for ks in by_event.values():
        if len(ks) == 1:
            cluster_of[ks[0]] = next_id
            next_id += 1
            continue
        sim = np.zeros((len(ks), len(ks)))
        if dims:
            vec = np.array([vectors.get(k, (0.0,) * dims) for k in ks], dtype=np.float64)
            vec /= np.maximum(np.linalg.norm(vec, axis=1, keepdims=True), 1e-9)
            sim = vec @ vec.T
        lemma = np.array([keys[k][2] for k in ks])
        sim = np.where(lemma[:, None] == lemma[None, :], 1.0, sim)
        dist = np.clip(1.0 - sim, 0.0, 2.0)
        np.fill_diagonal(dist, 0.0)
        labels = AgglomerativeClustering(
            n_clusters=None, metric="precomputed", linkage="average",
            distance_threshold=1.0 - threshold,
        ).fit_predict(dist)  # fmt: skip
        cluster_of[ks] = next_id + labels
        next_id += int(labels.max()) + 1
    return np.array([cluster_of[k] if k >= 0 else -1 for k in of_mention], dtype=np.int64)


def predicate_features(
    mentions: Sequence[CorefMention],
    events: dict[str, str],
    groups: Sequence[int],
    threshold: float = 0.8,
) -> list[np.ndarray]:
    """Pair features of one topic's mentions from shared predicates (:data:`PREDICATE_FEATURES`).

    Args:
        mentions: The mentions of one topic.
        events: Event id of each document.
        groups: A first clustering of the mentions (the rules' clusters), whose predicate slots
            are pooled: "the woman" inherits the slots of the pronouns that refer to her.
        threshold: Predicate clustering threshold (:func:`predicate_clusters`).

    Returns:
        Four ``n x n`` arrays: same predicate cluster; same predicate cluster and argument role;
        log(1 + the number of (predicate cluster, role) slots the two mentions' groups share);
        that number over the smaller group's number of slots.
    """
    n = len(mentions)
    pred = predicate_clusters(mentions, events, threshold)
    names = sorted({r for m in mentions if (r := argument_role(m.role))})
    role_id = {r: k for k, r in enumerate(names)}
    role = np.array([role_id.get(argument_role(m.role) or "", -1) for m in mentions])
    has = pred >= 0
    same_pred = (pred[:, None] == pred[None, :]) & has[:, None]
    same_slot = same_pred & (role[:, None] == role[None, :]) & (role >= 0)[:, None]

    group = np.asarray(groups, dtype=np.int64)
    uniq, g = np.unique(group, return_inverse=True)
    slot_ids: dict[tuple[int, int], int] = {}
    rows, cols = [], []
    for i in range(n):
        if pred[i] >= 0 and role[i] >= 0:
            rows.append(int(g[i]))
            cols.append(slot_ids.setdefault((int(pred[i]), int(role[i])), len(slot_ids)))
    member = np.zeros((len(uniq), max(len(slot_ids), 1)))
    member[rows, cols] = 1.0
    shared = (member @ member.T)[g][:, g]
    size = member.sum(axis=1)[g]
    smaller = np.minimum(size[:, None], size[None, :])
    share = np.divide(shared, smaller, out=np.zeros_like(shared), where=smaller > 0)
    return [same_pred, same_slot, np.log1p(shared), share]
