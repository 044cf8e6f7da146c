"""``storyline bench make-corpus N``: a synthetic news corpus of any size, for speed benchmarks.

Articles are recombined from the sentences of the bundled example corpus (fiction written for
Storyline), so no third-party text is involved. Each synthetic story gets its own names, its
own rare words and its own figures (a deterministic rewrite of the source sentences), a start
date and a few days of coverage by several outlets; articles are 300–800 words in paragraphs,
some are exact or near copies of an earlier article of their story, and some carry page chrome
lines. The corpus is written as gzipped JSONL shards, the input ``storyline batch`` reads.
"""

from __future__ import annotations

import functools
import gzip
import itertools
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import click

_SENT = re.compile(r"[^.!?]+[.!?]+[\"'”’]?")
_WORD = re.compile(r"[A-Za-z][a-z]{3,}")
_NAME = re.compile(r"\b[A-Z][a-z]{2,}\b")
_NUMBER = re.compile(r"\b\d[\d,]*(?:\.\d+)?\b")
_SYLLABLES = ("ka", "ri", "do", "len", "mar", "to", "vi", "sel", "an", "ber", "lo", "nu", "tra",
              "os", "mi", "ve", "dan", "ro", "sa", "qui", "tel", "go", "ra", "fen")
_CHROME = ("Share this article", "Follow us for more updates", "Advertisement",
           "Read more: latest news", "Sign up for our newsletter")
#: Articles published per day of the synthetic calendar (sets how many days N articles span).
ARTICLES_PER_DAY = 400


@dataclass
class SourceText:
    """Sentences and titles harvested from the example corpus."""

    sentences: list[str]
    titles: list[str]


@functools.lru_cache(maxsize=4)
def load_source(folder: Path | None = None) -> SourceText:
    """Clean the example corpus and split it into sentences (no spaCy needed; read once)."""
    from ..errors import DocumentError
    from ..ingest import RawDocument, read_paths
    from ..ingest.build import build_article

    folder = folder or Path(__file__).resolve().parents[1] / "data" / "example"
    sentences: list[str] = []
    titles: list[str] = []
    for item in read_paths([folder]):
        if not isinstance(item, RawDocument):
            continue
        try:
            article = build_article(item)
        except DocumentError:
            continue
        if article.title:
            titles.append(article.title)
        for para in article.text.split("\n\n"):
            sentences.extend(s.strip() for s in _SENT.findall(para) if len(s.split()) >= 6)
    if not sentences:
        raise click.ClickException(f"no sentences found in the example corpus at {folder}")
    return SourceText(sorted(set(sentences)), sorted(set(titles)) or ["Untitled report"])


def _pseudo(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(parts))


class StoryMaker:
    """Rewrites source sentences into one synthetic story's vocabulary (deterministically)."""

    def __init__(self, source: SourceText, story: int, seed: int) -> None:
        self.rng = random.Random(seed * 1_000_003 + story)
        self.names: dict[str, str] = {}
        self.words: dict[str, str] = {}
        self.scale = self.rng.uniform(0.3, 3.0)
        self.pool = [self.rewrite(s) for s in self.rng.sample(
            source.sentences, min(len(source.sentences), 45))]
        self.title = self.rewrite(self.rng.choice(source.titles))

    def _name(self, m: re.Match[str]) -> str:
        word = m.group(0)
        if word not in self.names:
            self.names[word] = _pseudo(self.rng, self.rng.randint(2, 3)).capitalize()
        return self.names[word]

    def _word(self, m: re.Match[str]) -> str:
        word = m.group(0)
        if word[0].isupper():
            return word
        if word not in self.words:
            self.words[word] = word if self.rng.random() < 0.25 else _pseudo(self.rng, 3)
        return self.words[word]

    def _number(self, m: re.Match[str]) -> str:
        raw = m.group(0).replace(",", "")
        try:
            value = float(raw)
        except ValueError:
            return m.group(0)
        if 1900 <= value <= 2100 and "." not in raw:
            return m.group(0)  # keep years readable
        scaled = value * self.scale
        return f"{scaled:,.1f}" if "." in raw else f"{round(scaled):,}"

    def rewrite(self, sentence: str) -> str:
        """The sentence with this story's names, words and figures."""
        first, rest = sentence.split(" ", 1) if " " in sentence else (sentence, "")
        rest = _NAME.sub(self._name, rest)
        text = f"{first} {rest}".strip()
        text = _WORD.sub(self._word, text)
        return _NUMBER.sub(self._number, text)

    def article(self, rng: random.Random) -> str:
        """One article body: 300–800 words of this story's sentences, in paragraphs."""
        target = rng.randint(300, 800)
        paragraphs: list[str] = []
        words = 0
        order: list[str] = []
        while words < target:
            if len(order) < 3:  # each sentence once, until the story's pool runs out
                order = rng.sample(self.pool, len(self.pool)) + order
            para = " ".join(order.pop() for _ in range(rng.randint(1, 3)))
            paragraphs.append(para)
            words += len(para.split())
        if rng.random() < 0.3:
            paragraphs.insert(rng.randint(1, len(paragraphs)), rng.choice(_CHROME))
        return "\n\n".join(paragraphs)


