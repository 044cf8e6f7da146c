"""SQLite store in WAL mode: a server can read while an ingest writes.

Every write happens in a short transaction, so an interrupted ingest leaves the store
consistent; re-running it skips what is already stored (article ids are content hashes).
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import DocumentFailure, StoreError, StoryNotFoundError
from ..models import Article, article_from_dict
from .migrations import MIGRATIONS, SCHEMA_VERSION

DEFAULT_DB = "storyline.db"
_ARTICLE_COLS = (
    "id source url title outlet author published language format text raw_text removed "
    "relations flags story ingest_order"
).split()


def default_db_path() -> str:
    """``$STORYLINE_DB`` when set, else ``./storyline.db``."""
    return os.environ.get("STORYLINE_DB") or DEFAULT_DB


class Store:
    """One SQLite file holding articles, stories, failures and stage state.

    Args:
        path: the database file (created with its schema when missing).
        readonly: open without writing (the web server uses this).
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, readonly: bool = False) -> None:
        self.path = str(path or default_db_path())
        self.readonly = readonly
        #: Called once per transaction that has to wait for another writer (a message).
        self.on_busy: Callable[[str], None] | None = None
        #: Longest wait for the write lock before a transaction gives up, in seconds.
        self.busy_wait_s = 300.0
        try:
            if readonly:
                if not Path(self.path).exists():
                    raise StoreError(f"no store at {self.path}; run 'storyline ingest' first")
                uri = Path(self.path).resolve().as_uri() + "?mode=ro"
                self.conn = sqlite3.connect(
                    uri, uri=True, timeout=30, check_same_thread=False, isolation_level=None
                )
            else:
                self.conn = sqlite3.connect(
                    self.path, timeout=30, check_same_thread=False, isolation_level=None
                )
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA busy_timeout = 30000")
            if not readonly:
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = NORMAL")
                self._migrate()
            else:
                self._check_version()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open the store {self.path}: {exc}") from exc

    # -- schema ---------------------------------------------------------------------------
    def schema_version(self) -> int:
        row = self.conn.execute("PRAGMA user_version").fetchone()
        return int(row[0])

    def _check_version(self) -> None:
        v = self.schema_version()
        if v > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} has schema version {v}, newer than this Storyline ({SCHEMA_VERSION}); "
                "upgrade Storyline"
            )

    def _migrate(self) -> None:
        self._check_version()
        v = self.schema_version()
        for target in range(v + 1, SCHEMA_VERSION + 1):
            # One script, one transaction: a crash mid-migration leaves the old version intact.
            try:
                self.conn.executescript(
                    "BEGIN IMMEDIATE;" + MIGRATIONS[target - 1]
                    + f";PRAGMA user_version = {target}; COMMIT;"
                )
            except sqlite3.DatabaseError:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                if self.schema_version() >= target:  # another process migrated first
                    continue
                raise

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (BEGIN IMMEDIATE, retried while another writer holds the lock).

        While it waits, ``on_busy`` (when set) is called once with a message such as
        ``"store busy, retrying"``; the CLI prints it.

        Raises:
            StoreError: another process held the write lock for more than ``busy_wait_s``.
        """
        deadline = time.monotonic() + self.busy_wait_s
        told = False
        # Short waits inside SQLite so that the caller hears about a busy store quickly.
        self.conn.execute("PRAGMA busy_timeout = 250")
        try:
            attempt = 0
            while True:
                try:
                    self.conn.execute("BEGIN IMMEDIATE")
                    break
                except sqlite3.OperationalError as exc:
                    if "locked" not in str(exc) and "busy" not in str(exc):
                        raise
                    if time.monotonic() > deadline:
                        raise StoreError(
                            f"store busy: another process has held the write lock of {self.path} "
                            f"for more than {self.busy_wait_s:.0f} s; try again when it is done"
                        ) from exc
                    if not told and self.on_busy is not None:
                        self.on_busy("store busy, retrying (another process is writing)")
                        told = True
                    attempt += 1
                    time.sleep(min(0.05 * attempt, 1.0))
        finally:
            self.conn.execute("PRAGMA busy_timeout = 30000")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- articles -------------------------------------------------------------------------
    def has_article(self, article_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None

    def next_ingest_order(self) -> int:
        row = self.conn.execute("SELECT COALESCE(MAX(ingest_order), -1) + 1 FROM articles").fetchone()
        return int(row[0])

    def add_article(self, article: Article, conn: sqlite3.Connection | None = None) -> bool:
        """Insert an article; False (and nothing written) when its id is already stored."""
        c = conn or self.conn
        row = _article_row(article)
        cur = c.execute(
            f"INSERT OR IGNORE INTO articles ({', '.join(_ARTICLE_COLS)}) "
            f"VALUES ({', '.join('?' * len(_ARTICLE_COLS))})",
            [row[k] for k in _ARTICLE_COLS],
        )
        return cur.rowcount > 0

    def update_article_links(self, article: Article, conn: sqlite3.Connection | None = None) -> None:
        """Store an article's story, relations and flags (they change as the corpus grows)."""
        (conn or self.conn).execute(
            "UPDATE articles SET story = ?, relations = ?, flags = ? WHERE id = ?",
            (
                article.story,
                json.dumps([r.to_dict() for r in article.relations]),
                json.dumps([f.to_dict() for f in article.flags]),
                article.id,
            ),
        )

    def get_article(self, article_id: str) -> Article | None:
        row = self.conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        return _row_article(row) if row else None

    def articles(self, story: str | None = None, unlinked: bool = False) -> list[Article]:
        """Stored articles in ingest order: all, one story's, or (``unlinked``) those not yet
        assigned to a story."""
        if unlinked:
            rows = self.conn.execute(
                "SELECT * FROM articles WHERE story = '' ORDER BY ingest_order"
            ).fetchall()
        elif story is None:
            rows = self.conn.execute("SELECT * FROM articles ORDER BY ingest_order").fetchall()
        else:
            rows = self.conn.execute(
                "SELECT * FROM articles WHERE story = ? ORDER BY ingest_order", (story,)
            ).fetchall()
        return [_row_article(r) for r in rows]

    def story_links(self, story_id: str) -> list[Article]:
        """A story's articles with id, source and relations only (empty text), in ingest order:
        enough to tell whether a cached brief is still valid without reading every text."""
        rows = self.conn.execute(
            "SELECT id, source, relations FROM articles WHERE story = ? ORDER BY ingest_order",
            (story_id,),
        ).fetchall()
        return [
            article_from_dict({"id": r["id"], "source": r["source"], "text": "", "story": story_id,
                               "relations": json.loads(r["relations"])})
            for r in rows
        ]

    def count_articles(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def count_unlinked(self) -> int:
        """Articles not yet assigned to a story (an ingest stopped before relinking)."""
        row = self.conn.execute("SELECT COUNT(*) FROM articles WHERE story = ''").fetchone()
        return int(row[0])

    # -- stories --------------------------------------------------------------------------
    def refresh_story(self, story_id: str, conn: sqlite3.Connection | None = None) -> None:
        """Recompute a story's row from its articles (or drop it when it has none)."""
        c = conn or self.conn
        row = c.execute(
            "SELECT COUNT(*), MIN(published), MAX(published) FROM articles WHERE story = ?",
            (story_id,),
        ).fetchone()
        if row[0] == 0:
            c.execute("DELETE FROM stories WHERE id = ?", (story_id,))
            return
        title_row = c.execute(
            "SELECT title FROM articles WHERE story = ? AND title IS NOT NULL "
            "ORDER BY published IS NULL, published, ingest_order LIMIT 1",
            (story_id,),
        ).fetchone()
        title = title_row[0] if title_row else "Untitled story"
        c.execute(
            "INSERT INTO stories (id, title, n_articles, first_published, last_published) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET title = excluded.title, "
            "n_articles = excluded.n_articles, first_published = excluded.first_published, "
            "last_published = excluded.last_published, "
            "updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
            (story_id, title, row[0], row[1], row[2]),
        )

    def stale_stories(self, conn: sqlite3.Connection | None = None) -> set[str]:
        """Story ids whose row disagrees with the articles: missing, empty or a wrong count.

        Two runs relinking at once can leave such rows; refreshing them restores consistency.
        """
        c = conn or self.conn
        rows = c.execute(
            "SELECT s.id FROM stories s LEFT JOIN (SELECT story, COUNT(*) AS n FROM articles "
            "GROUP BY story) k ON k.story = s.id WHERE k.n IS NULL OR k.n != s.n_articles "
            "UNION SELECT DISTINCT a.story FROM articles a LEFT JOIN stories s ON s.id = a.story "
            "WHERE a.story != '' AND s.id IS NULL"
        ).fetchall()
        return {r[0] for r in rows}

    def stories(self) -> list[dict[str, Any]]:
        """Stories, newest first, with their counts."""
        rows = self.conn.execute(
            "SELECT id, title, n_articles, first_published, last_published, n_conflicts "
            "FROM stories ORDER BY last_published IS NULL, last_published DESC, updated_at DESC"
        ).fetchall()
        return [dict(r) for r in rows]

    def briefed_stories(self) -> dict[str, str]:
        """``{story id: brief cache key}`` of the stories whose brief has been saved (their
        ``n_conflicts`` is meaningful; for the others it is the default 0)."""
        rows = self.conn.execute("SELECT id, brief_key FROM stories WHERE brief_key IS NOT NULL")
        return {r[0]: r[1] for r in rows}

    def story_row(self, story_id: str) -> dict[str, Any]:
        row = self.conn.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone()
        if row is None:
            raise StoryNotFoundError(f"no story {story_id!r} in {self.path} (see 'storyline stories')")
        return dict(row)

    def cached_brief(self, story_id: str, key: str) -> dict[str, Any] | None:
        row = self.story_row(story_id)
        if row.get("brief") and row.get("brief_key") == key:
            data: dict[str, Any] = json.loads(row["brief"])
            return data
        return None

    def save_brief(self, story_id: str, key: str, brief: dict[str, Any], n_conflicts: int) -> None:
        with self.transaction() as c:
            c.execute(
                "UPDATE stories SET brief = ?, brief_key = ?, n_conflicts = ? WHERE id = ?",
                (json.dumps(brief), key, n_conflicts, story_id),
            )

    # -- failures, links, state -----------------------------------------------------------
    def add_failure(self, failure: DocumentFailure, conn: sqlite3.Connection | None = None) -> None:
        (conn or self.conn).execute(
            "INSERT INTO failures (source, stage, reason) VALUES (?, ?, ?)",
            (failure.source, failure.stage, failure.reason),
        )

    def failures(self, limit: int = 1000) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT source, stage, reason, at FROM failures ORDER BY id DESC LIMIT ?", (limit,)
        ).fetchall()
        return [dict(r) for r in rows]

    def add_link(self, url: str, source: str, title: str | None, published: str | None,
                 conn: sqlite3.Connection | None = None) -> bool:
        cur = (conn or self.conn).execute(
            "INSERT OR IGNORE INTO links (url, source, title, published) VALUES (?, ?, ?, ?)",
            (url, source, title, published),
        )
        return cur.rowcount > 0

    def get_state(self, name: str) -> bytes | None:
        row = self.conn.execute("SELECT data FROM state WHERE name = ?", (name,)).fetchone()
        return bytes(row[0]) if row else None

    def set_state(self, name: str, data: bytes, conn: sqlite3.Connection | None = None) -> None:
        (conn or self.conn).execute(
            "INSERT INTO state (name, data) VALUES (?, ?) "
            "ON CONFLICT(name) DO UPDATE SET data = excluded.data",
            (name, data),
        )

    def repeated_lines(self, min_docs: int = 3) -> set[str]:
        rows = self.conn.execute("SELECT line FROM line_stats WHERE docs >= ?", (min_docs,))
        return {r[0] for r in rows}

    def count_lines(self, keys: set[str], conn: sqlite3.Connection | None = None) -> None:
        c = conn or self.conn
        c.executemany(
            "INSERT INTO line_stats (line, docs) VALUES (?, 1) "
            "ON CONFLICT(line) DO UPDATE SET docs = docs + 1",
            [(k,) for k in keys],
        )

    # -- search ---------------------------------------------------------------------------
    def search(self, query: str, limit: int = 20) -> list[dict[str, Any]]:
        """Full-text search over titles and texts (FTS5); plain words are matched as terms."""
        fts = " ".join('"' + w.replace('"', '""') + '"' for w in query.split())
        if not fts:
            return []
        rows = self.conn.execute(
            "SELECT a.id, a.title, a.outlet, a.published, a.story, "
            "snippet(articles_fts, 1, '[', ']', '…', 12) AS snippet "
            "FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
            "WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
            (fts, limit),
        ).fetchall()
        return [dict(r) for r in rows]


def _article_row(a: Article) -> dict[str, Any]:
    return {
        "id": a.id,
        "source": a.source,
        "url": a.url,
        "title": a.title,
        "outlet": a.outlet,
        "author": a.author,
        "published": a.published,
        "language": a.language,
        "format": a.format,
        "text": a.text,
        "raw_text": a.raw_text,
        "removed": json.dumps([r.to_dict() for r in a.removed]),
        "relations": json.dumps([r.to_dict() for r in a.relations]),
        "flags": json.dumps([f.to_dict() for f in a.flags]),
        "story": a.story,
        "ingest_order": a.ingest_order,
    }


def _row_article(row: sqlite3.Row) -> Article:
    d = {k: row[k] for k in _ARTICLE_COLS}
    for k in ("removed", "relations", "flags"):
        d[k] = json.loads(d[k])
    return article_from_dict(d)
