"""Cleaning: remove what extraction leaves behind, and keep every removed line with its reason.

The rules are general — line length, position relative to the body, repetition across the
corpus, punctuation and capitalisation patterns — never phrase lists taken from particular
sites. A *body line* is one that reads like reporting: at least eight words ending in sentence
punctuation. Short unpunctuated lines before the first body line or after the last one are page
chrome (menus, share buttons, update stamps, tag lines); inside the body only very short lines
are removed, so subheadings survive.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from .models import Article, RemovedLine
from .settings import Settings, get_settings

_SENT_END = re.compile(r"[.!?…:;\"'”’»)\]]\s*$")
_TERMINAL = re.compile(r"[.!?…\"'”’»]\s*$")
_BYLINE = re.compile(r"^\s*(?:by|By|BY)\s+[A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){0,4}\s*$")
_CREDIT_PREFIX = re.compile(
    r"^\s*(?:photo|photograph|image|picture|video|credit|source|illustration|file photo)s?"
    r"(?:\s+credit)?\s*[:|/]",
    re.IGNORECASE,
)
_CREDIT_INLINE = re.compile(
    r"[.!?)]\s+(?:photo|photograph|image|picture|video|illustration|credit)s?"
    r"(?:\s+credit)?\s*:\s*[A-Z]",
    re.IGNORECASE,
)
# Imperatives addressed to the reader that open page furniture ("Subscribe to ...").
_CALL_TO_ACTION = re.compile(
    r"^\s*(?:subscribe|follow us|follow|sign up|sign in|log in|download|click|tap|join us|"
    r"donate|register|like us|share this|share on|watch|listen to|read more|read also|"
    r"see also|don't miss|get the|support)\b",
    re.IGNORECASE,
)
_TAG_LINE = re.compile(
    r"^\s*(?:tags?|topics?|filed under|categor(?:y|ies)|keywords|related(?: topics)?|more on)"
    r"\s*[:\-–]",
    re.IGNORECASE,
)
_MENU_GAP = re.compile(r"\S(?:\s{3,}|\t+|\s+[|·•]\s+)\S")
_NAME_WORD = re.compile(r"^[A-Z][a-zà-ÿ]+(?:[-'’][A-Z]?[a-zà-ÿ]+)*\.?$")
# Words of page furniture that never occur in a person's name; general UI vocabulary.
_UI_WORDS = {
    "on", "new", "update", "updated", "more", "read", "live", "share", "menu", "close", "home",
    "news", "search", "login", "log", "sign", "subscribe", "next", "previous", "top", "back",
    "latest", "follow", "us", "comments", "comment", "print", "email", "advertisement",
    "sponsored", "watch", "listen", "the", "and", "of", "in", "to", "a", "for", "with", "at",
}
BODY_MIN_WORDS = 8
#: A bare name line this close to the top is a byline even after a standfirst paragraph.
NAME_LINE_WINDOW = 8


def normalize_line(line: str) -> str:
    """A comparison key for a line: NFKC, case-folded, punctuation and spaces squeezed."""
    # Short lines repeat (titles, menus, comment furniture) and are keyed many times per page.
    return _normalize_short(line) if len(line) <= 300 else _normalize(line)


@lru_cache(maxsize=16384)
def _normalize_short(line: str) -> str:
    return _normalize(line)


def _normalize(line: str) -> str:
    s = unicodedata.normalize("NFKC", line).casefold()
    s = re.sub(r"[^\w\s]", "", s)
    return re.sub(r"\s+", " ", s).strip()


def is_body_line(line: str) -> bool:
    """A line that reads like reporting: long enough and ending like a sentence."""
    return len(line.split()) >= BODY_MIN_WORDS and bool(_SENT_END.search(line))


def _is_name_line(line: str) -> bool:
    words = line.split()
    return 2 <= len(words) <= 4 and all(
        _NAME_WORD.match(w) and w.lower().rstrip(".") not in _UI_WORDS for w in words
    )


def _credit_reason(line: str) -> str | None:
    words = len(line.split())
    if "©" in line or re.search(r"\(c\)\s+\w", line, re.IGNORECASE):
        if words <= 40 and not is_body_line(line.split("©")[0] if "©" in line else line):
            return "photo credit or caption (©)"
        if words <= 40 and line.rstrip().endswith(("channel", "Images", "images", "Photo", "photo")):
            return "photo credit or caption (©)"
    if _CREDIT_PREFIX.match(line) and words <= 25:
        return "photo or media credit"
    if _CREDIT_INLINE.search(line) and words <= 25:
        return "photo caption with credit"
    return None


def line_reason(
    line: str,
    *,
    title: str | None,
    in_head: bool,
    in_tail: bool,
    near_top: bool = False,
    repeated: bool,
    settings: Settings,
) -> str | None:
    """Why a line is not part of the article's reporting, or None to keep it."""
    stripped = line.strip()
    words = stripped.split()
    n = len(words)
    if title and normalize_line(stripped) == normalize_line(title):
        return "repeated title"
    if (
        title
        and len(title.split()) >= 4
        and n <= len(title.split()) + 8
        and normalize_line(title) in normalize_line(stripped)
    ):
        # "The post <title> appeared first on <site>." and similar feed/page furniture.
        return "title repeated inside a header or footer line"
    if _BYLINE.match(stripped):
        return "byline"
    reason = _credit_reason(stripped)
    if reason:
        return reason
    if _TAG_LINE.match(stripped) and not is_body_line(stripped.split(":", 1)[-1]):
        return "tag line"
    if _CALL_TO_ACTION.match(stripped) and n <= 15:
        return "call to action addressed to the reader (subscribe, follow, share)"
    if _MENU_GAP.search(stripped) and n <= 12 and not _SENT_END.search(stripped):
        return "navigation menu (items separated by wide gaps or bars)"
    if repeated and n <= 12 and not is_body_line(stripped):
        return "boilerplate repeated across articles"
    if (in_head or near_top) and _is_name_line(stripped):
        return "name line above the body (byline or outlet)"
    if (in_head or in_tail) and n <= settings.chrome_max_words and not _TERMINAL.search(stripped):
        return "short line outside the body (navigation, share or update stamp)"
    if n <= 2 and not re.search(r"\d", stripped):
        return "isolated one- or two-word UI line"
    if in_tail and n <= settings.chrome_max_words and stripped.endswith("."):
        return "short line after the body (share or navigation)"
    return None


