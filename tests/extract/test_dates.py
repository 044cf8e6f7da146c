"""Date expressions: finding them, resolving them against a publication date, keeping precision."""

from __future__ import annotations

import pytest

from storyline.extract.dates import published_from_text, resolve_dates

# A Friday.
PUB = "2024-04-19T09:30:00Z"


def one(text: str, published: str | None = PUB) -> tuple[str, str | None, str | None]:
    found = resolve_dates(text, published)
    assert len(found) == 1, found
    m = found[0]
    assert text[m.start : m.end] == m.text
    return m.text, m.value, m.precision


@pytest.mark.parametrize(
    ("text", "surface", "value", "precision"),
    [
        ("The ferry sank on March 5, 2024 near the port.", "March 5, 2024", "2024-03-05", "day"),
        ("It sank on 5 March 2024.", "5 March 2024", "2024-03-05", "day"),
        ("Filed 2024-03-05 by the clerk.", "2024-03-05", "2024-03-05", "day"),
        ("The contract expires in September 2025.", "September 2025", "2025-09", "month"),
        ("The plant opened in 2012.", "2012", "2012", "year"),
        ("A coup in late July 2023 changed that.", "late July 2023", "2023-07", "month"),
    ],
)
def test_absolute_dates_resolve_without_publication_date(
    text: str, surface: str, value: str, precision: str
) -> None:
    assert one(text, None) == (surface, value, precision)
    assert one(text, PUB) == (surface, value, precision)


@pytest.mark.parametrize(
    ("text", "surface", "value", "precision"),
    [
        ("The government formed after a coup last July.", "last July", "2023-07", "month"),
        ("Officials met in March to discuss it.", "March", "2024-03", "month"),
        ("The council voted last month.", "last month", "2024-03", "month"),
        ("The council voted earlier this month.", "earlier this month", "2024-04", "month"),
        ("Talks began last week.", "last week", "2024-04", "month"),
        ("The mayor resigned on Friday.", "Friday", "2024-04-19", "day"),
        ("The mayor spoke Monday.", "Monday", "2024-04-15", "day"),
        ("Crews will return next week.", "next week", "2024-04", "month"),
        ("The strike began in late July.", "late July", "2023-07", "month"),
        ("The dam was inspected last year.", "last year", "2023", "year"),
        ("The ferry was refitted two months ago.", "two months ago", "2024-02", "month"),
        ("The ferry left yesterday.", "yesterday", "2024-04-18", "day"),
        ("She arrived on August 7 to inspect the hull.", "August 7", "2023-08-07", "day"),
    ],
)
def test_relative_dates_resolve_against_publication_date(
    text: str, surface: str, value: str, precision: str
) -> None:
    assert one(text) == (surface, value, precision)


@pytest.mark.parametrize(
    ("text", "surface", "precision"),
    [
        ("The government formed after a coup last July.", "last July", "month"),
        ("The mayor resigned on Friday.", "Friday", "day"),
        ("Talks began last week.", "last week", "month"),
        ("The council voted earlier this month.", "earlier this month", "month"),
        ("She arrived on August 7 to inspect the hull.", "August 7", "day"),
    ],
)
def test_relative_dates_stay_unresolved_without_publication_date(
    text: str, surface: str, precision: str
) -> None:
    assert one(text, None) == (surface, None, precision)


def test_vague_future_is_found_but_never_resolved() -> None:
    assert one("Troops will leave in the coming months.") == ("in the coming months", None, None)


def test_week_straddling_two_months_falls_back_to_the_year() -> None:
    # Published Wednesday 2024-05-01: last week ran 22-28 April, this week 29 April - 5 May.
    assert one("Talks began last week.", "2024-05-01") == ("last week", "2024-04", "month")
    assert one("Talks go on this week.", "2024-05-01") == ("this week", "2024", "year")


def test_weekday_on_the_publication_day_is_that_day_and_next_looks_forward() -> None:
    assert one("It happened on Friday.")[1] == "2024-04-19"
    assert one("They meet next Monday.")[1] == "2024-04-22"
    assert one("They met last Friday.")[1] == "2024-04-12"


def test_may_the_verb_is_not_a_date_but_in_may_is() -> None:
    assert resolve_dates("Officials may withdraw the troops.", PUB) == []
    assert one("Officials met in May.", PUB)[1:] == ("2024-05", "month")


def test_no_day_is_invented_for_month_or_year_expressions() -> None:
    text = "In March, in 2021, last year, late July and last month things happened."
    for m in resolve_dates(text, PUB):
        assert m.value is None or len(m.value) in (4, 7), m


def test_several_mentions_come_in_text_order_with_exact_spans() -> None:
    text = "On Monday, March 4, 2024 the port reopened; last week it had closed since 2021."
    found = resolve_dates(text, PUB)
    assert [m.text for m in found] == ["March 4, 2024", "last week", "2021"] or [
        m.text for m in found
    ] == ["Monday", "March 4, 2024", "last week", "2021"]
    for m in found:
        assert text[m.start : m.end] == m.text


def test_published_date_stated_by_the_page() -> None:
    text = "Ferry fire on the river\nPublished April 19, 2024\n\nThe ferry burned on Friday."
    assert published_from_text(text) == "2024-04-19"
    assert published_from_text("The ferry burned on March 3, 2024, officials said today.") is None


def test_ignorecase_odd_lists_every_character_re_i_equates_with_an_ascii_letter() -> None:
    import re

    from storyline.extract.dates import IGNORECASE_ODD

    letters = "abcdefghijklmnopqrstuvwxyz"
    pattern = re.compile("[" + letters + "]", re.I)
    found = set()
    for cp in range(128, 0x30000):
        c = chr(cp)
        if 0xD800 <= cp <= 0xDFFF:
            continue
        if pattern.fullmatch(c) or any(ch.lower() in letters for ch in c.lower() if ch.isascii()):
            found.add(c)
    assert found <= set(IGNORECASE_ODD)


@pytest.mark.parametrize(
    "text",
    [
        "The talks ended last week.",
        "The LAST WEEK of talks.",  # re.I patterns see the lower-cased words
        "It may rain. The vote is on May 3.",
        "The last wee\u212a of talks.",  # a Kelvin sign: re.I matches it to "k", nothing skipped
        "Two weeks ago, in the coming months, since 2019, the end of March 2020, on Tuesday.",
        "A weekend in the coming weeks; the following year; mid-July; yesterday.",
        "Nothing dated here at all.",
    ],
)
def test_skipped_patterns_would_not_have_matched(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storyline.extract import dates

    skip = dates._skipped(text)
    for kind, pattern in dates._PATTERNS:
        if kind in skip:
            assert pattern.search(text) is None, kind
    dates._resolve_dates.cache_clear()
    gated = resolve_dates(text, PUB)
    monkeypatch.setattr(dates, "_skipped", lambda _text: set())
    dates._resolve_dates.cache_clear()
    try:
        assert resolve_dates(text, PUB) == gated
    finally:
        dates._resolve_dates.cache_clear()


def test_letters_that_fold_to_ascii_do_not_crash() -> None:
    # the long s and similar letters match the patterns case-insensitively; lookups must agree
    for text in ("It happened la\u017ft week.", "in \u017feptember 2023"):
        found = resolve_dates(text, "2024-03-10")
        assert found and all(text[m.start:m.end] == m.text for m in found)
    assert resolve_dates("on \u017funday", "2024-03-10") == []  # a lower-case weekday is no date
