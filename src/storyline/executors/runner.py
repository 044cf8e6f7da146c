"""The plan of a batch run, shared by both engines: shards → link → briefs, skipping done work.

1. **Shards** (parallel, streaming): each input file is one shard; :class:`.stages.ShardStage`
   extracts, cleans and parses it and writes ``articles/`` and ``entities/`` Parquet. A shard
   whose manifest matches this run (same file size and mtime, same settings, same position,
   same NER choice) and whose files are whole is skipped.
2. **Link** (global, blocked by time window; in the driver): provenance and stories, written to
   ``links/`` (see :mod:`.link`). Rerun only when the shards it read changed.
3. **Briefs** (parallel): stories are hashed into buckets; :class:`.stages.BriefStage` briefs
   one bucket and writes ``briefs/<bucket>.jsonl`` and ``stories/<bucket>.parquet``.

An engine only has to map a stage class over task dicts (:class:`Engine`); everything else,
including what counts as done, lives here, so the local and the Ray engine produce the same
files from the same input.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from .. import __version__
from ..errors import DocumentFailure, UsageError
from ..settings import Settings, get_settings
from . import ENGINES
from . import tables as T
from .link import run_link
from .stages import BriefStage, ShardStage, peak_rss_mb, shard_key

Progress = Callable[[str, int, int | None], None]


class Engine(Protocol):
    """What an executor provides: map a stage class over tasks on ``workers`` workers."""

    workers: int

    def map(self, stage: type, kwargs: dict[str, Any], tasks: list[dict[str, Any]]
            ) -> list[dict[str, Any]]:
        """Run ``stage(**kwargs).run(task)`` for every task (one stage per worker)."""
        ...

    def close(self) -> None:
        """Release the workers."""
        ...


def make_engine(name: str, workers: int, address: str | None = None) -> Engine:
    """Build the named engine (``local`` or ``ray``).

    Raises:
        UsageError: unknown engine, or Ray requested but not installed.
    """
    if name not in ENGINES:
        raise UsageError(f"unknown engine {name!r}; expected one of {', '.join(ENGINES)}")
    if workers < 1:
        raise UsageError("--workers must be at least 1")
    module = importlib.import_module(ENGINES[name])
    engine: Engine = module.make_engine(workers, address)
    return engine


@dataclass
class BatchReport:
    """What a batch run did, with per-step wall times (seconds) and peak memory (MiB)."""

    shards: int = 0
    shards_run: int = 0
    articles: int = 0
    failures: list[str] = field(default_factory=list)
    stories: int = 0
    buckets: int = 0
    buckets_run: int = 0
    link_reused: bool = False
    seconds: dict[str, float] = field(default_factory=dict)
    #: CPU seconds per step, summed over workers (independent of other load on the machine).
    cpu_seconds: dict[str, float] = field(default_factory=dict)
    #: Peak RSS of any shard worker, of any brief worker, and of the driver (link step).
    peak_rss_mb: dict[str, float] = field(default_factory=dict)
    #: CPU seconds per worker process and step (largest first): how evenly work was spread.
    worker_cpu_seconds: dict[str, list[float]] = field(default_factory=dict)


def discover_shards(inputs: Sequence[str | Path]) -> tuple[list[Path], list[DocumentFailure]]:
    """Input files (sorted, so shard positions are stable) and paths that matched nothing."""
    from ..ingest import discover

    files: list[Path] = []
    missing: list[DocumentFailure] = []
    for item in discover(inputs):
        (missing if isinstance(item, DocumentFailure) else files).append(item)  # type: ignore[arg-type]
    return sorted(files, key=str), missing


def run_batch(
    inputs: Sequence[str | Path],
    output: str | Path,
    engine: Engine,
    ner: bool = True,
    briefs: bool = True,
    settings: Settings | None = None,
    progress: Progress | None = None,
) -> BatchReport:
    """Run (or resume) a batch over sharded input; returns what was done.

    Args:
        inputs: files, folders or globs of JSONL(.gz), WARC(.gz) or any format ``ingest`` reads;
            every file is one shard.
        output: the output folder (created; reused by a re-run, which skips finished work).
        engine: where the shard and brief stages run (see :func:`make_engine`).
        ner: parse articles in the shard step (briefs then reuse the parsed docs).
        briefs: run the brief step (off: stop after ``links/``).
        settings: the run's settings; the process settings when omitted.
        progress: called as ``progress(step, done, total)``.

    Raises:
        UsageError: no input file was found.
    """
    settings = settings or get_settings()
    out = Path(output)
    out.mkdir(parents=True, exist_ok=True)
    report = BatchReport()
    files, missing = discover_shards(inputs)
    report.failures.extend(str(m) for m in missing)
    if not files:
        raise UsageError("no input file found under " + ", ".join(str(i) for i in inputs))
    setting_key = T.digest([repr(settings), __version__])
    tasks, keys = [], []
    for index, path in enumerate(files):
        key = shard_key(path)
        st = path.stat()
        expect = {"input": str(path.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns,
                  "index": index, "ner": ner, "settings": setting_key,
                  "format": T.ARTICLES_FORMAT}
        keys.append(key)
        if not T.complete(out, T.read_manifest(out, "shards", key), expect):
            tasks.append({"path": str(path), "key": key, "index": index, "expect": expect})
    report.shards, report.shards_run = len(files), len(tasks)
    t0 = time.perf_counter()
    if tasks:
        if progress:
            progress("shards", 0, len(tasks))
        results = engine.map(ShardStage, {"out": str(out), "settings": settings, "ner": ner}, tasks)
        report.peak_rss_mb["shard_worker"] = max(r["peak_rss_mb"] for r in results)
        report.cpu_seconds["shards"] = sum(r["cpu_s"] for r in results)
        report.worker_cpu_seconds["shards"] = _per_worker(results)
    report.seconds["shards"] = time.perf_counter() - t0
    manifests = [T.read_manifest(out, "shards", k) or {} for k in keys]
    article_files = [f"{T.ARTICLES}/{k}.parquet" for k in keys]
    report.articles = sum(int(m.get("articles", 0)) for m in manifests)
    for m in manifests:
        report.failures.extend(m.get("failures", []))

    t0, cpu0 = time.perf_counter(), time.process_time()
    link_expect = {"inputs": T.digest(k + str(sorted(m.get("files", {}).items()))
                                      for k, m in zip(keys, manifests, strict=True)),
                   "settings": setting_key}
    link = T.read_manifest(out, "link", "link")
    report.link_reused = T.complete(out, link, link_expect)
    if not report.link_reused or link is None:
        link = run_link(out, article_files, report.articles, settings, link_expect,
                        (lambda n: progress("link", n, report.articles)) if progress else None)
    report.seconds["link"] = time.perf_counter() - t0
    report.cpu_seconds["link"] = time.process_time() - cpu0
    report.peak_rss_mb["driver"] = round(peak_rss_mb(), 1)
    report.stories, report.buckets = int(link["stories"]), int(link["buckets"])
    if not briefs:
        return report

    t0 = time.perf_counter()
    link_files = sorted(link["files"])
    link_key = T.digest([link_expect["inputs"], str(sorted(link["files"].items())), setting_key])
    btasks = []
    for b in range(report.buckets):
        bkey = f"b{b:05d}"
        expect = {"link": link_key, "bucket": b}
        if not T.complete(out, T.read_manifest(out, "briefs", bkey), expect):
            btasks.append({"bucket": b, "key": bkey, "links": link_files,
                           "articles": article_files, "expect": expect})
    for stale in _stale_buckets(out, report.buckets):
        stale.unlink(missing_ok=True)
    report.buckets_run = len(btasks)
    if btasks:
        if progress:
            progress("briefs", 0, len(btasks))
        results = engine.map(BriefStage, {"out": str(out), "settings": settings}, btasks)
        report.peak_rss_mb["brief_worker"] = max(r["peak_rss_mb"] for r in results)
        report.cpu_seconds["briefs"] = sum(r["cpu_s"] for r in results)
        report.worker_cpu_seconds["briefs"] = _per_worker(results)
    report.seconds["briefs"] = time.perf_counter() - t0
    return report


def _per_worker(results: list[dict[str, Any]]) -> list[float]:
    """CPU seconds of each worker process (by the ``pid`` a stage reports), largest first."""
    cpu: dict[int, float] = {}
    for r in results:
        cpu[int(r.get("pid", 0))] = cpu.get(int(r.get("pid", 0)), 0.0) + float(r["cpu_s"])
    return sorted(cpu.values(), reverse=True)


def _stale_buckets(out: Path, buckets: int) -> list[Path]:
    """Outputs of buckets beyond this run's bucket count (left by an earlier, larger run)."""
    stale = []
    for folder, kind in ((T.BRIEFS, ".jsonl"), (T.STORIES, ".parquet")):
        for p in (out / folder).glob(f"b*{kind}"):
            if int(p.stem[1:]) >= buckets:
                stale.append(p)
    for p in (out / T.MANIFESTS / "briefs").glob("b*.json"):
        if int(p.stem[1:]) >= buckets:
            stale.append(p)
    return stale
