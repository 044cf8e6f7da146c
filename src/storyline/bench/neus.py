"""The NeuS/AllSides data that the summary and conflicts benchmarks read, and their shared options.

``lrc_roundup/<split>.source`` holds one story per line: three articles (left, centre and right
outlets; the first paragraph(s) of each) as ``TITLE=> … ARTICLE=> …`` parts joined by ``[SEP]``.
The same line of ``<split>.target`` is the neutral roundup AllSides editors wrote.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from ..summarize.text import word_count

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class NeusStory:
    """One line of a NeuS split: three articles and the editors' roundup."""

    index: int
    titles: list[str]
    texts: list[str]
    target: str


def _parse_part(part: str) -> tuple[str, str]:
    m = re.match(r"\s*TITLE=>\s*(.*?)\s*ARTICLE=>\s*(.*)$", part, re.S)
    if not m:
        return "", part.strip()
    return m.group(1).strip(), m.group(2).strip()


def load_split(root: Path, split: str, limit: int | None = None) -> list[NeusStory]:
    """The stories of one split (``train``, ``val`` or ``test``), in file order.

    Args:
        root: The ``neus_allsides`` folder (or its ``lrc_roundup`` folder).
        split: ``train``, ``val`` or ``test``.
        limit: Only the first N stories.

    Returns:
        The stories; ``index`` is the line number in the ``.source`` file, from 0.
    """
    base = root / "lrc_roundup" if (root / "lrc_roundup").is_dir() else root
    src = (base / f"{split}.source").read_text(encoding="utf-8").splitlines()
    tgt = (base / f"{split}.target").read_text(encoding="utf-8").splitlines()
    if len(src) != len(tgt):
        raise click.ClickException(f"{split}.source and {split}.target differ in length")
    out = []
    for i, (s, t) in enumerate(zip(src, tgt, strict=True)):
        parts = [_parse_part(p) for p in s.split("[SEP]")]
        out.append(NeusStory(i, [p[0] for p in parts], [p[1] for p in parts], _parse_part(t)[1]))
        if limit and len(out) >= limit:
            break
    return out


def mean_target_words(root: Path, split: str = "train") -> int:
    """The mean length in words of a split's roundups (the summary benchmark's default budget)."""
    stories = load_split(root, split)
    return round(sum(word_count(s.target) for s in stories) / max(1, len(stories)))


def neus_options(default_split: str) -> Callable[[F], F]:
    """The ``--data``, ``--split`` and ``--limit`` options every NeuS benchmark command takes."""

    def wrap(fn: F) -> F:
        fn = click.option("--limit", type=int, default=None, help="Only the first N stories.")(fn)
        fn = click.option(
            "--split",
            default=default_split,
            show_default=True,
            type=click.Choice(["train", "val", "test"]),
        )(fn)
        return click.option(
            "--data",
            "data",
            required=True,
            type=click.Path(exists=True, file_okay=False, path_type=Path),
            help="The neus_allsides folder.",
        )(fn)

    return wrap


#: The crawl's stories are split by date for clustering: tune on the first two parts, report on
#: the last (``train`` before August 2021, ``dev`` August, ``test`` September-October).
CRAWL_SPLITS = (("train", "0000-00-00", "2021-08-01"), ("dev", "2021-08-01", "2021-09-01"),
                ("test", "2021-09-01", "9999-99-99"))


def load_crawled(root: Path, min_chars: int = 200) -> list[dict[str, Any]]:
    """The crawled AllSides stories as clustering documents (one per outlet's article).

    ``raw_crawled/*.jsonl`` holds one story per line: AllSides' headline and date, and the left,
    centre and right articles (title, outlet, link, body). Each article becomes
    ``{"doc_id", "title", "text", "outlet", "published", "subtopic", "split"}`` with the story's
    id as its gold ``subtopic``. ``published`` is the date in the article's link when the link
    has one (``/2021/08/17/``: 568 of 1,479 articles; two thirds of them the story's day, a fifth
    the day before, a tenth earlier still), else the story's date. Articles with fewer than
    ``min_chars`` characters of body are left out.

    Args:
        root: The ``neus_allsides`` folder.
        min_chars: Shortest body kept.

    Returns:
        The documents, in file order.
    """
    files = sorted((root / "raw_crawled").glob("*.jsonl"))
    if not files:
        raise click.ClickException(f"no raw_crawled/*.jsonl under {root}")
    docs: list[dict[str, Any]] = []
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            rec = json.loads(line)
            story_day = date.fromisoformat(str(rec["date"])[:10]).isoformat()
            split = next(name for name, lo, hi in CRAWL_SPLITS if lo <= story_day < hi)
            for side, art in sorted(rec.get("news", {}).items()):
                body = art.get("newBody") or art.get("newsBody") or ""
                if isinstance(body, list):
                    body = "\n\n".join(body)
                if len(body.strip()) < min_chars:
                    continue
                docs.append({
                    "doc_id": f"{rec['id']}-{side}", "title": art.get("newsTitle") or None,
                    "text": body.strip(), "outlet": art.get("newsSource") or None,
                    "published": _link_date(art.get("newsLink")) or story_day,
                    "subtopic": str(rec["id"]), "split": split,
                })  # fmt: skip
    return docs


_LINK_DATE = re.compile(r"/((?:19|20)\d\d)[/-](\d\d)[/-](\d\d)(?:/|$)")


def _link_date(link: str | None) -> str | None:
    """The ISO date a news link carries in its path (``…/2021/08/17/…``), if any."""
    m = _LINK_DATE.search(link or "")
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return None
