"""Source signals: translation artefacts and chrome residue, each with evidence spans."""

from __future__ import annotations

from collections.abc import Callable

from storyline.models import Article
from storyline.signals import (
    chrome_residue,
    detect_flags,
    doubled_words,
    fragments,
    repeated_phrases,
)

Make = Callable[..., Article]

CLEAN = (
    "The ferry left the harbour at noon. Passengers said the crossing was calm. "
    "The company said it had had no complaints this year."
)


def _check(article: Article) -> None:
    for flag in detect_flags(article):
        for span in flag.evidence:
            assert article.text[span.start : span.end] == span.text


def test_clean_text_has_no_flags(make_article: Make) -> None:
    assert detect_flags(make_article(CLEAN)) == []


def test_doubled_word(make_article: Make) -> None:
    art = make_article("The minister said the the vote would be held on Sunday.")
    (flag,) = doubled_words(art)
    assert flag.code == "translation.doubled_word"
    assert flag.evidence[0].text == "the the"
    _check(art)


def test_repeated_phrase_across_sentences(make_article: Make) -> None:
    art = make_article(
        "Troops left the capital on Monday, according to the army. According to the army, "
        "the withdrawal will take a month."
    )
    (flag,) = repeated_phrases(art)
    assert flag.evidence[0].text.lower() == "according to the army"
    _check(art)


def test_fragment_split_mid_clause(make_article: Make) -> None:
    art = make_article("The talks ended without a deal. which the delegates blamed on the weather.")
    (flag,) = fragments(art)
    assert "which" in flag.evidence[0].text
    assert fragments(make_article("It arrived at 9 a.m. on Monday, officials said.")) == []
    _check(art)


def test_chrome_residue(make_article: Make) -> None:
    art = make_article(CLEAN + "\nShare on Facebook\nPhoto: Lena Ostrova\n© 2031 Harbour Daily")
    (flag,) = chrome_residue(art)
    assert [s.text for s in flag.evidence] == [
        "Share on Facebook",
        "Photo: Lena Ostrova",
        "© 2031 Harbour Daily",
    ]
    assert "3 places" in flag.message
    _check(art)


def test_demonym_of_a_similarly_named_country(make_article: Make) -> None:
    art = make_article("The Australian climber from Graz reached the summit on Friday.")
    (flag,) = [f for f in detect_flags(art) if f.code == "translation.demonym"]
    assert [s.text for s in flag.evidence] == ["Australian"]
    _check(art)
    # its own country named, or no similarly named place nearby: no flag
    ok = "An Australian climber from Graz, who lives in Australia, reached the summit."
    assert not [f for f in detect_flags(make_article(ok)) if f.code == "translation.demonym"]
    ok2 = "The Australian climber from Perth reached the summit."
    assert not [f for f in detect_flags(make_article(ok2)) if f.code == "translation.demonym"]


def test_fragment_across_a_paragraph_break(make_article: Make) -> None:
    art = make_article("The company said that the ship\n\nis insured for about 9 million euros.")
    (flag,) = fragments(art)
    assert "is insured" in flag.evidence[0].text
    _check(art)
