"""Batch execution over sharded input: the same stages on a local process pool or on Ray.

``storyline batch`` reads sharded JSONL(.gz) / WARC(.gz) files and writes, under one output
folder, Parquet tables of articles and extracted entity mentions, provenance links and story
assignments, a stories table and the briefs as JSON lines. See ``docs/scaling.md``.

Layout:

* :mod:`.stages` — plain per-shard and per-bucket stage classes (no Ray, no printing);
* :mod:`.tables` — Parquet schemas, atomic writes and completion manifests;
* :mod:`.link` — the global steps (provenance and story clustering) blocked by time window;
* :mod:`.runner` — the run plan shared by both engines (what to skip, what to run next);
* :mod:`.local` — a ``concurrent.futures`` process pool; :mod:`.ray_engine` — Ray Data (the
  only module that imports Ray); :mod:`.cli` — the ``storyline batch`` command.

Importing this package stays light: pyarrow, spaCy and Ray load when a run starts.
"""

from __future__ import annotations

__all__ = ["ENGINES"]

#: Engine name → module path; the module exposes ``make_engine(workers, address)``.
ENGINES = {"local": "storyline.executors.local", "ray": "storyline.executors.ray_engine"}
