"""``storyline bench speed``: the memory runs end to end on a tiny corpus (speed is never asserted)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from storyline.bench.speed import command


def test_memory_run_writes_figures(tmp_path: Path) -> None:
    out = tmp_path / "fig.json"
    result = CliRunner().invoke(command, [
        "--skip-pipeline", "--memory-sizes", "30", "--shard-size", "10", "--workers", "2",
        "--work", str(tmp_path / "work"), "--json", str(out),
    ])
    assert result.exit_code == 0, result.output
    fig = json.loads(out.read_text())
    mem = fig["memory_30"]
    assert mem["articles"] == 30 and mem["shards"] == 3
    assert 10 < mem["peak_worker_rss_mb"] < 4096  # the worker's own VmHWM, in MiB
    assert "peak worker RSS" in result.output


def test_interleaved_baseline_runs_beside_the_pipeline(tmp_path: Path) -> None:
    out = tmp_path / "fig.json"
    result = CliRunner().invoke(command, [
        "-n", "16", "--shard-size", "8", "--workers", "1", "--no-ray", "--memory-sizes", "",
        "--interleave", "2", "--no-after", "--work", str(tmp_path / "work"), "--json", str(out),
    ])
    assert result.exit_code == 0, result.output
    fig = json.loads(out.read_text())
    assert fig["local"]["articles"] == 16
    inter = fig["ner_interleaved"]
    assert inter["every"] == 2 and inter["articles"] == 8  # the first of the two shards
    assert inter["cpu"] > 0 and fig["ratio_cpu_interleaved"] > 0
    assert "ner_only" not in fig  # --no-after
    assert "interleaved: CPU" in result.output
