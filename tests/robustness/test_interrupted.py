"""Interrupted runs: an ingest killed with SIGKILL at any moment leaves a store that opens,
passes SQLite's integrity check and Storyline's own checks, and a re-run completes the job
with no duplicates."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import storyline.pipeline as pipeline
from storyline.store import Store
from storyline.store.doctor import check_store

from .conftest import make_corpus

N_DOCS = 450  # three chunks of CHUNK=200 documents, then the relink


def _ingest_cmd(paths: list[Path], db: Path) -> list[str]:
    return [sys.executable, "-m", "storyline.cli", "ingest", *map(str, paths), "--db", str(db), "-q"]


def _ids(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("SELECT id FROM articles")]
    finally:
        conn.close()


def _count(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:  # not created yet, or the schema is being written
        return 0


def _assert_sound(db: Path) -> None:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()
    errors = [f for f in check_store(db) if f.severity == "error"]
    assert not errors, "\n".join(map(str, errors))


def test_relink_is_redone_after_an_interrupted_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Articles stored by a run that died before linking are linked by the next run, even when
    that run adds nothing."""
    corpus = make_corpus(tmp_path / "in", 12)
    db = tmp_path / "s.db"

    def die(*args: object, **kw: object) -> set[str]:
        raise KeyboardInterrupt("killed before relinking")

    monkeypatch.setattr(pipeline, "relink", die)
    with Store(db) as store, pytest.raises(KeyboardInterrupt):
        pipeline.ingest(corpus, store)
    with Store(db) as store:
        assert store.count_articles() == 12
        assert store.count_unlinked() == 12
    assert [f.code for f in check_store(db)] == ["unlinked-articles"]
    monkeypatch.undo()
    with Store(db) as store:
        report = pipeline.ingest(corpus, store)
        assert report.added == [] and len(report.duplicates) == 12
        assert store.count_unlinked() == 0
        assert sum(s["n_articles"] for s in store.stories()) == 12
    assert check_store(db) == []


@pytest.mark.slow
def test_sigkill_at_random_moments(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", N_DOCS, seed=3)
    # A run that is never interrupted gives the reference set of articles.
    reference = tmp_path / "reference.db"
    t0 = time.monotonic()
    subprocess.run(_ingest_cmd([tmp_path / "in"], reference), check=True, capture_output=True,
                   timeout=600)
    full = time.monotonic() - t0
    expected = sorted(_ids(reference))
    assert len(expected) == N_DOCS

    db = tmp_path / "killed.db"
    rng = random.Random(int(os.environ.get("STORYLINE_KILL_SEED", "8")))
    # Two kills while chunks are being written (right after the first, then the second chunk
    # is committed), three at random moments of a full run (mostly while relinking).
    moments: list[tuple[str, float]] = [("stored", 1), ("stored", 201)]
    moments += [("after", rng.uniform(0.5, full)) for _ in range(3)]
    killed = 0
    partial: list[int] = []
    for kind, when in moments:
        proc = subprocess.Popen(_ingest_cmd([tmp_path / "in"], db),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if kind == "after":
            time.sleep(when)
        else:
            while proc.poll() is None and not (db.exists() and _count(db) >= when):
                time.sleep(0.01)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
        proc.wait(timeout=600)
        if db.exists():
            _assert_sound(db)
            ids = _ids(db)
            assert len(ids) == len(set(ids)) and set(ids) <= set(expected)
            if kind == "stored":
                partial.append(len(ids))
    assert killed >= 3, "the runs finished before they could be killed"
    assert any(0 < n < N_DOCS for n in partial), f"no kill landed between chunks: {partial}"

    res = subprocess.run(_ingest_cmd([tmp_path / "in"], db), capture_output=True, text=True,
                         timeout=600)
    assert res.returncode == 0, res.stderr
    assert sorted(_ids(db)) == expected  # nothing lost, nothing twice
    assert check_store(db) == []  # linked, indexed, consistent
    with Store(db, readonly=True) as store:
        assert store.count_unlinked() == 0
        assert sum(s["n_articles"] for s in store.stories()) == N_DOCS
