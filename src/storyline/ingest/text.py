"""Plain-text articles: first non-empty line may be the title, a ``by NAME`` line is a byline."""

from __future__ import annotations

import re

from .records import RawDocument

_BYLINE = re.compile(r"^\s*(?:by|By|BY)\s+([A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){0,4})\s*$")


def parse_byline(line: str) -> str | None:
    """The author's name in a ``by NAME`` line, else None."""
    m = _BYLINE.match(line)
    return m.group(1).strip() if m else None


_MENU_GAP = re.compile(r"\S(?:\s{3,}|\t+|\s+[|·•]\s+)\S")


def _looks_like_title(line: str) -> bool:
    words = line.split()
    if _MENU_GAP.search(line):  # a navigation menu, not a headline
        return False
    return 0 < len(words) <= 30 and not line.rstrip().endswith((".", "!", "?", ":", ";", ","))


def read_text(text: str, source: str) -> RawDocument:
    """Read a plain-text article. The title is taken from the first non-empty line when it
    reads like one (short, no sentence-final punctuation); the cleaner removes that line and
    the byline from the body and records why."""
    title = None
    author = None
    lines = text.splitlines()
    nonempty = [ln.strip() for ln in lines if ln.strip()]
    for ln in nonempty[:12]:
        author = parse_byline(ln)
        if author:
            break
    for ln in nonempty[:3]:
        # Skip one-word UI lines ("close") that precede the real title on some pages.
        if len(ln.split()) >= 3 and _looks_like_title(ln):
            title = ln
            break
    return RawDocument(source=source, format="text", text=text, title=title, author=author)
