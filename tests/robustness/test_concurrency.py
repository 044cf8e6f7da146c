"""Concurrency: one ingest writes while ``storyline serve`` answers requests and a second ingest
starts. The only message allowed besides the summaries is "store busy, retrying"; no article is
lost or stored twice, and the store ends consistent."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from storyline.store import Store
from storyline.store.doctor import check_store

from .conftest import make_corpus

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


class Reader(threading.Thread):
    """Asks the server for the story list, a search and a story's articles, in a loop."""

    def __init__(self, base: str) -> None:
        super().__init__(daemon=True)
        self.base = base
        self.stop = threading.Event()
        self.requests = 0
        self.errors: list[str] = []

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                status, body = _get(f"{self.base}/api/stories")
                self._check("/api/stories", status, body)
                stories = json.loads(body) if status == 200 else []
                status, body = _get(f"{self.base}/api/search?q=residents")
                self._check("/api/search", status, body)
                if isinstance(stories, list) and stories:
                    sid = stories[0]["id"]
                    status, body = _get(f"{self.base}/api/stories/{sid}/articles")
                    self._check("/api/stories/ID/articles", status, body)
            except Exception as exc:  # any failure to get an answer is an error here
                self.errors.append(f"{type(exc).__name__}: {exc}")
            time.sleep(0.05)

    def _check(self, what: str, status: int, body: bytes) -> None:
        self.requests += 1
        if status != 200:
            self.errors.append(f"{what}: HTTP {status} {body[:200]!r}")


def _allowed_stderr(text: str) -> list[str]:
    """Lines of an ingest's stderr that are neither empty nor the busy notice."""
    return [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("store busy, retrying")]


@pytest.mark.slow
def test_ingest_while_serving_and_a_second_ingest(tmp_path: Path) -> None:
    first = tmp_path / "first"
    second = tmp_path / "second"
    make_corpus(first, 400, seed=11)
    make_corpus(second, 120, seed=12)
    # 20 reports of the first batch also arrive with the second: stored once.
    for p in sorted(first.glob("report_*.txt"))[:20]:
        shutil.copy(p, second / f"copy_{p.name}")
    db = tmp_path / "s.db"
    seed = tmp_path / "seed"
    make_corpus(seed, 8, seed=13)
    subprocess.run([sys.executable, "-m", "storyline.cli", "ingest", str(seed), "--db", str(db), "-q"],
                   check=True, capture_output=True, timeout=600)

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "storyline.cli", "serve", "--db", str(db), "--port", str(port),
         "--no-warm"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if _get(f"{base}/api/health")[0] == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None, server.communicate()[1]
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        reader = Reader(base)
        reader.start()
        cmd = [sys.executable, "-m", "storyline.cli", "ingest"]
        one = subprocess.Popen([*cmd, str(first), "--db", str(db), "-q"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1.0)  # the first ingest is writing when the second one starts
        two = subprocess.Popen([*cmd, str(second), "--db", str(db), "-q"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        out1, err1 = one.communicate(timeout=900)
        out2, err2 = two.communicate(timeout=900)
        reader.stop.set()
        reader.join(timeout=120)
    finally:
        server.terminate()
        server.wait(timeout=60)

    assert one.returncode == 0, err1
    assert two.returncode == 0, err2
    assert _allowed_stderr(err1) == [] and _allowed_stderr(err2) == [], (err1, err2)
    assert reader.requests > 0 and reader.errors == [], reader.errors[:5]
    expected = 8 + 400 + 120  # the 20 copies are duplicates
    with Store(db, readonly=True) as store:
        assert store.count_articles() == expected
        assert store.count_unlinked() == 0
        assert sum(s["n_articles"] for s in store.stories()) == expected
    assert check_store(db) == []


def _hold_write_lock(db: Path, seconds: float) -> threading.Thread:
    """Hold the store's write lock from another connection for ``seconds``."""
    import sqlite3

    conn = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    conn.execute("BEGIN IMMEDIATE")

    def release() -> None:
        time.sleep(seconds)
        conn.execute("COMMIT")
        conn.close()

    t = threading.Thread(target=release, daemon=True)
    t.start()
    return t


def test_busy_store_says_so_once_then_writes(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    Store(db).close()
    holder = _hold_write_lock(db, 1.0)
    messages: list[str] = []
    with Store(db) as store:
        store.on_busy = messages.append
        with store.transaction() as c:
            store.add_link("https://example.org/x", "feed.xml", None, None, c)
        assert messages == ["store busy, retrying (another process is writing)"]
        assert store.conn.execute("SELECT COUNT(*) FROM links").fetchone()[0] == 1
    holder.join()


def test_busy_store_gives_up_with_a_clear_error(tmp_path: Path) -> None:
    from storyline.errors import StoreError

    db = tmp_path / "s.db"
    Store(db).close()
    holder = _hold_write_lock(db, 2.0)
    with Store(db) as store:
        store.busy_wait_s = 0.3
        msg = "store busy: another process has held the write lock"
        with pytest.raises(StoreError, match=msg), store.transaction():
            pass
    holder.join()


def test_cli_ingest_prints_the_busy_notice(tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    make_corpus(corpus, 6, seed=5)
    db = tmp_path / "s.db"
    Store(db).close()
    holder = _hold_write_lock(db, 4.0)
    res = subprocess.run([sys.executable, "-m", "storyline.cli", "ingest", str(corpus), "--db",
                          str(db), "-q"], capture_output=True, text=True, timeout=600)
    holder.join()
    assert res.returncode == 0, res.stderr
    assert res.stderr.count("store busy, retrying") == 1, res.stderr
    assert _allowed_stderr(res.stderr) == []
    assert "added 6 article(s)" in res.stdout
