"""The global steps of a batch run, blocked so none holds the whole corpus in memory.

Provenance (:func:`storyline.dedup.find_relations`, MinHash LSH inside) runs per *time block*
of ``Settings.batch_window_days`` days of publication: copies are published close together, so
a block plus the ``batch_overlap_days`` before it sees every copy pair whose dates lie within
the overlap of each other. A relation is kept only by the block that is *home* to the article
carrying it (the later one), so a pair in the overlap is never counted twice.

Story clustering streams the blocks in date order through one
:class:`~storyline.cluster.OnlineClusterer`, whose state is bounded (hashed document
frequencies, at most ``cluster_max_open`` open stories, a time window), so the whole corpus is
never held either. Undated articles form a last block in ingest order.

Each block's result (story and relations of its home articles) is written as one Parquet part
under ``links/``, with a story bucket used to spread the briefs over workers.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..settings import Settings
from . import tables as T

#: Columns the link step reads (everything but the parsed doc).
_COLUMNS = ["id", "source", "text", "title", "outlet", "author", "published", "language",
            "url", "format", "removed", "ingest_order", "day", "dedup", "flags"]


def bucket_of(story_id: str, buckets: int) -> int:
    """The brief bucket of a story: a stable hash of its id."""
    return zlib.crc32(story_id.encode()) % max(1, buckets)


def bucket_count(n_articles: int, settings: Settings) -> int:
    """How many brief buckets a corpus of ``n_articles`` is split into."""
    return max(1, -(-n_articles // max(1, settings.batch_bucket_articles)))


def blocks(days: list[int], settings: Settings) -> list[tuple[int, int]]:
    """Home day ranges ``[lo, hi)`` of the time blocks that hold the given days, in order.

    The undated articles (``day == UNDATED``) get a last block of their own.
    """
    width = max(1, settings.batch_window_days)
    starts = sorted({d // width for d in days if d != T.UNDATED})
    out = [(s * width, (s + 1) * width) for s in starts]
    if T.UNDATED in days:
        out.append((T.UNDATED, T.UNDATED + 1))
    return out


def _read_block(files: list[Path], lo: int, hi: int) -> list[dict[str, Any]]:
    import pyarrow.compute as pc
    import pyarrow.dataset as ds

    data = ds.dataset([str(f) for f in files], format="parquet")
    flt = (pc.field("day") >= lo) & (pc.field("day") < hi)
    rows = data.to_table(columns=_COLUMNS, filter=flt).to_pylist()
    rows.sort(key=lambda r: (r["day"], r["ingest_order"]))
    unique: dict[str, dict[str, Any]] = {}
    for r in rows:  # the same article in two shards: the first one counts
        unique.setdefault(r["id"], r)
    return list(unique.values())


def link_blocks(
    files: list[Path], settings: Settings, buckets: int
) -> Iterator[tuple[tuple[int, int], list[dict[str, Any]]]]:
    """Provenance and story of every article, one time block at a time.

    Args:
        files: the ``articles`` Parquet files of the run.
        settings: window, overlap and clustering tunables.
        buckets: number of brief buckets (see :func:`bucket_count`).

    Yields:
        ``((lo, hi), rows)`` per block: ``links`` rows (id, story, bucket, relations, flags)
        of the articles whose ``day`` lies in ``[lo, hi)``.
    """
    import pyarrow.dataset as ds

    from ..cluster import OnlineClusterer, arrival_order
    from ..dedup import find_relations
    from ..signals import detect_flags

    days = ds.dataset([str(f) for f in files], format="parquet").to_table(columns=["day"])
    clusterer = OnlineClusterer(settings)
    for lo, hi in blocks(sorted(set(days.column("day").to_pylist())), settings):
        dated = lo != T.UNDATED
        overlap = max(0, settings.batch_overlap_days) if dated else 0
        rows = _read_block(files, lo - overlap, hi)
        articles = [T.row_article(r) for r in rows]
        # fingerprints and flags come from the shard step (in parallel); only the look-ups and
        # the comparisons of candidate pairs are left here
        prints = {r["id"]: json.loads(r["dedup"]) for r in rows if r["dedup"] is not None}
        find_relations(articles, rows=prints, flags=False)
        for a, r in zip(articles, rows, strict=True):
            if r["flags"] is None:  # not detected in the shard step
                a.flags = detect_flags(a)
        home = [a for a, r in zip(articles, rows, strict=True) if r["day"] >= lo]
        ordered = arrival_order(home) if dated else sorted(home, key=lambda a: a.ingest_order)
        stories = clusterer.assign(ordered)  # every article decided by the block's end
        out = [{
            "id": a.id, "story": stories[a.id], "bucket": bucket_of(stories[a.id], buckets),
            "relations": json.dumps([r.to_dict() for r in a.relations]),
            "flags": T.flags_json(a.flags),
        } for a in ordered]
        yield (lo, hi), out


def run_link(
    out: Path,
    files: list[str],
    n_articles: int,
    settings: Settings,
    expect: dict[str, Any],
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Run the link step over the run's article files and write ``links/`` plus its manifest.

    Args:
        out: the output folder.
        files: ``articles`` files, relative to ``out``.
        n_articles: articles in those files (sets the bucket count).
        settings: the run's settings.
        expect: what the manifest must record for a later run to reuse the result.
        progress: called with the number of articles linked so far.

    Returns:
        The manifest written (``files``, ``buckets``, ``blocks``, ``stories``).
    """
    T.manifest_path(out, "link", "link").unlink(missing_ok=True)  # not done until rewritten
    buckets = bucket_count(n_articles, settings)
    written: dict[str, int] = {}
    stories: set[str] = set()
    done = 0
    old = {p.name for p in (out / T.LINKS).glob("*.parquet")} if (out / T.LINKS).is_dir() else set()
    for (lo, _hi), rows in link_blocks([out / f for f in files], settings, buckets):
        name = "undated.parquet" if lo == T.UNDATED else f"d{lo:07d}.parquet"
        written[f"{T.LINKS}/{name}"] = T.write_parquet(rows, T.link_schema(), out / T.LINKS / name)
        stories.update(r["story"] for r in rows)
        done += len(rows)
        if progress:
            progress(done)
    for stale in old - {Path(f).name for f in written}:
        (out / T.LINKS / stale).unlink(missing_ok=True)
    info = dict(expect)
    info.update({"files": written, "buckets": buckets, "stories": len(stories),
                 "articles": done})
    T.write_manifest(out, "link", "link", info)
    return info


def story_sizes(out: Path, link_files: list[str]) -> dict[str, int]:
    """Articles per story, read back from ``links`` (for reports)."""
    import pyarrow.dataset as ds

    table = ds.dataset([str(out / f) for f in link_files], format="parquet").to_table(
        columns=["story"])
    sizes: dict[str, int] = {}
    for s in table.column("story").to_pylist():
        sizes[s] = sizes.get(s, 0) + 1
    return sizes


__all__ = ["blocks", "bucket_count", "bucket_of", "link_blocks", "run_link",
           "story_sizes"]
