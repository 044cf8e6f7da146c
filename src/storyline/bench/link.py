"""``storyline bench link``: what an ingest into a grown store costs to link.

Builds a store of N articles, then stores K more without linking them and links them twice, in
the same process on the same store: incrementally (the persisted near-duplicate index and
online clusterer, what every ingest does) and with a full relink of the whole corpus (the
baseline: what ingest did before the state was persisted). The articles are synthetic
(``bench make-corpus``, recombined from the bundled fiction) or, with ``--ecbplus``, real news
(the ECB+ articles, read at run time from the data set, in a seeded random order).
"""

from __future__ import annotations

import json
import random
import tempfile
import time
from pathlib import Path

import click

from ..linker import relink
from ..pipeline import ingest
from ..store import Store
from .make_corpus import write_corpus


def ecbplus_shards(docs: Path, base: int, new: int, workdir: Path, seed: int = 7) -> list[Path]:
    """Two JSONL files of ECB+ articles (``base`` then ``new`` of them), in a seeded order."""
    records = [json.loads(line) for line in docs.read_text(encoding="utf-8").splitlines() if line]
    random.Random(seed).shuffle(records)
    if base + new > len(records):
        raise click.UsageError(f"{docs} holds {len(records)} articles, fewer than {base + new}")
    workdir.mkdir(parents=True, exist_ok=True)
    out = []
    for name, part in (("base", records[:base]), ("new", records[base : base + new])):
        path = workdir / f"{name}.jsonl"
        path.write_text("".join(
            json.dumps({"id": r["doc_id"], "title": r.get("first_sentence"), "text": r["text"]}) + "\n"
            for r in part), encoding="utf-8")
        out.append(path)
    return out


def measure(shards: list[Path], workdir: Path) -> dict[str, float]:
    """Seconds to link the last shard's articles into a store of the others, both ways, and
    how many stored index rows the incremental link read back."""
    store = Store(workdir / "bench.db")
    restored: dict[str, int] = {}

    def progress(phase: str, done: int, total: int | None) -> None:
        if phase == "restore":
            restored.update(read=done, stored=total or 0)

    try:
        t = time.perf_counter()
        ingest(shards[:-1], store)
        build = time.perf_counter() - t
        n_base = store.count_articles()
        ingest(shards[-1:], store, link=False)  # linked below, timed
        n_new = store.count_unlinked()
        t = time.perf_counter()
        relink(store, progress=progress)
        incremental = time.perf_counter() - t
        t = time.perf_counter()
        relink(store, full=True)
        full = time.perf_counter() - t
    finally:
        store.close()
    return {"base": n_base, "new": n_new, "build_s": build, "incremental_s": incremental,
            "full_s": full, "rows_read": restored.get("read", -1),
            "rows_stored": restored.get("stored", -1)}


@click.command()
@click.option("--base", "base", type=click.IntRange(min=1), default=2000, show_default=True,
              help="Articles already linked in the store.")
@click.option("--new", "new", type=click.IntRange(min=1), default=100, show_default=True,
              help="Articles of the ingest that is timed.")
@click.option("--seed", type=int, default=7, show_default=True, help="Corpus random seed.")
@click.option("--ecbplus", "ecbplus", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="Use the real articles of ECB+'s docs.jsonl (e.g. "
              "../shared/datasets/ecbplus/docs.jsonl; 982 articles) instead of synthetic ones.")
def command(base: int, new: int, seed: int, ecbplus: Path | None) -> None:
    """Time linking an ingest into a grown store: incremental vs a full relink.

    Example: storyline bench link --base 2000 --new 100
    """
    with tempfile.TemporaryDirectory(prefix="storyline-bench-link-") as tmp:
        what = "ECB+" if ecbplus else "synthetic"
        click.echo(f"building a store of {base:,} {what} articles (not timed) …", err=True)
        if ecbplus:
            shards = ecbplus_shards(ecbplus, base, new, Path(tmp) / "corpus", seed)
        else:
            shards = write_corpus(base + new, Path(tmp) / "corpus", shard_size=new, seed=seed)
        r = measure(shards, Path(tmp))
    click.echo(f"store: {r['base']:,} linked {what} articles; timed ingest: {r['new']:,} new articles")
    click.echo(f"{'linking the new articles':<42} {'seconds':>8} {'ms / new article':>17}")
    for name, key in (("incremental (persisted state)", "incremental_s"),
                      ("baseline: full relink of the store", "full_s")):
        click.echo(f"{name:<42} {r[key]:>8.2f} {1000 * r[key] / max(1, r['new']):>17.1f}")
    click.echo(f"speed-up: {r['full_s'] / max(r['incremental_s'], 1e-9):.1f}x")
    click.echo(f"near-duplicate index rows read back by the incremental link: "
               f"{r['rows_read']:,} of {r['rows_stored']:,} stored")
