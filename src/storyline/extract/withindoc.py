"""Within-document pronoun resolution: a learned antecedent ranker over given mentions.

Cross-document linking (:mod:`storyline.extract.coref_model`) decides which names and nominals
denote one referent; a pronoun has no content of its own to compare across documents, so it
takes the cluster of its antecedent in its own document. The rule in
:mod:`storyline.extract.crossdoc` picks the nearest compatible mention a few sentences back; this
module learns the choice instead. For each pronoun every non-pronoun mention of its document is a
candidate (the ones before it, and the ones after it in its sentence: "In his speech, Dana
said"); each (pronoun, candidate) pair gets features — distance in sentences and words, rank
among the candidates and among the compatible ones, agreement in kind (person / place / thing)
and number, the candidate's salience in the document (how many mentions share its head or its
name), grammatical roles, and the MiniLM cosine of the two mentions in context when present — and
a gradient-boosted classifier trained on gold chains scores it. The best candidate is the
antecedent when its probability reaches a threshold; otherwise the pronoun has none.

The estimator follows scikit-learn conventions: parameters in the constructor, learned state in
attributes ending in ``_``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np

from .crossdoc import CorefMention, compatible_pronoun

_PERSON_SG = frozenset("he him his himself she her hers herself".split())
_PLURAL = frozenset("they them their theirs themselves".split())
_NEUTER = frozenset("it its itself".split())
_RELATIVE = frozenset("who whom whose which that".split())
_SPEAKER = frozenset("i me my mine myself we us our ours ourselves you your yours".split())
_PRONOUN_CLASSES = (_PERSON_SG, _PLURAL, _NEUTER, _RELATIVE, _SPEAKER)
_KINDS = ("HUM", "NON", "LOC", "TIM")
_MALE = frozenset("he him his himself".split())
_FEMALE = frozenset("she her hers herself".split())
#: Common English nouns that say a person's sex (gender agreement with he / she).
_MALE_NOUNS = frozenset(
    "man men boy father husband son brother uncle nephew grandfather king prince actor "
    "businessman chairman congressman gentleman boyfriend dad".split()
)
_FEMALE_NOUNS = frozenset(
    "woman women girl mother wife daughter sister aunt niece grandmother queen princess actress "
    "businesswoman chairwoman congresswoman lady girlfriend mom mum".split()
)

FEATURES = (
    "sent_dist", "word_dist", "after", "rank", "compatible_rank", "compatible",
    *(f"kind_{k}" for k in _KINDS),
    "pron_person", "pron_plural", "pron_neuter", "pron_relative", "pron_speaker",
    "cand_plural", "number_clash", "cand_named", "cand_person", "cand_subject", "pron_subject",
    "same_role", "lemma_salience", "name_salience", "first_in_doc", "same_sentence",
    "emb_span", "same_kind", "gender_match", "gender_clash", "nearest_in_sentence",
)  # fmt: skip


def is_pronoun(m: CorefMention) -> bool:
    """A mention headed by a pronoun ("he", "who"), as everywhere in the coreference layer."""
    return m.head_pos == "PRON"


def _pron_word(m: CorefMention) -> str:
    words = m.text.lower().split()
    return words[-1] if words else ""


def _cosine(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    if not a or not b or len(a) != len(b):
        return 0.0
    va, vb = np.asarray(a), np.asarray(b)
    den = float(np.linalg.norm(va) * np.linalg.norm(vb))
    return float(va @ vb) / den if den > 0 else 0.0


def candidate_pairs(
    mentions: Sequence[CorefMention],
) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Features of every (pronoun, candidate antecedent) pair of the mentions' documents.

    Args:
        mentions: Mentions of any number of documents.

    Returns:
        The feature rows and, for each, the (pronoun index, candidate index) pair.
    """
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        by_doc[m.doc].append(i)
    rows: list[list[float]] = []
    pairs: list[tuple[int, int]] = []
    for idx in by_doc.values():
        idx.sort(key=lambda i: mentions[i].pos)
        content = [i for i in idx if not is_pronoun(mentions[i])]
        lemma_count = Counter(mentions[i].head_lemma for i in content)
        name_count = Counter(_name_key(mentions[i]) for i in content if mentions[i].name)
        first = content[0] if content else -1
        for p in idx:
            pm = mentions[p]
            if not is_pronoun(pm):
                continue
            word = _pron_word(pm)
            psent = pm.pos // 1000
            cands = [c for c in content if mentions[c].pos < pm.pos]
            cands.sort(key=lambda c: -mentions[c].pos)  # nearest first
            later = [
                c for c in content if mentions[c].pos > pm.pos and mentions[c].pos // 1000 == psent
            ]
            rank_compat = 0
            for rank, c in enumerate(cands + later):
                cm = mentions[c]
                after = cm.pos > pm.pos
                ok = compatible_pronoun(word, cm)
                crank = rank_compat if ok and not after else 99
                if ok and not after:
                    rank_compat += 1
                rows.append(_row(pm, cm, word, rank if not after else 99, crank, ok, after,
                                 lemma_count, name_count, c == first))  # fmt: skip
                pairs.append((p, c))
    if not rows:
        return np.zeros((0, len(FEATURES)), dtype=np.float32), []
    return np.asarray(rows, dtype=np.float32), pairs


