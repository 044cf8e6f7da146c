"""Whether two dated clauses report one event: the rule that merges timeline entries.

Two clauses are compared by the content words they share, each word weighted by how rare it is
among the story's dated clauses (``log((n + 1) / df)``): the words every clause of the story
uses (the story's subject, "bridge", "ferry") say little about which event a clause reports,
a word only two clauses use ("bodies") says much. The score of a pair is the shared weight over
the weight of the shorter clause, so a short clause rewritten at length still matches; the shared
weight must reach a floor (:func:`word_weights`), so it never matches on the story's subject alone.

Entries are formed by average linkage: pairs of clauses with compatible dates (the same date, or
one refining the other) are taken best first, and two groups merge when the mean score over all
their cross pairs reaches the threshold, their dates stay one chain of refinements, and no
sentence would hold two of the group's clauses. Comparing with every member, not with the union
of a group's words, keeps a clause out of an entry whose members it does not read like as a
whole; a group's words growing as it merges can no longer pull in other events.

Background clauses, and two clauses of one news day that are each their article's only clause of
that day, need no shared core; the latter must still share a word of the floor's weight that is
neither a place nor the attribution (:func:`_loose_pair`): two reports citing one source at one
port are not one event for that alone.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Protocol

#: Mean pair score for two groups of clauses to be one event (tuned on the fictional fixtures
#: in ``tests/extract/timeline_cases.py`` and the example corpus).
MIN_SCORE = 0.2
#: Pair score at which two clauses are one event even when their cores share no word.
STRONG = 0.6
#: Mean pair score for two groups of background clauses (see :func:`pair_score`).
MIN_BACKGROUND = 0.15


class Words(Protocol):
    """What the matcher reads of a clause: its content words, its core words, the core words
    that say what happened, and the words that name a place (see
    :class:`~storyline.extract.timeline_clause.EventClause`)."""

    words: set[str]
    core: set[str]
    heads: set[str]
    anchor: str
    places: set[str]
    reported: set[str]


class Clause(Words, Protocol):
    """A dated clause."""

    date: str

    @property
    def sentence(self) -> tuple[str, int]: ...


class Weights(dict[str, float]):
    """Each word's weight, and the least weight two clauses must share (:attr:`floor`)."""

    floor: float = 0.0


def word_weights(word_sets: Sequence[set[str]]) -> Weights:
    """Each word's weight, ``log((n + 1) / df)`` over the story's ``n`` clauses.

    The floor is the weight of a word that a quarter of the clauses use (two at least): two
    clauses must share one rarer word, or several commoner ones, so a short clause never joins
    another on the story's subject alone ("the strike" in every report of a strike).
    """
    n = len(word_sets)
    df = Counter(w for words in word_sets for w in words)
    out = Weights({w: math.log((n + 1) / c) for w, c in df.items()})
    out.floor = math.log((n + 1) / max(2.0, n / 4)) if n else 0.0
    return out


def pair_score(
    a: Words, b: Words, weight: dict[str, float], same_precision: bool = True,
    background: bool = False,
) -> float:
    """Shared weight over the weight of the lighter clause, when the clauses may be one event;
    1 when the date modifies the same common noun in both ("a coup in July 2023" / "the July
    2023 coup": the noun names the event).

    They may when they share what happened (a word of both ``heads``); failing that, when their
    dates have the same precision and they share who did it, or read alike as a whole (a score
    of :data:`STRONG`). A month-precision plan is never one event with a day inside that month
    only because the same actor is named. Two ``background`` clauses (dated before the story's
    news, at month or year precision) need no shared core: a story tells few facts of its past
    per date, each in many wordings ("entered service" / "came into service").
    """
    return _score(a, b, _total(a, weight), _total(b, weight), weight, same_precision, background)


def _total(clause: Words, weight: dict[str, float]) -> float:
    # fsum: exact whatever the order of the set (string hashing changes it between runs)
    return math.fsum(weight.get(w, 0.0) for w in clause.words)


