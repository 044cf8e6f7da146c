"""The rule that says whether two dated clauses report one event."""

from __future__ import annotations

from dataclasses import dataclass, field

from storyline.extract.timeline_match import (
    MIN_SCORE,
    background,
    group_clauses,
    pair_score,
    word_weights,
)


@dataclass
class C:
    date: str
    words: set[str]
    core: set[str] = field(default_factory=set)
    heads: set[str] = field(default_factory=set)
    sent: tuple[str, int] = ("a", 0)
    anchor: str = ""
    places: set[str] = field(default_factory=set)
    reported: set[str] = field(default_factory=set)

    @property
    def sentence(self) -> tuple[str, int]:
        return self.sent


def test_clauses_that_share_only_who_acted_are_one_event_only_at_the_same_precision() -> None:
    day = C("2030-05-06", {"port", "close", "quay"}, {"port", "close", "quay"}, {"close", "quay"})
    month = C("2030-05", {"port", "publish", "plan"}, {"port", "publish", "plan"}, {"publish"})
    weight = word_weights([day.words, month.words, {"storm"}])
    assert pair_score(day, month, weight, same_precision=False) == 0.0
    assert pair_score(day, month, weight, same_precision=True) > 0.0


def test_background_clauses_need_no_shared_core() -> None:
    a = C("2019", {"ship", "enter", "servic"}, {"enter", "servic"}, {"enter", "servic"})
    b = C("2019", {"ship", "come", "servic"}, {"come", "ship"}, {"come", "ship"})
    weight = word_weights([a.words, b.words])
    assert pair_score(a, b, weight) == 0.0
    assert pair_score(a, b, weight, background=True) > 0.0
    assert background("2019", "2025-03") and background("2024-07", "2025-03")
    assert not background("2025-03", "2025-03") and not background("2025-03-04", "2025-04")


def test_a_clause_joins_a_group_only_if_it_reads_like_its_members_on_average() -> None:
    # The newcomer reads like one member of a two-member entry (same actor, enough words) and
    # not at all like the other: the entry as a whole is another event.
    first = C("2030-05-06", {"servic", "suspen", "operat"}, {"operat", "servic", "suspen"},
              {"servic", "suspen"}, ("a", 0))
    second = C("2030-05-06", {"servic", "suspen", "bus"}, {"servic", "suspen"},
               {"servic", "suspen"}, ("b", 0))
    newcomer = C("2030-05-06", {"operat", "close", "gate"}, {"operat", "close", "gate"},
                 {"close", "gate"}, ("c", 0))
    # The newcomer's article tells another event that day: each clause needs a shared core.
    other = C("2030-05-06", {"quay", "storm"}, {"quay", "storm"}, {"quay", "storm"}, ("c", 1))
    clauses = [first, second, newcomer, other]
    weight = word_weights([c.words for c in clauses])
    assert pair_score(first, newcomer, weight) >= MIN_SCORE  # one member alone would take it
    assert pair_score(second, newcomer, weight) == 0.0
    assert group_clauses(clauses, weight) == [[0, 1], [2], [3]]


def test_the_only_clauses_of_their_articles_on_a_day_need_no_shared_core() -> None:
    # Each article names the day once: a shared rare word is enough ("the order" / "the ruling").
    a = C("2030-05-06", {"judge", "order", "ban"}, {"judge", "order"}, {"order"}, ("a", 0))
    b = C("2030-05-06", {"court", "ruling", "ban"}, {"court", "ruling"}, {"ruling"}, ("b", 0))
    c = C("2030-05-07", {"storm", "quay"}, {"storm"}, {"storm"}, ("c", 0))
    weight = word_weights([a.words, b.words, c.words])
    assert pair_score(a, b, weight) == 0.0  # no shared core
    assert group_clauses([a, b, c], weight) == [[0, 1], [2]]
    a2 = C("2030-05-06", {"judge", "fine", "clerk"}, {"fine"}, {"fine"}, ("a", 1))
    weight = word_weights([a.words, b.words, c.words, a2.words])
    assert group_clauses([a, b, c, a2], weight) == [[0], [1], [2], [3]]


def test_two_clauses_of_one_sentence_are_never_one_event() -> None:
    a = C("2030-05-06", {"quay", "close"}, {"quay"}, {"quay"}, ("a", 0))
    b = C("2030-05-06", {"quay", "close"}, {"quay"}, {"quay"}, ("a", 0))
    assert group_clauses([a, b], word_weights([a.words, b.words])) == [[0], [1]]


def test_a_short_clause_never_joins_another_on_the_story_subject_alone() -> None:
    # "strike" is in most clauses of a strike story: sharing it alone is below the floor.
    clauses = [
        C("2030-06", {"strike", "extend", "threat"}, {"strike", "extend"}, {"strike", "extend"}),
        C("2030-06-14", {"strike", "begin"}, {"strike", "begin"}, {"strike", "begin"}, ("b", 0)),
        C("2030-06-14", {"strike", "docker", "begin"}, {"strike", "begin"}, {"strike", "begin"},
          ("c", 0)),
        C("2030-06-18", {"strike", "court", "rule"}, {"court", "rule"}, {"court", "rule"}, ("d", 0)),
    ]
    weight = word_weights([c.words for c in clauses])
    assert weight["strike"] < weight.floor <= weight["begin"]
    assert pair_score(clauses[0], clauses[1], weight, same_precision=False) == 0.0
    assert pair_score(clauses[1], clauses[2], weight) > 0.0
    assert group_clauses(clauses, weight) == [[0], [1, 2], [3]]


def test_the_only_clauses_of_their_articles_on_a_day_that_share_only_a_place_stay_apart() -> None:
    # "Dock workers at the port of Halvik walked out" / "The port of Halvik fired its director":
    # the place is where both happened, not what happened.
    a = C("2030-05-06", {"port", "halvik", "dock", "worker", "walk", "pay"}, {"worker", "walk"},
          {"worker", "walk"}, ("a", 0), places={"port", "halvik"})
    b = C("2030-05-06", {"port", "halvik", "operat", "direct", "fire"}, {"port", "fire", "direct"},
          {"fire", "direct"}, ("b", 0), places={"port", "halvik"})
    weight = word_weights([a.words, b.words])
    assert weight["port"] >= weight.floor  # shared words of the floor's weight, places all
    assert group_clauses([a, b], weight) == [[0], [1]]
    # The same clauses sharing one word that is not a place are one event, as before.
    b.words.add("pay")
    weight = word_weights([a.words, b.words])
    assert group_clauses([a, b], weight) == [[0, 1]]
