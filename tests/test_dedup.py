"""Provenance on hand-written articles: exact copies, near-copies, rewrites, same-author pieces,
which copy came first, and an index that is incremental and survives serialisation."""

from __future__ import annotations

from collections.abc import Callable

from storyline.dedup import DedupIndex, find_relations
from storyline.models import Article

ORIGINAL = (
    "The council of Marrow Bay voted on Thursday to close the old ferry pier after inspectors found "
    "cracks in three of its pillars. Repairs would cost about 4 million crowns, the harbour master "
    "said. Ferries will use the north quay until a new pier opens in 2032. Fishermen protested "
    "outside the town hall and asked for a temporary landing stage. The mayor promised an answer "
    "within two weeks."
)
# A wire copy with a different closing line: most 5-grams shared.
NEAR = ORIGINAL.replace("The mayor promised an answer within two weeks.", "More to follow.")
# The same facts in the same order, reworded sentence by sentence.
REWRITE = (
    "Marrow Bay council members voted Thursday to shut the old ferry pier once inspectors had found "
    "cracks in three pillars. The harbour master said repairs would cost roughly 4 million crowns. "
    "Until a new pier opens in 2032, ferries will use the quay on the north side. Fishermen "
    "protested in front of the town hall, asking for a temporary landing stage. An answer within "
    "two weeks was promised by the mayor."
)
OTHER = (
    "A new library opened in Selden on Monday with space for 80,000 books and a children's wing. "
    "The architect said the roof collects rainwater for the gardens. Visitors queued before dawn."
)
Make = Callable[..., Article]


def _rel(article: Article) -> dict[str, tuple[str, float]]:
    return {r.type: (r.article, r.score) for r in article.relations}


def test_copies_rewrites_and_first_publication(make_article: Make) -> None:
    orig = make_article(ORIGINAL, id="orig", published="2031-05-02", ingest_order=3)
    copy = make_article(ORIGINAL, id="copy", published="2031-05-03", ingest_order=0)
    near = make_article(NEAR, id="near", published="2031-05-02T18:00:00", ingest_order=1)
    rewrite = make_article(REWRITE, id="rw", published="2031-05-04", ingest_order=2)
    other = make_article(OTHER, id="other", published="2031-05-04", ingest_order=4)
    find_relations([copy, near, rewrite, orig, other])
    assert _rel(copy)["duplicate_of"] == ("orig", 1.0)
    assert _rel(near)["near_duplicate_of"][0] == "orig"
    assert 0.5 <= _rel(near)["near_duplicate_of"][1] < 1.0
    assert _rel(rewrite)["rewrite_of"][0] in {"orig", "near", "copy"}
    assert _rel(rewrite)["rewrite_of"][1] >= 0.6
    assert "near_duplicate_of" not in _rel(rewrite)
    assert orig.relations == []  # the first publication carries no relation
    assert other.relations == []


def test_undated_copies_follow_ingest_order(make_article: Make) -> None:
    first = make_article(ORIGINAL, id="z-first", ingest_order=0)
    second = make_article(ORIGINAL, id="a-second", ingest_order=1)
    find_relations([second, first])
    assert _rel(second) == {"duplicate_of": ("z-first", 1.0)}
    assert first.relations == []


def test_same_author_needs_different_text(make_article: Make) -> None:
    a = make_article(ORIGINAL, id="a", author="By Lena Ostrova", ingest_order=0)
    b = make_article(OTHER, id="b", author="lena ostrova", ingest_order=1)
    c = make_article(ORIGINAL, id="c", author="Lena Ostrova", ingest_order=2)
    find_relations([a, b, c])
    assert _rel(b) == {"same_author": ("a", 1.0)}
    assert "same_author" not in {r.type for r in c.relations if r.article == "a"}
    assert _rel(c)["duplicate_of"] == ("a", 1.0)


def test_index_is_incremental_and_serialisable(make_article: Make) -> None:
    index = DedupIndex()
    orig = make_article(ORIGINAL, id="orig", published="2031-05-02")
    assert index.add(orig) == []
    restored = DedupIndex.from_rows(index.to_rows())
    assert len(restored) == 1 and "orig" in restored
    near = make_article(NEAR, id="near", published="2031-05-03")
    links = restored.add(near)
    assert [(ln.article, ln.relation.type, ln.relation.article) for ln in links] == [
        ("near", "near_duplicate_of", "orig")
    ]
    assert restored.add(near) == []  # adding the same id again changes nothing


def test_an_earlier_arrival_makes_the_stored_article_the_copy(make_article: Make) -> None:
    index = DedupIndex()
    index.add(make_article(ORIGINAL, id="late", published="2031-05-09"))
    links = index.add(make_article(ORIGINAL, id="early", published="2031-05-01"))
    assert [(ln.article, ln.relation.type, ln.relation.article) for ln in links] == [
        ("late", "duplicate_of", "early")
    ]


def test_flags_are_filled_with_valid_evidence(make_article: Make) -> None:
    art = make_article(ORIGINAL + "\nShare this\nRead more", id="x")
    find_relations([art])
    codes = {f.code for f in art.flags}
    assert "boilerplate.residue" in codes
    for flag in art.flags:
        for span in flag.evidence:
            assert art.text[span.start : span.end] == span.text