def clean_text(
    raw_text: str,
    title: str | None = None,
    repeated_lines: set[str] | None = None,
    settings: Settings | None = None,
) -> tuple[str, list[RemovedLine], list[str]]:
    """Clean extracted text.

    Returns:
        The cleaned text (kept lines joined by blank lines), the removed lines with reasons, and
        the removed lines that looked like a byline name (author candidates).
    """
    settings = settings or get_settings()
    repeated_lines = repeated_lines or set()
    lines = [ln.strip() for ln in raw_text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [ln for ln in lines if ln]
    body_idx = [i for i, ln in enumerate(lines) if is_body_line(ln)]
    first_body = body_idx[0] if body_idx else len(lines)
    last_body = body_idx[-1] if body_idx else -1
    kept: list[str] = []
    removed: list[RemovedLine] = []
    names: list[str] = []
    for i, ln in enumerate(lines):
        reason = line_reason(
            ln,
            title=title,
            in_head=i < first_body,
            in_tail=i > last_body,
            near_top=i < NAME_LINE_WINDOW,
            repeated=normalize_line(ln) in repeated_lines,
            settings=settings,
        )
        if reason is None:
            kept.append(ln)
        else:
            removed.append(RemovedLine(text=ln, reason=reason))
            if reason.startswith("name line above the body"):
                names.append(ln)
    return "\n\n".join(kept), removed, names


def repeated_short_lines(texts: Iterable[str], min_docs: int = 3, max_words: int = 12) -> set[str]:
    """Normalised short lines that occur in at least ``min_docs`` different texts.

    Long lines are never counted, so an article copied by several outlets keeps its reporting.
    """
    counts: dict[str, int] = {}
    for text in texts:
        seen = {
            normalize_line(ln)
            for ln in text.splitlines()
            if ln.strip() and len(ln.split()) <= max_words and not is_body_line(ln)
        }
        for key in seen:
            if key:
                counts[key] = counts.get(key, 0) + 1
    return {k for k, c in counts.items() if c >= min_docs}


def clean_article(
    article: Article, repeated_lines: set[str] | None = None, settings: Settings | None = None
) -> Article:
    """Clean ``article.raw_text`` into ``article.text`` and record the removed lines.

    A plain-text article's title line is removed too (it is kept as ``title``). A byline-like
    name line fills ``author`` when the metadata had none.
    """
    settings = settings or get_settings()
    text, removed, names = clean_text(article.raw_text, article.title, repeated_lines, settings)
    if len(text) > settings.max_text_chars:
        cut = text.rfind("\n\n", 0, settings.max_text_chars)
        cut = cut if cut > 0 else settings.max_text_chars
        removed.append(
            RemovedLine(text=text[cut:cut + 200] + "…", reason="text beyond the length limit")
        )
        text = text[:cut]
    if article.author is None and names:
        article.author = names[0]
    article.text = text
    article.removed = removed
    return article
