"""Roles read from the parse: appositions after the name and role phrases closed by a comma."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from storyline.extract.roles import roles_of

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.tokens import Span as SpacySpan


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    from storyline.extract.nlp import load_nlp

    return load_nlp()


def _person(doc: Doc, name: str) -> SpacySpan:
    hits = [e for e in doc.ents if e.text == name and e.label_ == "PERSON"]
    assert hits, [(e.text, e.label_) for e in doc.ents]
    return hits[0]


def test_an_apposition_after_the_name_ends_at_its_bracket_comma_or_closing_place(nlp) -> None:  # type: ignore[no-untyped-def]
    texts = [
        "Officials met Mark Fenwick, director of the Velland Relief Agency (VRA) in Port Aster, "
        "who said the talks went well.",
        "Mark Fenwick, director of the Velland Relief Agency in Port Aster, said the plan worked.",
    ]
    for text in texts:
        doc = nlp(text)
        assert roles_of(_person(doc, "Mark Fenwick")) == ["director of the Velland Relief Agency"]


def test_no_role_from_a_relative_clause_or_an_age(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Tom Berg, who said he was tired, left early. Anna Keller, 45, said little.")
    assert roles_of(_person(doc, "Tom Berg")) == []
    assert roles_of(_person(doc, "Anna Keller")) == []


def _hand_parsed(tail: list[tuple[str, str, str, int]]) -> Doc:
    """'During talks, the ministry's top official for Asia, Ruth Olsen' + ``tail``, parsed the
    way the small model sometimes does it: the role noun is the root and the name hangs on the
    place inside the role as a conjunct (so it is no apposition)."""
    from spacy.tokens import Doc, Span

    from storyline.extract.nlp import load_nlp

    rows = [
        ("During", "ADP", "prep", 7), ("talks", "NOUN", "pobj", 0), (",", "PUNCT", "punct", 7),
        ("the", "DET", "det", 4), ("ministry", "NOUN", "poss", 7), ("'s", "PART", "case", 4),
        ("top", "ADJ", "amod", 7), ("official", "NOUN", "ROOT", 7), ("for", "ADP", "prep", 7),
        ("Asia", "PROPN", "pobj", 8), (",", "PUNCT", "punct", 9),
        ("Ruth", "PROPN", "compound", 12), ("Olsen", "PROPN", "conj", 9),
    ]
    rows += tail
    vocab = load_nlp().vocab
    doc = Doc(vocab, words=[r[0] for r in rows], pos=[r[1] for r in rows],
              deps=[r[2] for r in rows], heads=[r[3] for r in rows],
              spaces=[not (i + 1 < len(rows) and rows[i + 1][0] in (",", "'s", "."))
                      for i in range(len(rows))])
    doc.ents = [Span(doc, 9, 10, label="LOC"), Span(doc, 11, 13, label="PERSON")]
    return doc


def test_a_role_phrase_closed_by_a_comma_before_the_name_is_its_role() -> None:
    doc = _hand_parsed([(",", "PUNCT", "punct", 12), ("spoke", "NOUN", "appos", 9),
                        (".", "PUNCT", "punct", 7)])
    assert roles_of(doc[11:13]) == ["ministry's top official for Asia"]


@pytest.mark.parametrize(
    "tail",
    [
        # "… official for Asia, Ruth Olsen and Ivo Sarn": a list, not an apposition
        [("and", "CCONJ", "cc", 12), ("Ivo", "PROPN", "compound", 15),
         ("Sarn", "PROPN", "conj", 12)],
        # "… official for Asia, Ruth Olsen said": the name is the subject of what follows
        [("said", "VERB", "conj", 7), (".", "PUNCT", "punct", 7)],
    ],
)
def test_no_role_before_a_name_that_does_not_close_the_apposition(
    tail: list[tuple[str, str, str, int]],
) -> None:
    doc = _hand_parsed(tail)
    assert roles_of(doc[11:13]) == []


def test_an_apposition_far_from_the_name_is_not_its_role(nlp) -> None:  # type: ignore[no-untyped-def]
    # the parser hangs "the entrance …" on the name across "and other fans forcing …"
    doc = nlp("Video shows Tom Berg and other fans forcing their way to the gates — the entrance "
              "outside the main stand where the players were waiting.")
    assert roles_of(_person(doc, "Tom Berg")) == []


def test_a_capitalised_title_after_a_lowercase_role_is_a_role_of_its_own(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp('"We are ready," said police spokeswoman Chief Inspector Hanna Weld.')
    assert roles_of(_person(doc, "Hanna Weld")) == ["police spokeswoman", "Chief Inspector"]
    # A title after a modifier, not after a noun for a person, stays one role.
    doc = nlp("The company said deputy Prime Minister Ana Rojas would visit.")
    assert roles_of(_person(doc, "Ana Rojas")) == ["deputy Prime Minister"]
