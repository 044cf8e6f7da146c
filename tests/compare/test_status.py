"""Statuses of aligned rows: a source disagrees only with a value the other source never allows."""

from __future__ import annotations

from storyline.compare.status import Reading, decide_status
from storyline.models import Article


def _reading(article: Article, source: str, value: float, text: str) -> Reading:
    start = article.text.index(text)
    return Reading(
        article, source, start, start + len(text), value, text, value, "%", None, value, value
    )


def _same(a: Reading, b: Reading) -> bool:
    return a.value == b.value


A = Article(
    id="a", source="a", text="The rate fell to 5.2% in May from 5.4% in April.", outlet="Outlet A"
)
B = Article(
    id="b", source="b", text="Unemployment was 5.4% in April and 5.2% in May.", outlet="Outlet B"
)
C = Article(id="c", source="c", text="The jobless rate stood at 6.1% in May.", outlet="Outlet C")


def test_sources_giving_the_same_values_agree() -> None:
    rows = [
        _reading(A, "a", 5.2, "5.2%"),
        _reading(A, "a", 5.4, "5.4%"),
        _reading(B, "b", 5.4, "5.4%"),
        _reading(B, "b", 5.2, "5.2%"),
    ]
    status, why = decide_status(rows, _same)
    assert status == "agreed"
    assert "“5.2%” and “5.4%”" in why


def test_a_value_no_other_source_allows_is_a_conflict() -> None:
    rows = [
        _reading(A, "a", 5.2, "5.2%"),
        _reading(A, "a", 5.4, "5.4%"),
        _reading(C, "c", 6.1, "6.1%"),
    ]
    status, why = decide_status(rows, _same)
    assert status == "conflict"
    assert "Outlet C" in why and "both cannot be true" in why
    # one source giving a value the other never gives is still a disagreement
    rows = [
        _reading(A, "a", 5.2, "5.2%"),
        _reading(A, "a", 5.4, "5.4%"),
        _reading(B, "b", 5.4, "5.4%"),
    ]
    assert decide_status(rows, _same)[0] == "conflict"


def test_one_source_is_single_source() -> None:
    rows = [_reading(A, "a", 5.2, "5.2%"), _reading(A, "a", 5.4, "5.4%")]
    assert decide_status(rows, _same)[0] == "single-source"
