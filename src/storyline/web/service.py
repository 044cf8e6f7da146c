"""What the web app reads: stories, articles and briefs from the store, briefs cached in memory.

The server reads through one read-only connection per thread, so ``storyline ingest`` can write the
same WAL store from another process and new stories show on the next request. Briefs are computed
on demand (spaCy; seconds for a big story), one at a time, and kept in an in-process cache keyed by
the story's members; when the store file is writable the brief is also saved in the store, which
fills the conflict count that the story list shows.
"""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

from ..errors import StoreError, StoryNotFoundError
from ..models import Article
from ..pipeline import brief_key, story_brief
from ..settings import Settings, get_settings
from ..store import Store

T = TypeVar("T")

#: Stories of the list whose saved brief is loaded to show their coverage (newest first).
LIST_LOAD = 50


class StoreService:
    """Thread-safe read access to one store for the web app.

    Args:
        db: the store file (it must exist; the web app never creates one).
        settings: settings used to compute briefs (default: the active settings).
        cache_size: how many story briefs to keep in memory.
    """

    def __init__(self, db: str | Path, settings: Settings | None = None, cache_size: int = 64) -> None:
        self.db = str(db)
        self.settings = settings or get_settings()
        self.cache_size = cache_size
        self._local = threading.local()
        self._brief_lock = threading.Lock()
        self._cache_lock = threading.Lock()
        self._cache: OrderedDict[tuple[str, str], dict[str, Any]] = OrderedDict()
        self._derived: OrderedDict[tuple[str, str], tuple[str, Any]] = OrderedDict()
        self._writer: Store | None = None
        self.ingest_lock = threading.Lock()

    # -- connections ------------------------------------------------------------------------
    def store(self) -> Store:
        """This thread's read-only connection (opened on first use).

        Raises:
            StoreError: the store file does not exist or cannot be read.
        """
        st: Store | None = getattr(self._local, "store", None)
        if st is None:
            st = Store(self.db, readonly=True)
            self._local.store = st
        return st

    def _write_store(self) -> Store | None:
        # Only the brief cache is written; a read-only file just means briefs stay in memory.
        if self._writer is None:
            try:
                self._writer = Store(self.db)
            except StoreError:
                return None
        return self._writer

    # -- reads ------------------------------------------------------------------------------
    def stories(self) -> list[dict[str, Any]]:
        """Every story row, newest first (see :meth:`story_slice`)."""
        return self.story_slice(0, None)[0]

    def story_slice(self, offset: int, limit: int | None) -> tuple[list[dict[str, Any]], int]:
        """Story rows ``offset`` to ``offset + limit``, newest first, and how many there are.

        Each row: id, title, counts, dates, and from the brief when it is known ``n_conflicts``,
        ``n_outlets`` and ``independent_reports`` (None when it is not).
        """
        st = self.store()
        every = st.stories()
        rows = every[offset : None if limit is None else offset + limit]
        briefed = st.briefed_stories()
        for i, r in enumerate(rows):
            known = self._known_brief(r["id"])
            if known is None and r["id"] in briefed and i < LIST_LOAD:
                known = self._stored_brief(st, r["id"], briefed[r["id"]])
            r["n_outlets"] = r["independent_reports"] = None
            if known is not None:
                r["n_conflicts"] = count_conflicts(known)
                stories: list[dict[str, Any]] = known.get("stories", [])
                cov: dict[str, Any] = (stories[0].get("coverage") if stories else None) or {}
                r["n_outlets"] = len(cov["outlets"]) if "outlets" in cov else None
                r["independent_reports"] = cov.get("independent_reports")
            elif r["id"] not in briefed:
                r["n_conflicts"] = None  # the store's 0 is a default, not a count
        return rows, len(every)

    def story_row(self, story_id: str) -> dict[str, Any]:
        """One story's row without its cached brief blob.

        Raises:
            StoryNotFoundError: no such story.
        """
        row = self.store().story_row(story_id)
        return {k: v for k, v in row.items() if k not in ("brief", "brief_key")}

    def articles(self, story_id: str) -> list[Article]:
        """The articles of one story, in ingest order."""
        return self.store().articles(story=story_id)

    def article(self, article_id: str) -> Article | None:
        """One article, or None."""
        return self.store().get_article(article_id)

    def search(self, query: str, limit: int = 20) -> list[dict[str, Any]]:
        """Full-text search results (id, title, outlet, published, story)."""
        return self.store().search(query, limit)

    # -- briefs -----------------------------------------------------------------------------
    def brief(self, story_id: str) -> dict[str, Any]:
        """The ``storyline/brief-v1`` JSON of one story (computed once per membership).

        Raises:
            StoryNotFoundError: no such story.
        """
        return self.brief_entry(story_id)[1]

    def derived(self, kind: str, story_id: str, build: Callable[[dict[str, Any]], T]) -> T:
        """Something built from a story's brief (a rendered page, serialized JSON), cached until
        the story's membership changes.

        Args:
            kind: a name for what is built (one cache slot per kind and story).
            story_id: the story.
            build: makes the thing from the brief JSON.
        """
        key, data = self.brief_entry(story_id)
        slot = (kind, story_id)
        with self._cache_lock:
            hit = self._derived.get(slot)
            if hit is not None and hit[0] == key:
                self._derived.move_to_end(slot)
                return cast(T, hit[1])
        value = build(data)
        with self._cache_lock:
            self._derived[slot] = (key, value)
            while len(self._derived) > 4 * self.cache_size:
                self._derived.popitem(last=False)
        return value

    def brief_entry(self, story_id: str) -> tuple[str, dict[str, Any]]:
        """The brief's cache key (its members and their links) and the brief JSON."""
        st = self.store()
        links = st.story_links(story_id)  # ids and relations only: cheap on every request
        if not links:
            st.story_row(story_id)  # raises StoryNotFoundError when there is no such story
        key = brief_key(links, self.settings)
        hit = self._cache_get((story_id, key))
        if hit is not None:
            return key, hit
        row = st.story_row(story_id)
        if row.get("brief") and row.get("brief_key") == key:
            data = st.cached_brief(story_id, key)
            if data is not None:
                self._cache_put((story_id, key), data)
                return key, data
        with self._brief_lock:  # spaCy is not shared across threads; one brief at a time
            hit = self._cache_get((story_id, key))
            if hit is not None:
                return key, hit
            data = story_brief(st, story_id, self.settings).to_dict()
            self._cache_put((story_id, key), data)
            writer = self._write_store()
            if writer is not None:
                # A read-only file, or the story merged meanwhile: the memory cache still holds it.
                with contextlib.suppress(StoreError, StoryNotFoundError):
                    writer.save_brief(story_id, key, data, count_conflicts(data))
        return key, data

    def _stored_brief(self, st: Store, story_id: str, stored_key: str) -> dict[str, Any] | None:
        # The brief saved in the store, when it is still current (never computes one).
        key = brief_key(st.story_links(story_id), self.settings)
        if key != stored_key:
            return None
        data = st.cached_brief(story_id, key)
        if data is not None:
            self._cache_put((story_id, key), data)
        return data

    def _known_brief(self, story_id: str) -> dict[str, Any] | None:
        # The newest brief of the story held in memory (it may predate the latest ingest).
        with self._cache_lock:
            for (sid, _), data in reversed(self._cache.items()):
                if sid == story_id:
                    return data
        return None

    def _cache_get(self, key: tuple[str, str]) -> dict[str, Any] | None:
        with self._cache_lock:
            data = self._cache.get(key)
            if data is not None:
                self._cache.move_to_end(key)
            return data

    def _cache_put(self, key: tuple[str, str], data: dict[str, Any]) -> None:
        with self._cache_lock:
            self._cache[key] = data
            self._cache.move_to_end(key)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)

    def warm(self, stop: threading.Event, interval: float = 5.0, max_stories: int = 200) -> None:
        """Compute the briefs of stories whose brief is missing or stale, newest first, until
        ``stop`` is set (run in a background thread, so the story list can show conflict counts
        without the analyst opening each story first)."""
        while not stop.is_set():
            try:
                for row in self.stories()[:max_stories]:
                    if stop.is_set():
                        return
                    self.brief(row["id"])
            except Exception:  # a story that cannot be briefed now; the next round retries
                pass
            finally:
                self._drop_thread_store()
            stop.wait(interval)

    def _drop_thread_store(self) -> None:
        st: Store | None = getattr(self._local, "store", None)
        if st is not None:
            st.close()
            self._local.store = None

    def ingest_files(self, paths: list[Path]) -> dict[str, Any]:
        """Ingest files already saved by the server into the store (one ingest at a time).

        Returns:
            A summary: ids added, duplicates, failures (source, stage, reason), stories touched.
        """
        from ..pipeline import ingest

        with self.ingest_lock, Store(self.db) as st:
            report = ingest([str(p) for p in paths], st, self.settings)
        return {
            "added": report.added,
            "duplicates": report.duplicates,
            "links": report.links,
            "failures": [
                {"source": Path(f.source).name, "stage": f.stage, "reason": f.reason}
                for f in report.failures
            ],
            "stories": sorted(report.stories_touched),
        }


def count_conflicts(brief: dict[str, Any]) -> int:
    """How many facts of a brief have the status ``conflict``."""
    return sum(1 for s in brief.get("stories", []) for f in s.get("facts", []) if f["status"] == "conflict")
