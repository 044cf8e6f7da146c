"""``storyline doctor``: finds each kind of damage, says how to fix it, and ``--fix`` repairs it."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from storyline.cli import main
from storyline.pipeline import ingest
from storyline.store import Store
from storyline.store.doctor import check_store

from .conftest import make_corpus


def _store(tmp_path: Path) -> Path:
    db = tmp_path / "s.db"
    with Store(db) as store:
        ingest(make_corpus(tmp_path / "in", 16, seed=4), store)
    return db


def _codes(db: Path) -> list[str]:
    return sorted(f.code for f in check_store(db))


def test_healthy_store(tmp_path: Path) -> None:
    db = _store(tmp_path)
    assert check_store(db) == []
    res = CliRunner().invoke(main, ["doctor", "--db", str(db)])
    assert res.exit_code == 0 and "healthy" in res.output


def test_each_kind_of_damage_is_found_and_fixed(tmp_path: Path) -> None:
    db = _store(tmp_path)
    conn = sqlite3.connect(db, isolation_level=None)
    ids = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY ingest_order")]
    conn.execute("UPDATE articles SET story = '' WHERE id = ?", (ids[0],))
    conn.execute("INSERT INTO stories (id, title, n_articles) VALUES ('s-ghost', 'Ghost', 2)")
    conn.execute("INSERT INTO articles_fts(articles_fts, rowid, title, text) "
                 "SELECT 'delete', rowid, title, text FROM articles WHERE id = ?", (ids[1],))
    bad_flag = [{"code": "x", "message": "m",
                 "evidence": [{"article": ids[2], "start": 0, "end": 5, "text": "wrong"}]}]
    conn.execute("UPDATE articles SET flags = ? WHERE id = ?", (json.dumps(bad_flag), ids[2]))
    conn.execute("UPDATE articles SET relations = ? WHERE id = ?",
                 (json.dumps([{"type": "duplicate_of", "article": "a-gone", "score": 1.0}]), ids[3]))
    conn.close()
    assert _codes(db) == ["bad-span", "dangling-relations", "fts-count", "link-state",
                          "story-counts", "unlinked-articles"]
    for f in check_store(db):
        assert f.fix and f.message
        warning = f.code in ("unlinked-articles", "link-state")
        assert f.severity == ("warning" if warning else "error")
    runner = CliRunner()
    res = runner.invoke(main, ["doctor", "--db", str(db)])
    assert res.exit_code == 1
    assert "[bad-span]" in res.output and "fix: run 'storyline doctor --fix" in res.output
    res = runner.invoke(main, ["doctor", "--db", str(db), "--fix"])
    assert res.exit_code == 0, res.output
    assert "healthy" in res.output
    assert check_store(db) == []
    with Store(db, readonly=True) as store:
        assert store.count_articles() == 16 and store.count_unlinked() == 0


def test_missing_link_state_is_found_and_saved_by_fix(tmp_path: Path) -> None:
    db = _store(tmp_path)
    with Store(db) as store:
        stories = {a.id: a.story for a in store.articles()}
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("DELETE FROM state WHERE name = 'linker'")
    conn.close()
    (finding,) = check_store(db)
    assert finding.code == "link-state" and "relinks the whole store" in finding.message
    res = CliRunner().invoke(main, ["doctor", "--db", str(db), "--fix"])
    assert res.exit_code == 0, res.output
    assert check_store(db) == []
    with Store(db, readonly=True) as store:
        assert {a.id: a.story for a in store.articles()} == stories  # story ids kept


def test_fts_content_disagreement(tmp_path: Path) -> None:
    db = _store(tmp_path)
    conn = sqlite3.connect(db, isolation_level=None)
    # Change a text behind the index's back (the trigger only fires on title/text updates).
    conn.execute("DROP TRIGGER articles_au")
    conn.execute("UPDATE articles SET text = 'replaced words entirely' WHERE rowid = 1")
    conn.close()
    assert "fts-content" in _codes(db)


def test_schema_newer_than_the_code(tmp_path: Path) -> None:
    db = _store(tmp_path)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    (finding,) = check_store(db)
    assert finding.code == "schema-newer" and "upgrade Storyline" in finding.fix


def test_missing_and_unreadable_files(tmp_path: Path) -> None:
    (missing,) = check_store(tmp_path / "none.db")
    assert missing.code == "missing" and "storyline ingest" in missing.fix
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all" * 200)
    (bad,) = check_store(junk)
    assert bad.code == "unreadable" and ".recover" in bad.fix
    res = CliRunner().invoke(main, ["doctor", "--db", str(junk), "--fix"])
    assert res.exit_code == 1 and "cannot be repaired in place" in res.output


def test_corrupt_page_fails_the_integrity_check(tmp_path: Path) -> None:
    db = _store(tmp_path)
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(db.read_bytes())
    # Scribble over a page in the middle of the file (not the header page).
    start = page_size * (len(data) // page_size // 2)
    data[start + 8 : start + page_size - 8] = b"\xa5" * (page_size - 16)
    db.write_bytes(bytes(data))
    codes = _codes(db)
    assert codes and codes[0] in {"integrity", "unreadable"}, codes


def test_help_has_an_example() -> None:
    res = CliRunner().invoke(main, ["doctor", "--help"])
    assert res.exit_code == 0 and "Example: storyline doctor --db" in res.output
