"""End-to-end batch runs on the local engine: outputs, evidence, resume, interrupted runs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from storyline.errors import UsageError
from storyline.executors import tables as T
from storyline.executors.runner import BatchReport, make_engine, run_batch
from storyline.schema import validate_brief

from ..warc_records import warc_bytes
from .conftest import make_shards


def _run(inputs: Path, out: Path, **kw: object):
    engine = make_engine("local", 2)
    try:
        return run_batch([inputs], out, engine, **kw)  # type: ignore[arg-type]
    finally:
        engine.close()


def _briefs(out: Path) -> list[dict]:
    return [json.loads(line) for p in sorted((out / "briefs").glob("*.jsonl"))
            for line in p.read_text("utf-8").splitlines()]


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, BatchReport]:
    """One run over the inline shards, shared by the tests that only read or re-run it."""
    root = tmp_path_factory.mktemp("batch")
    inputs = make_shards(root / "in")
    out = root / "out"
    return inputs, out, _run(inputs, out)


@pytest.fixture
def first_run(base: tuple[Path, Path, BatchReport]) -> tuple[Path, BatchReport]:
    return base[1], base[2]


def test_outputs_and_evidence(first_run) -> None:
    out, report = first_run
    assert report.shards == 2 and report.shards_run == 2
    assert report.articles == 6
    assert any("not valid JSON" in f or "line 3" in f for f in report.failures)
    briefs = _briefs(out)
    assert len(briefs) == report.stories == 2  # a flood story and a strike story
    for brief in briefs:
        validate_brief(brief)
        texts = {a["id"]: a["text"] for a in brief["articles"]}
        for story in brief["stories"]:
            for ent in story["entities"]:
                for m in ent["mentions"]:
                    assert texts[m["article"]][m["start"]:m["end"]] == m["text"]
    sizes = sorted(len(b["articles"]) for b in briefs)
    assert sizes == [3, 3]
    # the reprint (same text, other URL, a day later) points at the original
    rels = [r for b in briefs for a in b["articles"] for r in a["relations"]]
    assert any(r["type"] == "duplicate_of" for r in rels)
    ents = pq.read_table(out / "entities").to_pylist()
    arts = {r["id"]: r["text"] for r in pq.read_table(out / "articles").to_pylist()}
    assert ents and all(arts[e["article"]][e["start"]:e["end"]] == e["text"] for e in ents)
    stories = pq.read_table(out / "stories").to_pylist()
    assert sorted(s["articles"] for s in stories) == [3, 3]


def test_rerun_skips_finished_work(base) -> None:
    shards, out, _ = base
    before = _briefs(out)
    again = _run(shards, out)
    assert (again.shards_run, again.buckets_run, again.link_reused) == (0, 0, True)
    assert _briefs(out) == before


def test_interrupted_shard_is_redone(base, tmp_path: Path) -> None:
    shards, done, _ = base
    out = tmp_path / "copy"
    shutil.copytree(done, out)  # manifests name the inputs, not the output folder
    before = sorted(json.dumps(b, sort_keys=True) for b in _briefs(out))
    victim = sorted((out / "articles").glob("*.parquet"))[0]
    victim.write_bytes(victim.read_bytes()[:100])  # a half-written file: footer missing
    again = _run(shards, out)
    assert again.shards_run == 1
    assert T.parquet_rows(victim) is not None
    assert sorted(json.dumps(b, sort_keys=True) for b in _briefs(out)) == before


def test_changed_input_reruns_only_that_shard(shards: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _run(shards, out)
    part = shards / "part-1.jsonl"
    lines = part.read_text("utf-8").splitlines()
    part.write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    again = _run(shards, out)
    assert again.shards_run == 1 and not again.link_reused
    assert again.articles == 5


def test_no_leftover_temporary_files(first_run) -> None:
    out, _ = first_run
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


def test_without_ner_briefs_still_parse(shards: Path, tmp_path: Path) -> None:
    out = tmp_path / "noner"
    report = _run(shards, out, ner=False)
    assert pq.read_table(out / "entities").num_rows == 0
    assert all(r["doc"] is None for r in pq.read_table(out / "articles").to_pylist())
    briefs = _briefs(out)
    assert len(briefs) == report.stories
    assert any(s["entities"] for b in briefs for s in b["stories"])


def test_no_briefs_stops_after_links(shards: Path, tmp_path: Path) -> None:
    out = tmp_path / "links-only"
    report = _run(shards, out, briefs=False, ner=False)
    assert not (out / "briefs").exists()
    links = pq.read_table(out / "links").to_pylist()
    assert len(links) == report.articles == 6
    assert len({r["story"] for r in links}) == report.stories


def test_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        make_engine("spark", 1)
    with pytest.raises(UsageError):
        make_engine("local", 1, address="ray://head:10001")
    with pytest.raises(UsageError):
        _run(tmp_path / "nothing-here", tmp_path / "out")


def test_warc_gz_shards(shards: Path, tmp_path: Path) -> None:
    import gzip

    from .conftest import _FLOOD

    page = ("<html><head><title>River floods Eastfold</title>"
            '<meta property="article:published_time" content="2025-05-06T08:00:00Z"></head>'
            "<body><article><h1>River floods Eastfold</h1>"
            + "".join(f"<p>{p}</p>" for p in _FLOOD) + "</article></body></html>")
    (shards / "crawl.warc.gz").write_bytes(
        gzip.compress(warc_bytes([("https://eastfoldnews.example/flood", page.encode())])))
    out = tmp_path / "warc"
    report = _run(shards, out, ner=False, briefs=False)
    assert report.shards == 3 and report.articles == 7
    rows = pq.read_table(out / "articles").to_pylist()
    warc = [r for r in rows if r["format"] == "warc"]
    assert len(warc) == 1 and warc[0]["source"] == "https://eastfoldnews.example/flood"
    assert "Marrow River" in warc[0]["text"] and warc[0]["published"].startswith("2025-05-06")
