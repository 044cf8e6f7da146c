"""``storyline batch``: run the pipeline over sharded input on a local process pool or on Ray."""

from __future__ import annotations

import os
import sys

import click

from ..errors import StorylineError, UsageError


@click.command("batch")
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("--output", "-o", required=True, type=click.Path(file_okay=False),
              help="Output folder (a re-run resumes: finished shards and buckets are skipped).")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="local: a process pool; ray: Ray Data (pip install 'storyline[ray]').")
@click.option("--workers", "-w", type=int, default=None,
              help="Worker processes / Ray actors per stage (default: the number of cores).")
@click.option("--address", default=None, metavar="ADDR",
              help="Join an existing Ray cluster (e.g. ray://head:10001); with --engine ray.")
@click.option("--ner/--no-ner", default=True, show_default=True,
              help="Parse articles in the shard step and write entity mentions.")
@click.option("--briefs/--no-briefs", default=True, show_default=True,
              help="Write story briefs (off: stop after provenance and stories).")
def command(inputs: tuple[str, ...], output: str, engine: str, workers: int | None,
            address: str | None, ner: bool, briefs: bool) -> None:
    """Process sharded JSONL(.gz) / WARC(.gz) input into Parquet tables and story briefs.

    Every input file is one shard. Writes, under OUTPUT: articles/ and entities/ (Parquet, one
    file per shard), links/ (provenance and story of every article), stories/ (a table) and
    briefs/ (storyline/brief-v1 JSON lines, one story per line).

    Example: storyline batch 'corpus/*.jsonl.gz' --output run1 --engine ray --workers 2
    """
    from ..settings import get_settings
    from .runner import make_engine, run_batch

    n = workers or os.cpu_count() or 1

    def progress(step: str, done: int, total: int | None) -> None:
        if done == 0:
            click.echo(f"{step}: {total} to run", err=True)

    try:
        eng = make_engine(engine, n, address)
        try:
            report = run_batch(list(inputs), output, eng, ner=ner, briefs=briefs,
                               settings=get_settings(), progress=progress)
        finally:
            eng.close()
    except StorylineError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2 if isinstance(exc, UsageError) else 1)
    for failure in report.failures[:20]:
        click.echo(f"skipped: {failure}", err=True)
    if len(report.failures) > 20:
        click.echo(f"… and {len(report.failures) - 20} more skipped documents", err=True)
    secs = ", ".join(f"{k} {v:.1f}s" for k, v in report.seconds.items())
    click.echo(
        f"{report.articles} articles from {report.shards} shards ({report.shards_run} run), "
        f"{report.stories} stories in {report.buckets} buckets ({report.buckets_run} run"
        f"{', links reused' if report.link_reused else ''}); {secs}"
    )
