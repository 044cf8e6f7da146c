"""Event features of an article for story clustering: what, who, where and when.

Two articles report the same real-world event when they share its *particulars* (the names of the
people, places and organisations involved, its dates and figures), not merely its kind. So an
article becomes three bags of features, each weighted TF-IDF and normalised on its own:

* ``w`` — content words (lower-cased, light suffix stemming, stop words dropped): the topic;
* ``n`` — names: capitalised words and runs of them that are not merely sentence-initial
  (a cheap stand-in for NER that costs no parse): who and where;
* ``d`` — years and figures (``2008``, ``6.1``, ``90``): when and how much.

The blocks are concatenated with weights ``sqrt(a)``, so the dot product of two article vectors
is ``a_w·cos_w + a_n·cos_n + a_d·cos_d``, a similarity in [0, 1]. A story's centroid (the mean
of its members' vectors) then gives the *average-link* similarity of a new article to the story
with one dot product, which is what the online clusterer uses.

No spaCy here: the regex features cost a few hundred microseconds per article and the benchmark
(``storyline bench cluster``) showed they separate events as well as parsed entities would need to.
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

# words | figures | sentence ends (a line break ends a sentence too: headlines, datelines)
_TOKEN_RE = re.compile(r"([A-Za-z][A-Za-z'’\-]*[A-Za-z]|[A-Za-z])|(\d+(?:[.,]\d+)*)|([.!?]|\n)")

# A compact English stop list (function words and news filler); kept here so importing the
# clusterer never needs a corpus download.
STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can cannot could did do does doing don't down during each
    few for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself let me more most my myself no nor not of off on once only or other ought
    our ours ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were what
    when where which while who whom why with would you your yours yourself yourselves said says say
    told tell according one two three four five six seven eight nine ten new year years day days
    week weeks month months time times just like will may might must shall also however since
    still even many much well back last first next get got make made take took including
    mr mrs ms dr monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow
    january february march april june july august september october november december jan feb mar
    apr jun jul aug sep sept oct nov dec am pm s t n't 's 're 've 'll 'd""".split()  # noqa: SIM905
)

# Capitalised words that are not names even mid-sentence (titles, months, weekdays, pronoun I).
_NOT_NAMES = STOP_WORDS | frozenset(
    "i mr mrs ms dr sen rep gov pres gen lt col sgt st inc ltd co corp".split()  # noqa: SIM905
)

_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "edly", "ed", "es", "s", "ly")


