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
    """What the matcher reads of a clause: its content words, its core words, and the core
    words that say what happened (see :class:`~storyline.extract.timeline_clause.EventClause`)."""

    words: set[str]
    core: set[str]
    heads: set[str]
    anchor: str


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
    if a.anchor and a.anchor == b.anchor:
        return 1.0  # the same noun dated alike: "a coup in July 2023" / "the July 2023 coup"
    # fsum: exact whatever the order of the sets (string hashing changes it between runs)
    shared = math.fsum(weight.get(w, 0.0) for w in a.words & b.words)
    if shared <= 0 or shared < getattr(weight, "floor", 0.0) - 1e-9:
        return 0.0
    wa = math.fsum(weight.get(w, 0.0) for w in a.words)
    wb = math.fsum(weight.get(w, 0.0) for w in b.words)
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


def group_clauses(
    clauses: Sequence[Clause], weight: dict[str, float], news_from: str = ""
) -> list[list[int]]:
    """Indices of ``clauses`` grouped into events (average linkage, best pairs first).

    ``news_from`` is the month the story's news starts (``YYYY-MM``), before which a date is
    background (see :func:`pair_score`). Groups keep the order in which their first clause
    appears in ``clauses``.
    """
    n = len(clauses)
    scores: dict[tuple[int, int], float] = {}
    for i in range(n):
        for j in range(i + 1, n):
            if clauses[i].sentence == clauses[j].sentence:
                continue
            a, b = clauses[i].date, clauses[j].date
            if related(a, b):
                past = background(a, news_from) and background(b, news_from)
                s = pair_score(clauses[i], clauses[j], weight, len(a) == len(b), past)
                if s > 0:
                    scores[i, j] = s
    group_of = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    for (i, j), _s in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0])):
        gi, gj = group_of[i], group_of[j]
        if gi == gj or not _joinable(clauses, members[gi], members[gj]):
            continue
        pairs = [(min(a, b), max(a, b)) for a in members[gi] for b in members[gj]]
        past = all(background(clauses[m].date, news_from) for m in members[gi] + members[gj])
        if math.fsum(scores.get(p, 0.0) for p in pairs) / len(pairs) < (
            MIN_BACKGROUND if past else MIN_SCORE
        ):
            continue
        keep, gone = min(gi, gj), max(gi, gj)
        members[keep].extend(members.pop(gone))
        for m in members[keep]:
            group_of[m] = keep
    return [sorted(members[g]) for g in sorted(members)]


def _joinable(clauses: Sequence[Clause], a: list[int], b: list[int]) -> bool:
    """Dates stay one chain, and no sentence holds two clauses of the merged group."""
    if not _chain({clauses[i].date for i in a + b}):
        return False
    seen = {clauses[i].sentence for i in a}
    return not any(clauses[j].sentence in seen for j in b)


def best_match(
    clause: Words, groups: Sequence[Sequence[Words]], weight: dict[str, float]
) -> list[int]:
    """The groups (indices) a clause reads like: mean pair score with their members at least
    :data:`MIN_SCORE`."""
    out = []
    for k, group in enumerate(groups):
        mean = math.fsum(pair_score(clause, w, weight) for w in group) / max(1, len(group))
        if group and mean >= MIN_SCORE:
            out.append(k)
    return out
