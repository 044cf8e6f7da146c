"""Each input format yields articles with the right metadata; bad records are reported."""

from __future__ import annotations

from pathlib import Path

from storyline.errors import DocumentFailure
from storyline.ingest import LinkOnly, RawDocument, read_paths
from storyline.ingest.build import build_article

from .conftest import PARAS


def _read(path: Path) -> tuple[list[RawDocument], list[LinkOnly], list[DocumentFailure]]:
    docs, links, fails = [], [], []
    for item in read_paths([path]):
        if isinstance(item, RawDocument):
            docs.append(item)
        elif isinstance(item, LinkOnly):
            links.append(item)
        else:
            fails.append(item)
    return docs, links, fails


def test_plain_text_title_and_byline(inputs: dict[str, Path]) -> None:
    (doc,), _, fails = _read(inputs["text"])
    assert not fails
    a = build_article(doc)
    assert a.title == "Ferry crossing suspended after hull crack"
    assert a.author == "Piet Amsel"
    assert a.text.startswith(PARAS[0])
    assert {r.reason for r in a.removed} >= {"repeated title", "byline"}
    assert a.language == "en"


def test_html_metadata_with_trafilatura(inputs: dict[str, Path]) -> None:
    (doc,), _, _ = _read(inputs["html"])
    a = build_article(doc)
    assert a.title == "Ferry crossing suspended after hull crack"
    assert a.author == "Piet Amsel"
    assert a.outlet == "Riverside Courier"
    assert a.published == "2025-05-12"
    assert "hull crack was found" in a.text.replace("\n", " ") or PARAS[0] in a.text
    assert "Share this article" not in a.text


def test_json_record(inputs: dict[str, Path]) -> None:
    (doc,), _, _ = _read(inputs["json"])
    a = build_article(doc)
    assert (a.title, a.outlet, a.author, a.published) == ("Ferry halted", "Example Wire", "Ola Brandt", "2025-05-12")
    assert a.url == "https://example.org/r1"


def test_jsonl_bad_lines_reported_good_ones_read(inputs: dict[str, Path]) -> None:
    for key in ("jsonl", "jsonl.gz"):
        docs, _, fails = _read(inputs[key])
        assert len(docs) == 2
        reasons = " | ".join(f.reason for f in fails)
        assert "line 2 is not valid JSON" in reasons
        assert "line 4" in reasons and "neither" in reasons
        assert all(f.source == str(inputs[key]) for f in fails)
        html_doc = build_article(docs[1])
        assert html_doc.outlet == "Riverside Courier" and html_doc.title


def test_feed_full_items_and_link_only(inputs: dict[str, Path]) -> None:
    docs, links, fails = _read(inputs["feed"])
    assert not fails
    assert len(docs) == 1 and len(links) == 1
    a = build_article(docs[0])
    assert a.outlet == "Riverside Courier"
    assert a.published == "2025-05-12T08:15:00"
    assert a.url == "https://courier.example/ferry"
    assert links[0].url == "https://courier.example/link-only"


def test_warc_html_responses(inputs: dict[str, Path]) -> None:
    docs, _, fails = _read(inputs["warc"])
    assert not fails
    assert [d.url for d in docs] == ["https://courier.example/a", "https://courier.example/b"]
    a = build_article(docs[0])
    assert a.source == "https://courier.example/a"
    assert a.title == "Ferry crossing suspended after hull crack"
    docs_gz, _, _ = _read(inputs["warc.gz"])
    assert len(docs_gz) == 1


def test_same_document_same_id(inputs: dict[str, Path]) -> None:
    (d1,), _, _ = _read(inputs["text"])
    (d2,), _, _ = _read(inputs["text"])
    assert build_article(d1).id == build_article(d2).id


def test_folder_and_glob(inputs: dict[str, Path]) -> None:
    folder = inputs["text"].parent
    items = list(read_paths([folder]))
    assert sum(isinstance(i, RawDocument) for i in items) >= 8
    globbed = list(read_paths([str(folder / "*.json")]))
    assert len(globbed) == 1
    missing = list(read_paths([str(folder / "nope" / "*.txt"), folder / "absent.txt"]))
    assert all(isinstance(m, DocumentFailure) for m in missing) and len(missing) == 2
