"""The shared spaCy pipeline: sentence boundaries after title abbreviations."""

from __future__ import annotations

from storyline.extract.nlp import load_nlp


def _sentences(text: str) -> list[str]:
    return [s.text for s in load_nlp()(text).sents]


def test_a_title_abbreviation_before_a_name_does_not_end_the_sentence() -> None:
    text = (
        "The body of the deckhand was recovered on Wednesday, Lt. Cmdr. Dana Vos said. "
        "Gen. Piet Aalders and Sgt. Mira Hollis arrived later."
    )
    assert _sentences(text) == [
        "The body of the deckhand was recovered on Wednesday, Lt. Cmdr. Dana Vos said.",
        "Gen. Piet Aalders and Sgt. Mira Hollis arrived later.",
    ]


def test_other_periods_still_end_sentences() -> None:
    # a street abbreviation and an ordinary word end their sentences as before
    sents = _sentences("The van stopped on Harbour St. Police closed the road. Traffic moved again.")
    assert sents[-1] == "Traffic moved again."
    assert len(sents) >= 2


def test_the_component_sits_before_the_parser() -> None:
    names = load_nlp().pipe_names
    assert names.index("storyline_no_break_after_titles") < names.index("parser")
