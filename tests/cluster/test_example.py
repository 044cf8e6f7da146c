"""The bundled example corpus (fiction written for Storyline): two ferry fires must be two
stories, and its copies, rewrite and same-author pair must be found. Articles are built from
the ground truth's body paragraphs, so this test does not depend on ingest or cleaning."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from storyline.cluster import cluster_articles
from storyline.dedup import find_relations
from storyline.models import Article

TRUTH = Path(__file__).resolve().parents[1] / "data" / "example_truth.json"


@pytest.fixture(scope="module")
def truth() -> dict[str, Any]:
    if not TRUTH.exists():
        pytest.skip("tests/data/example_truth.json is absent")
    data: dict[str, Any] = json.loads(TRUTH.read_text(encoding="utf-8"))
    return data


def _articles(truth: dict[str, Any]) -> list[Article]:
    out = []
    for i, a in enumerate(t for t in truth["articles"] if t.get("body_paragraphs")):
        out.append(
            Article(
                id=a["key"],
                source=a["file"],
                text="\n\n".join(a["body_paragraphs"]),
                title=a.get("title"),
                author=a.get("author"),
                published=a.get("published"),
                ingest_order=i,
            )
        )
    return out


@pytest.mark.parametrize("mode", ["batch", "online"])
def test_two_ferry_fires_are_two_stories(truth: dict[str, Any], mode: str) -> None:
    articles = _articles(truth)
    stories = cluster_articles(articles, mode)
    gold = {a["key"]: a["story"] for a in truth["articles"]}
    by_gold: dict[str, set[str]] = {}
    for a in articles:
        by_gold.setdefault(gold[a.id], set()).add(stories[a.id])
    assert all(len(s) == 1 for s in by_gold.values()), by_gold
    assert len(set(stories.values())) == len(by_gold)


def test_example_relations(truth: dict[str, Any]) -> None:
    articles = _articles(truth)
    find_relations(articles)
    rel = {a.id: {(r.type, r.article) for r in a.relations} for a in articles}
    for pair in truth["relations"]["exact_copies"]:
        assert ("duplicate_of", pair["original"]) in rel[pair["copy"]]
    for pair in truth["relations"]["near_copies"]:
        assert ("near_duplicate_of", pair["original"]) in rel[pair["copy"]]
    assert ("rewrite_of", "A1") in rel["A4"] or ("rewrite_of", "A2") in rel["A4"]
    assert ("same_author", "A5") in rel["A6"]
    independent = {a.id for a in articles if not any(t != "same_author" for t, _ in rel[a.id])}
    assert independent == set(truth["stories"]["A"]["independent_reports"]) | {"B1", "B2"}


def test_example_translation_flags(truth: dict[str, Any]) -> None:
    articles = {a.id: a for a in _articles(truth)}
    find_relations(list(articles.values()))
    codes = {f.code for f in articles["A9"].flags}
    assert {"translation.repeated_phrase", "translation.fragment", "translation.demonym"} <= codes
    assert not [f for f in articles["A1"].flags if f.code.startswith("translation.")]
