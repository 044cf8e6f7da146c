"""Keeps provenance relations and story assignments current as articles arrive in the store.

An ingest adds articles without a story; :func:`relink` then links them. Normally it is
incremental: the near-duplicate index (:class:`~storyline.dedup.DedupIndex`, one row per
article in the ``dedup_rows`` table, found through its look-up keys in ``dedup_keys``) and the
online clusterer (:class:`~storyline.cluster.OnlineClusterer`, one blob in the ``state``
table) are restored, the new articles are checked against them and assigned to stories, and
the updated state is written back — in the same transaction as the assignments, so the state always describes
exactly the linked articles. Only the stored rows a new article can relate to are read back
(those sharing its exact hash, an LSH band or its byline), so an ingest costs the same in a
store of a thousand articles as in one of a million. Stored articles are never re-clustered; an older article only
changes when a newly arrived one turns out to be its original (the relation sits on the later
of the two).

The whole corpus is recomputed instead (``full``) when there is no usable state: a store
written by an older version, settings of the clustering or provenance stages that changed,
state that does not match the linked articles (``storyline doctor --fix`` clears every
assignment), or ``relink(store, full=True)``. A full pass keeps story ids stable: a story
takes the id most of its already-stored members had.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from . import __version__
from .models import Article
from .settings import Settings, get_settings
from .store import Store

Progress = Callable[[str, int, int | None], None]


def _link_progress(progress: Progress | None, total: int) -> Callable[[int], None] | None:
    """The ``link`` step's progress reporter for :meth:`OnlineClusterer.assign`."""
    if progress is None:
        return None
    return lambda done: progress("link", done, total)


#: Name of the state row that describes the persisted link state.
STATE_META = "linker"
#: Name of the state row holding the online clusterer.
STATE_CLUSTERER = "clusterer"
#: Version of the layout of the link state; a different stored one forces a full pass.
STATE_VERSION = 2
#: Look-up keys read per SQL query (under SQLite's limit on bound parameters).
_KEYS_PER_QUERY = 500

#: An index row's look-up keys: match keys (exact hash, LSH bands) and byline keys.
_Keys = tuple[list[int], list[int]]


class _Restored(NamedTuple):
    """What an incremental link starts from."""

    index: Any  # DedupIndex holding the stored rows the new articles can relate to
    clusterer: Any  # OnlineClusterer
    renames: dict[str, str]
    #: The new articles' index rows and look-up keys, by article id (computed once).
    fingerprints: dict[str, dict[str, Any]]
    lookups: dict[str, _Keys]


def state_fingerprint(settings: Settings) -> str:
    """Hash of everything the persisted state depends on: the code's version and the
    settings of clustering and provenance. State saved under another fingerprint is unusable."""
    from .dedup import DedupConfig

    parts = {
        "version": __version__,
        "layout": STATE_VERSION,
        "cluster": {k: v for k, v in dataclasses.asdict(settings).items() if k.startswith("cluster_")},
        "dedup": dataclasses.asdict(DedupConfig()),
    }
    return hashlib.sha1(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:16]


def relink(
    store: Store,
    progress: Progress | None = None,
    full: bool = False,
    settings: Settings | None = None,
) -> set[str]:
    """Link every article without a story: provenance relations, flags and story.

    Args:
        store: the store (written in one transaction).
        progress: called with ``("link", done, total)``.
        full: recompute relations and stories of the whole corpus instead of going
            incrementally (also chosen automatically when the stored state is unusable).
        settings: tunables; the process settings when omitted.

    Returns:
        The ids of stories whose membership changed.
    """
    settings = settings or get_settings()
    with store.transaction() as c:
        new = store.articles(unlinked=True)
        restored = None if full else _restore(store, c, settings, new, progress)
        if restored is None:
            return _full(store, c, settings, progress)
        return _incremental(store, c, settings, restored, new, progress)


# --- incremental -----------------------------------------------------------------------------


