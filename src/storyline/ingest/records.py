"""What a format reader yields: a raw document (text or HTML plus metadata) before cleaning."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RawDocument:
    """One document as read from the input, before cleaning.

    Exactly one of ``text`` and ``html`` is normally set; ``html`` goes through trafilatura.
    ``source`` names where it came from (path, path#record, URL).
    """

    source: str
    format: str
    text: str | None = None
    html: str | None = None
    title: str | None = None
    author: str | None = None
    outlet: str | None = None
    published: str | None = None
    url: str | None = None
    language: str | None = None
    record_id: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class LinkOnly:
    """A feed item that carries only a link (no content): recorded, not an article."""

    source: str
    url: str
    title: str | None = None
    published: str | None = None
