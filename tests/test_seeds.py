"""The five seed articles: correct titles and authors, no site chrome left, reporting kept."""

from __future__ import annotations

import re
from pathlib import Path

from storyline.ingest import read_paths
from storyline.ingest.build import build_article
from storyline.models import Article


def _articles(seeds_dir: Path) -> dict[str, Article]:
    out = {}
    for raw in read_paths([seeds_dir]):
        a = build_article(raw)  # type: ignore[arg-type]
        out[Path(a.source).name[:3]] = a
    return out


def test_titles_and_authors(seeds_dir: Path) -> None:
    arts = _articles(seeds_dir)
    assert len(arts) == 5
    for key, a in arts.items():
        raw_first = next(ln.strip() for ln in a.raw_text.splitlines() if ln.strip())
        if key != "004":  # the last page starts with a menu and states no headline
            assert a.title and len(a.title.split()) >= 5
    assert arts["004"].title is None
    authors = {k: a.author for k, a in arts.items()}
    assert authors["000"] and authors["000"] == authors["001"]
    assert authors["002"] and len(authors["002"].split()) >= 2
    _ = raw_first


def test_no_chrome_left_and_reporting_kept(seeds_dir: Path) -> None:
    for a in _articles(seeds_dir).values():
        paras = a.text.split("\n\n")
        for p in paras:
            # Chrome: short unpunctuated lines, © credits, menus with wide gaps.
            assert "©" not in p, p
            assert not re.search(r"\S\s{3,}\S", p), p
            if len(p.split()) <= 3:
                raise AssertionError(f"short UI line left in {a.source}: {p!r}")
        # Every removed line has a reason and none is a sentence of reporting.
        for r in a.removed:
            assert r.reason
            assert not (len(r.text.split()) >= 12 and r.text.rstrip().endswith((".", '"', "”"))), r
        # Every body line of the raw text that reads like reporting is still there.
        for ln in a.raw_text.splitlines():
            ln = ln.strip()
            if len(ln.split()) >= 12 and ln.endswith((".", '"', "”")) and "©" not in ln:
                assert ln in a.text, ln