def state_problem(c: sqlite3.Connection, settings: Settings) -> str | None:
    """Why the persisted link state cannot be used (the next link is a full pass), or None."""
    return _checked_meta(c, settings)[0]


def _checked_meta(c: sqlite3.Connection, settings: Settings) -> tuple[str | None, dict[str, Any]]:
    """:func:`state_problem` and the state's meta record (read once)."""
    n_linked = int(c.execute("SELECT COUNT(*) FROM articles WHERE story != ''").fetchone()[0])
    if n_linked == 0:
        return None, {}
    meta_raw = _get_state(c, STATE_META)
    has_clusterer = c.execute("SELECT 1 FROM state WHERE name = ?", (STATE_CLUSTERER,)).fetchone()
    if meta_raw is None or not has_clusterer:
        return "there is no persisted link state (a store written by an older version)", {}
    try:
        meta = json.loads(meta_raw)
    except ValueError:
        return "the persisted link state is damaged", {}
    if not isinstance(meta, dict):
        return "the persisted link state is damaged", {}
    if meta.get("fingerprint") != state_fingerprint(settings):
        return ("the link state was saved by another version or under other clustering or "
                "provenance settings"), meta
    n_rows = int(c.execute("SELECT COUNT(*) FROM dedup_rows").fetchone()[0])
    if n_rows != n_linked or int(meta.get("linked", -1)) != n_linked:
        return f"the link state covers {n_rows} article(s) but {n_linked} are linked", meta
    n_keyed = int(c.execute("SELECT COUNT(*) FROM dedup_keys WHERE kind = 0").fetchone()[0])
    if n_keyed != n_rows:
        return (f"the near-duplicate index has look-up keys for {n_keyed} of its {n_rows} "
                "article(s)"), meta
    return None, meta


def _restore(
    store: Store, c: sqlite3.Connection, settings: Settings, new: list[Article],
    progress: Progress | None = None,
) -> _Restored | None:
    """The part of the persisted index the ``new`` articles can relate to, the clusterer, the
    story renames and the new articles' fingerprint rows, or None when the state cannot be
    used. Reports ``("restore", rows read back, rows stored)`` to ``progress``."""
    from .cluster import OnlineClusterer
    from .dedup import DedupIndex

    problem, meta = _checked_meta(c, settings)
    if problem is not None or not meta:  # no meta: nothing linked yet, a full pass is as cheap
        return None
    blob = _get_state(c, STATE_CLUSTERER)
    if blob is None:  # _checked_meta found it; another writer removed it
        return None
    if _indexed(c, [a.id for a in new]):  # rows without an assignment: the state is off
        return None
    try:
        probe = DedupIndex()
        fingerprints = {a.id: probe.row_of(a) for a in new}
        lookups: dict[str, _Keys] = {}
        rows = _candidate_rows(c, probe, list(fingerprints.values()), lookups)
        if progress:
            stored = int(c.execute("SELECT COUNT(*) FROM dedup_rows").fetchone()[0])
            progress("restore", len(rows), stored)
        index = DedupIndex.from_rows(rows)
        clusterer = OnlineClusterer.from_bytes(blob, settings)
    except Exception:  # state from another version or damaged: recompute everything
        return None
    return _Restored(index, clusterer, dict(meta.get("renames", {})), fingerprints, lookups)


