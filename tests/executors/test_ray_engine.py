"""A small Ray job end to end (local Ray): its outputs equal the local engine's on the same input.

Marked slow; skipped with a reason when Ray is not installed (``pip install 'storyline[ray]'``;
the ``test`` extra installs it, so CI runs this).
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from storyline.bench.make_corpus import write_corpus
from storyline.executors.runner import make_engine, run_batch

ray = pytest.importorskip("ray", reason="Ray is not installed: pip install 'storyline[ray]'")

pytestmark = pytest.mark.slow

#: A few hundred articles keeps the job near a minute per engine on 2 cores, NER included.
ARTICLES = 200


def _run(engine: str, inputs: Path, out: Path) -> None:
    eng = make_engine(engine, 2)
    try:
        run_batch([inputs], out, eng)
    finally:
        eng.close()


def _table(out: Path, folder: str, key: str) -> list[dict]:
    rows = pq.read_table(out / folder).to_pylist()
    return sorted(rows, key=lambda r: r[key])


def _briefs(out: Path) -> list[str]:
    return sorted(line for p in (out / "briefs").glob("*.jsonl")
                  for line in p.read_text("utf-8").splitlines())


def test_ray_equals_local(tmp_path: Path) -> None:
    inputs = tmp_path / "corpus"
    write_corpus(ARTICLES, inputs, shard_size=60)
    _run("local", inputs, tmp_path / "local")
    _run("ray", inputs, tmp_path / "ray")
    local, on_ray = tmp_path / "local", tmp_path / "ray"
    assert len(_table(local, "articles", "id")) == ARTICLES
    for folder, key in (("articles", "id"), ("links", "id"), ("stories", "id")):
        assert _table(on_ray, folder, key) == _table(local, folder, key), folder
    ents = pq.read_table(on_ray / "entities").to_pylist()
    assert ents and sorted(map(json.dumps, ents)) == sorted(
        map(json.dumps, pq.read_table(local / "entities").to_pylist()))
    briefs = _briefs(on_ray)
    assert briefs and briefs == _briefs(local)
    assert not ray.is_initialized()  # the engine shut down the Ray it started
