"""``storyline bench speed``: throughput and memory of ``storyline batch`` on a synthetic corpus.

Figures, each beside its baseline measured in the same process on the same data:

* **pipeline vs NER only** — the whole batch run (extract, clean, NER, provenance, stories,
  briefs; local engine) against a bare spaCy pass over the same cleaned texts, the irreducible
  cost (target: ratio ≤ 1.3), measured two ways: *interleaved* (a paced NER-only process works
  through every k-th shard's texts *while* the pipeline runs, so both see the same load; see
  :func:`paced_ner`) and *after* (the same number of worker processes over all the texts once
  the pipeline is done, the older method, which sees whatever load the machine has then);
* **memory** — peak RSS of a shard worker (the streaming stages) at two corpus sizes (target:
  flat), and of the driver's link step;
* **Ray** — Ray with 1 worker vs 2 workers (target ≥ 1.7×), and the local engine vs Ray with
  the same worker count (Ray's overhead).

Results are printed as a table and written as JSON (``--json``), step by step, so a long run
that is cut short still leaves the figures it has.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import click

_nlp: Any = None


def _ner_init(model: str) -> None:
    global _nlp
    from ..extract.nlp import load_nlp

    _nlp = load_nlp(model)


def _ner_shard(path: str) -> float:
    import pyarrow.parquet as pq

    from ..executors.stages import SPACY_BATCH

    cpu0 = time.process_time()
    texts = pq.read_table(path, columns=["text"]).column("text").to_pylist()
    for _doc in _nlp.pipe(texts, batch_size=SPACY_BATCH):
        pass
    return time.process_time() - cpu0


def ner_only(article_files: list[Path], workers: int, model: str) -> dict[str, Any]:
    """Wall and CPU seconds of a bare spaCy pass over the texts of the given ``articles`` files.

    Same shape as the shard step: ``workers`` spawned processes, the same pipeline (all the
    model's components) loaded once per process, ``nlp.pipe`` with the shard step's batch size
    (``SPACY_BATCH``), one file per task. CPU is counted, as in the stages, from the start of a
    task to its end (reading the texts included, loading the model excluded).
    """
    t0 = time.perf_counter()
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_ner_init,
                             initargs=(model,)) as pool:
        cpu = sum(pool.map(_ner_shard, [str(p) for p in article_files], chunksize=1))
    return {"wall": time.perf_counter() - t0, "cpu": cpu, "load_average": _load()}


def _paced_worker(model: str, files: list[str], pace: float, ready: Any, stop: Any,
                  out: str) -> None:
    """Body of the paced NER-only process (see :func:`paced_ner`)."""
    import pyarrow.parquet as pq

    _ner_init(model)
    ready.set()
    done: list[dict[str, float]] = []
    for path in files:
        if stop.is_set() and done:  # at least one file, however short the pipeline
            break
        t0 = time.perf_counter()
        texts_cpu = _ner_shard(path)
        wall = time.perf_counter() - t0
        done.append({"articles": pq.ParquetFile(path).metadata.num_rows, "cpu": texts_cpu,
                     "wall": wall, "load1": (_load() or [0.0])[0]})
        Path(out).write_text(json.dumps(done))
        stop.wait(pace * wall)  # spread the files over the pipeline's run


def paced_ner(files: list[Path], model: str, pace: float, out: Path) -> tuple[Any, Any]:
    """Start a NER-only process that works through ``files`` alongside whatever runs next.

    One spawned process loads the model (not counted), then parses one file's texts at a time
    exactly as :func:`ner_only` does and waits ``pace`` times that file's wall time before
    the next, so its files are spread over the pipeline's run instead of all falling into its
    first minutes. After each file it writes the figures so far to ``out`` (a JSON list of
    ``{"articles", "cpu", "wall", "load1"}``).

    Returns:
        ``(process, stop)``: set ``stop`` and join the process when the pipeline is done.
    """
    ctx = multiprocessing.get_context("spawn")
    ready, stop = ctx.Event(), ctx.Event()
    out.unlink(missing_ok=True)
    proc = ctx.Process(target=_paced_worker,
                       args=(model, [str(f) for f in files], pace, ready, stop, str(out)))
    proc.start()
    ready.wait(600)
    return proc, stop


def _texts_of(inputs: list[Path], out: Path, workers: int) -> list[Path]:
    """Cleaned texts of some input shards (a shard step without NER; not counted anywhere)."""
    from ..executors.local import LocalEngine
    from ..executors.stages import ShardStage, shard_key
    from ..settings import get_settings

    shutil.rmtree(out, ignore_errors=True)
    tasks = [{"path": str(p), "key": shard_key(p), "index": i, "expect": {}}
             for i, p in enumerate(inputs)]
    LocalEngine(workers).map(ShardStage, {"out": str(out), "settings": get_settings(),
                                          "ner": False}, tasks)
    return sorted((out / "articles").glob("*.parquet"))


def corpus(work: Path, n: int, shard_size: int) -> Path:
    """The synthetic corpus of ``n`` articles under ``work`` (generated once, then reused)."""
    from .make_corpus import write_corpus

    folder = work / f"corpus-{n}-{shard_size}"
    done = work / f"corpus-{n}-{shard_size}.complete"  # beside it: every file inside is a shard
    if not done.exists():
        shutil.rmtree(folder, ignore_errors=True)
        write_corpus(n, folder, shard_size)
        done.write_text("ok")
    return folder


def batch(inputs: Path, out: Path, engine: str, workers: int, **kw: Any) -> dict[str, Any]:
    """One fresh ``storyline batch`` run; returns its report as a dict plus wall seconds."""
    from ..executors.runner import make_engine, run_batch
    from ..settings import get_settings

    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    eng = make_engine(engine, workers)
    try:
        report = run_batch([inputs], out, eng, settings=get_settings(), **kw)
    finally:
        eng.close()
    wall = time.perf_counter() - t0
    return {"wall": wall, "articles": report.articles, "stories": report.stories,
            "seconds": report.seconds, "cpu_seconds": report.cpu_seconds,
            "worker_cpu_seconds": report.worker_cpu_seconds,
            "peak_rss_mb": report.peak_rss_mb, "load_average": _load()}


def _load() -> list[float]:
    """The machine's 1, 5 and 15-minute load averages (other users' work shows up here)."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def shard_memory(inputs: Path, out: Path, workers: int, ner: bool) -> dict[str, Any]:
    """Run only the streaming shard step (extract, clean, NER optional) and report its memory."""
    from ..executors.local import LocalEngine
    from ..executors.runner import discover_shards
    from ..executors.stages import ShardStage, shard_key
    from ..settings import get_settings

    shutil.rmtree(out, ignore_errors=True)
    files, _ = discover_shards([inputs])
    tasks = [{"path": str(p), "key": shard_key(p), "index": i, "expect": {}}
             for i, p in enumerate(files)]
    t0 = time.perf_counter()
    results = LocalEngine(workers).map(
        ShardStage, {"out": str(out), "settings": get_settings(), "ner": ner}, tasks)
    return {"wall": time.perf_counter() - t0,
            "articles": sum(r["articles"] for r in results),
            "peak_worker_rss_mb": max(r["peak_rss_mb"] for r in results),
            "shards": len(tasks)}