def _score(
    a: Words, b: Words, wa: float, wb: float, weight: dict[str, float], same_precision: bool,
    background: bool,
) -> float:
    """:func:`pair_score` with the clauses' total weights given."""
    if a.anchor and a.anchor == b.anchor:
        return 1.0  # the same noun dated alike: "a coup in July 2023" / "the July 2023 coup"
    shared = math.fsum(weight.get(w, 0.0) for w in a.words & b.words)
    if shared <= 0 or shared < getattr(weight, "floor", 0.0) - 1e-9:
        return 0.0
    score = shared / min(wa, wb)
    if background or not a.heads.isdisjoint(b.heads):
        return score
    if same_precision and (not a.core.isdisjoint(b.core) or score >= STRONG):
        return score
    return 0.0


def background(date: str, news_from: str) -> bool:
    """Whether a date of month or year precision lies before the month ``news_from``
    (``YYYY-MM``, the story's earliest publication)."""
    if not news_from or len(date) >= 10:
        return False
    return date < news_from[: len(date)] if len(date) == 4 else date < news_from


def related(a: str, b: str) -> bool:
    """Same date, or one refines the other (2023-07 and 2023-07-26)."""
    return a == b or a.startswith(b + "-") or b.startswith(a + "-")


def _chain(dates: set[str]) -> bool:
    """Whether dates are one chain of refinements (each pair related)."""
    ds = sorted(dates, key=len)
    return all(related(x, y) for i, x in enumerate(ds) for y in ds[i + 1 :])


