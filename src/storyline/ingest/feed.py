"""RSS and Atom feed files with feedparser.

Items that carry full content become articles; items with only a link are recorded as such.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from ..errors import DocumentError
from .records import LinkOnly, RawDocument

#: Below this many words of content an item is a teaser, not an article.
MIN_CONTENT_WORDS = 60


def _iso(struct: Any) -> str | None:
    if not struct:
        return None
    try:
        return time.strftime("%Y-%m-%dT%H:%M:%S", struct)
    except (TypeError, ValueError):
        return None


def read_feed(data: bytes, source: str) -> Iterator[RawDocument | LinkOnly | DocumentError]:
    """Read a feed file's items."""
    import feedparser

    parsed = feedparser.parse(data)
    if parsed.bozo and not parsed.entries:
        exc = parsed.get("bozo_exception")
        yield DocumentError(f"not a readable RSS/Atom feed ({exc})")
        return
    if not parsed.entries:
        yield DocumentError("feed has no items")
        return
    outlet = parsed.feed.get("title")
    for i, entry in enumerate(parsed.entries):
        where = f"{source}#item{i + 1}"
        link = entry.get("link")
        html = None
        if entry.get("content"):
            html = "\n".join(c.get("value", "") for c in entry.content)
        elif entry.get("summary"):
            html = entry.get("summary")
        published = _iso(entry.get("published_parsed") or entry.get("updated_parsed"))
        author = entry.get("author")
        if not html or len(_strip_tags(html).split()) < MIN_CONTENT_WORDS:
            if link:
                yield LinkOnly(source=where, url=link, title=entry.get("title"), published=published)
            else:
                yield DocumentError(f"item {i + 1} has neither content nor a link")
            continue
        yield RawDocument(
            source=where,
            format="feed",
            html=_wrap(html, entry.get("title")),
            title=entry.get("title"),
            author=author,
            outlet=outlet,
            published=published,
            url=link,
        )


def _strip_tags(html: str) -> str:
    import re

    return re.sub(r"<[^<>]+>", " ", html)  # [^<>]: linear even on "<<<<…" without a ">"


def _wrap(fragment: str, title: str | None) -> str:
    """Feed content is an HTML fragment; give trafilatura a page around it."""
    from html import escape

    head = f"<title>{escape(title)}</title>" if title else ""
    return f"<html><head>{head}</head><body><article>{fragment}</article></body></html>"
