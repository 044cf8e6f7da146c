"""The command line: exit codes, per-document messages, idempotent ingest, help examples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import main
from storyline.schema import validate_brief

STORY = (
    "Bridge inspectors closed the old rail bridge at Tarnow Lock on Thursday after finding "
    "corroded bolts, the regional rail authority said.\n\n"
    "About 40 freight trains a day will be diverted while repairs go on, a spokesperson added."
)


def _corpus(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text("Rail bridge closed after inspection\n\n" + STORY, encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    (d / "blob.txt").write_bytes(bytes(range(256)) * 20)
    (d / "latin.txt").write_bytes(("Caf\xe9 owners near the bridge worry about trade, said the mayor of the town on Friday.\n\n" + STORY).encode("latin-1"))
    return d


def test_every_command_has_help_with_example() -> None:
    runner = CliRunner()
    res = runner.invoke(main, ["--help"])
    assert res.exit_code == 0
    names = [ln.split()[0] for ln in res.output.split("Commands:")[1].strip().splitlines()]
    assert {"ingest", "analyze", "stories", "brief", "search", "demo"} <= set(names)
    for name in names:
        out = runner.invoke(main, [name, "--help"]).output
        assert "Example" in out or "example" in out, name


def test_ingest_reports_failures_and_is_idempotent(tmp_path: Path) -> None:
    d = _corpus(tmp_path)
    db = str(tmp_path / "s.db")
    runner = CliRunner()
    res = runner.invoke(main, ["ingest", str(d), "--db", db, "-q"])
    assert res.exit_code == 0, res.output
    assert "added 2 article(s)" in res.output
    assert f"skipped {d / 'empty.txt'}: [read] the file is empty" in res.output
    assert "binary" in res.output
    again = runner.invoke(main, ["ingest", str(d), "--db", db, "-q"])
    assert "added 0 article(s), skipped 2 duplicate(s)" in again.output
    assert "holds 2 article(s)" in again.output
    listed = runner.invoke(main, ["stories", "--db", db])
    assert listed.exit_code == 0 and "article(s)" in listed.output
    sid = listed.output.split()[0]
    md = runner.invoke(main, ["brief", sid, "--db", db, "--format", "json"])
    assert md.exit_code == 0, md.output
    validate_brief(json.loads(md.output))
    found = runner.invoke(main, ["search", "corroded", "--db", db])
    assert "Rail bridge closed" in found.output
    missing = runner.invoke(main, ["brief", "s-nope", "--db", db])
    assert missing.exit_code == 1 and "no story" in missing.output


def test_no_article_read_is_an_error(tmp_path: Path) -> None:
    d = tmp_path / "junk"
    d.mkdir()
    (d / "empty.txt").write_bytes(b"")
    (d / "bin.html").write_bytes(b"\x00\x01\x02" * 100)
    runner = CliRunner()
    res = runner.invoke(main, ["analyze", str(d), "-q"])
    assert res.exit_code == 1
    assert "no article could be read" in res.output
    res = runner.invoke(main, ["ingest", str(d), "--db", str(tmp_path / "x.db"), "-q"])
    assert res.exit_code == 1


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["analyze"]).exit_code == 2
    assert runner.invoke(main, ["analyze", str(tmp_path), "--format", "pdf"]).exit_code == 2


@pytest.mark.parametrize("fmt", ["json", "md", "html"])
def test_analyze_formats(tmp_path: Path, fmt: str) -> None:
    d = _corpus(tmp_path)
    out = tmp_path / f"brief.{fmt}"
    res = CliRunner().invoke(main, ["analyze", str(d), "--format", fmt, "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    text = out.read_text(encoding="utf-8")
    assert text.endswith("\n")
    # good.txt and latin.txt are read (the other two fail with a message): one story
    assert "wrote 1 story from 2 articles to" in res.output
    if fmt == "json":
        validate_brief(json.loads(text))
    else:
        assert "Rail bridge closed after inspection" in text


def test_story_ids_stay_stable_as_articles_arrive(tmp_path: Path) -> None:
    d = _corpus(tmp_path)
    db = str(tmp_path / "s.db")
    runner = CliRunner()
    runner.invoke(main, ["ingest", str(d / "good.txt"), "--db", db, "-q"])
    first = runner.invoke(main, ["stories", "--db", db]).output.split()[0]
    runner.invoke(main, ["ingest", str(d / "latin.txt"), "--db", db, "-q"])
    ids = [ln.split()[0] for ln in runner.invoke(main, ["stories", "--db", db]).output.splitlines()]
    assert first in ids
