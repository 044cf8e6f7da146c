"""Which articles are independent reports, and small name helpers shared by the fact aligners.

Copies count once: the dedup stage's relations (``duplicate_of``, ``near_duplicate_of``,
``rewrite_of``) link copies to their originals; without them a word 5-gram overlap check stands in.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..models import Article


def norm_ent(text: str) -> str:
    """An entity name reduced for comparison: lower case, no leading "the", no dots, no "'s"."""
    t = re.sub(r"^(the)\s+", "", text.strip().lower())
    return t.replace(".", "").replace("’s", "").replace("'s", "")


@lru_cache(maxsize=4096)
def canonical_place(name: str) -> str:
    """``U.S.`` / ``US`` / ``United States`` → ``us``: one key per country (pycountry), else the name."""
    key = norm_ent(name)
    bare = name.replace(".", "").strip()
    if len(bare) <= 3 and not bare.isupper():
        return key  # "in", "us" in lower case are words, not country codes
    try:
        import pycountry

        country = pycountry.countries.lookup(key)
    except (LookupError, ImportError):
        return key
    return str(country.alpha_2).lower()


def is_country(name: str) -> bool:
    """Whether a name is a country (by pycountry), whatever label NER gave it."""
    return canonical_place(name) != norm_ent(name)


def independent_sources(articles: list[Article], min_overlap: float = 0.5) -> dict[str, str]:
    """Map each article id to the id of the independent report it belongs to (copies count once).

    The dedup stage's relations (``duplicate_of``, ``near_duplicate_of``, ``rewrite_of``) link copies
    to their originals. Articles without any relation are compared here by word 5-gram overlap, so
    that a story briefed without the dedup stage still counts copies once.

    Args:
        articles: The story's articles.
        min_overlap: Share of the shorter article's 5-grams found in the other that makes a copy.

    Returns:
        article id → representative article id (the earliest of its copy group).
    """
    parent = {a.id: a.id for a in articles}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(x: str, y: str) -> None:
        rx, ry = find(x), find(y)
        if rx != ry:
            parent[max(rx, ry, key=order.__getitem__)] = min(rx, ry, key=order.__getitem__)

    order = {a.id: i for i, a in enumerate(articles)}
    copy_types = {"duplicate_of", "near_duplicate_of", "rewrite_of"}
    has_relations = any(r.type in copy_types for a in articles for r in a.relations)
    for a in articles:
        for r in a.relations:
            if r.type in copy_types and r.article in parent:
                union(a.id, r.article)
    if not has_relations:
        grams = {a.id: _shingles(a.text) for a in articles}
        for i, a in enumerate(articles):
            for b in articles[i + 1 :]:
                ga, gb = grams[a.id], grams[b.id]
                if ga and gb and len(ga & gb) / min(len(ga), len(gb)) >= min_overlap:
                    union(a.id, b.id)
    return {a.id: find(a.id) for a in articles}


def _shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + n]) for i in range(max(0, len(words) - n + 1))}


def outlet(a: Article, max_words: int = 6) -> str:
    """The name a reader knows a source by: its outlet, else its headline cut short, else its file."""
    if a.outlet:
        return a.outlet
    if a.title:
        words = a.title.split()
        return " ".join(words[:max_words]) + ("…" if len(words) > max_words else "")
    name = re.split(r"[/\\]", a.source.rstrip("/\\"))[-1] if a.source else ""
    return name or a.id
