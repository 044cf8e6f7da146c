"""The local executor: ingest → clean → deduplicate → cluster → store, and briefs from the store.

Stages stay plain functions over records; this module wires them to the store and reports
progress through a callback (the CLI draws the bar).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .clean import normalize_line
from .errors import DocumentError, DocumentFailure, NoArticlesError
from .ingest import LinkOnly, RawDocument, read_paths
from .ingest.build import build_article
from .linker import relink
from .models import Article, Brief, Story
from .settings import Settings, get_settings
from .store import Store

#: Documents built and written per transaction during ingest.
CHUNK = 200
#: A chunk is also written once its documents hold this many characters (bounds memory).
CHUNK_CHARS = 64_000_000

Progress = Callable[[str, int, int | None], None]


@dataclass
class IngestReport:
    """What an ingest did: ids added, duplicates skipped, feed links recorded, failures."""

    added: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    links: int = 0
    failures: list[DocumentFailure] = field(default_factory=list)
    stories_touched: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return bool(self.added or self.duplicates)


def _short_line_keys(text: str) -> set[str]:
    from .clean import is_body_line

    return {
        normalize_line(ln)
        for ln in text.splitlines()
        if ln.strip() and len(ln.split()) <= 12 and not is_body_line(ln)
    } - {""}


def ingest(
    paths: Sequence[str | Path],
    store: Store,
    settings: Settings | None = None,
    progress: Progress | None = None,
    link: bool = True,
) -> IngestReport:
    """Read, clean and store every document under ``paths``; link new articles into stories.

    Bad documents are recorded as failures (in the report and the store) and the run goes on.
    Ingesting the same documents twice adds nothing. With ``link=False`` the articles are
    stored without a story; the next ingest (or :func:`relink`) links them.
    """
    settings = settings or get_settings()
    report = IngestReport()
    chunk: list[RawDocument] = []
    chunk_chars = 0
    seen = 0

    def flush() -> None:
        nonlocal chunk_chars
        _ingest_chunk(chunk, store, settings, report)
        chunk.clear()
        chunk_chars = 0

    for item in read_paths(paths, settings):
        seen += 1
        if progress:
            progress("read", seen, None)
        if isinstance(item, DocumentFailure):
            report.failures.append(item)
            with store.transaction() as c:
                store.add_failure(item, c)
        elif isinstance(item, LinkOnly):
            with store.transaction() as c:
                if store.add_link(item.url, item.source, item.title, item.published, c):
                    report.links += 1
        else:
            chunk.append(item)
            chunk_chars += len(item.text or "") + len(item.html or "")
            if len(chunk) >= CHUNK or chunk_chars >= CHUNK_CHARS:
                flush()
    if chunk:
        flush()
    # A run killed after storing articles but before relinking left them without a story;
    # this run links them even when it adds nothing new.
    if link and (report.added or store.count_unlinked()):
        relink(store, progress=progress)
    return report


def _ingest_chunk(
    raws: list[RawDocument], store: Store, settings: Settings, report: IngestReport
) -> None:
    # Short lines repeated across the corpus are boilerplate; count this chunk's lines first.
    keys = [_short_line_keys(r.text or "") for r in raws]
    with store.transaction() as c:
        for k in keys:
            store.count_lines(k, c)
    repeated = store.repeated_lines()
    order = store.next_ingest_order()
    built: list[Article] = []
    first_new_failure = len(report.failures)
    for raw in raws:
        try:
            article = build_article(raw, repeated, settings, ingest_order=order)
        except DocumentError as exc:
            report.failures.append(DocumentFailure(raw.source, "extract", exc.message))
            continue
        except Exception as exc:  # a bug or a library failure on one document
            report.failures.append(
                DocumentFailure(raw.source, "extract", f"unexpected {type(exc).__name__}: {exc}")
            )
            continue
        if article.id in {a.id for a in built} or store.has_article(article.id):
            report.duplicates.append(article.id)
            continue
        order += 1
        built.append(article)
    with store.transaction() as c:
        for f in report.failures[first_new_failure:]:
            store.add_failure(f, c)
        for a in built:
            if store.add_article(a, c):
                report.added.append(a.id)


def brief_key(articles: Iterable[Article], settings: Settings) -> str:
    """Cache key of a story brief: its members, their links, the code and model versions."""
    h = hashlib.sha1(f"{__version__}|{settings}".encode())
    for a in sorted(articles, key=lambda a: a.id):
        h.update(a.id.encode())
        h.update(json.dumps([r.to_dict() for r in a.relations]).encode())
    return h.hexdigest()


def story_brief(store: Store, story_id: str, settings: Settings | None = None) -> Brief:
    """The brief of one stored story (computed, then cached in the store)."""
    from .brief import build_brief

    settings = settings or get_settings()
    store.story_row(story_id)
    articles = store.articles(story=story_id)
    brief = build_brief(articles, {a.id: story_id for a in articles}, settings=settings)
    return brief


def story_brief_dict(store: Store, story_id: str, settings: Settings | None = None) -> dict[str, Any]:
    """``storyline/brief-v1`` JSON of one stored story, from the cache when still valid."""
    settings = settings or get_settings()
    articles = store.articles(story=story_id)
    key = brief_key(articles, settings)
    cached = store.cached_brief(story_id, key)
    if cached is not None:
        return cached
    data = story_brief(store, story_id, settings).to_dict()
    n_conflicts = sum(1 for s in data["stories"] for f in s["facts"] if f["status"] == "conflict")
    if not store.readonly:
        store.save_brief(story_id, key, data, n_conflicts)
    return data


def store_brief(store: Store, settings: Settings | None = None,
                progress: Progress | None = None) -> Brief:
    """The brief of every story in the store."""
    from .brief import build_brief

    settings = settings or get_settings()
    articles = store.articles()
    if not articles:
        raise NoArticlesError(f"the store {store.path} holds no articles")
    return build_brief(
        articles,
        {a.id: a.story for a in articles},
        settings=settings,
        progress=(lambda i, n: progress("brief", i, n)) if progress else None,
    )


def analyze(
    paths: Sequence[str | Path],
    settings: Settings | None = None,
    progress: Progress | None = None,
    report: IngestReport | None = None,
) -> Brief:
    """Ingest the given paths into a temporary store and brief every story found.

    Raises:
        NoArticlesError: no document yielded an article (the failures say why).
    """
    settings = settings or get_settings()
    with tempfile.TemporaryDirectory(prefix="storyline-") as tmp:
        store = Store(Path(tmp) / "analyze.db")
        try:
            rep = ingest(paths, store, settings, progress)
            if report is not None:
                report.__dict__.update(rep.__dict__)
            if not rep.added:
                reasons = "; ".join(str(f) for f in rep.failures[:5]) or "no input documents"
                raise NoArticlesError(f"no article could be read ({reasons})")
            return store_brief(store, settings, progress)
        finally:
            store.close()


__all__ = ["IngestReport", "analyze", "ingest", "relink", "story_brief", "store_brief", "Story"]
