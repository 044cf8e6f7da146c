"""The docs say what the code does: generated references are current, every command has an
example, every setting is documented."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import click

from storyline.cli import main
from storyline.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_generated_docs_are_current() -> None:
    res = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_docs.py"), "--check"],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr


def test_every_setting_documented() -> None:
    text = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    for f in fields(Settings):
        assert f"`{f.name}`" in text, f.name


def test_every_command_has_an_example() -> None:
    def walk(cmd: click.Command, ctx: click.Context, path: str) -> None:
        help_text = cmd.get_help(ctx)
        if not isinstance(cmd, click.Group) or path == "storyline":
            assert "Example" in help_text, path
        if isinstance(cmd, click.Group):
            for name in cmd.list_commands(ctx):
                child = cmd.get_command(ctx, name)
                assert child is not None
                walk(child, click.Context(child, info_name=name, parent=ctx), f"{path} {name}")

    walk(main, click.Context(main, info_name="storyline"), "storyline")


def test_readme_commands_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "bash scripts/demo.sh" in readme and "bash scripts/test.sh" in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "scripts/test.sh" in ci
