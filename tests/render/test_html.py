"""The HTML brief: self-contained, escaped, conflicts on top, working citation anchors."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from storyline.models import Brief
from storyline.render.html import render_html


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.srcs: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for k, v in attrs:
            if k == "id" and v:
                self.ids.add(v)
            if k == "href" and v:
                self.hrefs.append(v)
            if k == "src" and v:
                self.srcs.append(v)


def _parse(html: str) -> _Collector:
    c = _Collector()
    c.feed(html)
    return c


def test_self_contained(sample_brief: Brief) -> None:
    html = render_html(sample_brief)
    c = _parse(html)
    assert "style" in c.tags
    assert "link" not in c.tags and "script" not in c.tags and "img" not in c.tags
    assert not c.srcs
    assert all(h.startswith("#") for h in c.hrefs)


def test_every_internal_link_has_a_target(sample_brief: Brief) -> None:
    c = _parse(render_html(sample_brief))
    assert c.hrefs
    for h in c.hrefs:
        assert h[1:] in c.ids, h


def test_article_text_escaped(sample_brief: Brief) -> None:
    html = render_html(sample_brief)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<b>today</b>" not in html


def test_conflicts_come_first(sample_brief: Brief) -> None:
    html = render_html(sample_brief)
    i_conf = html.index("Conflicts between sources")
    i_sum = html.index("<h3>Summary</h3>")
    assert i_conf < i_sum
    block = html[i_conf:i_sum]
    assert "about $40 million" in block and "$52 million" in block
    assert "Daily Ledger" in block and "Harbor Times" in block


def test_citation_markers_point_to_passages(sample_brief: Brief) -> None:
    html = render_html(sample_brief)
    summary = html.split("<h3>Summary</h3>")[1].split("<h3>")[0]
    cites = re.findall(r'class="cite" href="#([\w-]+)"', summary)
    assert len(cites) == 3
    for anchor in cites:
        assert re.search(rf'<li id="{anchor}">.*<mark>', html)


def test_quotes_shown_once_quoted(sample_brief: Brief) -> None:
    html = render_html(sample_brief)
    assert "“a good day for commuters” — Ana Reyes" in html
