"""Entities of a figure's sentence, read from one list per doc, as spaCy's ``Span.ents`` reads them."""

from __future__ import annotations

from storyline.compare.anchors import _sentence_entities, doc_entities
from storyline.extract.nlp import load_nlp
from storyline.settings import get_settings


def test_sentence_entities_match_spacy() -> None:
    nlp = load_nlp(get_settings().spacy_model)
    doc = nlp(
        "Officials in Port Wendel said 300 workers from Greyfin Lines were evacuated on Monday. "
        "The Harbour Authority of Sallow estimated the damage at 2 million dollars. "
        "No one was hurt, said Mayor Ana Petrova of Wendel County."
    )
    ents = doc_entities(doc)
    assert ents, "the model found no entity: the comparison would be empty"
    for sent in doc.sents:
        expected = [(e.start, e.end, e.text, e.label_) for e in sent.ents]
        assert _sentence_entities(ents, sent.start, sent.end) == expected
    # spans that cut an entity in two stop where spaCy stops
    for start in range(len(doc)):
        for end in range(start + 1, min(len(doc), start + 12) + 1):
            span = doc[start:end]
            expected = [(e.start, e.end, e.text, e.label_) for e in span.ents]
            assert _sentence_entities(ents, start, end) == expected
