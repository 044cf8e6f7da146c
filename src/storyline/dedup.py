"""Placeholder until provenance is built (see the open issues): finds no relations."""

from __future__ import annotations

from .models import Article


def find_relations(articles: list[Article]) -> None:
    """Not built yet: leaves ``relations`` and ``flags`` as they are."""
    return None
