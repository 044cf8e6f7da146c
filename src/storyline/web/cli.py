"""``storyline serve``: the local web app and JSON API over a store."""

from __future__ import annotations

import signal
import sys
import tempfile
from pathlib import Path

import click

from ..store.sqlite import default_db_path


@click.command(name="serve")
@click.option("--db", default=None, help="SQLite store file (default: $STORYLINE_DB or ./storyline.db).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but 127.0.0.1 exposes the app to your network.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="Port to listen on.")
@click.option("--allow-ingest", is_flag=True,
              help="Accept uploads at POST /api/ingest (off by default).")
@click.option("--max-upload-mb", default=20, show_default=True, type=click.IntRange(1, 1024),
              help="Largest upload accepted by /api/ingest, all files together.")
@click.option("--no-warm", is_flag=True,
              help="Compute briefs only when a story is opened (by default a background thread "
              "computes missing briefs so the story list can show conflict counts).")
@click.option("--example", is_flag=True,
              help="Serve the bundled example corpus, ingested into a temporary store (ignores --db).")
def command(db: str | None, host: str, port: int, allow_ingest: bool, max_upload_mb: int,
            no_warm: bool, example: bool) -> None:
    """Serve the web app and the HTTP JSON API for a store.

    Pages: the story list (with search), each story's brief, a side-by-side compare of its
    articles, and each article with its highlighted spans. The JSON API is under /api/ and
    described at /api/openapi.json. `storyline ingest` may add articles to the same store while
    the server runs; new stories appear on reload. To look around first, serve the bundled
    example corpus: storyline serve --example

    Example: storyline serve --db news.db
    """
    try:
        import fastapi  # noqa: F401
        import uvicorn  # noqa: F401
    except ModuleNotFoundError as exc:
        click.secho(f"Error: the web app needs FastAPI and uvicorn ({exc}); "
                    "install them with: pip install 'storyline[web]'", fg="red", err=True)
        sys.exit(1)
    if example:
        from ..cli import example_corpus_path
        from ..pipeline import ingest
        from ..store import Store

        # uvicorn re-raises SIGTERM after shutting down; exiting instead lets the folder go.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        with tempfile.TemporaryDirectory(prefix="storyline-example-") as tmp:
            path = Path(tmp) / "example.db"
            click.echo("ingesting the bundled example corpus into a temporary store...", err=True)
            with Store(path) as store:
                ingest([str(example_corpus_path())], store)
            _serve(path, host, port, allow_ingest, max_upload_mb, not no_warm)
        return
    path = Path(db or default_db_path())
    if not path.exists():
        click.secho(f"Error: no store at {path}; create one with: storyline ingest PATH --db {path} "
                    "(or try: storyline serve --example)", fg="red", err=True)
        sys.exit(1)
    _serve(path, host, port, allow_ingest, max_upload_mb, not no_warm)


def _serve(path: Path, host: str, port: int, allow_ingest: bool, max_upload_mb: int,
           warm: bool) -> None:
    import uvicorn

    from .app import create_app

    if host not in ("127.0.0.1", "localhost", "::1"):
        click.secho(f"warning: listening on {host}: anyone who can reach this address can read the store",
                    fg="yellow", err=True)
    app = create_app(path, allow_ingest=allow_ingest, max_upload_bytes=max_upload_mb * 1024 * 1024,
                     warm_briefs=warm)
    click.echo(f"Storyline: serving {path} at http://{host}:{port}/ (Ctrl+C to stop)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
