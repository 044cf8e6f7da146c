"""Story clustering. Placeholder until it is built (see the open issues): one story."""

from __future__ import annotations

from ..brief import story_id_for
from ..models import Article


def cluster_articles(articles: list[Article], mode: str = "batch") -> dict[str, str]:
    """Not built yet: every article joins one story. Returns article id → story id."""
    sid = story_id_for(a.id for a in articles)
    return {a.id: sid for a in articles}