def generate(n: int, seed: int = 7, source: SourceText | None = None) -> Iterator[dict[str, Any]]:
    """``n`` synthetic article records, story by story, in publication-date order per story.

    Args:
        n: number of articles.
        seed: the random seed (the same seed gives the same corpus).
        source: sentences to recombine; the bundled example corpus when omitted.
    """
    source = source or load_source()
    rng = random.Random(seed)
    days = max(7, n // ARTICLES_PER_DAY)
    start = date(2025, 1, 1)
    outlets = [f"The {_pseudo(rng, 2).capitalize()} {kind}" for kind in
               ("Herald", "Post", "Times", "Courier", "Ledger", "Wire", "Gazette", "Journal")
               for _ in range(5)]
    made = 0
    story = 0
    while made < n:
        maker = StoryMaker(source, story, seed)
        size = min(n - made, 1 + int(rng.expovariate(1 / 7)))
        day0 = start + timedelta(days=rng.randrange(days))
        earlier: list[str] = []
        for i in range(size):
            body = maker.article(rng)
            if earlier and rng.random() < 0.12:
                body = rng.choice(earlier)  # a reprint
            elif earlier and rng.random() < 0.1:
                paras = rng.choice(earlier).split("\n\n")
                paras[rng.randrange(len(paras))] = maker.article(rng).split("\n\n")[0]
                body = "\n\n".join(paras)  # a lightly edited copy
            earlier.append(body)
            outlet = rng.choice(outlets)
            slug = re.sub(r"\W+", "-", outlet.lower()).strip("-")
            published = day0 + timedelta(days=min(i // 4, 6), hours=rng.randrange(24))
            yield {
                "id": f"syn-{story}-{i}",
                "url": f"https://{slug}.example/news/{story}-{i}",
                "title": maker.title,
                "text": body,
                "published": published.isoformat() if rng.random() > 0.02 else None,
                "outlet": outlet,
                "author": f"{_pseudo(rng, 2).capitalize()} {_pseudo(rng, 3).capitalize()}",
            }
        made += size
        story += 1


def write_corpus(n: int, output: Path, shard_size: int = 500, seed: int = 7) -> list[Path]:
    """Write ``n`` synthetic articles as gzipped JSONL shards; returns the shard paths."""
    output.mkdir(parents=True, exist_ok=True)
    records = generate(n, seed)
    paths: list[Path] = []
    while batch := list(itertools.islice(records, shard_size)):
        paths.append(output / f"part-{len(paths):05d}.jsonl.gz")
        with gzip.open(paths[-1], "wt", encoding="utf-8", compresslevel=3) as handle:
            handle.writelines(json.dumps(rec, ensure_ascii=False) + "\n" for rec in batch)
    return paths


@click.command("make-corpus")
@click.argument("n", type=click.IntRange(min=1))
@click.option("--output", "-o", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the shards (part-00000.jsonl.gz, …).")
@click.option("--shard-size", type=click.IntRange(min=1), default=500, show_default=True,
              help="Articles per shard.")
@click.option("--seed", type=int, default=7, show_default=True, help="Random seed.")
def command(n: int, output: Path, shard_size: int, seed: int) -> None:
    """Write N synthetic articles (recombined from the bundled fiction) as JSONL shards.

    Example: storyline bench make-corpus 10000 --output /tmp/corpus10k
    """
    paths = write_corpus(n, output, shard_size, seed)
    click.echo(f"wrote {n} articles in {len(paths)} shards to {output}")
