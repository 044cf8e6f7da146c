"""The compare view: shared passages, differing figures and names across articles."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from storyline.models import Article
from storyline.web.compare import (
    compare,
    default_selection,
    figure_rows,
    name_rows,
    shared_ranges,
)

A = ("The night train from Orlen derailed near Basko on Friday, the rail operator said. "
     "About 40 passengers were hurt. Driver Marta Kell was not injured.")
B = ("The night train from Orlen derailed near Basko on Friday, the rail operator said. "
     "Officials counted 52 injured passengers. Driver Martha Kell said the brakes failed.")


def _span(a: Article, text: str) -> dict[str, Any]:
    start = a.text.index(text)
    return {"article": a.id, "start": start, "end": start + len(text), "text": text}


def _story(a: Article, b: Article) -> dict[str, Any]:
    return {
        "facts": [
            {"id": "f1", "label": "passengers hurt", "kind": "count", "status": "conflict",
             "explanation": "40 vs 52", "values": [_span(a, "About 40"), _span(b, "52")]},
            {"id": "f2", "label": "day", "kind": "date", "status": "agreed", "explanation": "",
             "values": [_span(a, "Friday"), _span(b, "Friday")]},
        ],
        "entities": [
            {"id": "e1", "name": "Marta Kell", "type": "PERSON",
             "mentions": [_span(a, "Marta Kell"), _span(b, "Martha Kell")]},
            {"id": "e2", "name": "Orlen", "type": "GPE",
             "mentions": [_span(a, "Orlen"), _span(b, "Orlen")]},
        ],
    }


def test_shared_ranges_find_the_copied_sentence(make_article: Callable[..., Article]) -> None:
    a, b = make_article(A), make_article(B)
    ranges = shared_ranges([a, b])
    (s, e, others), = ranges[a.id]
    assert others == [b.id]
    assert a.text[s:e].startswith("The night train") and "rail operator said" in a.text[s:e]
    assert "passengers were hurt" not in a.text[s:e]


def test_unrelated_articles_share_nothing(make_article: Callable[..., Article]) -> None:
    a = make_article(A)
    c = make_article("A bakery in a small town won a prize for its rye bread this spring.")
    assert shared_ranges([a, c]) == {a.id: [], c.id: []}


def test_differing_figures_and_names(make_article: Callable[..., Article]) -> None:
    a, b = make_article(A), make_article(B)
    story = _story(a, b)
    figs = figure_rows(story, [a.id, b.id])
    assert [r.label for r in figs] == ["passengers hurt"]  # the agreed "Friday" is not listed
    assert figs[0].cells == {a.id: ["About 40"], b.id: ["52"]}
    names = name_rows(story, [a.id, b.id])
    assert [r.label for r in names] == ["Marta Kell"]


def test_short_forms_are_not_name_differences(make_article: Callable[..., Article]) -> None:
    a = make_article("Minister Ana Ruiz spoke. Ruiz left.")
    b = make_article("Ruiz spoke to reporters.")
    story = {"facts": [], "entities": [{"id": "e1", "name": "Ana Ruiz", "type": "PERSON",
             "mentions": [_span(a, "Ana Ruiz"), _span(b, "Ruiz")]}]}
    assert name_rows(story, [a.id, b.id]) == []


def test_compare_columns_mark_spans(make_article: Callable[..., Article]) -> None:
    a, b = make_article(A), make_article(B)
    view = compare(_story(a, b), [a, b])
    assert [c.article.id for c in view.columns] == [a.id, b.id]
    for col in view.columns:
        pieces = [p for para in col.paragraphs for p in para]
        assert "".join(p.text for p in pieces) == col.article.text.replace("\n", "")
        kinds = {k for p in pieces for kind in p.kinds for k in kind.split()}
        assert {"shared", "figure", "conflict", "name"} <= kinds
        figure = next(p for p in pieces if "figure" in p.css.split())
        assert figure.data_k == "f-f1"
        assert col.shared_chars > 0


def test_default_selection_prefers_articles_that_disagree(make_article: Callable[..., Article]) -> None:
    a, b = make_article(A), make_article(B)
    c = make_article("A late piece on the derailment with no figures at all.")
    story = _story(a, b)
    assert default_selection(story, [c, a, b], k=2) == [a, b]
    assert len(default_selection(story, [c, a, b], k=3)) == 3
