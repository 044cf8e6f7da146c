"""``storyline bench link``: what an ingest into a grown store costs to link.

Builds a store of N synthetic articles (``bench make-corpus``), then stores K more without
linking them and links them twice, in the same process on the same store: incrementally (the
persisted near-duplicate index and online clusterer, what every ingest does) and with a full
relink of the whole corpus (the baseline: what ingest did before the state was persisted).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import click

from ..linker import relink
from ..pipeline import ingest
from ..store import Store
from .make_corpus import write_corpus


def measure(base: int, new: int, workdir: Path, seed: int = 7) -> dict[str, float]:
    """Seconds to link ``new`` articles into a store of ``base`` linked ones, both ways."""
    shards = write_corpus(base + new, workdir / "corpus", shard_size=new, seed=seed)
    store = Store(workdir / "bench.db")
    try:
        t = time.perf_counter()
        ingest(shards[:-1], store)
        build = time.perf_counter() - t
        n_base = store.count_articles()
        ingest(shards[-1:], store, link=False)  # linked below, timed
        n_new = store.count_unlinked()
        t = time.perf_counter()
        relink(store)
        incremental = time.perf_counter() - t
        t = time.perf_counter()
        relink(store, full=True)
        full = time.perf_counter() - t
    finally:
        store.close()
    return {"base": n_base, "new": n_new, "build_s": build, "incremental_s": incremental,
            "full_s": full}


@click.command()
@click.option("--base", "base", type=click.IntRange(min=1), default=2000, show_default=True,
              help="Articles already linked in the store.")
@click.option("--new", "new", type=click.IntRange(min=1), default=100, show_default=True,
              help="Articles of the ingest that is timed.")
@click.option("--seed", type=int, default=7, show_default=True, help="Corpus random seed.")
def command(base: int, new: int, seed: int) -> None:
    """Time linking an ingest into a grown store: incremental vs a full relink.

    Example: storyline bench link --base 2000 --new 100
    """
    with tempfile.TemporaryDirectory(prefix="storyline-bench-link-") as tmp:
        click.echo(f"building a store of {base:,} synthetic articles (not timed) …", err=True)
        r = measure(base, new, Path(tmp), seed)
    click.echo(f"store: {r['base']:,} linked articles; timed ingest: {r['new']:,} new articles")
    click.echo(f"{'linking the new articles':<42} {'seconds':>8} {'ms / new article':>17}")
    for name, key in (("incremental (persisted state)", "incremental_s"),
                      ("baseline: full relink of the store", "full_s")):
        click.echo(f"{name:<42} {r[key]:>8.2f} {1000 * r[key] / max(1, r['new']):>17.1f}")
    click.echo(f"speed-up: {r['full_s'] / max(r['incremental_s'], 1e-9):.1f}x")
