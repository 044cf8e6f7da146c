"""The embedded store: one SQLite file (WAL mode, FTS5). The only package that speaks SQL."""

from __future__ import annotations

from .sqlite import Store, default_db_path

__all__ = ["Store", "default_db_path"]
