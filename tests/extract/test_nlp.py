"""The shared spaCy pipeline: sentence boundaries at blank lines and after title abbreviations."""

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


def test_a_title_abbreviation_that_ends_a_sentence_still_ends_it() -> None:
    # a pronoun after the title is no name: the sentence ends there
    assert _sentences("He was promoted to Col. He retired in 2031.") == [
        "He was promoted to Col.", "He retired in 2031."]
    assert _sentences("She retired with the rank of Lt. They gave her a medal.") == [
        "She retired with the rank of Lt.", "They gave her a medal."]
    # (known limit: "as a Capt. Officers praised him" stays one sentence, as spaCy's own "Dr."
    # and "Gov." do; a title before a lone surname, "Sgt. Hollis said", is far more common)


def test_the_component_sits_before_the_parser() -> None:
    names = load_nlp().pipe_names
    assert names.index("storyline_sentence_marks") < names.index("parser")


def test_a_blank_line_ends_a_sentence_and_a_wrapped_line_need_not() -> None:
    text = (
        "Harbour tax passes after long night in council\n\n"
        "The Brenna council passed the harbour tax on Thursday, the mayor said.\n\n"
        "Councillors voted 21 to 9 after a debate\nthat ran past midnight."
    )
    assert _sentences(text) == [
        "Harbour tax passes after long night in council\n\n",
        "The Brenna council passed the harbour tax on Thursday, the mayor said.\n\n",
        "Councillors voted 21 to 9 after a debate\nthat ran past midnight.",
    ]
