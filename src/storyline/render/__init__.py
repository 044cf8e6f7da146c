"""Rendering a brief: JSON (the contract), Markdown and one self-contained HTML file."""

from __future__ import annotations

import json

from ..models import Brief

FORMATS = ("json", "md", "html")


def render(brief: Brief, fmt: str) -> str:
    """Render a brief as ``json``, ``md`` or ``html``."""
    if fmt == "json":
        return json.dumps(brief.to_dict(), ensure_ascii=False, indent=2)
    if fmt == "md":
        from .markdown import render_markdown

        return render_markdown(brief)
    if fmt == "html":
        from .html import render_html

        return render_html(brief)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
