"""The batch stages parse every article exactly once: the brief step reuses the shard step's docs."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from spacy.language import Language

from storyline.executors import tables as T
from storyline.executors.runner import run_batch

from .conftest import make_shards


class _InProcess:
    """An engine that runs the stages in this process (so the parse counter sees them)."""

    workers = 1

    def map(self, stage: type, kwargs: dict[str, Any], tasks: list[dict[str, Any]]
            ) -> list[dict[str, Any]]:
        worker = stage(**kwargs)
        return [worker.run(t) for t in tasks]

    def close(self) -> None:
        pass


def test_each_article_parsed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: Counter[str] = Counter()
    pipe, call = Language.pipe, Language.__call__

    def counting_pipe(self: Language, texts: Iterable[Any], *a: Any, **kw: Any) -> Iterator[Any]:
        def seen(items: Iterable[Any]) -> Iterator[Any]:
            for text in items:
                parsed[str(text)] += 1
                yield text
        return pipe(self, seen(texts), *a, **kw)

    def counting_call(self: Language, text: Any, *a: Any, **kw: Any) -> Any:
        parsed[str(text)] += 1
        return call(self, text, *a, **kw)

    monkeypatch.setattr(Language, "pipe", counting_pipe)
    monkeypatch.setattr(Language, "__call__", counting_call)
    out = tmp_path / "out"
    report = run_batch([make_shards(tmp_path / "in")], out, _InProcess())  # type: ignore[arg-type]
    assert report.articles > 0 and report.stories > 0
    texts = [t for p in sorted((out / T.ARTICLES).glob("*.parquet"))
             for t in pq.read_table(p, columns=["text"]).column("text").to_pylist()]
    assert len(texts) == report.articles
    assert parsed == Counter(texts)  # every article once, nothing else
    briefs = [json.loads(line) for p in sorted((out / T.BRIEFS).glob("*.jsonl"))
              for line in p.read_text("utf-8").splitlines()]
    assert sum(len(b["articles"]) for b in briefs) == report.articles
