"""Time blocks of the link step: copies across a block edge, no double counting, undated last."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from storyline.executors import tables as T
from storyline.executors.link import blocks, bucket_count, bucket_of, link_blocks
from storyline.models import Article
from storyline.settings import Settings

_TEXT = (
    "The harbour authority of Port Wendel closed the north quay on {d} after a crane "
    "collapsed onto a cargo ship, injuring three dock workers, officials said. Engineers from "
    "the authority were inspecting the remaining cranes and expected the quay to reopen "
    "within a week. The ship's owner, Greyfin Lines, said its cargo of timber was undamaged."
)
_OTHER = (
    "A late frost destroyed much of the apricot harvest in the Sallow valley, growers said, "
    "and the regional farm office estimated losses at 2 million dollars. Orchards on higher "
    "ground were spared, and the cooperative said it would still ship to its usual buyers."
)


def _write(tmp: Path, items: list[tuple[str, str, str | None]],
           precomputed: bool = False) -> list[Path]:
    from storyline.dedup import DedupIndex
    from storyline.signals import detect_flags

    rows = []
    for i, (aid, text, day) in enumerate(items):
        a = Article(id=aid, source=f"s:{i}", text=text, published=day, ingest_order=i)
        if precomputed:  # as the shard step writes them
            rows.append(T.article_row(a, "s", None, DedupIndex().row_of(a), detect_flags(a)))
        else:
            rows.append(T.article_row(a, "s", None))
    path = tmp / "articles" / "s.parquet"
    T.write_parquet(rows, T.article_schema(), path)
    return [path]


def test_blocks_cover_days_in_order() -> None:
    s = Settings(batch_window_days=7)
    days = [14, 15, 30, T.UNDATED]
    assert blocks(days, s) == [(14, 21), (28, 35), (T.UNDATED, T.UNDATED + 1)]
    assert bucket_count(1001, Settings(batch_bucket_articles=500)) == 3
    assert 0 <= bucket_of("s-abc", 3) < 3


def test_copy_across_block_edge_found_once(tmp_path: Path) -> None:
    s = Settings(batch_window_days=7, batch_overlap_days=1)
    edge = (T.day_number("2025-03-01") // 7 + 1) * 7  # first day of a block
    from datetime import date

    before = date.fromordinal(edge - 1).isoformat()
    after = date.fromordinal(edge).isoformat()
    files = _write(tmp_path, [
        ("orig", _TEXT.format(d="Monday"), before),
        ("copy", _TEXT.format(d="Monday"), after),
        ("farm", _OTHER, after),
        ("undated", _OTHER, None),
    ])
    out = list(link_blocks(files, s, buckets=2))
    assert [len(rows) for _, rows in out] == [1, 2, 1]  # every article once, by its home block
    assert out[-1][0][0] == T.UNDATED
    rows = {r["id"]: r for _, block in out for r in block}
    assert '"duplicate_of"' in rows["copy"]["relations"] and '"orig"' in rows["copy"]["relations"]
    assert rows["orig"]["relations"] == "[]"
    assert rows["copy"]["story"] == rows["orig"]["story"] != rows["farm"]["story"]


def test_copy_beyond_overlap_is_a_documented_miss(tmp_path: Path) -> None:
    from datetime import date

    s = Settings(batch_window_days=7, batch_overlap_days=1)
    edge = (T.day_number("2025-03-01") // 7 + 1) * 7
    files = _write(tmp_path, [
        ("orig", _TEXT.format(d="Monday"), date.fromordinal(edge - 3).isoformat()),
        ("copy", _TEXT.format(d="Monday"), date.fromordinal(edge).isoformat()),
    ])
    rows = {r["id"]: r for _, block in link_blocks(files, s, 1) for r in block}
    assert rows["copy"]["relations"] == "[]"  # see docs/scaling.md: limits of time blocks
    wide = Settings(batch_window_days=7, batch_overlap_days=3)
    rows = {r["id"]: r for _, block in link_blocks(files, wide, 1) for r in block}
    assert '"orig"' in rows["copy"]["relations"]


def test_run_link_writes_parts(tmp_path: Path) -> None:
    from storyline.executors.link import run_link

    _write(tmp_path, [("a", _TEXT.format(d="Monday"), "2025-03-03"), ("b", _OTHER, None)])
    info = run_link(tmp_path, ["articles/s.parquet"], 2, Settings(), {"inputs": "x"})
    assert info["articles"] == 2 and sum(info["files"].values()) == 2
    assert T.complete(tmp_path, T.read_manifest(tmp_path, "link", "link"), {"inputs": "x"})
    table = pq.read_table(tmp_path / "links")
    assert sorted(table.column("id").to_pylist()) == ["a", "b"]


def test_fingerprints_from_the_shard_step_give_the_same_links(tmp_path: Path) -> None:
    s = Settings(batch_window_days=7, batch_overlap_days=1)
    items = [
        ("orig", _TEXT.format(d="Monday"), "2025-03-03"),
        ("copy", _TEXT.format(d="Monday"), "2025-03-04"),
        ("edit", _TEXT.format(d="Tuesday") + "\nShare this", "2025-03-05"),
        ("farm", _OTHER + " the the harvest.", "2025-03-05"),
        ("undated", _OTHER, None),
    ]
    plain = list(link_blocks(_write(tmp_path / "a", items), s, 2))
    pre = list(link_blocks(_write(tmp_path / "b", items, precomputed=True), s, 2))
    assert pre == plain
    rows = {r["id"]: r for _, block in pre for r in block}
    assert '"near_duplicate_of"' in rows["edit"]["relations"]
    assert "boilerplate.residue" in rows["edit"]["flags"]
    assert "translation.doubled_word" in rows["farm"]["flags"]
