"""``storyline bench link`` runs end to end on a small synthetic store."""

from __future__ import annotations

from click.testing import CliRunner

from storyline.bench.link import command


def test_bench_link_prints_both_ways() -> None:
    result = CliRunner().invoke(command, ["--base", "20", "--new", "5"])
    assert result.exit_code == 0, result.output
    assert "store: 20 linked articles; timed ingest: 5 new articles" in result.output
    assert "incremental (persisted state)" in result.output
    assert "baseline: full relink of the store" in result.output
