"""Cutting article text into highlighted pieces."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from storyline.web.highlight import Mark, brief_marks, paragraphs, pieces, span_key

TEXT = "The ferry left Lavrio at 6:40.\nAbout 300 people were on board."


def test_pieces_cover_text_and_carry_marks() -> None:
    ps = pieces(TEXT, [Mark(4, 9, "entity", "e1"), Mark(0, 30, "summary"), Mark(4, 15, "fact")])
    assert "".join(p.text for p in ps) == TEXT
    ferry = next(p for p in ps if p.text == "ferry")
    assert ferry.kinds == ["summary", "entity", "fact"] or set(ferry.kinds) == {"summary", "entity", "fact"}
    assert ferry.css.startswith("m ") and "entity" in ferry.css
    tail = ps[-1]
    assert tail.kinds == [] and tail.css == ""


def test_marks_outside_text_are_ignored() -> None:
    ps = pieces("abc", [Mark(2, 10, "fact"), Mark(-1, 2, "fact"), Mark(1, 1, "fact")])
    assert [p.text for p in ps] == ["abc"] and ps[0].kinds == []


@given(st.text(min_size=0, max_size=60),
       st.lists(st.tuples(st.integers(0, 70), st.integers(0, 70)), max_size=8))
def test_pieces_always_rebuild_the_text(text: str, spans: list[tuple[int, int]]) -> None:
    marks = [Mark(a, b, "fact") for a, b in spans]
    ps = pieces(text, marks)
    assert "".join(p.text for p in ps) == text
    for p in ps:
        assert text[p.start : p.start + len(p.text)] == p.text


def test_paragraphs_split_at_newlines_and_keep_offsets() -> None:
    paras = paragraphs(pieces(TEXT, [Mark(25, 40, "fact", "k")]))
    assert len(paras) == 2
    for para in paras:
        for p in para:
            assert TEXT[p.start : p.start + len(p.text)] == p.text
    assert any("fact" in p.kinds for p in paras[1])


def test_brief_marks_pick_spans_of_one_article() -> None:
    span = {"article": "a1", "start": 4, "end": 9, "text": "ferry"}
    other = {"article": "a2", "start": 0, "end": 3, "text": "The"}
    story = {
        "entities": [{"id": "e1", "name": "Ferry", "type": "FAC", "mentions": [span, other]}],
        "facts": [{"id": "f1", "label": "people", "status": "conflict",
                   "values": [{**span, "value": 300}]}],
        "quotes": [], "timeline": [], "summary": [{"text": "x", "articles": ["a1"], "evidence": [span]}],
    }
    marks = brief_marks(story, "a1")
    assert {m.kind for m in marks} == {"entity", "fact conflict", "summary"}
    assert all(m.key == span_key(4, 9) for m in marks)
