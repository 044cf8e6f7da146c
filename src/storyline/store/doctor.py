"""``storyline doctor``: check a store and say how to fix what is wrong.

The checks read the SQLite file directly (read-only unless ``--fix``), so a store too damaged for
:class:`~storyline.store.Store` to open can still be diagnosed:

* the schema version (older: migrate by opening it; newer: upgrade Storyline),
* SQLite's own ``PRAGMA integrity_check``,
* the tables Storyline needs,
* orphans: articles without a story or in a story that does not exist, stories without articles
  or with a wrong count, relations to articles that are not stored,
* the persisted link state (without it, the next ingest relinks the whole store),
* the full-text index against the articles table,
* evidence: every span stored (article flags, cached briefs) points into the stored text.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from .migrations import SCHEMA_VERSION

_TABLES = ("articles", "stories", "failures", "links", "state", "line_stats", "articles_fts")


@dataclass
class Finding:
    """One problem found in a store.

    Attributes:
        code: a stable name for the problem (``unlinked-articles``, ``bad-span``, ...).
        severity: ``"error"`` (data is wrong or unreadable) or ``"warning"`` (work left undone
            that the next run or ``--fix`` completes).
        message: what is wrong, with counts and examples.
        fix: how to fix it.
    """

    code: str
    severity: str
    message: str
    fix: str

    def __str__(self) -> str:
        return f"{self.severity.upper()} [{self.code}] {self.message}\n    fix: {self.fix}"


def _connect(path: str, write: bool = False) -> sqlite3.Connection:
    uri = Path(path).resolve().as_uri() + ("" if write else "?mode=ro")
    conn = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 30000")
    return conn


def check_store(path: str | Path) -> list[Finding]:
    """Every problem found in the store at ``path`` (an empty list: the store is healthy).

    Never raises for a damaged store: an unreadable file is reported as a finding.
    """
    path = str(path)
    if not Path(path).is_file():
        return [Finding("missing", "error", f"no store at {path}",
                        "run 'storyline ingest PATH --db FILE' to create one")]
    try:
        conn = _connect(path)
    except sqlite3.Error as exc:
        return [_unreadable(path, exc)]
    try:
        return list(_checks(conn, path))
    except sqlite3.DatabaseError as exc:
        return [_unreadable(path, exc)]
    finally:
        conn.close()


def _unreadable(path: str, exc: Exception) -> Finding:
    return Finding(
        "unreadable", "error", f"{path} cannot be read as a SQLite store ({exc})",
        f"restore a backup, or salvage it: sqlite3 {path} .recover | sqlite3 recovered.db",
    )


def _checks(conn: sqlite3.Connection, path: str) -> Iterator[Finding]:
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        yield Finding("schema-newer", "error",
                      f"schema version {version} is newer than this Storyline's ({SCHEMA_VERSION})",
                      "upgrade Storyline (pip install -U storyline)")
        return
    if version < SCHEMA_VERSION:
        yield Finding("schema-older", "warning",
                      f"schema version {version}, this Storyline writes {SCHEMA_VERSION}",
                      f"run 'storyline doctor --fix --db {path}' (or any ingest) to migrate it")
        if version == 0:
            return
    rows = [r[0] for r in conn.execute("PRAGMA integrity_check(20)").fetchall()]
    if rows != ["ok"]:
        yield Finding("integrity", "error",
                      "SQLite integrity check failed: " + "; ".join(rows[:5]),
                      f"restore a backup, or salvage it: sqlite3 {path} .recover | sqlite3 "
                      "recovered.db, then 'storyline doctor --db recovered.db'")
        return
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    missing = [t for t in _TABLES if t not in names]
    if missing:
        yield Finding("missing-tables", "error", f"tables missing: {', '.join(missing)}",
                      "this is not a Storyline store; ingest into a new file instead")
        return
    yield from _orphans(conn, path)
    yield from _link_state(conn, path, names)
    yield from _fts(conn, path)
    yield from _spans(conn, path)


def _link_state(conn: sqlite3.Connection, path: str, names: set[str]) -> Iterator[Finding]:
    from ..linker import state_problem
    from ..settings import get_settings

    if "dedup_rows" not in names:
        return  # an older schema: the version check above says to migrate
    problem = state_problem(conn, get_settings())
    if problem:
        yield Finding("link-state", "warning",
                      f"{problem}: the next ingest relinks the whole store instead of only its "
                      "new articles",
                      f"run 'storyline doctor --fix --db {path}' (relinks and saves the state), "
                      "or let the next 'storyline ingest' do it")


def _examples(rows: list[Any]) -> str:
    shown = ", ".join(str(r[0]) for r in rows[:3])
    return shown + (", …" if len(rows) > 3 else "")


def _orphans(conn: sqlite3.Connection, path: str) -> Iterator[Finding]:
    fix = f"run 'storyline doctor --fix --db {path}' (relinks stories), or any 'storyline ingest'"
    rows = conn.execute("SELECT id FROM articles WHERE story = ''").fetchall()
    if rows:
        yield Finding("unlinked-articles", "warning",
                      f"{len(rows)} article(s) belong to no story (an ingest stopped before "
                      f"linking): {_examples(rows)}", fix)
    rows = conn.execute(
        "SELECT DISTINCT a.story FROM articles a LEFT JOIN stories s ON s.id = a.story "
        "WHERE a.story != '' AND s.id IS NULL"
    ).fetchall()
    if rows:
        yield Finding("missing-stories", "error",
                      f"{len(rows)} story id(s) used by articles have no story row: "
                      f"{_examples(rows)}", fix)
    rows = conn.execute(
        "SELECT s.id FROM stories s LEFT JOIN (SELECT story, COUNT(*) AS n FROM articles "
        "GROUP BY story) c ON c.story = s.id WHERE c.n IS NULL OR c.n != s.n_articles"
    ).fetchall()
    if rows:
        yield Finding("story-counts", "error",
                      f"{len(rows)} story row(s) with no articles or a wrong article count: "
                      f"{_examples(rows)}", fix)
    ids = {r[0] for r in conn.execute("SELECT id FROM articles")}
    dangling = []
    for aid, rel in conn.execute("SELECT id, relations FROM articles WHERE relations != '[]'"):
        for r in json.loads(rel):
            if r.get("article") not in ids:
                dangling.append((aid,))
    if dangling:
        yield Finding("dangling-relations", "error",
                      f"{len(dangling)} relation(s) point to articles that are not stored: "
                      f"{_examples(dangling)}", fix)


def _fts(conn: sqlite3.Connection, path: str) -> Iterator[Finding]:
    fix = f"run 'storyline doctor --fix --db {path}' (rebuilds the full-text index)"
    n_articles = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    n_index = conn.execute("SELECT COUNT(*) FROM articles_fts_docsize").fetchone()[0]
    if n_articles != n_index:
        yield Finding("fts-count", "error",
                      f"the full-text index holds {n_index} document(s) for {n_articles} article(s)",
                      fix)
        return
    # 'integrity-check' compares the index with the articles table. It writes nothing, but
    # SQLite only runs it on a writable connection; it is rolled back all the same.
    try:
        rw = _connect(path, write=True)
    except sqlite3.Error:
        return
    try:
        rw.execute("PRAGMA busy_timeout = 2000")
        rw.execute("BEGIN")
        rw.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
    except sqlite3.DatabaseError as exc:
        if "locked" not in str(exc) and "busy" not in str(exc) and "readonly" not in str(exc):
            yield Finding("fts-content", "error",
                          f"the full-text index disagrees with the articles ({exc})", fix)
    finally:
        if rw.in_transaction:
            rw.execute("ROLLBACK")
        rw.close()


def _spans_in(data: Any) -> Iterator[dict[str, Any]]:
    """Every span-shaped dict (``article``, ``start``, ``end``, ``text``) inside JSON data."""
    if isinstance(data, dict):
        if {"article", "start", "end", "text"} <= data.keys() and isinstance(data["start"], int):
            yield data
        for v in data.values():
            yield from _spans_in(v)
    elif isinstance(data, list):
        for v in data:
            yield from _spans_in(v)


def _spans(conn: sqlite3.Connection, path: str) -> Iterator[Finding]:
    texts = dict(conn.execute("SELECT id, text FROM articles").fetchall())
    bad: list[tuple[str]] = []
    checked = 0

    def check(span: dict[str, Any], where: str) -> None:
        nonlocal checked
        checked += 1
        text = texts.get(span["article"])
        start, end = span["start"], span["end"]
        if text is None or not (0 <= start <= end <= len(text)) or text[start:end] != span["text"]:
            bad.append((f"{where} → {span['article']}[{start}:{end}]",))

    for aid, flags in conn.execute("SELECT id, flags FROM articles WHERE flags != '[]'"):
        for span in _spans_in(json.loads(flags)):
            check(span, f"flag of {aid}")
    stale = []
    for sid, brief in conn.execute("SELECT id, brief FROM stories WHERE brief IS NOT NULL"):
        n_bad = len(bad)
        for span in _spans_in(json.loads(brief)):
            check(span, f"brief of {sid}")
        if len(bad) > n_bad:
            stale.append(sid)
    if bad:
        yield Finding("bad-span", "error",
                      f"{len(bad)} of {checked} stored span(s) do not point into the stored "
                      f"text: {_examples(bad)}",
                      f"run 'storyline doctor --fix --db {path}' (drops the cached briefs "
                      "and recomputes flags)")


def fix_store(path: str | Path) -> list[str]:
    """Repair what can be repaired in place; returns what was done.

    Migrates the schema, rebuilds the full-text index, drops cached briefs (they are
    recomputed on demand) and relinks every article into stories (keeping story ids), which
    also saves the link state.
    """
    from ..pipeline import relink
    from .sqlite import Store

    done = []
    with Store(path) as store:  # opening migrates an older schema
        done.append(f"schema at version {store.schema_version()}")
        with store.transaction() as c:
            c.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")
            c.execute("UPDATE stories SET brief = NULL, brief_key = NULL")
        done.append("rebuilt the full-text index and dropped cached briefs")
        # recomputes every relation and assignment (story ids kept) and saves the link state
        relink(store, full=True)
        done.append(f"relinked {store.count_articles()} article(s) into "
                    f"{len(store.stories())} story(ies)")
    return done


@click.command("doctor")
@click.option("--db", default=None, help="SQLite store file (default: $STORYLINE_DB or ./storyline.db).")
@click.option("--fix", is_flag=True, help="Repair what can be repaired in place, then check again.")
def command(db: str | None, fix: bool) -> None:
    """Check a store: schema version, SQLite integrity, orphans, full-text index, evidence spans.

    Prints each problem with how to fix it; exits 1 when an error is found.

    Example: storyline doctor --db news.db
    """
    from .sqlite import default_db_path

    path = db or default_db_path()
    if fix:
        findings = check_store(path)
        if any(f.code in {"missing", "unreadable", "integrity", "schema-newer", "missing-tables"}
               for f in findings):
            click.echo("\n".join(str(f) for f in findings))
            click.secho("Error: this store cannot be repaired in place.", fg="red", err=True)
            raise SystemExit(1)
        for line in fix_store(path):
            click.echo(f"fixed: {line}")
    findings = check_store(path)
    for f in findings:
        click.echo(str(f))
    errors = sum(1 for f in findings if f.severity == "error")
    if not findings:
        click.echo(f"{path}: healthy (schema version {SCHEMA_VERSION}, integrity ok, no orphans, "
                   "index consistent, every span points into its text)")
    elif errors:
        click.secho(f"{path}: {errors} error(s) found", fg="red", err=True)
        raise SystemExit(1)
    else:
        click.echo(f"{path}: no errors; {len(findings)} warning(s)")
