"""The synthetic benchmark corpus: sizes, lengths, determinism, stories, copies."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from storyline.bench.make_corpus import generate, write_corpus


def test_sizes_lengths_and_copies(tmp_path: Path) -> None:
    paths = write_corpus(230, tmp_path, shard_size=100)
    assert [p.name for p in paths] == ["part-00000.jsonl.gz", "part-00001.jsonl.gz",
                                      "part-00002.jsonl.gz"]
    recs = [json.loads(line) for p in paths
            for line in gzip.decompress(p.read_bytes()).decode("utf-8").splitlines()]
    assert len(recs) == 230 and len({r["id"] for r in recs}) == 230
    words = [len(r["text"].split()) for r in recs]
    assert min(words) >= 300 and sorted(words)[len(words) // 2] <= 900
    stories = {r["id"].split("-")[1] for r in recs}
    assert 10 <= len(stories) <= 100
    assert len({r["text"] for r in recs}) < len(recs)  # some articles are reprints
    assert any(r["published"] for r in recs)


def test_deterministic_and_seeded() -> None:
    a = [r["text"] for r in generate(40, seed=3)]
    assert a == [r["text"] for r in generate(40, seed=3)]
    assert a != [r["text"] for r in generate(40, seed=4)]


def test_stories_have_their_own_names() -> None:
    recs = list(generate(120, seed=1))
    titles = {r["id"].split("-")[1]: r["title"] for r in recs}
    assert len(set(titles.values())) > len(titles) // 2
