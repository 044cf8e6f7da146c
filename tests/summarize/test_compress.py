"""Shorter forms of sentences: exact spans, cuts only where the kept part reads as a sentence."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from storyline.brief import StoryContext
from storyline.extract.nlp import DocCache
from storyline.models import Article, Story
from storyline.settings import Settings
from storyline.summarize import Weights, summarize_story, summarize_texts
from storyline.summarize.compress import (
    compressions,
    dateline_length,
    opener_length,
    tail_cuts,
)
from storyline.summarize.text import has_unnamed_speaker, reads_alone

MakeArticle = Callable[..., Article]


@pytest.mark.parametrize(
    ("sentence", "dateline"),
    [
        (
            "PORT AVEL (Harbor Wire) — The ferry Marlin caught fire on Sunday night.",
            "PORT AVEL (Harbor Wire) — ",
        ),
        ("PORT AVEL — The ferry Marlin caught fire on Sunday night.", "PORT AVEL — "),
        ("(Harbor Wire) - The ferry Marlin caught fire on Sunday night.", "(Harbor Wire) - "),
        ("(Wire)The ferry Marlin caught fire on Sunday night.", "(Wire)"),
        ("Port Avel (Harbor Wire) — The ferry Marlin caught fire.", "Port Avel (Harbor Wire) — "),
        # not datelines: a title-case phrase before a dash, a party letter, a plain sentence
        ("The new rules — all of them — take effect in May.", ""),
        ("Mayor Ann Lee (D) Spoke to the crowd on Monday.", ""),
        ("A fire broke out aboard the ferry on Sunday.", ""),
    ],
)
def test_dateline_length(sentence: str, dateline: str) -> None:
    assert sentence[: dateline_length(sentence)] == dateline


@pytest.mark.parametrize(
    ("sentence", "kept"),
    [
        (
            "The ferry operator reported 212 passengers on board the Marlin on Sunday, "
            "according to figures released by the port authority.",
            ["The ferry operator reported 212 passengers on board the Marlin on Sunday"],
        ),
        (
            "Coast guard boats evacuated all 212 passengers from the burning ferry on Sunday, "
            "marking the largest rescue at the port in a decade, according to the harbor master.",
            [
                "Coast guard boats evacuated all 212 passengers from the burning ferry on Sunday",
                "Coast guard boats evacuated all 212 passengers from the burning ferry on Sunday, "
                "marking the largest rescue at the port in a decade",
            ],
        ),
        # too short to stand after the cut
        ("The ferry burned on Sunday, sending smoke over the bay.", []),
        # the comma is inside a quotation: no cut
        (
            '"The ferry is lost, burning as we speak," the captain of the tug Hera told the radio.',
            [],
        ),
        # the kept part would end on a function word
        (
            "The plan includes new money for the port and the ferry and, including the harbor, more.",
            [],
        ),
        # an opening subordinate clause: cutting would keep only the opener and a clause
        (
            "After the ferry caught fire near the port on Sunday, the crew left, fearing the worst.",
            [],
        ),
        # a list of participles, not a clause
        (
            "The two leaders spent the afternoon at the harbor smiling, waving and shaking hands.",
            [],
        ),
        # the cut would fall inside an open "which" clause: the main verb comes after it
        (
            "The harbor video, which got more than 14 million views on the first day, prompting "
            "a review.",
            [],
        ),
        # "something" is not a participle
        ("The fire on the ferry Marlin was a disaster for the town, something few expected.", []),
        # not a full sentence
        ("The fire on the ferry Marlin was a disaster for the town, according to", []),
    ],
)
def test_tail_cuts(sentence: str, kept: list[str]) -> None:
    assert [sentence[:c] for c in tail_cuts(sentence)] == kept


@pytest.mark.parametrize(
    ("sentence", "rest"),
    [
        (
            "Amid new fears over the ferry's age, Mayor Ann Lee ordered an inspection of the fleet.",
            "Mayor Ann Lee ordered an inspection of the fleet.",
        ),
        # the rest starts with a pronoun: it would lean on the sentence before
        ("After the fire on the ferry, He and the crew left the port in a hurry.", ""),
        ("After the fire on the ferry, the crew left the port in a hurry.", ""),
        # an attribution aside follows the opener
        ("Until that point, Lee wrote, there will be no change to the ferry schedule.", ""),
        # not an opener
        ("The fire on the ferry, Lee said, started in the engine room.", ""),
    ],
)
def test_opener_length(sentence: str, rest: str) -> None:
    k = opener_length(sentence)
    assert (sentence[k:] if k else "") == rest


def test_compressions_are_exact_spans_and_read_alone() -> None:
    text = (
        "Harbor news. PORT AVEL (Harbor Wire) — After a long night at sea, Coast guard boats "
        "evacuated all 212 passengers from the burning ferry Marlin on Sunday, according to the "
        "port authority. Next sentence."
    )
    start = text.index("PORT")
    end = text.index("authority.") + len("authority.")
    forms = compressions(text, start, end)
    assert forms
    shown = {c.text for c in forms}
    assert (
        "Coast guard boats evacuated all 212 passengers from the burning ferry Marlin on Sunday."
        in shown
    )
    assert any(c.text.startswith("After a long night at sea") for c in forms)
    for c in forms:
        span = text[c.start : c.end]
        assert start <= c.start < c.end <= end
        assert c.text in (span, span + ".")
        assert reads_alone(c.text)


FIRST = (
    "PORT AVEL (Harbor Wire) — Firefighters battled a blaze aboard the cargo ferry Marlin off Port "
    "Avel on Sunday night, sending thick smoke across the harbor and forcing the closure of two "
    "berths for most of Monday morning. "
    "All 212 passengers were evacuated safely by coast guard boats."
)
SECOND = (
    "A fire broke out aboard the cargo ferry Marlin near Port Avel on Sunday night, according to "
    "a statement released late on Sunday by the regional coast guard command. "
    '"Everyone is safe and the fire is out," he said. '
    '"The ferry will be towed to the shipyard for repairs," said the spokesperson.'
)
THIRD = (
    "The Marlin ferry fire near Port Avel forced the evacuation of 212 passengers on Sunday night. "
    "Coast guard boats took all 212 passengers off the ferry safely."
)


def test_summary_drops_tails_and_keeps_exact_evidence(make_article: MakeArticle) -> None:
    arts = [make_article(FIRST), make_article(SECOND), make_article(THIRD)]
    story = Story(id="s", title="t", articles=[a.id for a in arts])
    summary = summarize_story(StoryContext(story, arts, DocCache(), Settings(summary_words=60)))
    texts = {a.id: a.text for a in arts}
    assert summary
    for s in summary:
        for span in s.evidence:
            assert texts[span.article][span.start : span.end] == span.text
        assert s.text in (s.evidence[0].text, s.evidence[0].text + ".")
        assert reads_alone(s.text)
        assert "(Harbor Wire)" not in s.text
        assert "he said" not in s.text and "said the spokesperson" not in s.text
    # a shortened sentence is cited with the part of its own sentence it keeps
    assert any(s.text != s.evidence[0].text for s in summary)


def test_compression_can_be_turned_off() -> None:
    texts = [FIRST, SECOND, THIRD]
    on = summarize_texts(texts, 60)
    off = summarize_texts(texts, 60, weights=Weights(compress=False))
    assert all(c.sentence.whole for c in off)
    assert any(not c.sentence.whole for c in on)
    # never two forms of one sentence
    keys = [c.sentence.key for c in on]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(
    ("sentence", "unnamed"),
    [
        ('"We are safe and the ship is fine," he said.', True),
        ('"We are safe and the ship is fine," said the minister.', True),
        ('"We are safe and the ship is fine," the port minister said.', True),
        ("The ferry will sail again in a month or two, she added.", True),
        ('"We are safe," she told reporters at the port on Monday.', True),
        ('"We are safe and the ship is fine," Mayor Ann Lee said.', False),
        ('"It is over for the ferry," said Sen. Ann Lee on Monday.', False),
        ('"It is over," the Rev. Al Sharp said at the harbor on Monday.', False),
        ("The ferry left port on time, the company said on Monday.", False),
    ],
)
def test_unnamed_speakers(sentence: str, unnamed: bool) -> None:
    assert has_unnamed_speaker(sentence) is unnamed
    assert reads_alone(sentence) is not unnamed