def _local_vs_ner(fig: dict[str, Any], src: Path, work: Path, articles: int, workers: int,
                  model: str, save: Callable[[], None], interleave: int = 0,
                  after: bool = True) -> None:
    """The whole pipeline on the local engine, with the NER-only pass interleaved (every
    ``interleave``-th shard, 0: not) and/or after it (over all the cleaned texts)."""
    from ..executors.runner import discover_shards

    paced = None
    if interleave > 0:
        shards, _ = discover_shards([src])
        texts = _texts_of(shards[::interleave], work / "interleave-texts", workers)
        # the pipeline's workers parse ``interleave`` files in the time one worker parses
        # ``interleave / workers``: wait that long minus the file's own time between files
        pace = max(0.0, interleave / max(1, workers) - 1.0)
        paced = paced_ner(texts, model, pace, work / "interleave.json")
    try:
        fig["local"] = batch(src, work / "out-local", "local", workers)
    finally:
        if paced is not None:
            paced[1].set()
            paced[0].join()
    save()  # a long baseline pass that is cut short still leaves the pipeline's figures
    local = fig["local"]
    pipe_cpu = sum(local["cpu_seconds"].values())
    click.echo(f"{articles} articles, {workers} workers (local engine)")
    click.echo(f"  whole pipeline : {local['wall']:8.1f} s  {articles / local['wall']:7.1f} "
               "articles/s  steps " + ", ".join(f"{k} {v:.1f}s" for k, v in local["seconds"].items())
               + f"; load {local['load_average']}")
    click.echo("  CPU per article: " + ", ".join(
        f"{k} {1000 * v / articles:.1f} ms" for k, v in local["cpu_seconds"].items())
        + f" = {1000 * pipe_cpu / articles:.1f} ms; peak RSS MiB {local['peak_rss_mb']}")
    if paced is not None:
        runs = json.loads((work / "interleave.json").read_text()) if (
            work / "interleave.json").exists() else []
        n_int = sum(r["articles"] for r in runs)
        cpu_int = sum(r["cpu"] for r in runs)
        fig["ner_interleaved"] = {"files": runs, "articles": n_int, "cpu": cpu_int,
                                  "every": interleave}
        if n_int:
            fig["ratio_cpu_interleaved"] = (pipe_cpu / articles) / (cpu_int / n_int)
            click.echo(f"  NER only, interleaved (1 shard in {interleave}, {n_int} articles, "
                       f"same load as the pipeline): CPU {1000 * cpu_int / n_int:.1f} ms/article; "
                       f"load {sorted(r['load1'] for r in runs)}")
            click.echo(f"  ratio pipeline / NER only, interleaved: CPU "
                       f"{fig['ratio_cpu_interleaved']:.3f} (target ≤ 1.3)")
        save()
    if not after:
        return
    files = sorted((work / "out-local" / "articles").glob("*.parquet"))
    fig["ner_only"] = ner_only(files, workers, model)
    fig["ratio_pipeline_to_ner"] = fig["local"]["wall"] / fig["ner_only"]["wall"]
    fig["ratio_cpu_pipeline_to_ner"] = pipe_cpu / fig["ner_only"]["cpu"]
    ner = fig["ner_only"]
    click.echo(f"  NER only, after the pipeline (all texts): {ner['wall']:8.1f} s  "
               f"{articles / ner['wall']:7.1f} articles/s  CPU {1000 * ner['cpu'] / articles:.1f} "
               f"ms/article; load {ner['load_average']}")
    click.echo(f"  ratio pipeline / NER only after: wall {fig['ratio_pipeline_to_ner']:.2f}, CPU "
               f"{fig['ratio_cpu_pipeline_to_ner']:.3f} (target ≤ 1.3)")


