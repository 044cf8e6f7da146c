"""Schema migrations: each entry moves the store from version N-1 to N, in one transaction."""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: articles, stories, failures, feed links, persisted stage state, full-text index.
    """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        url TEXT,
        title TEXT,
        outlet TEXT,
        author TEXT,
        published TEXT,
        language TEXT,
        format TEXT NOT NULL,
        text TEXT NOT NULL,
        raw_text TEXT NOT NULL,
        removed TEXT NOT NULL DEFAULT '[]',
        relations TEXT NOT NULL DEFAULT '[]',
        flags TEXT NOT NULL DEFAULT '[]',
        story TEXT NOT NULL DEFAULT '',
        ingest_order INTEGER NOT NULL,
        ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE INDEX articles_story ON articles(story);
    CREATE INDEX articles_published ON articles(published);
    CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        n_articles INTEGER NOT NULL,
        first_published TEXT,
        last_published TEXT,
        brief TEXT,
        brief_key TEXT,
        n_conflicts INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE TABLE failures (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        source TEXT NOT NULL,
        stage TEXT NOT NULL,
        reason TEXT NOT NULL,
        at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE TABLE links (
        url TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        title TEXT,
        published TEXT
    );
    CREATE TABLE state (
        name TEXT PRIMARY KEY,
        data BLOB NOT NULL
    );
    CREATE TABLE line_stats (
        line TEXT PRIMARY KEY,
        docs INTEGER NOT NULL
    );
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='rowid'
    );
    CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.rowid, old.title, old.text);
    END;
    CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.rowid, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    """,
    # 2: the near-duplicate index, one row per linked article, so ingests link incrementally.
    """
    CREATE TABLE dedup_rows (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        data TEXT NOT NULL
    );
    """,
    # 3: look-up keys of the near-duplicate index, so an ingest restores only the stored rows
    # its new articles can relate to (kind 0: exact hash, 1: LSH band, 2: byline).
    """
    CREATE TABLE dedup_keys (
        kind INTEGER NOT NULL,
        key INTEGER NOT NULL,
        id TEXT NOT NULL
    );
    CREATE INDEX dedup_keys_lookup ON dedup_keys (kind, key);
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
