"""Cross-document event coreference over given event mentions.

Event mentions are given spans (such as ECB+'s gold event mention boundaries — never their
chains). Coreferent events are the backbone of a story's timeline, and their arguments tend to
corefer ("the woman was arrested" / "police detained Dana X"), the joint idea of Lee et al. (2012)
and Barhom et al. (2019):

1. each pair of event mentions of a topic gets features (:data:`EVENT_FEATURES`): same head
   lemma, MiniLM cosines of the head, the mention and its sentence in context and of the two
   documents, same document / sentence / event split, sentence distance, character similarity,
   and argument overlap — the entity mentions each event governs, pooled through a first entity
   clustering (the rules of :mod:`storyline.extract.crossdoc`), shared in any role, in the same
   role, and as time or place (shared, or both present and none shared);
2. a gradient-boosted classifier fitted on gold event chains of training topics scores the pairs
   (:class:`EventCoref`); average-link clusters the mentions of each event split.

``storyline bench entities --events`` scores it on ECB+. Entity pair features built from its
clusters (same event and argument role, slots shared by rule clusters; training topics labelled
out of fold) were tried for the entity layer and did not gain, not even from the gold event
chains by more than about one point (docs/benchmarks/entities.md).

The estimator follows scikit-learn conventions: parameters in the constructor, learned state in
attributes ending in ``_``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .coref_model import by_topic
from .crossdoc import CorefMention, cluster_mentions
from .predicates import argument_role

EVENT_FEATURES = (
    "same_lemma", "emb_head", "emb_span", "emb_sent", "emb_doc", "same_doc", "same_sentence",
    "same_split", "sent_dist", "text_similarity", "args_shared", "args_shared_role",
    "args_share", "both_args", "time_shared", "time_clash", "place_shared", "place_clash",
    "same_pos", "same_tag", "negation_clash",
)  # fmt: skip


@dataclass
class EventMention:
    """An event mention (a given span) with what the parse and the embedder say about it.

    Attributes:
        doc: Document id.
        topic: Topic id (clustering never crosses topics).
        sent: Sentence number in the document.
        tokens: Token indices of the mention in its sentence.
        text: The mention's words, lower-cased.
        lemma: Lemma of the mention's head (its first verb, else its last noun).
        pos: Coarse part of speech of the head.
        tag: Fine part of speech of the head (tense for verbs).
        negated: Whether the head has a negation ("did not resign").
        head_vec: MiniLM vector of the head in context; empty without embeddings.
        span_vec: Mean MiniLM vector of the mention's words in context; empty without them.
        sent_vec: Mean MiniLM vector of the sentence; empty without them.
        doc_vec: Embedding of the start of the document; empty without them.
    """

    doc: str
    topic: str
    sent: int
    tokens: tuple[int, ...]
    text: str
    lemma: str
    pos: str = ""
    tag: str = ""
    negated: bool = False
    head_vec: tuple[float, ...] = ()
    span_vec: tuple[float, ...] = ()
    sent_vec: tuple[float, ...] = ()
    doc_vec: tuple[float, ...] = field(default=(), repr=False)


def event_mention(
    sentence: Any,
    tokens: Sequence[int],
    where: tuple[str, str, int],
    word_vecs: np.ndarray | None = None,
    doc_vec: np.ndarray | None = None,
) -> EventMention:
    """Describe an event mention of a parsed sentence.

    Args:
        sentence: The spaCy ``Doc`` of the mention's sentence.
        tokens: Token indices of the mention in the sentence.
        where: Topic id, document id and sentence number.
        word_vecs: MiniLM vectors of the sentence's words in context, if any.
        doc_vec: Embedding of the document, if any.

    Returns:
        The mention; its head is its first verb, else its last noun, else the span's root.
    """
    span = sentence[min(tokens) : max(tokens) + 1]
    verbs = [t for t in span if t.pos_ in ("VERB", "AUX")]
    nouns = [t for t in span if t.pos_ in ("NOUN", "PROPN")]
    head = verbs[0] if verbs else nouns[-1] if nouns and len(span) > 1 else span.root

    def tup(v: Any) -> tuple[float, ...]:
        return tuple(float(x) for x in v)

    vecs = word_vecs
    return EventMention(
        doc=where[1], topic=where[0], sent=where[2], tokens=tuple(sorted(tokens)),
        text=span.text.lower(), lemma=head.lemma_.lower(), pos=head.pos_, tag=head.tag_,
        negated=any(c.dep_ == "neg" for c in head.children),
        head_vec=tup(vecs[head.i]) if vecs is not None else (),
        span_vec=tup(vecs[span.start : span.end].mean(axis=0)) if vecs is not None else (),
        sent_vec=tup(vecs.mean(axis=0)) if vecs is not None else (),
        doc_vec=tup(doc_vec) if doc_vec is not None else (),
    )  # fmt: skip


def lemma_baseline(events: Sequence[EventMention]) -> list[int]:
    """Same-lemma baseline: event mentions of a topic with the same head lemma corefer."""
    numbering: dict[tuple[str, str], int] = {}
    return [numbering.setdefault((e.topic, e.lemma), len(numbering)) for e in events]


def governing_events(mentions: Sequence[CorefMention], events: Sequence[EventMention]) -> list[int]:
    """The event mention each entity mention is an argument of (``-1`` where none).

    An entity mention belongs to the event mention whose span holds the word that governs it
    (:attr:`CorefMention.gov_i`: its verb, or the event noun of "the arrest of X").
    """
    where: dict[tuple[str, int, int], int] = {}
    for k, e in enumerate(events):
        for t in e.tokens:
            where.setdefault((e.doc, e.sent, t), k)
    return [
        where.get((m.doc, m.pos // 1000, m.gov_i), -1) if m.gov_i >= 0 else -1 for m in mentions
    ]


def _cos(vectors: Sequence[tuple[float, ...]]) -> np.ndarray:
    n = len(vectors)
    dims = max((len(v) for v in vectors), default=0)
    if not dims:
        return np.zeros((n, n))
    vec = np.array([v if len(v) == dims else (0.0,) * dims for v in vectors], dtype=np.float64)
    vec /= np.maximum(np.linalg.norm(vec, axis=1, keepdims=True), 1e-9)
    return np.asarray(vec @ vec.T)


def _eq(values: Sequence[object]) -> np.ndarray:
    codes: dict[object, int] = {}
    v = np.array([codes.setdefault(x, len(codes)) for x in values])
    return np.asarray(v[:, None] == v[None, :])


def _arguments(
    events: Sequence[EventMention], mentions: Sequence[CorefMention], splits: dict[str, str]
) -> list[list[tuple[int, str, str]]]:
    """Per event mention, its arguments as (entity rule cluster, role, kind)."""
    out: list[list[tuple[int, str, str]]] = [[] for _ in events]
    if not mentions:
        return out
    rule = cluster_mentions(mentions, splits)
    for i, k in enumerate(governing_events(mentions, events)):
        if k >= 0:
            m = mentions[i]
            out[k].append((rule[i], argument_role(m.role) or "other", m.kind))
    return out


def event_pair_matrix(
    events: Sequence[EventMention], mentions: Sequence[CorefMention], splits: dict[str, str]
) -> np.ndarray:
    """An ``n x n x len(EVENT_FEATURES)`` array of pair features of one topic's event mentions.

    Args:
        events: The event mentions of one topic.
        mentions: The entity mentions of the same topic (their arguments).
        splits: Event split (a group of documents about one happening) of each document.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    n = len(events)
    args = _arguments(events, mentions, splits)

    def member(keys: list[set[object]]) -> np.ndarray:
        ids: dict[object, int] = {}
        rows, cols = [], []
        for r, ks in enumerate(keys):
            for key in ks:
                rows.append(r)
                cols.append(ids.setdefault(key, len(ids)))
        mat = np.zeros((n, max(len(ids), 1)))
        mat[rows, cols] = 1.0
        return mat

    any_arg = member([{c for c, _, _ in a} for a in args])
    role_arg = member([{(c, r) for c, r, _ in a} for a in args])
    shared = any_arg @ any_arg.T
    size = any_arg.sum(axis=1)
    smaller = np.minimum(size[:, None], size[None, :])
    share = np.divide(shared, smaller, out=np.zeros_like(shared), where=smaller > 0)
    by_kind = []
    for kind in ("TIM", "LOC"):
        mat = member([{c for c, _, k in a if k == kind} for a in args])
        common = mat @ mat.T
        has = mat.sum(axis=1) > 0
        by_kind += [common > 0, has[:, None] & has[None, :] & (common == 0)]
    sent = np.array([e.sent for e in events])
    same_doc = _eq([e.doc for e in events])
    dist = np.where(same_doc, np.abs(sent[:, None] - sent[None, :]), -1)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 3)).fit_transform(
        [e.text for e in events]
    )
    negated = np.array([e.negated for e in events])
    feats = [
        _eq([e.lemma for e in events]), _cos([e.head_vec for e in events]),
        _cos([e.span_vec for e in events]), _cos([e.sent_vec for e in events]),
        _cos([e.doc_vec for e in events]), same_doc, _eq([(e.doc, e.sent) for e in events]),
        _eq([splits[e.doc] for e in events]), dist, (chars @ chars.T).toarray(),
        np.log1p(shared), np.log1p(role_arg @ role_arg.T), share,
        (size[:, None] > 0) & (size[None, :] > 0), *by_kind, _eq([e.pos for e in events]),
        _eq([e.tag for e in events]), negated[:, None] != negated[None, :],
    ]  # fmt: skip
    return np.stack([np.asarray(f, dtype=np.float32) for f in feats], axis=-1)


