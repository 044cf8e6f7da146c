"""Figures and their hedges turned into intervals."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.extract.quantities import extract_quantities, interval


def _one(text: str, tolerance: float = 0.05):  # type: ignore[no-untyped-def]
    qs = extract_quantities(text, tolerance)
    assert len(qs) == 1, qs
    return qs[0]


@pytest.mark.parametrize(
    ("text", "surface", "kind", "unit", "qualifier", "low", "high"),
    [
        ("It cost about $100 million.", "about $100 million", "money", "USD", "about", 95e6, 105e6),
        ("a $110 million hangar", "$110 million", "money", "USD", None, 110e6, 110e6),
        ("more than 1,000 workers", "more than 1,000", "count", None, "more than", 1000, None),
        ("approximately 1,100 guards", "approximately 1,100", "count", None, "about", 1045, 1155),
        ("at least 12 boats", "at least 12", "count", None, "at least", 12, None),
        ("nearly 40 percent of voters", "nearly 40 percent", "percent", "%", "nearly", 38, 40),
        ("up to 5.5% more", "up to 5.5%", "percent", "%", "at most", 0, 5.5),
        ("fewer than 30 people", "fewer than 30", "count", None, "less than", 0, 30),
        ("between 100 and 200 people", "between 100 and 200", "count", None, "between", 100, 200),
        ("a €1-2 billion plan", "€1-2 billion", "money", "EUR", "between", 1e9, 2e9),
        ("a dozen cars", "a dozen", "count", None, None, 12, 12),
        ("hundreds of protesters", "hundreds of", "count", None, "vague", 200, 999),
        ("dozens of homes", "dozens of", "count", None, "vague", 24, 144),
        ("20 or more boats", "20 or more", "count", None, "at least", 20, None),
        ("a 300 km drive", "300 km", "measure", "km", None, 300, 300),
        ("5m euros in aid", "5m euros", "money", "EUR", None, 5e6, 5e6),
        ("some 2.5 million visitors", "some 2.5 million", "count", None, "about", 2.375e6, 2.625e6),
        ("over 3,000 tonnes", "over 3,000 tonnes", "measure", "t", "more than", 3000, None),
        # spelled multiples are one figure, not two
        ("two dozen passengers", "two dozen", "count", None, None, 24, 24),
        ("two hundred people", "two hundred", "count", None, None, 200, 200),
        ("some two hundred thousand fans", "some two hundred thousand", "count", None, "about",
         190e3, 210e3),
    ],
)
def test_figures(
    text: str,
    surface: str,
    kind: str,
    unit: str | None,
    qualifier: str | None,
    low: float,
    high: float | None,
) -> None:
    q = _one(text)
    assert q.surface == surface
    assert text[q.start : q.end] == surface
    assert (q.kind, q.unit, q.qualifier) == (kind, unit, qualifier)
    assert q.low == pytest.approx(low)
    if high is None:
        assert q.high is None
    else:
        assert q.high == pytest.approx(high)


@pytest.mark.parametrize(
    "text",
    [
        "It happened in 2023.",
        "On March 5 the ship left.",
        "on 5 March, the ship left",
        "one of the largest ships",
        "It often rains; potentially tomorrow.",
        "The COVID-19 rules on the A1 road.",
        "The fire started shortly after 6:40 a.m. and ended at 7 p.m.",
        "two of them",
        "the two ships collided",  # a reference to things already named
        "These two ministers met.",
    ],
)
def test_not_figures(text: str) -> None:
    assert extract_quantities(text) == []


def test_two_figures_joined_by_and_are_not_a_range() -> None:
    qs = extract_quantities("It moved 1,000 crates and 200 cars.")
    assert [q.surface for q in qs] == ["1,000", "200"]
    qs = extract_quantities("The toll rose to 12 and 15 people were hurt.")
    assert qs[0].surface == "12" and (qs[0].low, qs[0].high) == (12, 12)


def test_tolerance_is_a_parameter() -> None:
    q = _one("about 100 boats", tolerance=0.1)
    assert (q.low, q.high) == (pytest.approx(90), pytest.approx(110))


def test_interval_rules() -> None:
    assert interval(100, None) == (100, 100)
    assert interval(100, "about", 0.05) == (pytest.approx(95), pytest.approx(105))
    assert interval(100, "nearly", 0.05) == (pytest.approx(95), 100)
    assert interval(100, "more than") == (100, None)
    assert interval(100, "at most") == (0.0, 100)


@given(
    st.text(alphabet=st.sampled_from(list("0123456789,. $€%about morethan million")), max_size=60)
)
def test_spans_always_point_into_the_text(text: str) -> None:
    for q in extract_quantities(text):
        assert text[q.start : q.end] == q.surface
        assert q.surface == q.surface.strip()
        assert q.high is None or q.low <= q.high


@pytest.mark.parametrize(
    ("text", "surface", "unit"),
    [
        ("in what has been a 2-month sprint", "2-month", "months"),
        ("a 10-day closure of the port", "10-day", "days"),
        ("a 30-minute drive to the coast", "30-minute", "minutes"),
    ],
)
def test_hyphenated_units_are_measures(text: str, surface: str, unit: str) -> None:
    q = _one(text)
    assert (q.surface, q.kind, q.unit) == (surface, "measure", unit)


def test_ages_are_not_figures() -> None:
    assert extract_quantities("a 3-year-old boy and the 45-year-old engineer") == []


def test_counts_after_a_determiner_stay_when_written_in_digits_or_hedged() -> None:
    surfaces = [q.surface for q in extract_quantities(
        "The 41 crew members and the nearly 300 passengers left, and the about three "
        "vans. Two people died; all four engines failed.")]
    assert surfaces == ["41", "nearly 300", "about three", "Two", "four"]
