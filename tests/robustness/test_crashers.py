"""Regression inputs: files that once crashed or lost documents, replayed through the fuzz
harness (``scripts/fuzz_ingest.py``) and checked for what they must now give."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from storyline.errors import DocumentFailure
from storyline.ingest import RawDocument, read_path
from storyline.ingest.build import build_article

HERE = Path(__file__).resolve().parent
CRASHERS = HERE / "crashers"
SCRIPT = HERE.parents[1] / "scripts" / "fuzz_ingest.py"

#: file → (articles it must give (None: some), a phrase one of them contains (None: no article),
#: a piece of a failure message (None: no failure when articles are expected))
EXPECT = {
    "html-nested-300-levels.bin": (1, "tanker trucks", None),
    "warc-record-length-overrun.bin": (2, "freight train", "record 2 (https://v.example/b) is corrupt"),
    "gzip-truncated-jsonl.bin": (None, "water main", "gzip data is truncated"),
    "mixed-utf8-and-cp1252-lines.bin": (1, "Caf\u00e9 owners", None),
    "future-publication-date.bin": (1, "Harbour Row", None),
    "json-nested-5000-levels.bin": (0, None, "JSON nested too deeply"),
    "jsonl-nested-line-among-good.bin": (1, "strong winds", "line 1: JSON nested too deeply"),
    "feed-escaped-angle-brackets.bin": (0, None, None),
}


def _harness() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fuzz_ingest", SCRIPT)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["fuzz_ingest"] = mod
    spec.loader.exec_module(mod)
    return mod


def test_every_crasher_has_an_expectation() -> None:
    assert sorted(p.name for p in CRASHERS.glob("*.bin")) == sorted(EXPECT)


@pytest.mark.parametrize("name", sorted(EXPECT))
def test_crasher(name: str, tmp_path: Path) -> None:
    harness = _harness()
    data = (CRASHERS / name).read_bytes()
    harness.run_one(data)  # the harness's own checks: no exception but per-document failures
    filename, content = harness.split_input(data)
    path = tmp_path / filename
    path.write_bytes(content)
    n_articles, phrase, message = EXPECT[name]
    articles, failures = [], []
    for item in read_path(path):
        if isinstance(item, DocumentFailure):
            failures.append(item.reason)
        elif isinstance(item, RawDocument):
            articles.append(build_article(item))
    if n_articles is not None:
        assert len(articles) == n_articles, failures
    if phrase is None:
        assert not articles
    else:
        assert articles and any(phrase.lower() in a.text.lower() for a in articles)
    if message:
        assert any(message in f for f in failures), failures
    elif articles:
        assert not failures, failures
