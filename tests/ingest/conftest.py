"""Small input files of every format, written by the tests themselves."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from ..warc_records import warc_bytes

PARAS = [
    "The river ferry service between Orlen and Kasby was suspended on Monday after a hull crack "
    "was found during a routine inspection, the operator said.",
    "About 2,400 commuters use the crossing every day, and the operator said buses would replace "
    "the ferry until repairs were finished, probably by the end of next week.",
    "\u201cWe will not take any risk with passenger safety,\u201d said operations chief Dana Whitlow, "
    "adding that the crack was found below the waterline.",
    "Local councillors asked for a full review of the fleet, which was last inspected in March.",
]
TEXT = "\n\n".join(PARAS)
HTML = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Ferry crossing suspended after hull crack</title>
<meta name="author" content="Piet Amsel">
<meta property="og:site_name" content="Riverside Courier">
<meta property="article:published_time" content="2025-05-12T08:15:00Z">
</head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Ferry crossing suspended after hull crack</h1>
{''.join(f'<p>{p}</p>' for p in PARAS)}
</article><footer>Share this article</footer></body></html>"""


@pytest.fixture
def inputs(tmp_path: Path) -> dict[str, Path]:
    """One file of each supported format, all about the same small fictional event."""
    files: dict[str, Path] = {}
    p = tmp_path / "plain.txt"
    p.write_text("Ferry crossing suspended after hull crack\n\nby Piet Amsel\n\n" + TEXT, encoding="utf-8")
    files["text"] = p
    p = tmp_path / "page.html"
    p.write_text(HTML, encoding="utf-8")
    files["html"] = p
    p = tmp_path / "one.json"
    p.write_text(json.dumps({"id": "r1", "url": "https://example.org/r1", "title": "Ferry halted",
                             "text": TEXT, "published": "2025-05-12", "outlet": "Example Wire",
                             "author": "Ola Brandt"}), encoding="utf-8")
    files["json"] = p
    p = tmp_path / "many.jsonl"
    lines = [
        json.dumps({"id": "j1", "title": "Ferry halted", "text": TEXT, "published": "2025-05-12T10:00:00Z"}),
        "{not json",
        json.dumps({"id": "j2", "html": HTML, "outlet": "Riverside Courier"}),
        json.dumps({"id": "j3", "title": "no body here"}),
    ]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    files["jsonl"] = p
    gz = tmp_path / "many.jsonl.gz"
    gz.write_bytes(gzip.compress(p.read_bytes()))
    files["jsonl.gz"] = gz
    content = "".join(f"<p>{x}</p>" for x in PARAS)
    feed = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Riverside Courier</title><link>https://courier.example/</link><description>News</description>
<item><title>Ferry crossing suspended</title><link>https://courier.example/ferry</link>
<pubDate>Mon, 12 May 2025 08:15:00 GMT</pubDate><author>Piet Amsel</author>
<content:encoded><![CDATA[{content}]]></content:encoded></item>
<item><title>Only a link</title><link>https://courier.example/link-only</link>
<pubDate>Mon, 12 May 2025 09:00:00 GMT</pubDate></item>
</channel></rss>"""
    p = tmp_path / "feed.xml"
    p.write_text(feed, encoding="utf-8")
    files["feed"] = p
    p = tmp_path / "crawl.warc"
    p.write_bytes(warc_bytes([("https://courier.example/a", HTML.encode()),
                              ("https://courier.example/b", HTML.replace("Monday", "Tuesday").encode())]))
    files["warc"] = p
    p = tmp_path / "crawl.warc.gz"
    p.write_bytes(gzip.compress(warc_bytes([("https://courier.example/c", HTML.encode())])))
    files["warc.gz"] = p
    return files