def _candidate_rows(
    c: sqlite3.Connection, index: Any, rows: list[dict[str, Any]], lookups: dict[str, _Keys]
) -> list[dict[str, Any]]:
    """Stored index rows that share an exact hash or an LSH band with one of ``rows``, and
    each byline's most recent pieces, in the order they were indexed (as a full restore
    would insert them: every relation the full index could find is found). The look-up keys
    of ``rows`` are added to ``lookups`` (by article id) so they are computed once."""
    from .dedup import DedupConfig

    match: set[int] = set()
    authors: set[int] = set()
    for row in rows:
        keys, author_keys = lookups.setdefault(row["id"], index.lookup_keys(row))
        match.update(keys)
        authors.update(author_keys)
    ids = {r[0] for r in _select_in(c, "SELECT id FROM dedup_keys WHERE kind IN (0, 1) AND key IN",
                                    sorted(match))}
    for key in sorted(authors):
        ids.update(r[0] for r in c.execute(
            "SELECT k.id FROM dedup_keys k JOIN dedup_rows r ON r.id = k.id "
            "WHERE k.kind = 2 AND k.key = ? ORDER BY r.seq DESC LIMIT ?",
            (key, DedupConfig().max_same_author)))
    found = _select_in(c, "SELECT seq, data FROM dedup_rows WHERE id IN", sorted(ids))
    return [json.loads(data) for _, data in sorted(found, key=lambda t: int(t[0]))]


def _indexed(c: sqlite3.Connection, ids: list[str]) -> bool:
    return any(True for _ in _select_in(c, "SELECT id FROM dedup_rows WHERE id IN", ids))


def _select_in(c: sqlite3.Connection, sql: str, values: list[Any]) -> Iterator[tuple[Any, ...]]:
    """Rows of ``sql`` + ``(?, ?, …)`` over ``values``, a bounded number of parameters per query."""
    for i in range(0, len(values), _KEYS_PER_QUERY):
        chunk = values[i : i + _KEYS_PER_QUERY]
        yield from c.execute(f"{sql} ({','.join('?' * len(chunk))})", chunk)


def _write_rows(
    c: sqlite3.Connection, index: Any, rows: list[dict[str, Any]],
    lookups: dict[str, _Keys] | None = None,
) -> None:
    """Persist index rows and their look-up keys (exact hash 0, LSH bands 1, byline 2); keys
    already computed are taken from ``lookups``."""
    c.executemany("INSERT INTO dedup_rows (id, data) VALUES (?, ?)",
                  [(r["id"], json.dumps(r)) for r in rows])
    keyed: list[tuple[int, int, str]] = []
    for r in rows:
        known = lookups.get(r["id"]) if lookups else None
        keys, author_keys = known if known is not None else index.lookup_keys(r)
        keyed.append((0, keys[0], r["id"]))
        keyed.extend((1, k, r["id"]) for k in keys[1:])
        keyed.extend((2, k, r["id"]) for k in author_keys)
    c.executemany("INSERT INTO dedup_keys (kind, key, id) VALUES (?, ?, ?)", keyed)


def _incremental(
    store: Store,
    c: sqlite3.Connection,
    settings: Settings,
    restored: _Restored,
    new: list[Article],
    progress: Progress | None,
) -> set[str]:
    from .cluster import arrival_order
    from .dedup import order_key
    from .signals import detect_flags

    index, clusterer, renames, fingerprints, lookups = restored
    if not new:
        return _refresh(store, c, set())
    changed: dict[str, Article] = {a.id: a for a in new}
    touched: set[str] = set()
    for article in sorted(new, key=order_key):
        for link in index.add(article, fingerprints.get(article.id)):
            carrier = changed.get(link.article) or store.get_article(link.article)
            if carrier is None:
                continue
            if not any(r.type == link.relation.type and r.article == link.relation.article
                       for r in carrier.relations):
                carrier.relations.append(link.relation)
            changed[carrier.id] = carrier
    ordered = arrival_order(new)
    for article in ordered:
        known = {f.code for f in article.flags}
        article.flags.extend(f for f in detect_flags(article) if f.code not in known)
    clusterer.remember(_stored_originals(store, new, changed, renames))
    # each decided once `cluster_online_delay` more arrived; the ingest ends with all in a story
    labels = clusterer.assign(ordered, _link_progress(progress, len(ordered)))
    for article in ordered:
        article.story = renames.get(labels[article.id], labels[article.id])
        touched.add(article.story)
    for article in changed.values():
        store.update_article_links(article, c)
    _write_rows(c, index, index.to_rows(a.id for a in ordered), lookups)
    _save(store, c, settings, clusterer, renames)
    return _refresh(store, c, touched)


