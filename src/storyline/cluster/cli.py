"""``storyline cluster``: group the articles of a JSONL file into stories (a thin CLI layer)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import click

from ..errors import UsageError
from ..models import Article


def read_jsonl_articles(path: Path, warn: TextIO | None = None) -> list[Article]:
    """Read ``{"id", "text", "title"?, "published"?, "outlet"?}`` lines into articles.

    Lines that are not JSON objects with a string ``id`` and ``text`` are skipped with a
    message on ``warn`` naming the file and line; the rest are kept in input order
    (``ingest_order`` = position).

    Raises:
        UsageError: when the file cannot be read.
    """
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from exc
    articles: list[Article] = []
    seen: set[str] = set()
    with handle:
        for lineno, record in _records(handle, path, warn):
            art_id, text = record.get("id"), record.get("text")
            if not isinstance(art_id, str | int) or not isinstance(text, str):
                _warn(warn, f"{path}:{lineno}: skipped: needs a string 'id' and 'text'")
                continue
            if str(art_id) in seen:
                _warn(warn, f"{path}:{lineno}: skipped: duplicate id {art_id!r}")
                continue
            seen.add(str(art_id))
            articles.append(
                Article(
                    id=str(art_id),
                    source=f"{path}:{lineno}",
                    text=text,
                    title=_opt_str(record.get("title")),
                    published=_opt_str(record.get("published")),
                    outlet=_opt_str(record.get("outlet")),
                    ingest_order=len(articles),
                )
            )
    return articles


def _records(handle: TextIO, path: Path, warn: TextIO | None) -> Iterator[tuple[int, dict[str, Any]]]:
    for lineno, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            _warn(warn, f"{path}:{lineno}: skipped: not JSON ({exc.msg})")
            continue
        if not isinstance(record, dict):
            _warn(warn, f"{path}:{lineno}: skipped: not a JSON object")
            continue
        yield lineno, record


def _opt_str(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _warn(stream: TextIO | None, message: str) -> None:
    if stream is not None:
        print(message, file=stream)


@click.command(name="cluster")
@click.argument("input_path", metavar="INPUT.jsonl", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="Write the {id, story} lines here instead of standard output.",
)
@click.option(
    "--online",
    is_flag=True,
    help="Assign articles one at a time in 'published' order (input order when undated), "
    "never revising the past, with a time window.",
)
@click.option(
    "--delay",
    type=click.IntRange(min=0),
    default=None,
    help="With --online: decide each article's story once this many later articles have "
    "arrived (more context, later answers; 0 = on arrival). Default: the "
    "cluster_online_delay setting.",
)
@click.option(
    "--no-copies",
    is_flag=True,
    help="Skip the search for copies (exact and near-duplicates) that otherwise runs first and "
    "keeps each copy in its original's story; copies are then placed by similarity alone.",
)
def command(
    input_path: Path, output: Path | None, online: bool, delay: int | None, no_copies: bool
) -> None:
    """Group articles into stories (the number of stories is found, not given).

    Input lines: {"id", "text", "title"?, "published"?, "outlet"?}. Output lines: {"id", "story"}.
    Articles with a "published" date compare less the more days lie between them (two events of
    one subject a week apart stay two stories); undated ones compare on their words alone. Copies
    of an article (the same words, or at least half its word 5-grams) go to its story.

    Example: storyline cluster articles.jsonl --output stories.jsonl --online --delay 10
    """
    from dataclasses import replace

    from ..settings import get_settings
    from . import cluster_articles

    if delay is not None and not online:
        raise click.UsageError("--delay needs --online (batch mode sees every article at once)")
    settings = get_settings()
    if delay is not None:
        settings = replace(settings, cluster_online_delay=delay)

    try:
        articles = read_jsonl_articles(input_path, warn=sys.stderr)
    except UsageError as exc:
        raise click.ClickException(exc.message) from exc
    if not articles:
        raise click.ClickException(f"no articles in {input_path}")
    if not no_copies:
        from ..dedup import find_relations

        find_relations(articles, flags=False)
    stories = cluster_articles(articles, mode="online" if online else "batch", settings=settings)
    lines = (json.dumps({"id": a.id, "story": stories[a.id]}) + "\n" for a in articles)
    if output is None:
        sys.stdout.writelines(lines)
    else:
        with output.open("w", encoding="utf-8") as out:
            out.writelines(lines)
    n_stories = len(set(stories.values()))
    click.echo(f"{len(articles)} articles, {n_stories} stories", err=True)
