"""Fixtures for the web app: a store built from the example corpus plus a hostile article,
the app over it, and a live server on a free loopback port for the browser tests."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from storyline.pipeline import ingest, story_brief_dict
from storyline.store import Store

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "src" / "storyline" / "data" / "example"

#: An article written for these tests whose title and text carry script payloads.
XSS_TITLE = "Harbour crane <script>alert('title')</script> collapses in Port Nerina"
XSS_TEXT = (
    "PORT NERINA — A harbour crane collapsed on Monday at the container terminal of Port Nerina, "
    "the port authority said. Nobody was hurt.\n\n"
    "The crane operator wrote <script>alert(1)</script> in a message to colleagues, and a photo "
    "caption read <img src=x onerror=alert(2)> before it was taken down.\n\n"
    "Engineers said the crane, installed in 2009, had passed its last inspection. "
    "<a href=\"javascript:alert(3)\">Read more</a> \"We will check every crane,\" said harbour "
    "master Ilse Varga."
)


def write_xss_article(folder: Path) -> Path:
    """Write the hostile article as a .txt file (first line: the title) and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "hostile.txt"
    path.write_text(f"{XSS_TITLE}\n\n{XSS_TEXT}\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the example corpus and the hostile article, every brief computed."""
    if not any(EXAMPLE.glob("*.*")):
        pytest.skip("the example corpus is not in src/storyline/data/example")
    root = tmp_path_factory.mktemp("web")
    db = root / "web.db"
    hostile = write_xss_article(root / "hostile")
    with Store(db) as store:
        ingest([str(EXAMPLE), str(hostile)], store)
        for row in store.stories():
            story_brief_dict(store, row["id"])
    return db


def story_ids(db: Path) -> dict[str, str]:
    """Ids to visit: ``conflicted`` (the story with most conflicts), ``hostile`` (the hostile
    article) and ``hostile_story`` (the story it joined)."""
    with Store(db, readonly=True) as store:
        rows = store.stories()
        hostile = next(a for a in store.articles() if a.source.endswith("hostile.txt"))
    conflicted = max(rows, key=lambda r: (r["n_conflicts"] or 0, r["n_articles"]))["id"]
    return {"conflicted": conflicted, "hostile": hostile.id, "hostile_story": hostile.story}


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """uvicorn serving an app in a thread on 127.0.0.1."""

    def __init__(self, db: Path, **kwargs: object) -> None:
        import uvicorn

        from storyline.web import create_app

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(create_app(db, **kwargs), host="127.0.0.1", port=self.port,
                                log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(web_db: Path) -> Iterator[LiveServer]:
    """The app over ``web_db`` served on a free loopback port for the whole session."""
    with LiveServer(web_db) as server:
        yield server