def _candidate_pairs(clauses: Sequence[Clause], weight: dict[str, float]) -> list[tuple[int, int]]:
    """The pairs ``i < j`` that may score: their shared weight reaches the floor (one sparse
    product over the story instead of a loop over every pair), or their anchors agree."""
    import numpy as np
    from scipy.sparse import csr_matrix

    vocab = sorted({w for c in clauses for w in c.words})
    column = {w: k for k, w in enumerate(vocab)}
    rows = [i for i, c in enumerate(clauses) for _w in c.words]
    cols = [column[w] for c in clauses for w in c.words]
    ones = np.ones(len(rows))
    words = csr_matrix((ones, (rows, cols)), shape=(len(clauses), len(vocab)))
    weighted = words.multiply(np.array([weight.get(w, 0.0) for w in vocab])).tocsr()
    shared = (weighted @ words.T).tocoo()
    floor = getattr(weight, "floor", 0.0) - 1e-6  # a margin: the exact sum is taken later
    keep = (shared.row < shared.col) & (shared.data >= floor)
    n = len(clauses)
    codes = [shared.row[keep].astype(np.int64) * n + shared.col[keep]]  # pair (i, j) as i*n + j
    by_anchor: dict[str, list[int]] = {}
    for i, c in enumerate(clauses):
        if c.anchor:
            by_anchor.setdefault(c.anchor, []).append(i)
    for same in by_anchor.values():
        codes.append(np.array([i * n + j for x, i in enumerate(same) for j in same[x + 1 :]],
                              dtype=np.int64))
    unique = np.unique(np.concatenate(codes))  # sorted, as (i, j) pairs sort
    return list(zip((unique // n).tolist(), (unique % n).tolist(), strict=True))


def _lone(clauses: Sequence[Clause], news_from: str) -> list[bool]:
    """Per clause, whether it may need no shared core to join another: a background clause, or
    the only clause of its article with that date (a report naming a day once tells that
    day's event; several clauses of one article on one day are several events; see
    :func:`_loose_pair`)."""
    per_date = Counter((c.sentence[0], c.date) for c in clauses)
    return [
        background(c.date, news_from) or per_date[c.sentence[0], c.date] == 1 for c in clauses
    ]


def _news(a: Clause, b: Clause, news_from: str) -> bool:
    """Whether one of two clauses is dated in the story's news (not background)."""
    return not (background(a.date, news_from) and background(b.date, news_from))


def _loose_pair(a: Clause, b: Clause, weight: dict[str, float], news_from: str) -> bool:
    """Whether two clauses that are each lone (:func:`_lone`) need no shared core to be one
    event: both background; or both of one date in the story's news and sharing a word of the
    floor's weight that is neither a place ("the port of Halvik" is where both events happened,
    not what happened) nor the attribution ("the union said": who told both)."""
    if not _news(a, b, news_from):
        return True
    if a.date != b.date:
        return False
    floor = getattr(weight, "floor", 0.0) - 1e-9
    aside = a.places | b.places | a.reported | b.reported
    return any(weight.get(w, 0.0) >= floor for w in (a.words & b.words) - aside)


def _pair_scores(
    clauses: Sequence[Clause], weight: dict[str, float], news_from: str
) -> tuple[dict[tuple[int, int], float], set[tuple[int, int]]]:
    """The positive scores of pairs of clauses with related dates, from different sentences,
    and the pairs among them scored without a shared core (:func:`_loose_pair`)."""
    totals = [_total(c, weight) for c in clauses]
    lone = _lone(clauses, news_from)
    scores: dict[tuple[int, int], float] = {}
    loose: set[tuple[int, int]] = set()
    for i, j in _candidate_pairs(clauses, weight) if clauses else []:
        ci, cj = clauses[i], clauses[j]
        if ci.sentence == cj.sentence or not related(ci.date, cj.date):
            continue
        past = lone[i] and lone[j] and _loose_pair(ci, cj, weight, news_from)
        s = _score(ci, cj, totals[i], totals[j], weight, len(ci.date) == len(cj.date), past)
        if s > 0:
            scores[i, j] = s
            if past:
                loose.add((i, j))
    return scores, loose


def group_clauses(
    clauses: Sequence[Clause], weight: dict[str, float], news_from: str = ""
) -> list[list[int]]:
    """Indices of ``clauses`` grouped into events (average linkage, best pairs first).

    ``news_from`` is the month the story's news starts (``YYYY-MM``), before which a date is
    background (see :func:`pair_score`). Groups keep the order in which their first clause
    appears in ``clauses``.
    """
    scores, loose = _pair_scores(clauses, weight, news_from)
    group_of = list(range(len(clauses)))
    members = {i: [i] for i in range(len(clauses))}
    dates = {i: {c.date} for i, c in enumerate(clauses)}
    sentences = {i: {c.sentence} for i, c in enumerate(clauses)}
    past = dict(enumerate(_lone(clauses, news_from)))
    # Sum of the pair scores between two groups, kept up to date as groups merge.
    links: dict[int, dict[int, float]] = {i: {} for i in range(len(clauses))}
    for (i, j), s in scores.items():
        links[i][j] = links[j][i] = s
    for (i, j), _s in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0])):
        gi, gj = group_of[i], group_of[j]
        if gi == gj or not sentences[gi].isdisjoint(sentences[gj]):
            continue
        merged_dates = dates[gi] | dates[gj]
        if not _chain(merged_dates):
            continue
        easy = len(merged_dates) == 1 or all(background(d, news_from) for d in merged_dates)
        lenient = past[gi] and past[gj] and easy and (i, j) in loose
        need = MIN_BACKGROUND if lenient else MIN_SCORE
        if links[gi].get(gj, 0.0) / (len(members[gi]) * len(members[gj])) < need:
            continue
        keep, gone = min(gi, gj), max(gi, gj)
        members[keep].extend(members.pop(gone))
        for m in members[keep]:
            group_of[m] = keep
        dates[keep] |= dates.pop(gone)
        sentences[keep] |= sentences.pop(gone)
        gone_past = past.pop(gone)
        past[keep] = past[keep] and gone_past
        for k, v in links.pop(gone).items():
            if k != keep:
                links[keep][k] = links[keep].get(k, 0.0) + v
                links[k][keep] = links[keep][k]
                del links[k][gone]
        links[keep].pop(gone, None)
    return [sorted(members[g]) for g in sorted(members)]


def best_match(
    clause: Words, groups: Sequence[Sequence[Words]], weight: dict[str, float]
) -> list[int]:
    """The groups (indices) a clause reads like: mean pair score with their members at least
    :data:`MIN_SCORE`. (Unresolved dates get no relaxation for being their article's only
    clause with those words: "last week" in two undated articles may be two weeks.)"""
    out = []
    for k, group in enumerate(groups):
        mean = math.fsum(pair_score(clause, w, weight) for w in group) / max(1, len(group))
        if group and mean >= MIN_SCORE:
            out.append(k)
    return out
