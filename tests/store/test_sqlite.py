"""The SQLite store: schema version, idempotent writes, FTS search, concurrent reader."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from storyline.errors import StoreError, StoryNotFoundError
from storyline.models import Article, Relation, RemovedLine
from storyline.store import Store
from storyline.store.migrations import SCHEMA_VERSION


def test_new_store_has_schema_and_wal(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as s:
        assert s.schema_version() == SCHEMA_VERSION
        mode = s.conn.execute("PRAGMA journal_mode").fetchone()[0]
        assert mode == "wal"


def test_article_round_trip_and_idempotent(tmp_path: Path, make_article: Callable[..., Article]) -> None:
    a = make_article("The lock keeper said the canal would reopen on Friday.", title="Canal reopens",
                     published="2025-02-03", removed=[RemovedLine("Share.", "isolated UI line")],
                     relations=[Relation("near_duplicate_of", "a9", 0.91)], story="s-1")
    with Store(tmp_path / "s.db") as s:
        with s.transaction() as c:
            assert s.add_article(a, c) is True
            assert s.add_article(a, c) is False
        got = s.get_article(a.id)
        assert got is not None
        assert got.to_dict() == a.to_dict()
        assert s.count_articles() == 1


def test_search_and_story_rows(tmp_path: Path, make_article: Callable[..., Article]) -> None:
    with Store(tmp_path / "s.db") as s:
        with s.transaction() as c:
            s.add_article(make_article("Harbour cranes stopped after the storm.", title="Storm stops cranes",
                                       story="s-1", published="2025-01-02"), c)
            s.add_article(make_article("A quiet day at the market.", title="Market day", story="s-2"), c)
            s.refresh_story("s-1", c)
            s.refresh_story("s-2", c)
        hits = s.search("cranes")
        assert [h["title"] for h in hits] == ["Storm stops cranes"]
        assert "[cranes]" in hits[0]["snippet"]
        assert s.search('"unbalanced') == []
        assert {r["id"] for r in s.stories()} == {"s-1", "s-2"}
        with pytest.raises(StoryNotFoundError):
            s.story_row("s-404")


def test_reader_while_writer(tmp_path: Path, make_article: Callable[..., Article]) -> None:
    path = tmp_path / "s.db"
    Store(path).close()
    errors: list[BaseException] = []

    def write() -> None:
        try:
            with Store(path) as w:
                for i in range(50):
                    with w.transaction() as c:
                        w.add_article(make_article(f"Report number {i} about the dam.", id=f"w{i}"), c)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    t = threading.Thread(target=write)
    t.start()
    with Store(path, readonly=True) as r:
        seen = [r.count_articles() for _ in range(50)]
    t.join()
    assert not errors
    assert seen == sorted(seen)
    with Store(path, readonly=True) as r:
        assert r.count_articles() == 50


def test_readonly_missing_store_is_clear(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="run 'storyline ingest' first"):
        Store(tmp_path / "none.db", readonly=True)


def test_newer_schema_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(StoreError, match="newer than this Storyline"):
        Store(path)


def test_story_links_match_articles_without_text(tmp_path: Path, make_article: Callable[..., Article]) -> None:
    a = make_article("The ferry left at dawn.", story="s-1", ingest_order=0)
    b = make_article("The ferry left at dawn, officials said.", story="s-1", ingest_order=1,
                     relations=[Relation("near_duplicate_of", a.id, 0.9)])
    c = make_article("A different story.", story="s-2", ingest_order=2)
    with Store(tmp_path / "s.db") as s:
        with s.transaction() as conn:
            for x in (a, b, c):
                s.add_article(x, conn)
        links = s.story_links("s-1")
        full = s.articles(story="s-1")
    assert [x.id for x in links] == [x.id for x in full] == [a.id, b.id]
    assert [x.relations for x in links] == [x.relations for x in full]
    assert all(x.text == "" for x in links)


def test_briefed_stories(tmp_path: Path, make_article: Callable[..., Article]) -> None:
    a = make_article("The ferry left at dawn.", story="s-1")
    b = make_article("A different story.", story="s-2", ingest_order=1)
    with Store(tmp_path / "s.db") as s:
        with s.transaction() as conn:
            for x in (a, b):
                s.add_article(x, conn)
            s.refresh_story("s-1", conn)
            s.refresh_story("s-2", conn)
        assert s.briefed_stories() == {}
        s.save_brief("s-2", "k2", {"schema": "storyline/brief-v1"}, 3)
        assert s.briefed_stories() == {"s-2": "k2"}
