"""Parquet tables of a batch run: schemas, row conversion, atomic writes and completion manifests.

Nothing a later step reads is ever half-written: every file is written under a hidden temporary
name in its final folder and renamed into place (``os.replace`` is atomic on one file system),
and a unit of work (a shard, the link step, a brief bucket) counts as done only when its
manifest exists, lists its files, and those files hold the row counts the manifest records.
The manifest is written last, so an interrupted run leaves either a complete unit or none.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..cluster.batch import day_of
from ..models import Article, Flag, Relation, RemovedLine, Span

if TYPE_CHECKING:
    import pyarrow as pa

#: Version of the ``articles`` columns; a shard written with another is run again.
#: 2: ``dedup`` (the provenance fingerprint) and ``flags`` (source signals), computed per shard.
ARTICLES_FORMAT = 2

#: ``day`` of an undated article: after every real date, so undated articles sort last.
UNDATED = 2**31 - 1

#: Folders under the output directory.
ARTICLES, ENTITIES, LINKS, BRIEFS, STORIES, MANIFESTS = (
    "articles", "entities", "links", "briefs", "stories", "_manifests",
)


def day_number(published: str | None) -> int:
    """The proleptic ordinal of an ISO date, or :data:`UNDATED`."""
    day = day_of(published)
    return UNDATED if day is None else day


def article_schema() -> pa.Schema:
    """Columns of ``articles/*.parquet`` (one row per cleaned article)."""
    import pyarrow as pa

    s = pa.string()
    return pa.schema([
        ("id", s), ("shard", s), ("source", s), ("text", s), ("title", s), ("outlet", s),
        ("author", s), ("published", s), ("language", s), ("url", s), ("format", s),
        ("removed", s), ("ingest_order", pa.int64()), ("day", pa.int32()), ("doc", pa.binary()),
        ("dedup", s), ("flags", s),
    ])


def entity_schema() -> pa.Schema:
    """Columns of ``entities/*.parquet`` (one row per named-entity mention)."""
    import pyarrow as pa

    return pa.schema([
        ("article", pa.string()), ("start", pa.int32()), ("end", pa.int32()),
        ("text", pa.string()), ("label", pa.string()),
    ])


def link_schema() -> pa.Schema:
    """Columns of ``links/*.parquet`` (provenance and story of every article)."""
    import pyarrow as pa

    return pa.schema([
        ("id", pa.string()), ("story", pa.string()), ("bucket", pa.int32()),
        ("relations", pa.string()), ("flags", pa.string()),
    ])


def story_schema() -> pa.Schema:
    """Columns of ``stories/*.parquet`` (one row per story)."""
    import pyarrow as pa

    return pa.schema([
        ("id", pa.string()), ("title", pa.string()), ("articles", pa.int32()),
        ("independent_reports", pa.int32()), ("outlets", pa.list_(pa.string())),
        ("first_published", pa.string()), ("last_published", pa.string()),
        ("entities", pa.int32()), ("facts", pa.int32()), ("conflicts", pa.int32()),
        ("timeline", pa.int32()), ("quotes", pa.int32()),
    ])


def article_row(article: Article, shard: str, doc: bytes | None,
                dedup: dict[str, Any] | None = None, flags: list[Flag] | None = None
                ) -> dict[str, Any]:
    """One ``articles`` row (``raw_text`` is not kept: ``removed`` records what cleaning cut).

    Args:
        article: the cleaned article.
        shard: the shard key.
        doc: the packed spaCy doc (:mod:`.docpack`), or None without NER.
        dedup: its provenance fingerprint (:meth:`storyline.dedup.DedupIndex.row_of`), or None
            to leave it to the link step.
        flags: its source signals (:func:`storyline.signals.detect_flags`), or None to leave
            them to the link step.
    """
    return {
        "id": article.id, "shard": shard, "source": article.source, "text": article.text,
        "title": article.title, "outlet": article.outlet, "author": article.author,
        "published": article.published, "language": article.language, "url": article.url,
        "format": article.format,
        "removed": json.dumps([r.to_dict() for r in article.removed], ensure_ascii=False),
        "ingest_order": article.ingest_order, "day": day_number(article.published), "doc": doc,
        "dedup": None if dedup is None else json.dumps(dedup, separators=(",", ":")),
        "flags": None if flags is None else flags_json(flags),
    }


def flags_json(flags: list[Flag]) -> str:
    """Flags as the JSON the ``articles`` and ``links`` tables hold."""
    return json.dumps([f.to_dict() for f in flags], ensure_ascii=False)


def row_article(row: dict[str, Any]) -> Article:
    """Rebuild an :class:`Article` from an ``articles`` row (and ``links`` columns when joined)."""
    article = Article(
        id=row["id"], source=row["source"], text=row["text"], title=row.get("title"),
        outlet=row.get("outlet"), author=row.get("author"), published=row.get("published"),
        language=row.get("language"), url=row.get("url"), format=row.get("format") or "text",
        removed=[RemovedLine(**r) for r in json.loads(row.get("removed") or "[]")],
        ingest_order=int(row.get("ingest_order") or 0), story=row.get("story") or "",
    )
    article.relations = [Relation(**r) for r in json.loads(row.get("relations") or "[]")]
    article.flags = [
        Flag(f["code"], f["message"], [Span(**s) for s in f["evidence"]])
        for f in json.loads(row.get("flags") or "[]")
    ]
    return article


def entity_rows(article_id: str, ents: Iterable[tuple[int, int, str, str]]) -> list[dict[str, Any]]:
    """``entities`` rows from ``(start_char, end_char, text, label)`` tuples."""
    return [
        {"article": article_id, "start": s, "end": e, "text": t, "label": lab}
        for s, e, t, lab in ents
    ]


def _tmp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")


def write_parquet(rows: list[dict[str, Any]], schema: pa.Schema, path: Path,
                  row_group_size: int = 2000) -> int:
    """Write rows atomically (temporary name, then rename); returns the row count."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pylist(rows, schema=schema)
    tmp = _tmp_name(path)
    try:
        pq.write_table(table, tmp, row_group_size=row_group_size, compression="zstd")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return table.num_rows


def write_text(text: str, path: Path) -> None:
    """Write a text file atomically (temporary name, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp_name(path)
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def parquet_rows(path: Path) -> int | None:
    """Row count from a Parquet footer, or None when the file is missing or unreadable."""
    import pyarrow.parquet as pq

    try:
        return int(pq.ParquetFile(path).metadata.num_rows)
    except (OSError, ValueError, Exception):  # a truncated footer raises ArrowInvalid
        return None


def manifest_path(out: Path, kind: str, key: str) -> Path:
    """Where the manifest of one unit of work lives."""
    return out / MANIFESTS / kind / f"{key}.json"


def write_manifest(out: Path, kind: str, key: str, info: dict[str, Any]) -> None:
    """Mark a unit of work complete; ``info["files"]`` maps relative paths to row counts."""
    write_text(json.dumps(info, sort_keys=True, indent=1), manifest_path(out, kind, key))


def read_manifest(out: Path, kind: str, key: str) -> dict[str, Any] | None:
    """A unit's manifest when it exists and is readable, else None."""
    try:
        data: dict[str, Any] = json.loads(manifest_path(out, kind, key).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data


def complete(out: Path, manifest: dict[str, Any] | None, expect: dict[str, Any]) -> bool:
    """Whether a manifest matches what this run expects and every file it lists is whole.

    Args:
        out: the output folder.
        manifest: from :func:`read_manifest` (None: not done).
        expect: keys the manifest must hold with equal values (input size, settings, …).
    """
    if manifest is None or any(manifest.get(k) != v for k, v in expect.items()):
        return False
    for rel, rows in manifest.get("files", {}).items():
        path = out / rel
        if rel.endswith(".parquet"):
            if parquet_rows(path) != rows:
                return False
        elif not path.is_file() or _count_lines(path) != rows:
            return False
    return True


def _count_lines(path: Path) -> int:
    with path.open("rb") as fh:
        return sum(1 for _ in fh)


def digest(parts: Iterable[str]) -> str:
    """A short stable hash of strings (used to key a step on the units it read)."""
    h = hashlib.sha1()
    for p in parts:
        h.update(p.encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()[:16]