def stem(word: str) -> str:
    """A light suffix-stripping stemmer: ``arrested``/``arrests``/``arresting`` → ``arrest``."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            base = word[: -len(suffix)]
            if suffix in ("ies", "ied"):
                return base + "y"
            return base
    return word


@dataclass(frozen=True)
class FeatureWeights:
    """How much each block counts in the similarity (they are normalised to sum to 1)."""

    words: float = 0.2
    names: float = 0.5
    numbers: float = 0.3
    #: Each title token counts this many times (titles state the event compactly).
    title_boost: int = 2

    def block_weights(self) -> dict[str, float]:
        total = self.words + self.names + self.numbers
        return {
            "w": self.words / total,
            "n": self.names / total,
            "d": self.numbers / total,
        }


def _is_number_feature(tok: str) -> str | None:
    digits = tok.replace(",", "")
    if re.fullmatch(r"(1[89]|20)\d\d", digits):
        return "y:" + digits
    if len(digits) >= 2 or "." in digits:
        return "d:" + digits.rstrip(".")
    return None


def raw_features(text: str, title: str | None = None, title_boost: int = 2) -> Counter[str]:
    """Count the prefixed features (``w:``, ``n:``, ``y:``/``d:``) of one article.

    Args:
        text: the cleaned article text.
        title: the headline, when known; its features count ``title_boost`` times.
        title_boost: weight of title features.

    Returns:
        A counter of feature → count, with prefixes ``w:`` (word stems), ``n:`` (names and
        name runs) and ``y:``/``d:`` (years and other figures).
    """
    counts: Counter[str] = Counter()
    _count(text, 1, counts)
    if title:
        _count(title, title_boost, counts)
    return counts


@lru_cache(maxsize=200_000)
def _word_feature(lower: str) -> str | None:
    if lower in STOP_WORDS or len(lower) <= 2:
        return None
    return "w:" + stem(lower)


@lru_cache(maxsize=200_000)
def _name_kind(tok: str) -> int:
    """0: not a name; 1: a name mid-sentence only; 2: a name even at a sentence start."""
    if not tok[0].isupper() or (tok.isupper() and len(tok) == 1):
        return 0
    if tok.lower() in _NOT_NAMES:
        return 0
    # an acronym or a word with an inner capital (McCain, FLDS) is a name anywhere
    return 2 if len(tok) > 1 and (tok.isupper() or any(c.isupper() for c in tok[1:])) else 1


def _count(text: str, weight: int, counts: Counter[str]) -> None:
    tokens = _TOKEN_RE.findall(text)
    # Words this text capitalises mid-sentence are names at a sentence start too.
    mid_names: set[str] = set()
    start = True
    for word, _number, stop in tokens:
        if stop:
            start = True
            continue
        if word and not start and _name_kind(word):
            mid_names.add(word)
        start = False
    run: list[str] = []
    start = True
    for word, number, _stop in tokens:
        if word:
            kind = _name_kind(word)
            if kind == 2 or (kind == 1 and (not start or word in mid_names)):
                run.append(word.lower())
            elif run:
                _flush(run, weight, counts)
            feat = _word_feature(word.lower())
            if feat:
                counts[feat] += weight
            start = False
            continue
        if run:
            _flush(run, weight, counts)
        if number:
            num = _is_number_feature(number)
            if num:
                counts[num] += weight
            start = False
        else:
            start = True
    if run:
        _flush(run, weight, counts)


def _flush(run: list[str], weight: int, counts: Counter[str]) -> None:
    for name in run:
        counts["n:" + name] += weight
    if len(run) > 1:
        counts["n:" + "_".join(run)] += weight
    run.clear()


#: Block of each feature kind, in the order :meth:`Vectorizer.weigh_hashed` codes them.
BLOCK_CODES = ("w", "n", "d")
_CODE_OF = {b: i for i, b in enumerate(BLOCK_CODES)}


#: A document's features as parallel arrays: hashed keys (int64), term frequencies, block codes.
Packed = tuple[np.ndarray, np.ndarray, np.ndarray]


def triple_arrays(
    triples: Iterable[tuple[str, Hashable, int]],
) -> Packed:
    """``(block, key, tf)`` triples (hashed keys) as arrays: keys, term frequencies, block codes."""
    rows = list(triples)
    n = len(rows)
    keys = np.fromiter((t[1] for t in rows), dtype=np.int64, count=n)  # type: ignore[misc]
    tfs = np.fromiter((t[2] for t in rows), dtype=np.float64, count=n)
    codes = np.fromiter((_CODE_OF[t[0]] for t in rows), dtype=np.int64, count=n)
    return keys, tfs, codes


def sum_by_key(keys: np.ndarray, values: np.ndarray, top: int | None = None) -> dict[Hashable, float]:
    """A sparse vector from parallel arrays: values summed per key, zeros dropped.

    Args:
        keys: int keys (repeats allowed).
        values: a value per key.
        top: keep only this many of the largest sums.
    """
    unique, inverse = np.unique(keys, return_inverse=True)
    sums = np.bincount(inverse, weights=values, minlength=len(unique))
    nonzero = np.flatnonzero(sums)
    if top is not None and len(nonzero) > top:
        nonzero = nonzero[np.argpartition(-sums[nonzero], top - 1)[:top]]
    return dict(zip(unique[nonzero].tolist(), sums[nonzero].tolist(), strict=True))


class Vectorizer:
    """Turns feature counts into weighted, block-normalised sparse vectors (dicts).

    Document frequencies are counted by :meth:`fit` (a batch) or :meth:`observe` (one document,
    online). IDF is ``log((n_docs + 1) / (df + 1)) + 1`` with sublinear TF. With ``hash_bits``
    the features are hashed (crc32) into ``2**hash_bits`` buckets, so the state has a fixed size
    however long the stream runs (the online clusterer uses this); vector keys are then ints.
    """

    def __init__(self, weights: FeatureWeights | None = None, hash_bits: int | None = None) -> None:
        self.weights = weights or FeatureWeights()
        self.hash_bits = hash_bits
        #: How much the features dropped by ``min_df`` count in each block's norm: 0 normalises
        #: over the kept features alone, 1 over all (an article with few shared features is then
        #: not inflated to unit length). The online clusterer sets it for young streams.
        self.rare_share = 0.0
        self.n_docs = 0
        self._df: Counter[Hashable] = Counter()
        self._df_array: np.ndarray | None = (
            np.zeros(1 << hash_bits, dtype=np.int32) if hash_bits else None
        )

    def key(self, feature: str) -> Hashable:
        """The key a feature has in vectors: itself, or its hash bucket when hashing."""
        if self.hash_bits is None:
            return feature
        return zlib.crc32(feature.encode("utf-8")) & ((1 << self.hash_bits) - 1)

    def df(self, key: Hashable) -> int:
        """Documents seen so far that contain the feature with this key."""
        if self._df_array is not None:
            return int(self._df_array[key])  # type: ignore[index,call-overload]
        return self._df.get(key, 0)

    def fit(self, docs: Iterable[Mapping[str, int]]) -> Vectorizer:
        """Count document frequencies over a batch of feature counters."""
        for counts in docs:
            self.observe(counts)
        return self

    def observe(self, counts: Mapping[str, int]) -> None:
        """Add one document's features to the document frequencies."""
        self.n_docs += 1
        keys = {self.key(f) for f in counts}
        if self._df_array is not None:
            self._df_array[list(keys)] += 1  # type: ignore[index]
        else:
            self._df.update(keys)

    def idf(self, key: Hashable) -> float:
        """Smoothed inverse document frequency of a feature key."""
        return math.log((self.n_docs + 1) / (self.df(key) + 1)) + 1.0

    def prepare(self, counts: Mapping[str, int]) -> list[tuple[str, Hashable, int]]:
        """The document as ``(block, key, tf)`` triples: compact, and re-weightable later."""
        return [("d" if f[0] in "yd" else f[0], self.key(f), tf) for f, tf in counts.items()]

    def transform(self, counts: Mapping[str, int], min_df: int = 1) -> dict[Hashable, float]:
        """The weighted vector of one document: each block L2-normalised, scaled by sqrt(weight).

        Args:
            counts: feature counts from :func:`raw_features`.
            min_df: features seen in fewer documents are dropped (they cannot link articles).

        Returns:
            Feature key → weight; the dot product of two such vectors is their similarity.
        """
        return self.transform_prepared(self.prepare(counts), min_df)

    def transform_prepared(
        self, prepared: Iterable[tuple[str, Hashable, int]], min_df: int = 1
    ) -> dict[Hashable, float]:
        """:meth:`transform` for a document already turned into triples by :meth:`prepare`."""
        triples = list(prepared)
        if self._df_array is not None:
            return self._transform_hashed(triples, min_df)
        blocks: dict[str, dict[Hashable, float]] = {"w": {}, "n": {}, "d": {}}
        rare_sq = {"w": 0.0, "n": 0.0, "d": 0.0}
        for block, key, tf in triples:
            weight = (1.0 + math.log(tf)) * self.idf(key)
            if min_df > 1 and self.df(key) < min_df:
                rare_sq[block] += self.rare_share * weight * weight
                continue
            blocks[block][key] = weight
        return self._combine(blocks, rare_sq)

    def pack(self, counts: Mapping[str, int]) -> Packed:
        """A document's features as :data:`Packed` arrays (hashed vectorizer only)."""
        n = len(counts)
        keys = np.fromiter((self.key(f) for f in counts), dtype=np.int64, count=n)  # type: ignore[misc]
        tfs = np.fromiter(counts.values(), dtype=np.float64, count=n)
        codes = np.fromiter((_CODE_OF["d" if f[0] in "yd" else f[0]] for f in counts), dtype=np.int64, count=n)
        return keys, tfs, codes

    def observe_packed(self, packed: Packed) -> None:
        """:meth:`observe` for a document already packed by :meth:`pack` (hashed only)."""
        assert self._df_array is not None
        self.n_docs += 1
        self._df_array[np.unique(packed[0])] += 1

    def transform_packed(self, packed: Packed, min_df: int = 1) -> dict[Hashable, float]:
        """:meth:`transform` for a document packed by :meth:`pack` (hashed only)."""
        keys, tfs, codes = packed
        if not len(keys):
            return {}
        values = self.weigh_hashed(keys, tfs, codes, np.zeros(len(keys), dtype=np.int64), min_df)
        return sum_by_key(keys, values)

    def _transform_hashed(
        self, triples: list[tuple[str, Hashable, int]], min_df: int
    ) -> dict[Hashable, float]:
        # the same arithmetic as the dict path, vectorised over the document's features
        if not triples:
            return {}
        return self.transform_packed(triple_arrays(triples), min_df)

    def weigh_hashed(
        self,
        keys: np.ndarray,
        tfs: np.ndarray,
        codes: np.ndarray,
        segments: np.ndarray,
        min_df: int = 1,
    ) -> np.ndarray:
        """Weights of the features of several documents at once (hashed vectorizer only).

        Args:
            keys: hashed feature keys (int64), the documents' features one after another.
            tfs: their term frequencies.
            codes: their block codes (:data:`BLOCK_CODES`).
            segments: which document (0, 1, …) each feature belongs to.
            min_df: features seen in fewer documents weigh 0.

        Returns:
            Each feature's weight in its document's vector, as :meth:`transform` computes it
            (TF-IDF, each block of each document L2-normalised and scaled by sqrt(weight)).
        """
        assert self._df_array is not None
        df = self._df_array[keys].astype(np.float64)
        weights = (1.0 + np.log(tfs)) * (np.log((self.n_docs + 1) / (df + 1.0)) + 1.0)
        squares = weights * weights
        if min_df > 1:
            rare = df < min_df
            squares[rare] *= self.rare_share
            weights[rare] = 0.0
        block_weights = self.weights.block_weights()
        scales = np.sqrt(np.array([block_weights[b] for b in BLOCK_CODES], dtype=np.float64))
        group = segments * len(BLOCK_CODES) + codes
        norms = np.sqrt(np.bincount(group, weights=squares))[group]
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(norms > 0.0, weights * scales[codes] / norms, 0.0)  # type: ignore[no-any-return]

    def _combine(
        self, blocks: dict[str, dict[Hashable, float]], rare_sq: Mapping[str, float] | None = None
    ) -> dict[Hashable, float]:
        out: dict[Hashable, float] = {}
        for block, weight in self.weights.block_weights().items():
            vec = blocks[block]
            extra = rare_sq[block] if rare_sq else 0.0
            norm = math.sqrt(sum(v * v for v in vec.values()) + extra)
            if norm == 0.0 or weight == 0.0:
                continue
            scale = math.sqrt(weight) / norm
            for key, v in vec.items():
                out[key] = out.get(key, 0.0) + v * scale
        return out

    def state(self) -> dict[str, Any]:
        """The document frequencies as plain data (for the store)."""
        if self._df_array is not None:
            df: Any = zlib.compress(self._df_array.tobytes())
        else:
            df = dict(self._df)
        return {"n_docs": self.n_docs, "hash_bits": self.hash_bits, "df": df}

    @classmethod
    def from_state(cls, state: Mapping[str, Any], weights: FeatureWeights | None = None) -> Vectorizer:
        """Rebuild a vectorizer saved with :meth:`state`."""
        vec = cls(weights, state["hash_bits"])
        vec.n_docs = int(state["n_docs"])
        if vec._df_array is not None:
            vec._df_array = np.frombuffer(zlib.decompress(state["df"]), dtype=np.int32).copy()
        else:
            vec._df = Counter(state["df"])
        return vec


def dot(a: Mapping[Hashable, float], b: Mapping[Hashable, float]) -> float:
    """Sparse dot product of two feature dicts."""
    if len(a) > len(b):
        a, b = b, a
    # the key intersection runs in C; only shared features are multiplied
    return sum([a[k] * b[k] for k in a.keys() & b.keys()])
