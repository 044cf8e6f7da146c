"""HTML pages: main text and metadata with trafilatura."""

from __future__ import annotations

import re
from typing import Any

from ..errors import DocumentError
from .records import RawDocument

_TAG = re.compile(r"<[^>]*>")


def read_html(
    html: str, source: str, url: str | None = None, max_chars: int | None = None
) -> RawDocument:
    """Extract the main text, title, author, date and site name of an HTML page.

    Pages longer than ``max_chars`` go through resiliparse's linear-time extractor instead.

    Raises:
        DocumentError: no main text was found in the page.
    """
    import trafilatura

    if max_chars is not None and len(html) > max_chars:
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
    text = extract_plain_text(tree, main_content=True, list_bullets=False)
    if not text.strip():
        raise DocumentError("no main text found in the (large) HTML page")
    return RawDocument(
        source=source, format="html", text=text, title=_clean_meta(tree.title), url=url
    )