@click.command("speed")
@click.option("--articles", "-n", type=int, default=10_000, show_default=True,
              help="Corpus size for the pipeline, NER-only and Ray runs.")
@click.option("--memory-sizes", default="10000,100000", show_default=True,
              help="Corpus sizes for the memory runs of the shard step (comma-separated).")
@click.option("--memory-ner/--memory-no-ner", default=False, show_default=True,
              help="Include NER in the memory runs (slow at 100k on 2 cores).")
@click.option("--workers", "-w", type=int, default=2, show_default=True)
@click.option("--shard-size", type=int, default=250, show_default=True)
@click.option("--ray/--no-ray", "with_ray", default=True, show_default=True,
              help="Also time Ray with 1 and with --workers workers.")
@click.option("--local/--no-local", "with_local", default=True, show_default=True,
              help="Time the local engine's pipeline and the NER-only baseline (off: Ray only).")
@click.option("--interleave", type=int, default=4, show_default=True,
              help="NER-only baseline alongside the pipeline over every k-th shard's texts "
                   "(same load as the pipeline); 0: none.")
@click.option("--after/--no-after", "after", default=True, show_default=True,
              help="Also the NER-only pass over all texts after the pipeline (older method).")
@click.option("--skip-pipeline", is_flag=True, help="Only the memory runs.")
@click.option("--work", type=click.Path(file_okay=False, path_type=Path),
              default=Path("/tmp/storyline-speed"), show_default=True,
              help="Scratch folder for corpora and outputs.")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Write the figures here as JSON (updated after each run).")
