"""The batch stages, as plain classes both engines run: one per shard, one per brief bucket.

A stage is constructed once per worker (the spaCy model loads in ``__init__``) and then called
on task dicts, one unit of work each. ``run(task)`` does the work and returns a small summary
dict; ``__call__(batch)`` is the same over a column batch ``{"task": [json, …]}``, the shape
Ray Data's ``map_batches`` hands to a callable class. Stages never print, never import Ray and
write their outputs through :mod:`.tables` (atomic files, manifest last).
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..clean import repeated_short_lines
from ..errors import DocumentError, DocumentFailure
from ..extract.nlp import DocCache
from ..models import Article
from ..settings import Settings
from ..signals import detect_flags
from . import tables as T

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

#: Ingest order of the i-th article of shard k is ``k * ORDER_STRIDE + i``.
ORDER_STRIDE = 1_000_000
#: Texts per ``nlp.pipe`` batch in the shard step (the NER-only baseline of ``bench speed``
#: uses the same).
SPACY_BATCH = 32


def shard_key(path: Path) -> str:
    """A stable, readable key for an input file: its name and a hash of its resolved path."""
    name = path.name.split(".")[0][:40] or "shard"
    return f"{name}-{hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:10]}"


def peak_rss_mb() -> float:
    """This process's own peak resident memory so far, in MiB.

    Reads ``VmHWM`` on Linux: ``ru_maxrss`` would carry the size of the process that forked
    this one across ``exec`` (a spawned worker would report its driver's peak).
    """
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _entities(doc: Doc) -> list[tuple[int, int, str, str]]:
    return [(e.start_char, e.end_char, e.text, e.label_) for e in doc.ents]


class _Stage:
    """Shared plumbing: a settings object, an output folder and the batch-call shape."""

    def __init__(self, out: str, settings: Settings) -> None:
        self.out = Path(out)
        self.settings = settings

    def run(self, task: dict[str, Any]) -> dict[str, Any]:  # pragma: no cover - abstract
        raise NotImplementedError

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[str]]:
        results = [self.run(json.loads(str(t))) for t in batch["task"]]
        return {"result": [json.dumps(r) for r in results]}


class ShardStage(_Stage):
    """Extract → clean → NER for one input shard; writes its articles and entity mentions.

    Boilerplate lines are learned per shard (short lines repeated in 3+ documents of the shard),
    so a shard's output depends on the shard alone and shards run in any order, anywhere.

    Args:
        out: the run's output folder.
        settings: the run's settings (spaCy model name, cleaning tunables).
        ner: parse every article with spaCy, store the ``Doc`` (:mod:`.docpack`) so the brief
            step does not parse again, and write the entity mentions.
    """

    def __init__(self, out: str, settings: Settings, ner: bool = True) -> None:
        super().__init__(out, settings)
        from ..dedup import DedupIndex

        self.ner = ner
        self.dedup = DedupIndex()  # fingerprints only (``row_of``); nothing is indexed
        self.nlp: Language | None = None
        if ner:
            from ..extract.nlp import load_nlp

            self.nlp = load_nlp(settings.spacy_model)

    def build(self, path: Path, index: int) -> tuple[list[Article], list[DocumentFailure], int]:
        """Read and clean one shard: its articles, per-document failures, duplicates skipped."""
        from ..ingest import RawDocument, read_path
        from ..ingest.build import build_article

        raws: list[RawDocument] = []
        failures: list[DocumentFailure] = []
        for item in read_path(path, self.settings):
            if isinstance(item, DocumentFailure):
                failures.append(item)
            elif isinstance(item, RawDocument):
                raws.append(item)
        repeated = repeated_short_lines(r.text or "" for r in raws)
        articles: list[Article] = []
        seen: set[str] = set()
        duplicates = 0
        for i, raw in enumerate(raws):
            try:
                article = build_article(raw, repeated, self.settings, index * ORDER_STRIDE + i)
            except DocumentError as exc:
                failures.append(DocumentFailure(raw.source, "extract", exc.message))
                continue
            except Exception as exc:  # one document's library failure must not stop the shard
                failures.append(DocumentFailure(
                    raw.source, "extract", f"unexpected {type(exc).__name__}: {exc}"))
                continue
            if article.id in seen:
                duplicates += 1
                continue
            seen.add(article.id)
            articles.append(article)
        return articles, failures, duplicates

    def run(self, task: dict[str, Any]) -> dict[str, Any]:
        """Process one shard task ``{"path", "key", "index", "expect"}``; returns its manifest."""
        cpu0 = time.process_time()
        path, key = Path(task["path"]), task["key"]
        articles, failures, duplicates = self.build(path, int(task["index"]))
        articles.sort(key=lambda a: (T.day_number(a.published), a.ingest_order))
        docs: list[bytes | None] = [None] * len(articles)
        ents: list[dict[str, Any]] = []
        if self.nlp is not None:
            from .docpack import pack

            texts = (a.text for a in articles)
            for i, doc in enumerate(self.nlp.pipe(texts, batch_size=SPACY_BATCH)):
                docs[i] = pack(doc)
                ents.extend(T.entity_rows(articles[i].id, _entities(doc)))
        # per-article work of the link step, done here in parallel: the provenance fingerprint
        # and the source signals (the link step then only looks up and compares)
        rows = [T.article_row(a, key, d, self.dedup.row_of(a), detect_flags(a))
                for a, d in zip(articles, docs, strict=True)]
        files = {
            f"{T.ARTICLES}/{key}.parquet": T.write_parquet(
                rows, T.article_schema(), self.out / T.ARTICLES / f"{key}.parquet"),
            f"{T.ENTITIES}/{key}.parquet": T.write_parquet(
                ents, T.entity_schema(), self.out / T.ENTITIES / f"{key}.parquet"),
        }
        info = dict(task["expect"])
        info.update({
            "files": files,
            "articles": len(articles),
            "duplicates_in_shard": duplicates,
            "failures": [str(f) for f in failures],
        })
        T.write_manifest(self.out, "shards", key, info)
        return {"key": key, "articles": len(articles), "failures": len(failures),
                "peak_rss_mb": round(peak_rss_mb(), 1), "cpu_s": time.process_time() - cpu0,
                "pid": os.getpid()}


class PreparsedDocs(DocCache):
    """A :class:`DocCache` primed with ``Doc`` objects the shard stage already parsed."""

    def put(self, article_id: str, doc: Doc) -> None:
        """Hand over a parsed doc so ``get`` never parses that article again."""
        self._docs[article_id] = doc


class BriefStage(_Stage):
    """Briefs every story of one bucket (stories are bucketed by a hash of their id).

    Reads the bucket's rows from ``links``, the member articles (with their parsed docs) from
    ``articles``, and writes ``briefs/<bucket>.jsonl`` (one ``storyline/brief-v1`` document per
    story, sorted by story id) and ``stories/<bucket>.parquet``.
    """

    def __init__(self, out: str, settings: Settings) -> None:
        super().__init__(out, settings)
        from ..extract.nlp import load_nlp

        self.nlp = load_nlp(settings.spacy_model)

    def load(self, task: dict[str, Any]) -> tuple[list[Article], dict[str, Doc]]:
        """The bucket's articles (relations, flags, story filled) and their parsed docs."""
        import pyarrow.compute as pc
        import pyarrow.dataset as ds

        from .docpack import unpack

        links = ds.dataset([str(self.out / f) for f in task["links"]], format="parquet")
        link_rows = links.to_table(filter=pc.field("bucket") == int(task["bucket"])).to_pylist()
        by_id = {r["id"]: r for r in link_rows}
        shards = ds.dataset([str(self.out / f) for f in task["articles"]], format="parquet")
        columns = [c for c in shards.schema.names if c not in ("dedup", "flags")]  # link's only
        table = shards.to_table(columns=columns, filter=pc.field("id").isin(list(by_id)))
        articles: list[Article] = []
        docs: dict[str, Doc] = {}
        taken: set[str] = set()
        for row in sorted(table.to_pylist(), key=lambda r: (r["day"], r["ingest_order"])):
            if row["id"] in taken:  # the same article in two shards: the first one counts
                continue
            taken.add(row["id"])
            row.update({k: by_id[row["id"]][k] for k in ("story", "relations", "flags")})
            articles.append(T.row_article(row))
            if row["doc"] is not None:
                docs[row["id"]] = unpack(row["doc"], self.nlp.vocab)
        return articles, docs

    def run(self, task: dict[str, Any]) -> dict[str, Any]:
        """Brief one bucket task ``{"bucket", "key", "links", "articles", "expect"}``."""
        from ..brief import brief_story
        from ..models import Brief, Story

        cpu0 = time.process_time()
        articles, parsed = self.load(task)
        groups: dict[str, list[Article]] = {}
        for a in articles:
            groups.setdefault(a.story, []).append(a)
        lines: list[str] = []
        story_rows: list[dict[str, Any]] = []
        for sid in sorted(groups):
            members = groups[sid]
            docs = PreparsedDocs(self.settings.spacy_model)
            for a in members:
                if a.id in parsed:
                    docs.put(a.id, parsed[a.id])
            story = brief_story(Story(id=sid, title="", articles=[a.id for a in members]),
                                members, docs, settings=self.settings)
            data = Brief(articles=members, stories=[story]).to_dict()
            lines.append(json.dumps(data, ensure_ascii=False, sort_keys=True))
            story_rows.append(_story_row(story))
        key = task["key"]
        brief_rel, story_rel = f"{T.BRIEFS}/{key}.jsonl", f"{T.STORIES}/{key}.parquet"
        T.write_text("".join(line + "\n" for line in lines), self.out / brief_rel)
        n = T.write_parquet(story_rows, T.story_schema(), self.out / story_rel)
        info = dict(task["expect"])
        info.update({"files": {brief_rel: len(lines), story_rel: n}, "articles": len(articles)})
        T.write_manifest(self.out, "briefs", key, info)
        return {"key": key, "stories": n, "articles": len(articles),
                "peak_rss_mb": round(peak_rss_mb(), 1), "cpu_s": time.process_time() - cpu0,
                "pid": os.getpid()}


def _story_row(story: Any) -> dict[str, Any]:
    cov = story.coverage or {}
    return {
        "id": story.id, "title": story.title, "articles": len(story.articles),
        "independent_reports": int(cov.get("independent_reports") or 0),
        "outlets": list(cov.get("outlets") or []),
        "first_published": cov.get("first_published"), "last_published": cov.get("last_published"),
        "entities": len(story.entities), "facts": len(story.facts),
        "conflicts": sum(1 for f in story.facts if f.status == "conflict"),
        "timeline": len(story.timeline), "quotes": len(story.quotes),
    }
