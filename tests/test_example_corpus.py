"""The bundled example corpus against its hand-written ground truth (tests/data/example_truth.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from storyline.errors import DocumentFailure
from storyline.ingest import LinkOnly, RawDocument, read_paths
from storyline.ingest.build import build_article
from storyline.models import Article

TRUTH = Path(__file__).parent / "data" / "example_truth.json"


@pytest.fixture(scope="module")
def truth() -> dict[str, Any]:
    if not TRUTH.exists():
        pytest.skip("tests/data/example_truth.json is absent")
    data: dict[str, Any] = json.loads(TRUTH.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def corpus(example_dir: Path) -> tuple[list[Article], list[LinkOnly], list[DocumentFailure]]:
    arts, links, fails = [], [], []
    for item in read_paths([example_dir]):
        if isinstance(item, RawDocument):
            arts.append(build_article(item))
        elif isinstance(item, LinkOnly):
            links.append(item)
        else:
            fails.append(item)
    return arts, links, fails


def test_every_document_read(corpus: tuple[list[Article], list[LinkOnly], list[DocumentFailure]]) -> None:
    arts, links, fails = corpus
    assert not fails, fails
    assert len(arts) == 11
    assert len(links) == 1


def _norm(s: str) -> str:
    return " ".join(s.split())


def test_titles_authors_dates(truth: dict[str, Any],
                              corpus: tuple[list[Article], list[LinkOnly], list[DocumentFailure]]) -> None:
    arts, _, _ = corpus
    by_title = {a.title: a for a in arts}
    checked = 0
    for info in truth["articles"]:
        if not info.get("has_text", True) or info.get("title") not in by_title:
            continue
        a = by_title[info["title"]]
        checked += 1
        assert a.author == info.get("author"), info["key"]
        if info.get("published_date"):
            assert a.published and a.published[:10] == info["published_date"], info["key"]
        else:
            assert a.published is None, info["key"]
    assert checked >= 10


def test_chrome_removed_reporting_kept(truth: dict[str, Any],
                                       corpus: tuple[list[Article], list[LinkOnly], list[DocumentFailure]]) -> None:
    arts, _, _ = corpus
    by_title = {a.title: a for a in arts}
    for info in truth["articles"]:
        a = by_title.get(info.get("title"))
        if a is None:
            continue
        key = info["key"]
        text = _norm(a.text)
        paras = {_norm(p) for p in a.text.split("\n\n")}
        for body in info.get("body_paragraphs", []):
            assert _norm(body) in text, (key, body[:60])
        for chrome in truth["chrome"].get(key, []):
            assert _norm(chrome["text"]) not in paras, (key, chrome)
        for line in truth["metadata_lines"].get(key, []):
            assert _norm(line) not in paras, (key, line)
        for line in truth["page_chrome_must_not_appear"].get(key, []):
            assert _norm(line) not in text, (key, line)
        for line in truth["must_keep_lines"].get(key, []):
            assert _norm(line) in text, (key, line)
