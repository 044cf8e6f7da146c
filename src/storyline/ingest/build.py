"""From a raw document to an :class:`~storyline.models.Article`: HTML extraction, metadata
normalisation (dates, language), a content-hash id, and cleaning."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from email.utils import parsedate_to_datetime

from ..clean import clean_article
from ..errors import DocumentError
from ..models import Article, RemovedLine
from ..settings import Settings, get_settings
from .records import RawDocument

_EN_STOPWORDS = frozenset(
    "the of and to in a is that for on was with as by it at from his her said are were be has "
    "have had not this which an their they will would its but".split()
)
_DATELINE = re.compile(
    r"^\s*(?:published|posted|updated|date)?\s*:?\s*"
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)\w*,?\s+)?"
    r"(?:\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4}|\d{1,2}\s+[A-Za-z]{3,9}\.?\s+\d{4}"
    r"|[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+\d{4})"
    r"(?:[\sT,]+\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,4}|Z|[+-]\d{2}:?\d{2})?)?\s*$",
    re.IGNORECASE,
)


def normalize_date(value: str | None) -> str | None:
    """An ISO date (``YYYY-MM-DD``) or date-time (``YYYY-MM-DDThh:mm:ss``) from common formats."""
    if not value:
        return None
    value = value.strip()
    dt: datetime | None = None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            dt = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            dt = None
    if dt is None:
        import dateparser

        opts: dict[str, str] = {"PREFER_DAY_OF_MONTH": "first"}
        if re.match(r"\d{1,2}\.\d{1,2}\.\d{4}", value):
            opts["DATE_ORDER"] = "DMY"  # dotted dates are day-first wherever they are used
        dt = dateparser.parse(value, settings=opts)  # type: ignore[arg-type]
    if dt is None:
        return None
    # formatted by hand: strftime's %Y does not pad years before 1000 ("999-12-31")
    day = f"{dt.year:04d}-{dt.month:02d}-{dt.day:02d}"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) or (dt.hour, dt.minute, dt.second) == (0, 0, 0):
        return day
    return f"{day}T{dt.hour:02d}:{dt.minute:02d}:{dt.second:02d}"


def _tomorrow() -> str:
    from datetime import date, timedelta

    return (date.today() + timedelta(days=1)).isoformat()


def guess_language(text: str) -> str | None:
    """``"en"`` when English function words are frequent, else None (unknown)."""
    words = re.findall(r"[a-z]+", text[:20000].lower())
    if len(words) < 20:
        return None
    share = sum(1 for w in words if w in _EN_STOPWORDS) / len(words)
    return "en" if share > 0.12 else None


def article_id(raw: RawDocument, body: str) -> str:
    """A stable content hash: the same document read twice gets the same id."""
    h = hashlib.sha1()
    for part in (raw.url or "", raw.title or "", body):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return "a" + h.hexdigest()[:15]


def _text_dateline(raw_text: str) -> tuple[str | None, str | None]:
    """A date stated on its own line near the top of a plain-text page."""
    for line in [ln.strip() for ln in raw_text.splitlines() if ln.strip()][:10]:
        if len(line.split()) <= 8 and _DATELINE.match(line):
            iso = normalize_date(re.sub(r"^\s*(?:published|posted|updated|date)\s*:?\s*", "", line, flags=re.I))
            if iso:
                return line, iso
    return None, None


def build_article(
    raw: RawDocument,
    repeated_lines: set[str] | None = None,
    settings: Settings | None = None,
    ingest_order: int = 0,
) -> Article:
    """Extract (HTML), normalise metadata and clean one raw document into an article.

    Raises:
        DocumentError: the document has no readable text.
    """
    settings = settings or get_settings()
    notes: list[RemovedLine] = []
    if raw.html is not None and raw.text is None:
        from .html import read_html

        html = raw.html
        if len(html) > settings.max_html_chars:
            cut = html.rfind("<", 0, settings.max_html_chars)
            cut = cut if cut > 0 else settings.max_html_chars
            notes.append(RemovedLine(
                text=f"the last {len(html) - cut:,} characters of the HTML page",
                reason=f"page beyond the {settings.max_html_chars:,}-character HTML limit "
                "(not parsed, to bound memory)",
            ))
            html = html[:cut]
        extracted = read_html(html, raw.source, raw.url, settings.trafilatura_max_chars)
        del html
        for key in ("title", "author", "outlet", "published", "url", "language"):
            if getattr(raw, key) is None:
                setattr(raw, key, getattr(extracted, key))
        raw.text = extracted.text
        raw.html = None  # the page can be tens of MB; the extracted text is all we need now
    body = (raw.text or "").replace("\x00", "")
    if not body.strip():
        raise DocumentError("the document has no text")
    if len(body) > settings.max_raw_text_chars:
        cut = body.rfind("\n", 0, settings.max_raw_text_chars)
        cut = cut if cut > 0 else settings.max_raw_text_chars
        notes.append(RemovedLine(
            text=body[cut : cut + 200].strip() + "…",
            reason=f"extracted text beyond the {settings.max_raw_text_chars:,}-character limit "
            "(not cleaned)",
        ))
        body = body[:cut]
    published = normalize_date(raw.published)
    if published and published[:10] > _tomorrow():
        notes.append(RemovedLine(
            text=f"published: {raw.published}",
            reason="publication date in the future (ignored)",
        ))
        published = None
    dateline = None
    if published is None and raw.format == "text":
        dateline, published = _text_dateline(body)
    article = Article(
        id=article_id(raw, body),
        source=raw.url or raw.source if raw.format in {"warc", "feed"} else raw.source,
        text="",
        raw_text=body,
        title=raw.title.strip() if raw.title else None,
        outlet=raw.outlet,
        author=raw.author,
        published=published,
        language=raw.language,
        url=raw.url,
        format=raw.format,
        ingest_order=ingest_order,
    )
    clean_article(article, repeated_lines, settings)
    article.removed.extend(notes)
    if dateline:
        reason = "dateline (kept as published)"
        for r in article.removed:
            if r.text == dateline:
                r.reason = reason
                break
        else:
            article.removed.append(RemovedLine(text=dateline, reason=reason))
        article.text = "\n\n".join(p for p in article.text.split("\n\n") if p.strip() != dateline)
    if not article.text.strip():
        raise DocumentError("nothing but page chrome was left after cleaning")
    if article.language is None:
        article.language = guess_language(article.text)
    elif len(article.language) > 2 and "-" in article.language:
        article.language = article.language.split("-")[0].lower()
    return article
