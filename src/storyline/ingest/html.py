"""HTML pages: main text and metadata with trafilatura."""

from __future__ import annotations

import re
from typing import Any

from ..errors import DocumentError
from .records import RawDocument

_TAG = re.compile(r"<[^>]*>")
_OPEN_CLOSE = re.compile(rb"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^<>]*?(/?)>")
# Elements that never hold children, or whose end tag HTML lets authors omit.
_NO_DEPTH = frozenset(
    b"area base br col embed hr img input link meta param source track wbr "
    b"p li dt dd tr td th option thead tbody tfoot colgroup rt rp".split()
)
#: lxml (libxml2) stops building the tree at 256 levels, and resiliparse's main-content
#: heuristic is quadratic in depth; deeper pages are read with the plain linear extractor.
MAX_DEPTH = 200


def nesting_depth(html: str, limit: int = MAX_DEPTH) -> int:
    """The element nesting depth of a page, counted up to ``limit + 1`` (linear time)."""
    depth = deepest = 0
    for m in _OPEN_CLOSE.finditer(html.encode("utf-8", "replace")):
        closing, name, self_closing = m.group(1), m.group(2).lower(), m.group(3)
        if name in _NO_DEPTH or self_closing:
            continue
        if closing:
            depth = max(0, depth - 1)
        else:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
    return deepest


def read_html(
    html: str, source: str, url: str | None = None, max_chars: int | None = None
) -> RawDocument:
    """Extract the main text, title, author, date and site name of an HTML page.

    Pages longer than ``max_chars``, or nested deeper than :data:`MAX_DEPTH` levels, go through
    resiliparse's linear-time extractor instead.

    Raises:
        DocumentError: no main text was found in the page.
    """
    import trafilatura

    if max_chars is not None and len(html) > max_chars:
        return _read_large_html(html, source, url)
    if nesting_depth(html) > MAX_DEPTH:
        return _read_large_html(html, source, url)

    try:
        doc: Any = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_recall=True,
        )
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        raise DocumentError(f"HTML extraction failed ({type(exc).__name__}: {exc})") from exc
    if doc is None:
        raise DocumentError("no main text found in the HTML page")
    get = doc.get if isinstance(doc, dict) else lambda k: getattr(doc, k, None)
    text = get("text") or ""
    if not text.strip():
        raise DocumentError("no main text found in the HTML page")
    author = get("author")
    if author:
        author = author.replace(";", ",").strip() or None
    date = get("date")
    return RawDocument(
        source=source,
        format="html",
        text=text,
        title=_clean_meta(get("title")),
        author=author,
        outlet=_clean_meta(get("sitename")),
        published=date or None,
        url=url or get("url"),
        language=get("language"),
    )


def _clean_meta(value: str | None) -> str | None:
    if not value:
        return None
    value = _TAG.sub("", value).strip()
    return value or None


def _read_large_html(html: str, source: str, url: str | None) -> RawDocument:
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    tree = HTMLTree.parse(html)
    main = nesting_depth(html) <= MAX_DEPTH
    text = extract_plain_text(tree, main_content=main, list_bullets=False)
    if not text.strip():
        raise DocumentError("no main text found in the (large) HTML page")
    return RawDocument(
        source=source, format="html", text=text, title=_clean_meta(tree.title), url=url
    )