def command(articles: int, memory_sizes: str, memory_ner: bool, workers: int, shard_size: int,
            with_ray: bool, with_local: bool, interleave: int, after: bool, skip_pipeline: bool,
            work: Path, json_out: Path | None) -> None:
    """Throughput (whole pipeline vs NER only), memory at two sizes, Ray 1 vs N workers.

    Example: storyline bench speed -n 10000 --memory-sizes 10000,100000 --json speed.json
    """
    from ..settings import get_settings

    work.mkdir(parents=True, exist_ok=True)
    fig: dict[str, Any] = {"articles": articles, "workers": workers, "shard_size": shard_size}

    def save() -> None:
        if json_out:
            json_out.write_text(json.dumps(fig, indent=1))

    if not skip_pipeline:
        src = corpus(work, articles, shard_size)
        if with_local:
            _local_vs_ner(fig, src, work, articles, workers, get_settings().spacy_model, save,
                          interleave, after)
            save()
        if with_ray:
            for n in sorted({1, workers}):
                fig[f"ray_{n}"] = batch(src, work / f"out-ray{n}", "ray", n)
                save()
            r1, rn = fig["ray_1"], fig[f"ray_{workers}"]
            par = ("shards", "briefs")
            fig["ray_speedup"] = r1["wall"] / rn["wall"]
            fig["ray_speedup_parallel_steps"] = (sum(r1["seconds"][k] for k in par)
                                                 / sum(rn["seconds"][k] for k in par))
            if "local" in fig:
                fig["ray_overhead"] = rn["wall"] / fig["local"]["wall"]
            save()
            for n in sorted({1, workers}):
                r = fig[f"ray_{n}"]
                per = {k: [round(1000 * c / articles, 1) for c in v]
                       for k, v in r["worker_cpu_seconds"].items()}
                click.echo(f"  Ray {n} worker(s): {r['wall']:8.1f} s wall, steps "
                           + ", ".join(f"{k} {v:.1f}s" for k, v in r["seconds"].items())
                           + f"; CPU ms/article per worker {per}; load {r['load_average']}")
            click.echo(f"  Ray speedup {workers} vs 1 worker(s): {fig['ray_speedup']:.2f}× "
                       f"(target ≥ 1.7); parallel steps only "
                       f"{fig['ray_speedup_parallel_steps']:.2f}×")
            if "ray_overhead" in fig:
                click.echo(f"  Ray / local with {workers} workers: {fig['ray_overhead']:.2f}")
    for size in [int(s) for s in memory_sizes.split(",") if s.strip()]:
        src = corpus(work, size, shard_size)
        res = shard_memory(src, work / f"out-mem-{size}", workers, memory_ner)
        fig[f"memory_{size}"] = res
        save()
        click.echo(f"  shard step{' (with NER)' if memory_ner else ' (no NER)'} on {size} articles:"
                   f" peak worker RSS {res['peak_worker_rss_mb']:.0f} MiB, {res['wall']:.1f} s")
    save()
