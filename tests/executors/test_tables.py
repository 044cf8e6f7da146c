"""Parquet rows, atomic writes and completion manifests."""

from __future__ import annotations

from pathlib import Path

from storyline.executors import tables as T
from storyline.models import Article, Flag, Relation, RemovedLine, Span


def _article() -> Article:
    a = Article(id="a1", source="in.jsonl:1", text="Dock workers voted to strike on Friday.",
                title="Dock strike", published="2025-02-07", ingest_order=3)
    a.removed = [RemovedLine("Share this", "share line")]
    a.relations = [Relation("duplicate_of", "a0", 1.0)]
    a.flags = [Flag("x", "test", [Span.of(a, 0, 4)])]
    return a


def test_article_round_trip() -> None:
    a = _article()
    row = T.article_row(a, "shard-1", None)
    assert row["day"] == T.day_number("2025-02-07") != T.UNDATED
    row.update({"story": "s1", "relations": '[{"type": "duplicate_of", "article": "a0", '
                '"score": 1.0}]', "flags": '[{"code": "x", "message": "test", "evidence": '
                '[{"article": "a1", "start": 0, "end": 4, "text": "Dock"}]}]'})
    back = T.row_article(row)
    assert back.to_dict() == dict(a.to_dict(), story="s1")


def test_undated_sorts_last() -> None:
    assert T.day_number(None) == T.day_number("not a date") == T.UNDATED
    assert T.day_number("2025-01-01T10:00:00") < T.UNDATED


def test_atomic_write_and_completeness(tmp_path: Path) -> None:
    path = tmp_path / "articles" / "s.parquet"
    rows = [T.article_row(_article(), "s", b"doc")]
    assert T.write_parquet(rows, T.article_schema(), path) == 1
    assert [p.name for p in path.parent.iterdir()] == ["s.parquet"]  # no temporary left
    T.write_manifest(tmp_path, "shards", "s", {"size": 10, "files": {"articles/s.parquet": 1}})
    manifest = T.read_manifest(tmp_path, "shards", "s")
    assert T.complete(tmp_path, manifest, {"size": 10})
    assert not T.complete(tmp_path, manifest, {"size": 11})  # the input changed
    assert not T.complete(tmp_path, None, {})
    path.write_bytes(path.read_bytes()[:50])  # a torn file
    assert T.parquet_rows(path) is None
    assert not T.complete(tmp_path, manifest, {"size": 10})


def test_text_files_counted_by_lines(tmp_path: Path) -> None:
    T.write_text("a\nb\n", tmp_path / "briefs" / "b0.jsonl")
    info = {"files": {"briefs/b0.jsonl": 2}}
    assert T.complete(tmp_path, info, {})
    assert not T.complete(tmp_path, {"files": {"briefs/b0.jsonl": 3}}, {})
    assert T.digest(["a", "b"]) != T.digest(["ab"])
