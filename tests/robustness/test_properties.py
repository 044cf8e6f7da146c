"""Property-based tests (hypothesis) of the cleaning, date, quantity, span and reading code:
spans are always valid, cleaning never drops a sentence of reporting, and parsing never raises
on arbitrary text."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from storyline.clean import clean_article, clean_text, is_body_line
from storyline.errors import DocumentError
from storyline.extract.dates import published_from_text, resolve_dates
from storyline.extract.quantities import extract_quantities
from storyline.ingest import detect_format
from storyline.ingest.build import build_article, normalize_date
from storyline.ingest.encoding import decode_bytes
from storyline.ingest.jsonrec import read_jsonl, record_to_document
from storyline.ingest.records import RawDocument
from storyline.ingest.text import read_text
from storyline.models import Article, Span

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces that trip parsers: odd numbers and dates, hedges, currencies, invisible and RTL marks.
TRICKY = [
    "1.000", "1,000.5", "1,000,000", "3,5", "-0.0", "1e9", "10^6", "12.5.2025", "2024-02-30",
    "31/02/2024", "0000-00-00", "2999-12-31", "1900", "May", "may", "March 3", "3 March",
    "last Tuesday", "yesterday", "next week", "in 1900", "since 2150", "about", "nearly",
    "more than", "between", "and", "to", "-", "–", "$", "€", "£", "%", "per cent", "million",
    "bn", "a dozen", "dozens of", "hundreds of", "twenty", "\u200b", "\u200d", "\u200f",
    "\u202e", "\u202c", "\ufeff", "\u0645\u0627\u0621", "\u05de\u05d9\u05dd", "\x00", "\r", "\n",
    "\n\n", "\t", "©", "Photo:", "By", "Subscribe", "|", "...", "“", "”", "’", "(", ")", ":",
]
tokens = st.one_of(st.sampled_from(TRICKY), st.text(max_size=12), st.integers().map(str))
texts = st.one_of(
    st.text(max_size=400),
    st.lists(tokens, max_size=60).map(" ".join),
    st.lists(tokens, max_size=60).map("".join),
)

WORDS = (
    "water main council crews street residents homes supply repairs evening night shops "
    "district pipe tanker schools flood cost week officials statement inquiry damage town "
    "river bridge trains freight police hospital workers road closed opened said added "
    "told reporters expected would could were was had been after before during about"
).split()
OPENERS = ["The", "Officials", "Crews", "Residents", "Police", "Engineers", "Workers"]


@st.composite
def reporting_sentence(draw: st.DrawFn) -> str:
    """A line of reporting: eight to thirty words ending with a full stop."""
    words = draw(st.lists(st.sampled_from(WORDS), min_size=7, max_size=29))
    number = draw(st.one_of(st.none(), st.integers(0, 100_000)))
    if number is not None:
        words.insert(draw(st.integers(0, len(words))), f"{number:,}")
    return " ".join([draw(st.sampled_from(OPENERS)), *words]) + "."


chrome_line = st.one_of(
    st.lists(st.sampled_from(["Home", "News", "Share", "Menu", "Sport", "Login", "|"]),
             min_size=1, max_size=6).map(" ".join),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30),
)


@FAST
@given(texts, st.one_of(st.none(), texts))
def test_clean_text_never_raises_and_loses_nothing(text: str, title: str | None) -> None:
    cleaned, removed, _names = clean_text(text, title)
    lines = [ln.strip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [ln for ln in lines if ln]
    kept = [p for p in cleaned.split("\n\n") if p] if cleaned else []
    # Every non-empty line is either kept or listed as removed with a reason, in order.
    assert sorted(kept + [r.text for r in removed]) == sorted(lines)
    assert all(r.reason for r in removed)


@FAST
@given(st.lists(st.tuples(reporting_sentence(), st.lists(chrome_line, max_size=3)), min_size=1,
                max_size=8),
       st.sets(st.sampled_from(["home", "news", "share", "menu", "sport", "login"]), max_size=4))
def test_cleaning_never_drops_a_sentence_of_reporting(
    blocks: list[tuple[str, list[str]]], repeated: set[str]
) -> None:
    lines: list[str] = []
    for sentence, chrome in blocks:
        lines.extend(chrome)
        lines.append(sentence)
    cleaned, _removed, _names = clean_text("\n".join(lines), None, repeated)
    kept = set(cleaned.split("\n\n"))
    for sentence, _ in blocks:
        assert is_body_line(sentence)
        assert sentence in kept, sentence


@FAST
@given(texts, st.one_of(st.none(), st.sampled_from(["2025-03-04", "1900-01-01", "2999-12-31",
                                                     "0000-00-00", "2024-02-29T10:00:00"]),
                        st.text(max_size=30)))
def test_dates_never_raise_and_spans_are_valid(text: str, published: str | None) -> None:
    for m in resolve_dates(text, published):
        assert text[m.start : m.end] == m.text
        assert m.precision in {None, "day", "month", "year"}
        if m.value is not None:
            assert m.value[:4].isdigit()
    published_from_text(text)


@settings(max_examples=60, deadline=None)  # dateparser is slow; 60 cover the shapes
@given(st.one_of(st.lists(tokens, max_size=6).map(" ".join), st.text(max_size=40)))
@example("375066 Z")  # dateparser reads year 999: strftime wrote "999-12-31"
def test_metadata_dates_never_raise(value: str) -> None:
    iso = normalize_date(value)
    assert iso is None or (len(iso) in (10, 19) and iso[4] == "-")


@FAST
@given(texts, st.floats(0, 0.5))
def test_quantities_never_raise_and_spans_are_valid(text: str, tolerance: float) -> None:
    for q in extract_quantities(text, tolerance):
        assert text[q.start : q.end] == q.surface
        assert q.low <= q.value or q.qualifier == "vague"
        assert q.high is None or q.low <= q.high


@FAST
@given(texts, st.data())
def test_spans_of_cleaned_articles_are_valid(text: str, data: st.DataObject) -> None:
    article = clean_article(Article(id="a1", source="t.txt", text="", raw_text=text))
    n = len(article.text)
    start = data.draw(st.integers(0, n))
    end = data.draw(st.integers(start, n))
    span = Span.of(article, start, end)
    assert article.text[span.start : span.end] == span.text
    for q in extract_quantities(article.text):
        assert Span.of(article, q.start, q.end).text == q.surface
    for m in resolve_dates(article.text, "2025-03-04"):
        assert Span.of(article, m.start, m.end).text == m.text


@FAST
@given(texts)
def test_building_an_article_raises_only_document_errors(text: str) -> None:
    raw = read_text(text, "t.txt")
    try:
        article = build_article(raw)
    except DocumentError:
        return
    assert article.text.strip()
    assert all(r.reason for r in article.removed)


@FAST
@given(st.binary(max_size=2000))
def test_decoding_raises_only_document_errors(data: bytes) -> None:
    try:
        text, encoding = decode_bytes(data)
    except DocumentError:
        return
    assert isinstance(text, str) and encoding
    detect_format(Path("x.bin"), data)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["text", "html", "title", "id", "published", "author",
                                       "url", "outlet", "authors", "body"]), children, max_size=6),
    max_leaves=12,
)


@FAST
@given(json_values)
def test_json_records_raise_only_document_errors(value: object) -> None:
    try:
        doc = record_to_document(value, "r.json")
    except DocumentError:
        return
    assert isinstance(doc, RawDocument)
    assert doc.text is not None or doc.html is not None


@FAST
@given(st.lists(st.one_of(json_values.map(json.dumps), texts), max_size=6))
def test_jsonl_lines_never_raise(lines: list[str]) -> None:
    items = list(read_jsonl(iter(lines), "r.jsonl"))
    assert all(isinstance(i, RawDocument | DocumentError) for i in items)
