"""``storyline cluster``: JSONL in, {id, story} lines out; bad lines reported, not fatal."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from storyline.cluster.cli import command
from storyline.models import Article


def _write(path: Path, events: dict[str, list[Article]]) -> None:
    lines = [
        json.dumps({"id": a.id, "text": a.text, "published": a.published})
        for group in events.values()
        for a in group
    ]
    path.write_text("\n".join(lines + ["not json", json.dumps({"id": "x"})]) + "\n")


def test_cluster_command_batch_and_online(tmp_path: Path, events: dict[str, list[Article]]) -> None:
    src = tmp_path / "in.jsonl"
    _write(src, events)
    for extra in ([], ["--online"], ["--online", "--delay", "3"]):
        out = tmp_path / "out.jsonl"
        result = CliRunner().invoke(command, [str(src), "--output", str(out), *extra])
        assert result.exit_code == 0, result.output
        rows = [json.loads(line) for line in out.read_text().splitlines()]
        assert len(rows) == 8
        story = {r["id"]: r["story"] for r in rows}
        assert len(set(story.values())) == 3
        assert story["qa0"] == story["qa2"] != story["qb0"]
        assert "not JSON" in result.output
        assert "needs a string 'id' and 'text'" in result.output


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(command, [str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 1
    assert "cannot read" in result.output


def test_delay_needs_online(tmp_path: Path, events: dict[str, list[Article]]) -> None:
    src = tmp_path / "in.jsonl"
    _write(src, events)
    result = CliRunner().invoke(command, [str(src), "--delay", "3"])
    assert result.exit_code == 2
    assert "--delay needs --online" in result.output


def test_copies_are_found_first_unless_told_not_to(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import storyline.dedup

    pond = ("the water in the old mill pond turned green overnight and neighbours said the smell "
            "reached the school by the next morning, so the council asked people to keep dogs away.")
    bakery = ("a small bakery opened on the corner with fresh bread every morning, and long queues "
              "formed before dawn as neighbours waited for the first warm loaves.")
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": t}) + "\n"
                           for i, t in (("p1", pond), ("k1", bakery), ("p2", pond))))
    calls: list[int] = []
    real = storyline.dedup.find_relations

    def counted(*args: Any, **kw: Any) -> Any:
        calls.append(1)
        return real(*args, **kw)

    monkeypatch.setattr(storyline.dedup, "find_relations", counted)
    for extra, looked in (([], 1), (["--no-copies"], 0)):
        calls.clear()
        result = CliRunner().invoke(command, [str(src), "--output", str(tmp_path / "o.jsonl"), *extra])
        assert result.exit_code == 0, result.output
        assert len(calls) == looked
        story = {r["id"]: r["story"] for r in map(json.loads, (tmp_path / "o.jsonl").read_text().splitlines())}
        assert story["k1"] not in (story["p1"], story["p2"])
        if looked:
            assert story["p1"] == story["p2"]
