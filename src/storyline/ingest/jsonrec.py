"""JSON and JSONL records: ``{id?, url?, title?, text or html, published?, outlet?, author?}``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ..errors import DocumentError
from .records import RawDocument

_TEXT_KEYS = ("text", "content", "body", "maintext")
_HTML_KEYS = ("html", "raw_html")
_DATE_KEYS = ("published", "date", "date_publish", "published_at", "pubDate")
_OUTLET_KEYS = ("outlet", "source_name", "site", "sitename", "publisher", "source_domain")


def _first(rec: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for k in keys:
        v = rec.get(k)
        if v not in (None, ""):
            return v
    return None


def record_to_document(rec: Any, source: str) -> RawDocument:
    """Turn one JSON object into a raw document.

    Raises:
        DocumentError: the record is not an object or has neither text nor html.
    """
    if not isinstance(rec, dict):
        raise DocumentError(f"record is a JSON {type(rec).__name__}, not an object")
    text = _first(rec, _TEXT_KEYS)
    html = _first(rec, _HTML_KEYS)
    if not isinstance(text, str) and not isinstance(html, str):
        raise DocumentError("record has neither a 'text' nor an 'html' string field")
    author = rec.get("author") or rec.get("authors")
    if isinstance(author, list):
        author = ", ".join(str(a) for a in author if a)
    published = _first(rec, _DATE_KEYS)
    return RawDocument(
        source=source,
        format="json",
        text=text if isinstance(text, str) else None,
        html=html if isinstance(html, str) and not isinstance(text, str) else None,
        title=rec.get("title") if isinstance(rec.get("title"), str) else None,
        author=str(author) if author else None,
        outlet=str(_first(rec, _OUTLET_KEYS)) if _first(rec, _OUTLET_KEYS) else None,
        published=str(published) if published else None,
        url=rec.get("url") if isinstance(rec.get("url"), str) else None,
        language=rec.get("language") if isinstance(rec.get("language"), str) else None,
        record_id=str(rec["id"]) if rec.get("id") not in (None, "") else None,
    )


def read_json(text: str, source: str) -> Iterator[RawDocument | DocumentError]:
    """A JSON file: one record or a list of records."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield DocumentError(f"not valid JSON ({exc.msg} at line {exc.lineno})")
        return
    except RecursionError:
        yield DocumentError("JSON nested too deeply to read")
        return
    records = data if isinstance(data, list) else [data]
    for i, rec in enumerate(records):
        where = f"{source}#{i}" if isinstance(data, list) else source
        try:
            yield record_to_document(rec, where)
        except DocumentError as exc:
            exc.args = (f"{where}: {exc.message}",)
            yield exc


def read_jsonl(lines: Iterator[str], source: str) -> Iterator[RawDocument | DocumentError]:
    """A JSONL file: one record per line; a bad line is reported and the rest still read."""
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{source}:{lineno}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            yield DocumentError(f"line {lineno} is not valid JSON ({exc.msg})")
            continue
        except RecursionError:
            yield DocumentError(f"line {lineno}: JSON nested too deeply to read")
            continue
        try:
            yield record_to_document(rec, where)
        except DocumentError as exc:
            yield DocumentError(f"line {lineno}: {exc.message}")