class EventCoref:
    """Pairwise event coreference classifier with average-link clustering per event split.

    Args:
        threshold: Average-link merge threshold on the predicted probability.
        max_iter: Boosting iterations of the classifier.
        min_samples_leaf: Least training pairs per leaf of the boosted trees.
        negative_rate: Share of non-coreferent training pairs kept (all coreferent ones are).
        random_state: Seed of the classifier and of the sampling.
    """

    def __init__(
        self,
        threshold: float = 0.5,
        max_iter: int = 100,
        min_samples_leaf: int = 50,
        negative_rate: float = 0.5,
        random_state: int = 0,
    ) -> None:
        self.threshold = threshold
        self.max_iter = max_iter
        self.min_samples_leaf = min_samples_leaf
        self.negative_rate = negative_rate
        self.random_state = random_state

    def _topic_pairs(
        self,
        events: Sequence[EventMention],
        mentions: Sequence[CorefMention],
        splits: dict[str, str],
    ) -> dict[str, tuple[list[int], np.ndarray]]:
        """Per topic: its event mention indices and their pair feature array."""
        ents = by_topic(mentions)
        out = {}
        for topic, idx in by_topic(events).items():
            subm = [mentions[i] for i in ents.get(topic, [])]
            out[topic] = (idx, event_pair_matrix([events[i] for i in idx], subm, splits))
        return out

    def _fit_arrays(
        self, feats: dict[str, tuple[list[int], np.ndarray]], chains: Sequence[str]
    ) -> EventCoref:
        from sklearn.ensemble import HistGradientBoostingClassifier
        from threadpoolctl import threadpool_limits

        rng = np.random.default_rng(self.random_state)
        xs, ys = [], []
        for idx, full in feats.values():
            a, b = np.triu_indices(len(idx), k=1)
            gold = np.array([chains[i] for i in idx])
            y = gold[a] == gold[b]
            keep = y | (rng.random(len(y)) < self.negative_rate)
            xs.append(full[a[keep], b[keep]])
            ys.append(y[keep])
        self.model_ = HistGradientBoostingClassifier(
            max_iter=self.max_iter, min_samples_leaf=self.min_samples_leaf,
            random_state=self.random_state,
        )  # fmt: skip
        with threadpool_limits(1):
            self.model_.fit(np.vstack(xs), np.concatenate(ys))
        return self

    def fit(
        self,
        events: Sequence[EventMention],
        chains: Sequence[str],
        mentions: Sequence[CorefMention],
        splits: dict[str, str],
    ) -> EventCoref:
        """Learn from gold event chains (one per event mention) of training topics.

        Args:
            events: Event mentions of the training topics.
            chains: Gold chain of each event mention.
            mentions: Entity mentions of the same topics (the events' arguments).
            splits: Event split of each document.
        """
        return self._fit_arrays(self._topic_pairs(events, mentions, splits), chains)

    def _cluster(
        self,
        feats: dict[str, tuple[list[int], np.ndarray]],
        events: Sequence[EventMention],
        splits: dict[str, str],
    ) -> list[int]:
        from sklearn.cluster import AgglomerativeClustering
        from threadpoolctl import threadpool_limits

        labels = [-1] * len(events)
        next_label = 0
        for idx, full in feats.values():
            n = len(idx)
            if n == 1:
                labels[idx[0]] = next_label
                next_label += 1
                continue
            a, b = np.triu_indices(n, k=1)
            with threadpool_limits(1):
                prob = self.model_.predict_proba(full[a, b])[:, 1]
            dist = np.ones((n, n))
            dist[a, b] = dist[b, a] = 1.0 - prob
            split = np.array([splits[events[i].doc] for i in idx])
            dist[split[:, None] != split[None, :]] = 1.0  # never across event splits
            np.fill_diagonal(dist, 0.0)
            found = AgglomerativeClustering(
                n_clusters=None, metric="precomputed", linkage="average",
                distance_threshold=1.0 - self.threshold,
            ).fit_predict(dist)  # fmt: skip
            for i, c in zip(idx, found, strict=True):
                labels[i] = next_label + int(c)
            next_label += int(found.max()) + 1
        return labels

    def predict(
        self,
        events: Sequence[EventMention],
        mentions: Sequence[CorefMention],
        splits: dict[str, str],
    ) -> list[int]:
        """A cluster number per event mention (unique across topics)."""
        return self._cluster(self._topic_pairs(events, mentions, splits), events, splits)
