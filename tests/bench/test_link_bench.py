"""``storyline bench link`` runs end to end on a small synthetic store, and on ECB+ articles
when the data set is there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.bench.link import command

ECBPLUS = Path(__file__).resolve().parents[2] / "../shared/datasets/ecbplus/docs.jsonl"


def test_bench_link_prints_both_ways() -> None:
    result = CliRunner().invoke(command, ["--base", "20", "--new", "5"])
    assert result.exit_code == 0, result.output
    assert "store: 20 linked synthetic articles; timed ingest: 5 new articles" in result.output
    assert "incremental (persisted state)" in result.output
    assert "baseline: full relink of the store" in result.output
    m = re.search(r"rows read back by the incremental link: (\d+) of (\d+) stored", result.output)
    assert m and int(m.group(2)) == 20 and 0 <= int(m.group(1)) <= 20


def test_bench_link_on_real_news_reads_back_a_small_part_of_the_index() -> None:
    if not ECBPLUS.exists():
        pytest.skip(f"ECB+ is not at {ECBPLUS} (../shared/datasets beside the repository)")
    result = CliRunner().invoke(command, ["--base", "40", "--new", "5", "--ecbplus", str(ECBPLUS)])
    assert result.exit_code == 0, result.output
    m = re.search(r"rows read back by the incremental link: (\d+) of (\d+) stored", result.output)
    # ~40 articles of ~40 different events (cleaning may reject a few): the 5 new ones can
    # relate to few of them
    assert m and 30 <= int(m.group(2)) <= 40 and int(m.group(1)) < 20, result.output