def _stored_originals(
    store: Store, new: list[Article], loaded: dict[str, Article], renames: dict[str, str]
) -> dict[str, str]:
    """The clusterer's story of each stored article a new one copies (so the copy joins it)."""
    from .cluster.copies import copy_targets

    new_ids = {a.id for a in new}
    internal = {stored: label for label, stored in renames.items()}
    found: dict[str, str] = {}
    for article in new:
        for target in copy_targets(article):
            if target in new_ids or target in found:
                continue
            original = loaded.get(target) or store.get_article(target)
            if original is not None and original.story:
                found[target] = internal.get(original.story, original.story)
    return found


# --- full ------------------------------------------------------------------------------------


def _full(store: Store, c: sqlite3.Connection, settings: Settings, progress: Progress | None) -> set[str]:
    from .cluster import OnlineClusterer, arrival_order
    from .dedup import DedupIndex, apply_links, order_key
    from .signals import detect_flags

    articles = store.articles()
    before = {a.id: (a.story, _links_json(a)) for a in articles}
    index = DedupIndex()
    clusterer = OnlineClusterer(settings)
    links = []
    for a in sorted(articles, key=order_key):
        a.relations = []
        links.extend(index.add(a))
    apply_links(articles, links)  # before clustering: copies follow their originals' stories
    ordered = arrival_order(articles)
    for a in ordered:
        a.flags = detect_flags(a)
    labels = clusterer.assign(ordered, _link_progress(progress, len(ordered)))
    assignments = keep_story_ids(labels, before)
    renames = {labels[aid]: sid for aid, sid in assignments.items() if labels[aid] != sid}
    touched: set[str] = set()
    for a in articles:
        a.story = assignments[a.id]
        old_story, old_links = before[a.id]
        if (a.story, _links_json(a)) != (old_story, old_links):
            store.update_article_links(a, c)
        if a.story != old_story:
            touched.update({a.story, old_story} - {""})
    c.execute("DELETE FROM dedup_rows")
    c.execute("DELETE FROM dedup_keys")
    _write_rows(c, index, index.to_rows())
    _save(store, c, settings, clusterer, renames)
    return _refresh(store, c, touched)


def keep_story_ids(assignments: dict[str, str], before: dict[str, tuple[str, str]]) -> dict[str, str]:
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


# --- shared ----------------------------------------------------------------------------------


def _links_json(a: Article) -> str:
    return json.dumps([[r.to_dict() for r in a.relations], [f.to_dict() for f in a.flags]])


def _get_state(c: sqlite3.Connection, name: str) -> bytes | None:
    row = c.execute("SELECT data FROM state WHERE name = ?", (name,)).fetchone()
    return bytes(row[0]) if row else None


def _save(store: Store, c: sqlite3.Connection, settings: Settings, clusterer: Any,
          renames: dict[str, str]) -> None:
    open_ids = set(clusterer.open_stories())
    linked = int(c.execute("SELECT COUNT(*) FROM articles WHERE story != ''").fetchone()[0])
    meta = {
        "fingerprint": state_fingerprint(settings),
        "linked": linked,
        # only stories that can still grow need their stored name remembered
        "renames": {k: v for k, v in renames.items() if k in open_ids},
    }
    store.set_state(STATE_META, json.dumps(meta).encode(), c)
    store.set_state(STATE_CLUSTERER, clusterer.to_bytes(), c)


def _refresh(store: Store, c: sqlite3.Connection, touched: set[str]) -> set[str]:
    # Rows another process left inconsistent are fixed too.
    for sid in touched | store.stale_stories(c):
        store.refresh_story(sid, c)
    return touched


__all__ = ["keep_story_ids", "relink", "state_fingerprint", "state_problem"]
