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
) -> IngestReport:
    """Read, clean and store every document under ``paths``; link new articles into stories.

    Bad documents are recorded as failures (in the report and the store) and the run goes on.
    Ingesting the same documents twice adds nothing.
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
    if report.added or store.count_unlinked():
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


def relink(store: Store, progress: Progress | None = None) -> set[str]:
    """Recompute provenance relations and story assignments for the stored corpus.

    Returns the ids of stories whose membership changed.
    """
    from .cluster import cluster_articles
    from .dedup import find_relations

    articles = store.articles()
    before = {a.id: (a.story, json.dumps([r.to_dict() for r in a.relations])) for a in articles}
    for a in articles:
        a.relations = []
        a.flags = []
    find_relations(articles)
    if progress:
        progress("cluster", 0, len(articles))
    assignments = _keep_story_ids(cluster_articles(articles, mode="online"), before)
    touched: set[str] = set()
    with store.transaction() as c:
        for a in articles:
            a.story = assignments[a.id]
            old_story, old_rel = before[a.id]
            new_rel = json.dumps([r.to_dict() for r in a.relations])
            if (a.story, new_rel) != (old_story, old_rel) or a.flags:
                store.update_article_links(a, c)
            if a.story != old_story:
                touched.update({a.story, old_story} - {""})
        # Another process may have relinked meanwhile; fix every story row that disagrees.
        for sid in touched | store.stale_stories(c):
            store.refresh_story(sid, c)
    return touched


def _keep_story_ids(
    assignments: dict[str, str], before: dict[str, tuple[str, str]]
) -> dict[str, str]:
    """Keep stored story ids stable as stories grow: a cluster takes the id most of its
    already-stored members had (each old id goes to one cluster at most)."""
    clusters: dict[str, list[str]] = {}
    for aid, label in assignments.items():
        clusters.setdefault(label, []).append(aid)
    taken: set[str] = set()
    rename: dict[str, str] = {}
    for label, members in sorted(clusters.items(), key=lambda kv: -len(kv[1])):
        votes: dict[str, int] = {}
        for aid in members:
            old = before.get(aid, ("", ""))[0]
            if old:
                votes[old] = votes.get(old, 0) + 1
        best = [sid for sid, _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0])) if sid not in taken]
        rename[label] = best[0] if best else label
        taken.add(rename[label])
    return {aid: rename[label] for aid, label in assignments.items()}


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
