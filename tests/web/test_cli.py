"""``storyline serve``: help, defaults and a clear error without a store."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from storyline.cli import main


def test_serve_help_has_example_and_safe_default() -> None:
    r = CliRunner().invoke(main, ["serve", "--help"])
    assert r.exit_code == 0, r.output
    assert "Example: storyline serve --db news.db" in r.output
    assert "127.0.0.1" in r.output and "--allow-ingest" in r.output


def test_serve_without_store_fails_clearly(tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    r = CliRunner().invoke(main, ["serve", "--db", str(missing)])
    assert r.exit_code == 1
    assert "no store at" in r.output and "storyline ingest" in r.output
    assert not missing.exists()  # serving never creates a store


def test_import_storyline_stays_light() -> None:
    import subprocess
    import sys

    code = "import sys, storyline; print('fastapi' in sys.modules or 'uvicorn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
