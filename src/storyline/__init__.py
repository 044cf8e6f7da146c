"""Storyline: reads a pile of news articles the way a careful analyst does.

The public surface is small and light to import (spaCy, Ray and friends load on first use)::

    from storyline import analyze
    brief = analyze(["articles/"])
    print(brief.to_dict()["stories"][0]["title"])
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .models import Brief

__all__ = ["__version__", "analyze"]


def analyze(paths: list[str], **kwargs: Any) -> Brief:
    """Ingest, clean, deduplicate, cluster and brief the given files, folders or globs."""
    from .pipeline import analyze as _analyze

    return _analyze(paths, **kwargs)