def _name_key(m: CorefMention) -> str:
    """The last word of a name ("Dana Whitlock" -> "whitlock"), a cheap same-person key."""
    return (m.name or "").lower().split()[-1] if m.name and m.name.split() else ""


def _row(
    pm: CorefMention,
    cm: CorefMention,
    word: str,
    rank: int,
    crank: int,
    ok: bool,
    after: bool,
    lemma_count: Counter[str],
    name_count: Counter[str],
    first: bool,
) -> list[float]:
    psent, csent = pm.pos // 1000, cm.pos // 1000
    plural_pron = word in _PLURAL
    singular_pron = word in _PERSON_SG or word in _NEUTER
    return [
        psent - csent,
        (pm.pos - cm.pos) if psent == csent else 999,
        float(after),
        rank,
        crank,
        float(ok),
        *(float(cm.kind == k) for k in _KINDS),
        *(float(word in cls) for cls in _PRONOUN_CLASSES),
        float(cm.plural),
        float(
            (plural_pron and not cm.plural and cm.kind != "HUM") or (singular_pron and cm.plural)
        ),
        float(bool(cm.name)),
        float(cm.label == "PERSON"),
        float(cm.role.startswith("nsubj")),
        float(pm.role.startswith("nsubj")),
        float(pm.role == cm.role),
        lemma_count[cm.head_lemma],
        name_count[_name_key(cm)] if cm.name else 0,
        float(first),
        float(psent == csent),
        _cosine(pm.span_vec, cm.span_vec),
        float(pm.kind == cm.kind),
        float(_sex(word) != "" and _sex(word) == _noun_sex(cm)),
        float(_sex(word) != "" and _noun_sex(cm) not in ("", _sex(word))),
        float(crank == 0 and psent == csent),
    ]


def _sex(word: str) -> str:
    return "m" if word in _MALE else "f" if word in _FEMALE else ""


def _noun_sex(m: CorefMention) -> str:
    """The sex a mention's head noun states ("woman": f), else empty."""
    lemma = m.head_lemma.lower()
    return "m" if lemma in _MALE_NOUNS else "f" if lemma in _FEMALE_NOUNS else ""


class PronounResolver:
    """Learned antecedent ranker for pronouns within a document.

    Args:
        min_prob: Least probability of the best candidate for it to be the antecedent.
        max_iter: Boosting iterations of the classifier.
        min_samples_leaf: Least training pairs per leaf of the boosted trees.
        random_state: Seed of the classifier.
    """

    def __init__(
        self,
        min_prob: float = 0.2,
        max_iter: int = 200,
        min_samples_leaf: int = 20,
        random_state: int = 0,
    ) -> None:
        self.min_prob = min_prob
        self.max_iter = max_iter
        self.min_samples_leaf = min_samples_leaf
        self.random_state = random_state

    def fit(self, mentions: Sequence[CorefMention], chains: Sequence[str]) -> PronounResolver:
        """Learn from gold chains (one per mention) of a training split."""
        from sklearn.ensemble import HistGradientBoostingClassifier
        from threadpoolctl import threadpool_limits

        x, pairs = candidate_pairs(mentions)
        y = np.array([chains[p] == chains[c] for p, c in pairs])
        self.model_ = HistGradientBoostingClassifier(
            max_iter=self.max_iter, learning_rate=0.05, min_samples_leaf=self.min_samples_leaf,
            random_state=self.random_state,
        )  # fmt: skip
        with threadpool_limits(1):
            self.model_.fit(x, y)
        return self

    def antecedents(self, mentions: Sequence[CorefMention]) -> dict[int, int]:
        """The antecedent (a mention index) of each pronoun that has one."""
        from threadpoolctl import threadpool_limits

        x, pairs = candidate_pairs(mentions)
        if not pairs:
            return {}
        with threadpool_limits(1):
            prob = self.model_.predict_proba(x)[:, 1]
        best: dict[int, tuple[float, int]] = {}
        for (p, c), pr in zip(pairs, prob, strict=True):
            if pr >= self.min_prob and (p not in best or pr > best[p][0]):
                best[p] = (float(pr), c)
        return {p: c for p, (_, c) in best.items()}
