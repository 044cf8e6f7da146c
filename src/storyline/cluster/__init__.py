"""Story clustering: groups articles that report the same real-world event.

Two modes share one similarity (see :mod:`storyline.cluster.features` and
``docs/clustering.md``):

* ``batch`` — average-link agglomeration over the whole set (:mod:`.batch`);
* ``online`` — articles in ``published`` order, each joins an open story or starts one, with a
  time window (:class:`OnlineClusterer`, :mod:`.online`).

Public surface: :func:`cluster_articles`, :class:`OnlineClusterer`.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..brief import story_id_for
from ..errors import UsageError
from ..models import Article
from ..settings import Settings, get_settings
from .batch import cluster_batch
from .online import OnlineClusterer
from .stories import arrival_order

__all__ = ["OnlineClusterer", "arrival_order", "cluster_articles", "labels_to_stories"]

MODES = ("batch", "online")


def labels_to_stories(articles: Sequence[Article], labels: Sequence[int]) -> dict[str, str]:
    """Name each group of articles by ``story_id_for`` its members; returns article id → story."""
    members: dict[int, list[str]] = {}
    for article, label in zip(articles, labels, strict=True):
        members.setdefault(label, []).append(article.id)
    names = {label: story_id_for(ids) for label, ids in members.items()}
    return {a.id: names[label] for a, label in zip(articles, labels, strict=True)}


def cluster_articles(
    articles: list[Article], mode: str = "batch", settings: Settings | None = None
) -> dict[str, str]:
    """Group articles into stories without being told how many there are.

    Args:
        articles: articles with cleaned ``text`` (``title``, ``published`` help when present).
        mode: ``"batch"`` (cluster the whole set at once) or ``"online"`` (one pass in
            ``published`` order, input order for undated articles; each article's story is
            decided once ``Settings.cluster_online_delay`` later articles have arrived, and
            never revised).
        settings: tunables (``cluster_*``); the process settings when omitted.

    Returns:
        Article id → story id. Batch ids are ``story_id_for(member ids)``; online ids are
        ``story_id_for([founding article id])``, so they never change as a story grows.

    Raises:
        UsageError: for an unknown mode.
    """
    settings = settings or get_settings()
    if mode == "batch":
        return labels_to_stories(articles, cluster_batch(articles, settings))
    if mode == "online":
        return OnlineClusterer(settings).assign(arrival_order(articles))
    raise UsageError(f"unknown clustering mode {mode!r}; expected one of {', '.join(MODES)}")
