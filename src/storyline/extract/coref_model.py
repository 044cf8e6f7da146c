"""A learned pairwise layer over the rule-based cross-document linking.

The rules of :mod:`storyline.extract.crossdoc` (name linking, head lemmas within an event, roles,
appositions) give strong but brittle evidence. This module turns that evidence, plus a few
lexical cues, into features of a mention pair, fits a gradient-boosted classifier on a training
split (no pretrained weights: it learns from the gold clusters it is given), and clusters each
topic's mentions by average-link over the predicted probabilities. Pronouns are left to the
rules (nearest compatible antecedent).

The estimator follows scikit-learn conventions: parameters in the constructor, learned state in
attributes ending in ``_``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np

from .crossdoc import CorefMention, cluster_mentions
from .predicates import PREDICATE_FEATURES, predicate_features
from .withindoc import PronounResolver

FEATURES = (
    "rule_same", "same_lemma", "both_named", "one_named", "none_named", "same_event", "same_doc",
    "same_sentence", "role_match", "word_jaccard", "head_in_other", "same_kind", "kind_hum",
    "kind_loc", "kind_tim", "kind_non", "dominant", "text_similarity", "same_label",
    "same_number", "rule_size_min", "lemma_event_count", "same_time", "doc_main_person",
    "vector_cosine", "same_governor", "same_governor_role", "lemma_doc_share",
    "emb_span", "emb_head", "emb_text", "emb_gov", "emb_sent", "emb_doc", "lex_rate", "lex_seen",
    *PREDICATE_FEATURES,
)  # fmt: skip

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def time_key(text: str) -> str | None:
    """A normalised key of a time expression: a full date, a month and day, a weekday, a year."""
    from .dates import resolve_dates

    found = resolve_dates(text, None)
    for d in found:
        if d.value:
            return d.value
    low = text.lower()
    for day in _WEEKDAYS:
        if day in low:
            return day
    for d in found:
        return d.text.lower()
    return None


def _ids(values: Sequence[object]) -> np.ndarray:
    """Integer codes of hashable values (equal values, equal codes)."""
    codes: dict[object, int] = {}
    return np.array([codes.setdefault(v, len(codes)) for v in values], dtype=np.int64)


def _eq(v: np.ndarray) -> np.ndarray:
    return v[:, None] == v[None, :]


def _cosines(vectors: Sequence[tuple[float, ...]]) -> np.ndarray:
    """Pairwise cosine of optional vectors (zeros where a mention has none)."""
    n = len(vectors)
    dims = max((len(v) for v in vectors), default=0)
    if not dims:
        return np.zeros((n, n))
    vec = np.array([v if len(v) == dims else (0.0,) * dims for v in vectors], dtype=np.float64)
    norms = np.linalg.norm(vec, axis=1, keepdims=True)
    unit = vec / np.where(norms > 0, norms, 1.0)
    return np.asarray(unit @ unit.T)


class LexicalStats:
    """How often mentions with two given head lemmas corefer in training topics.

    "suspect" / "gunman" or "woman" / "grandmother" corefer far more often than their word
    vectors say; the rate learned from gold chains of other topics carries over to new ones.
    Pairs are counted within a topic, pronouns left out.
    """

    def __init__(self) -> None:
        self.coref: Counter[tuple[str, str]] = Counter()
        self.total: Counter[tuple[str, str]] = Counter()

    @classmethod
    def count(cls, mentions: Sequence[CorefMention], chains: Sequence[str]) -> LexicalStats:
        """Counts over the pairs of each topic's non-pronoun mentions (gold ``chains``)."""
        stats = cls()
        for idx in by_topic(mentions).values():
            keep = [i for i in idx if mentions[i].head_pos != "PRON"]
            lemmas = sorted({mentions[i].head_lemma for i in keep})
            chain_ids = sorted({chains[i] for i in keep})
            if not keep:
                continue
            li = {w: k for k, w in enumerate(lemmas)}
            ci = {c: k for k, c in enumerate(chain_ids)}
            m = np.zeros((len(lemmas), len(chain_ids)))
            for i in keep:
                m[li[mentions[i].head_lemma], ci[chains[i]]] += 1
            n = m.sum(axis=1)
            same = m @ m.T
            tot = np.outer(n, n)
            np.fill_diagonal(same, (np.diag(same) - n) / 2)  # pairs of distinct mentions
            np.fill_diagonal(tot, n * (n - 1) / 2)
            a, b = np.nonzero(np.triu(tot) > 0)
            for x, y in zip(a.tolist(), b.tolist(), strict=True):
                stats.coref[(lemmas[x], lemmas[y])] += int(same[x, y])
                stats.total[(lemmas[x], lemmas[y])] += int(tot[x, y])
        return stats

    def minus(self, other: LexicalStats) -> LexicalStats:
        """These counts without another's (leave one topic out while fitting)."""
        out = LexicalStats()
        out.coref = self.coref - other.coref
        out.total = self.total - other.total
        return out

    def matrices(self, lemmas: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Coreference rate (-1 when never seen) and log count of every pair of head lemmas."""
        n = len(lemmas)
        rate = np.full((n, n), -1.0)
        seen = np.zeros((n, n))
        uniq = sorted(set(lemmas))
        pos = defaultdict(list)
        for i, w in enumerate(lemmas):
            pos[w].append(i)
        for x, wa in enumerate(uniq):
            for wb in uniq[x:]:
                tot = self.total.get((wa, wb), 0)
                if tot:
                    ia, ib = np.array(pos[wa]), np.array(pos[wb])
                    r = self.coref.get((wa, wb), 0) / tot
                    rate[np.ix_(ia, ib)] = rate[np.ix_(ib, ia)] = r
                    seen[np.ix_(ia, ib)] = seen[np.ix_(ib, ia)] = np.log1p(tot)
        return rate, seen


def _pair_matrix(
    mentions: Sequence[CorefMention],
    events: dict[str, str],
    lexicon: LexicalStats | None = None,
    predicates: float | None = None,
) -> np.ndarray:
    """An ``n x n x len(FEATURES)`` array of pair features of one topic's mentions.

    ``predicates`` is the predicate clustering threshold of the shared-predicate features
    (:mod:`storyline.extract.predicates`); ``None`` leaves those columns at zero.
    """
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import TfidfVectorizer

    n = len(mentions)
    rule = np.array(cluster_mentions(mentions, events), dtype=np.int64)
    ev = _ids([events[m.doc] for m in mentions])
    doc = _ids([m.doc for m in mentions])
    sent = _ids([(m.doc, m.pos // 1000) for m in mentions])
    lemma = _ids([m.head_lemma for m in mentions])
    named = np.array([bool(m.name) for m in mentions])
    kind = np.array([m.kind for m in mentions])
    label = _ids([m.label or f"none{i}" for i, m in enumerate(mentions)])
    plural = np.array([m.plural for m in mentions])

    vocab: dict[str, int] = {}

    def rows(sets: Sequence[frozenset[str] | set[str]]) -> csr_matrix:
        data, ri, ci = [], [], []
        for r, words in enumerate(sets):
            for w in words:
                ri.append(r)
                ci.append(vocab.setdefault(w, len(vocab)))
                data.append(1.0)
        return csr_matrix((data, (ri, ci)), shape=(len(sets), 100_000))

    words = rows([m.words for m in mentions])
    heads = rows([{m.head_lemma} for m in mentions])
    cluster_roles: dict[int, set[str]] = defaultdict(set)
    per_event: dict[int, Counter[int]] = defaultdict(Counter)
    for i, m in enumerate(mentions):
        if m.name:
            cluster_roles[int(rule[i])].update(m.roles)
            if m.kind in ("HUM", ""):
                per_event[int(ev[i])][int(rule[i])] += 1
    roles = rows([cluster_roles.get(int(c), set()) for c in rule])

    inter = (words @ words.T).toarray()
    sizes = np.asarray(words.sum(axis=1)).ravel()
    union = sizes[:, None] + sizes[None, :] - inter
    jacc = np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
    head_in = (heads @ words.T).toarray() > 0
    head_in = head_in | head_in.T
    role = ((heads @ roles.T).toarray() > 0) & ~named[:, None]
    role = role | role.T
    dominant_of = {e: cnt.most_common(1)[0][0] for e, cnt in per_event.items() if cnt}
    is_dom = np.array([dominant_of.get(int(ev[i])) == int(rule[i]) for i in range(n)])
    # nominal i with a name j that is the dominant person of i's event
    dom = (~named[:, None]) & named[None, :] & is_dom[None, :] & _eq(ev)
    dom = dom | dom.T
    texts = [m.text.lower() for m in mentions]
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 3)).fit_transform(texts)
    text_sim = (chars @ chars.T).toarray()
    rule_size = np.bincount(rule)[rule]
    lemma_ev = Counter(zip(ev.tolist(), lemma.tolist(), strict=True))
    lemma_count = np.array([lemma_ev[(int(e), int(lm))] for e, lm in zip(ev, lemma, strict=True)])

    tkeys = [time_key(m.text) if m.kind == "TIM" else None for m in mentions]
    tk = _ids([t if t is not None else f"none{i}" for i, t in enumerate(tkeys)])
    # The person a document names most: "the woman" there is most likely that person.
    doc_names: dict[int, Counter[int]] = defaultdict(Counter)
    for i, m in enumerate(mentions):
        if m.name and m.kind in ("HUM", ""):
            doc_names[int(doc[i])][int(rule[i])] += 1
    main_of = {d: c.most_common(1)[0][0] for d, c in doc_names.items() if c}
    is_main = np.array([main_of.get(int(doc[i])) == int(rule[i]) and named[i] for i in range(n)])
    nominal_hum = ~named & (kind == "HUM")
    main = nominal_hum[:, None] & is_main[None, :] & _eq(doc)
    main = main | main.T

    dims = max((len(m.vector) for m in mentions), default=0)
    if dims:
        vec = np.array([m.vector if len(m.vector) == dims else [0.0] * dims for m in mentions])
        norms = np.linalg.norm(vec, axis=1, keepdims=True)
        vec = vec / np.where(norms > 0, norms, 1.0)
        cosine = vec @ vec.T
    else:
        cosine = np.zeros((n, n))
    gov = _ids([m.governor or f"none{i}" for i, m in enumerate(mentions)])
    gov_role = _ids(
        [(m.governor, m.role) if m.governor else f"none{i}" for i, m in enumerate(mentions)]
    )

    # Share of the event's documents that use the mention's head lemma (central participants).
    ev_docs: dict[int, set[int]] = defaultdict(set)
    lemma_docs: dict[tuple[int, int], set[int]] = defaultdict(set)
    for i in range(n):
        ev_docs[int(ev[i])].add(int(doc[i]))
        lemma_docs[(int(ev[i]), int(lemma[i]))].add(int(doc[i]))
    share = np.array(
        [len(lemma_docs[(int(ev[i]), int(lemma[i]))]) / len(ev_docs[int(ev[i])]) for i in range(n)]
    )

    emb = [
        _cosines([getattr(m, f) for m in mentions])
        for f in ("span_vec", "head_vec", "text_vec", "gov_vec", "sent_vec", "doc_vec")
    ]

    lex = (lexicon or LexicalStats()).matrices([m.head_lemma for m in mentions])
    if predicates is None:
        pred = [np.zeros((n, n))] * len(PREDICATE_FEATURES)
    else:
        pred = predicate_features(mentions, events, rule.tolist(), predicates)
    same_kind = _eq(kind)
    feats = [
        _eq(rule), _eq(lemma), named[:, None] & named[None, :], named[:, None] != named[None, :],
        ~named[:, None] & ~named[None, :], _eq(ev), _eq(doc), _eq(sent), role, jacc, head_in,
        same_kind, same_kind & (kind == "HUM")[:, None], same_kind & (kind == "LOC")[:, None],
        same_kind & (kind == "TIM")[:, None], same_kind & (kind == "NON")[:, None], dom, text_sim,
        _eq(label), _eq(plural), np.minimum(rule_size[:, None], rule_size[None, :]),
        np.minimum(lemma_count[:, None], lemma_count[None, :]), _eq(tk), main,
        cosine, _eq(gov), _eq(gov_role), np.minimum(share[:, None], share[None, :]), *emb, *lex,
        *pred,
    ]  # fmt: skip
    return np.stack([f.astype(np.float32) for f in feats], axis=-1)


def _pairs(
    mentions: Sequence[CorefMention],
    events: dict[str, str],
    lexicon: LexicalStats | None = None,
    predicates: float | None = None,
) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Features of every non-pronoun mention pair of one topic."""
    keep = np.array([i for i, m in enumerate(mentions) if m.head_pos != "PRON"], dtype=np.int64)
    if len(keep) < 2:
        return np.zeros((0, len(FEATURES)), dtype=np.float32), []
    full = _pair_matrix(mentions, events, lexicon, predicates)
    a, b = np.triu_indices(len(keep), k=1)
    i, j = keep[a], keep[b]
    return full[i, j], list(zip(i.tolist(), j.tolist(), strict=True))


def by_topic(items: Sequence[Any]) -> dict[str, list[int]]:
    """Indices of the items (anything with a ``topic``) grouped by topic, in order."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, x in enumerate(items):
        groups[x.topic].append(i)
    return groups


class PairwiseCoref:
    """Pairwise coreference classifier over rule evidence, with average-link clustering.

    Args:
        threshold: Average-link merge threshold on the predicted probability.
        max_iter: Boosting iterations of the classifier.
        negative_rate: Share of non-coreferent training pairs kept (all coreferent ones are).
        random_state: Seed of the classifier and of the sampling.
        bags: Classifiers fitted on different samples of the non-coreferent pairs (and seeds);
            their probabilities are averaged, which steadies the layer across topics.
        min_samples_leaf: Least training pairs per leaf of the boosted trees.
        pronoun_ranker: Pronouns take the cluster of the antecedent a learned ranker picks in
            their document (:class:`storyline.extract.withindoc.PronounResolver`, fitted with the
            layer) instead of the nearest compatible mention.
        pronoun_min_prob: Least probability of a pronoun's best antecedent for the ranker.
        lexical: Add the head-lemma pair coreference rate of the training topics
            (:class:`LexicalStats`; each training topic sees the others' counts only).
        predicates: Predicate clustering threshold of the shared-predicate features (the two
            mentions, or their rule clusters, fill the same argument role of predicates of one
            cluster: :mod:`storyline.extract.predicates`); ``None`` leaves them out.
    """

    def __init__(
        self,
        threshold: float = 0.3,
        max_iter: int = 100,
        negative_rate: float = 0.25,
        random_state: int = 0,
        bags: int = 1,
        min_samples_leaf: int = 20,
        pronoun_ranker: bool = False,
        pronoun_min_prob: float = 0.1,
        lexical: bool = False,
        predicates: float | None = None,
    ) -> None:
        self.predicates = predicates
        self.lexical = lexical
        self.pronoun_ranker = pronoun_ranker
        self.pronoun_min_prob = pronoun_min_prob
        self.bags = bags
        self.min_samples_leaf = min_samples_leaf
        self.threshold = threshold
        self.max_iter = max_iter
        self.negative_rate = negative_rate
        self.random_state = random_state

    def fit(
        self, mentions: Sequence[CorefMention], chains: Sequence[str], events: dict[str, str]
    ) -> PairwiseCoref:
        """Learn from gold chains (one per mention) of a training split."""
        from sklearn.ensemble import HistGradientBoostingClassifier
        from threadpoolctl import threadpool_limits

        rng = np.random.default_rng(self.random_state)
        self.lexicon_: LexicalStats | None = None
        if self.lexical:
            self.lexicon_ = LexicalStats.count(mentions, chains)
        feats, labels = [], []
        for idx in by_topic(mentions).values():
            sub = [mentions[i] for i in idx]
            lexicon = None
            if self.lexicon_ is not None:  # the topic's own pairs left out: no label leak
                own = LexicalStats.count(sub, [chains[i] for i in idx])
                lexicon = self.lexicon_.minus(own)
            x, pairs = _pairs(sub, events, lexicon, self.predicates)
            if not pairs:
                continue
            feats.append(x)
            labels.append(np.array([chains[idx[i]] == chains[idx[j]] for i, j in pairs]))
        x_all, y_all = np.vstack(feats), np.concatenate(labels)
        self.models_ = []
        for bag in range(self.bags):
            keep = y_all | (rng.random(len(y_all)) < self.negative_rate)
            model = HistGradientBoostingClassifier(
                max_iter=self.max_iter, random_state=self.random_state + bag, learning_rate=0.1,
                min_samples_leaf=self.min_samples_leaf,
            )  # fmt: skip
            # One thread: OpenMP threads fighting over a busy machine make the fit 20x slower.
            with threadpool_limits(1):
                model.fit(x_all[keep], y_all[keep])
            self.models_.append(model)
        self.model_ = self.models_[0]
        self.pronouns_: PronounResolver | None = None
        if self.pronoun_ranker:
            self.pronouns_ = PronounResolver(
                min_prob=self.pronoun_min_prob, random_state=self.random_state
            ).fit(mentions, chains)
        return self

    def predict(self, mentions: Sequence[CorefMention], events: dict[str, str]) -> list[int]:
        """A cluster number per mention (pronouns follow their antecedents)."""
        from sklearn.cluster import AgglomerativeClustering
        from threadpoolctl import threadpool_limits

        from .crossdoc import resolve_pronoun_links

        labels = [-1] * len(mentions)
        next_label = 0
        for idx in by_topic(mentions).values():
            sub = [mentions[i] for i in idx]
            keep = [k for k, m in enumerate(sub) if m.head_pos != "PRON"]
            local = {k: n for n, k in enumerate(keep)}
            if len(keep) > 1:
                x, pairs = _pairs(sub, events, self.lexicon_, self.predicates)
                with threadpool_limits(1):
                    prob = np.mean([m.predict_proba(x)[:, 1] for m in self.models_], axis=0)
                dist = np.ones((len(keep), len(keep)))
                np.fill_diagonal(dist, 0.0)
                for (i, j), p in zip(pairs, prob, strict=True):
                    dist[local[i], local[j]] = dist[local[j], local[i]] = 1.0 - p
                clusters = AgglomerativeClustering(
                    n_clusters=None, metric="precomputed", linkage="average",
                    distance_threshold=1.0 - self.threshold,
                ).fit_predict(dist)  # fmt: skip
            else:
                clusters = np.zeros(len(keep), dtype=int)
            for k, c in zip(keep, clusters, strict=True):
                labels[idx[k]] = next_label + int(c)
            next_label += (int(clusters.max()) + 1) if len(keep) else 0
            for k, m in enumerate(sub):
                if m.head_pos == "PRON":
                    labels[idx[k]] = next_label
                    next_label += 1
        if self.pronouns_ is None:
            return resolve_pronoun_links(mentions, events, labels)
        for p, c in self.pronouns_.antecedents(mentions).items():
            labels[p] = labels[c]  # antecedents are never pronouns: their labels are final
        return labels
