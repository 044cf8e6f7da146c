"""Packed docs: the same doc back as a DocBin round trip gives, faster; DocBin bytes still read."""

from __future__ import annotations

import numpy as np
import pytest
from spacy.tokens import DocBin, Span
from spacy.tokens.doc import DOCBIN_ALL_ATTRS

from storyline.executors.docpack import MAGIC, pack, unpack
from storyline.extract.nlp import load_nlp

TEXTS = [
    "Harbour Master Lena Okafor said on Monday that 212 passengers had left the ferry.\n\n"
    "“We counted them twice,” she told reporters in Port Ardent.  The company, Ardent Lines, "
    "said repairs would cost about $4.5 million.",
    "",
    "One",
    "Tabs\tand  double  spaces\n\n\nand blank lines, plus ünïcode and emoji 🚢.",
]
ATTRS = [*DOCBIN_ALL_ATTRS, "SPACY", "IDX"]


def _via_docbin(doc, vocab):  # type: ignore[no-untyped-def]
    bin_ = DocBin(store_user_data=False)
    bin_.add(doc)
    return next(iter(DocBin().from_bytes(bin_.to_bytes()).get_docs(vocab)))


def _same(a, b) -> None:  # type: ignore[no-untyped-def]
    assert a.text == b.text
    assert np.array_equal(a.to_array(ATTRS), b.to_array(ATTRS))
    assert [(e.start, e.end, e.label_) for e in a.ents] == [(e.start, e.end, e.label_) for e in b.ents]
    assert [(s.start, s.end) for s in a.sents] == [(s.start, s.end) for s in b.sents]
    assert [(t.lemma_, str(t.morph), t.dep_, t.head.i, t.tag_, t.pos_, t.norm_) for t in a] == [
        (t.lemma_, str(t.morph), t.dep_, t.head.i, t.tag_, t.pos_, t.norm_) for t in b
    ]
    assert a.has_unknown_spaces == b.has_unknown_spaces


@pytest.mark.parametrize("text", TEXTS)
def test_round_trip_equals_docbin(text: str) -> None:
    nlp = load_nlp()
    doc = nlp(text)
    data = pack(doc)
    assert data.startswith(MAGIC)
    fresh = load_nlp.__wrapped__()  # a worker that never saw these strings
    _same(unpack(data, fresh.vocab), _via_docbin(doc, nlp.vocab))
    _same(unpack(data, fresh.vocab), doc)


def test_docbin_bytes_still_read() -> None:
    nlp = load_nlp()
    doc = nlp(TEXTS[0])
    bin_ = DocBin(store_user_data=False)
    bin_.add(doc)
    _same(unpack(bin_.to_bytes(), nlp.vocab), doc)


def test_docs_with_span_groups_fall_back_to_docbin() -> None:
    nlp = load_nlp()
    doc = nlp(TEXTS[0])
    doc.spans["names"] = [Span(doc, 0, 2, label="ROLE")]
    data = pack(doc)
    assert not data.startswith(MAGIC)
    back = unpack(data, nlp.vocab)
    assert [(s.start, s.end, s.label_) for s in back.spans["names"]] == [(0, 2, "ROLE")]
