"""``storyline bench cluster``: story clustering on ECB+ or AllSides test splits, with a baseline.

Prints B³ and pairwise P/R/F1 for Storyline's batch and online modes and for a TF-IDF +
complete-link baseline whose threshold is tuned on train+dev in the same run. The number of
stories is never given to any system.

* ECB+ (test topics 36–45): two events of the same kind per topic, no dates. Online mode runs
  over shuffled arrival orders, averaged over ``--orders`` seeds.
* AllSides (``neus_allsides/raw_crawled``, read by :func:`storyline.bench.neus.load_crawled`): a
  dated news stream of six months, three outlets per story, split by date (test: September and
  October 2021). Online mode sees the articles in date order (shuffled within a day). Rows
  without the time decay (both ``*_time_scale_days`` at 0) run beside, on the same data.

``--speed`` adds articles/second and peak memory for clustering synthetic corpora built by
recombining sentences of ECB+ articles.
"""

from __future__ import annotations

import json
import random
import resource
import time
from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from ..models import Article
from ..settings import Settings, get_settings

TEST, TUNE = ("test",), ("train", "dev")


def load_docs(data: Path) -> list[dict[str, Any]]:
    """The ECB+ documents (``docs.jsonl`` in the data folder)."""
    path = data / "docs.jsonl"
    if not path.exists():
        raise click.ClickException(f"{path} not found: pass --data pointing at shared/datasets/ecbplus")
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def is_crawl(data: Path) -> bool:
    """Whether a data folder holds the AllSides crawl (else it is read as ECB+)."""
    return (data / "raw_crawled").is_dir()


def load_data(data: Path) -> tuple[str, list[dict[str, Any]]]:
    """The benchmark documents of a data folder: ``("ecbplus", …)`` or ``("allsides", …)``."""
    if is_crawl(data):
        from .neus import load_crawled

        return "allsides", load_crawled(data)
    return "ecbplus", load_docs(data)


def to_articles(docs: Sequence[dict[str, Any]]) -> list[Article]:
    """Benchmark documents as articles (ECB+ has no title, outlet nor date)."""
    return [
        Article(id=d["doc_id"], source=d["doc_id"], text=d["text"], title=d.get("title"),
                outlet=d.get("outlet"), published=d.get("published"), ingest_order=i)
        for i, d in enumerate(docs)
    ]


def b_cubed(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> tuple[float, float, float]:
    """B³ precision, recall and F1 averaged over items."""
    gold_sets: dict[Hashable, set[int]] = defaultdict(set)
    pred_sets: dict[Hashable, set[int]] = defaultdict(set)
    for i, (g, p) in enumerate(zip(gold, pred, strict=True)):
        gold_sets[g].add(i)
        pred_sets[p].add(i)
    precision = recall = 0.0
    for g, p in zip(gold, pred, strict=True):
        common = len(gold_sets[g] & pred_sets[p])
        precision += common / len(pred_sets[p])
        recall += common / len(gold_sets[g])
    n = len(gold)
    return _prf(precision / n, recall / n)


def pairwise(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> tuple[float, float, float]:
    """Pairwise P/R/F1 over item pairs (tp = Σ C(n_ij, 2), as in Miranda et al. 2018)."""

    def pairs(counts: dict[Any, int]) -> int:
        return sum(c * (c - 1) // 2 for c in counts.values())

    joint: dict[tuple[Hashable, Hashable], int] = defaultdict(int)
    gold_n: dict[Hashable, int] = defaultdict(int)
    pred_n: dict[Hashable, int] = defaultdict(int)
    for g, p in zip(gold, pred, strict=True):
        joint[(g, p)] += 1
        gold_n[g] += 1
        pred_n[p] += 1
    tp, pred_pairs, gold_pairs = pairs(joint), pairs(pred_n), pairs(gold_n)
    return _prf(tp / pred_pairs if pred_pairs else 0.0, tp / gold_pairs if gold_pairs else 0.0)


def _prf(p: float, r: float) -> tuple[float, float, float]:
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def baseline_tree(texts: Sequence[str]) -> Any:
    """TF-IDF (sublinear, stop words, max_df .5, min_df 2, 1–2-grams) + complete-link tree."""
    from scipy.cluster.hierarchy import linkage
    from scipy.spatial.distance import squareform
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(
        sublinear_tf=True, stop_words="english", max_df=0.5, min_df=2, ngram_range=(1, 2)
    ).fit_transform(texts)
    distance = 1.0 - (matrix @ matrix.T).toarray()
    distance[distance < 0] = 0.0
    return linkage(squareform(distance, checks=False), method="complete")


def baseline_labels(texts: Sequence[str], threshold: float) -> list[int]:
    """The baseline's clusters: its complete-link tree cut at a cosine distance."""
    return baseline_cut(baseline_tree(texts), threshold)


def baseline_cut(tree: Any, threshold: float) -> list[int]:
    """Cut a :func:`baseline_tree` at a cosine distance."""
    from scipy.cluster.hierarchy import fcluster

    return [int(x) for x in fcluster(tree, t=threshold, criterion="distance")]


def _score(docs: Sequence[dict[str, Any]], labels: Sequence[Hashable]) -> dict[str, float]:
    gold = [d["subtopic"] for d in docs]
    bp, br, bf = b_cubed(gold, labels)
    pp, pr, pf = pairwise(gold, labels)
    return {"b3_p": bp, "b3_r": br, "b3_f1": bf, "pw_p": pp, "pw_r": pr, "pw_f1": pf,
            "clusters": float(len(set(labels)))}


def _by_split(docs: Sequence[dict[str, Any]], splits: Sequence[str]) -> list[list[dict[str, Any]]]:
    return [[d for d in docs if d["split"] == s] for s in splits]


def run_storyline(
    docs: Sequence[dict[str, Any]],
    mode: str,
    settings: Settings,
    orders: int = 3,
    warm: Sequence[dict[str, Any]] = (),
    delay: int | None = None,
) -> dict[str, float]:
    """Cluster the documents with Storyline; online mode averages over shuffled orders.

    ``warm`` documents (online only) are counted into the document frequencies first, as a
    long-running store's history would be; they are not clustered or scored. ``delay`` (online
    only) overrides ``Settings.cluster_online_delay`` (0: each article decided on arrival);
    articles go through ``OnlineClusterer.assign``, as in the store. Copies are looked for
    first (:func:`storyline.dedup.find_relations`), as ``storyline cluster`` and the store do.
    """
    from ..cluster import OnlineClusterer, cluster_articles
    from ..dedup import find_relations

    if mode == "batch":
        articles = to_articles(docs)
        find_relations(articles, flags=False)
        stories = cluster_articles(articles, "batch", settings)
        return _score(docs, [stories[a.id] for a in articles])
    runs = []
    for seed in range(orders):
        shuffled = list(docs)
        random.Random(seed).shuffle(shuffled)
        # dated documents arrive in date order (shuffled within a day), as a news stream does
        shuffled.sort(key=lambda d: d.get("published") or "")
        articles = to_articles(shuffled)
        find_relations(articles, flags=False)
        clusterer = OnlineClusterer(settings)
        clusterer.warm(to_articles(warm))
        if delay is not None:
            clusterer.delay = delay
        stories = clusterer.assign(articles)
        runs.append(_score(shuffled, [stories[a.id] for a in articles]))
    return {k: sum(r[k] for r in runs) / len(runs) for k in runs[0]}


def tune_baseline(docs: Sequence[dict[str, Any]]) -> float:
    """The complete-link distance threshold with the best mean B³ F1 over train and dev."""
    best = (-1.0, 0.0)
    groups = _by_split(docs, TUNE)
    trees = [baseline_tree([d["text"] for d in g]) for g in groups]
    for step in range(70, 100):
        t = step / 100
        f1 = sum(_score(g, baseline_cut(tree, t))["b3_f1"]
                 for g, tree in zip(groups, trees, strict=True))
        best = max(best, (f1 / len(groups), t))
    return best[1]


def synthetic_corpus(docs: Sequence[dict[str, Any]], n: int, seed: int = 0) -> list[Article]:
    """``n`` articles, each recombining sentences of two real articles of one ECB+ sub-topic.

    Each sub-topic is given a day of one month, and its articles come out on that day or the
    next (so the time decay sees what real coverage looks like); articles are in index order.
    """
    rng = random.Random(seed)
    by_event: dict[str, list[list[str]]] = defaultdict(list)
    for d in docs:
        by_event[d["subtopic"]].append([s for s in d["text"].split("\n") if s.strip()])
    events = sorted(by_event)
    event_day = {e: rng.randint(1, 27) for e in events}
    out = []
    for i in range(n):
        event = rng.choice(events)
        pool = by_event[event]
        a, b = rng.choice(pool), rng.choice(pool)
        sentences = a[: max(1, len(a) // 2)] + b[len(b) // 2 :]
        rng.shuffle(sentences[1:])
        day = event_day[event] + rng.randint(0, 1)
        out.append(
            Article(id=f"syn{i:07d}", source="synthetic", text="\n".join(sentences),
                    published=f"2024-01-{day:02d}", ingest_order=i)
        )
    return out


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _print_row(name: str, s: dict[str, float]) -> None:
    click.echo(
        f"{name:<44} {s['clusters']:>4.0f}  {s['b3_p']:.3f} {s['b3_r']:.3f} {s['b3_f1']:.3f}"
        f"   {s['pw_p']:.3f} {s['pw_r']:.3f} {s['pw_f1']:.3f}"
    )


def run_benchmark(data: Path, orders: int = 3, delay: int = 0) -> dict[str, dict[str, float]]:
    """Score Storyline batch/online and the tuned baseline on the test split; returns the rows.

    Online mode runs with the settings' delay (``cluster_online_delay``, what the store does),
    warmed and cold, and once more cold with each story decided ``delay`` articles later (0: on
    arrival; row ``storyline_online_alt_delay``). On a dated
    data set (AllSides) the batch and cold online rows also run without the time decay.
    """
    name, docs = load_data(data)
    (test,) = _by_split(docs, TEST)
    settings = get_settings()
    threshold = tune_baseline(docs)
    rows = {
        "storyline_batch": run_storyline(test, "batch", settings),
        "storyline_online": run_storyline(test, "online", settings, orders),
        "storyline_online_warm": run_storyline(
            test, "online", settings, orders, warm=[d for d in docs if d["split"] in TUNE]
        ),
        "storyline_online_alt_delay": run_storyline(test, "online", settings, orders, delay=delay),
        "baseline": _score(test, baseline_labels([d["text"] for d in test], threshold)),
        "baseline_threshold": {"value": threshold},
        "data": {"allsides": float(name == "allsides"), "articles": float(len(test)),
                 "stories": float(len({d["subtopic"] for d in test}))},
    }
    if name == "allsides":
        undecayed = replace(settings, cluster_time_scale_days=0.0, cluster_batch_time_scale_days=0.0)
        rows["storyline_batch_no_decay"] = run_storyline(test, "batch", undecayed)
        rows["storyline_online_no_decay"] = run_storyline(test, "online", undecayed, orders)
    return rows


@click.command(name="cluster")
@click.option("--data", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="The ecbplus or neus_allsides folder of shared/datasets.")
@click.option("--orders", default=3, show_default=True, help="Shuffled arrival orders for online mode.")
@click.option("--speed/--no-speed", default=False, help="Also time synthetic corpora.")
@click.option("--sizes", default="10000,100000", show_default=True,
              help="Synthetic corpus sizes for --speed, comma-separated.")
@click.option("--modes", default="online,batch", show_default=True,
              help="Clustering modes timed by --speed, comma-separated.")
@click.option("--quality/--no-quality", default=True, help="Score the test split (skip to time only).")
@click.option("--delay", default=0, show_default=True,
              help="Online mode is also scored (cold) with each story decided this many articles "
              "later (0: on arrival) beside the settings' delay.")
def command(
    data: Path, orders: int, speed: bool, sizes: str, modes: str, quality: bool, delay: int
) -> None:
    """Story clustering on a test split (number of stories not given), beside a baseline.

    ECB+ (test topics 36-45: two events of one kind per topic, undated) or the dated AllSides
    news stream (test: September-October 2021). --speed (ECB+ only) times synthetic corpora.

    Example: storyline bench cluster --data ../shared/datasets/neus_allsides
    """
    if speed and is_crawl(data):
        raise click.UsageError("--speed recombines ECB+ articles: pass --data …/ecbplus")
    if quality:
        _quality(data, orders, delay)
    if speed:
        _speed(
            load_docs(data),
            [int(x) for x in sizes.split(",") if x.strip()],
            [m.strip() for m in modes.split(",") if m.strip()],
        )


def _quality(data: Path, orders: int, delay: int) -> None:
    rows = run_benchmark(data, orders, delay)
    n, k = int(rows["data"]["articles"]), int(rows["data"]["stories"])
    if rows["data"]["allsides"]:
        click.echo(f"AllSides test (Sep-Oct 2021, {n} articles, {k} stories, 3 outlets each); "
                   "thresholds tuned on ECB+ and AllSides train+dev")
    else:
        click.echo(f"ECB+ test (topics 36-45, {n} articles, {k} events); thresholds tuned on train+dev")
    click.echo(f"{'system':<44} {'k':>4}  B3-P  B3-R  B3-F1    PW-P  PW-R  PW-F1")
    _print_row("storyline batch", rows["storyline_batch"])
    if "storyline_batch_no_decay" in rows:
        _print_row("storyline batch, no time decay", rows["storyline_batch_no_decay"])
    k = get_settings().cluster_online_delay
    order = "date order, shuffled within a day" if rows["data"]["allsides"] else "shuffled orders"
    click.echo(f"online: mean of {orders} {order}, each story decided "
               + ("on arrival" if k == 0 else f"{k} articles later") + " (the settings)")
    _print_row("storyline online", rows["storyline_online"])
    if "storyline_online_no_decay" in rows:
        _print_row("storyline online, no time decay", rows["storyline_online_no_decay"])
    _print_row("storyline online, IDF warmed with train+dev", rows["storyline_online_warm"])
    alt = "on arrival" if delay == 0 else f"{delay} articles later"
    _print_row(f"storyline online, decided {alt}", rows["storyline_online_alt_delay"])
    t = rows["baseline_threshold"]["value"]
    _print_row(f"baseline TF-IDF complete-link (t={t:.2f})", rows["baseline"])


def _speed(docs: Sequence[dict[str, Any]], sizes: Sequence[int], modes: Sequence[str]) -> None:
    from ..cluster import cluster_articles
    from ..cluster.batch import article_features, weights_from

    settings = replace(get_settings())
    weights = weights_from(settings)
    click.echo("\nSpeed on synthetic corpora (sentences of ECB+ articles recombined), 1 process")
    click.echo(f"{'articles':>9} {'mode':<8} {'art/s':>8} {'stories':>8} {'peak RSS MB':>12}")
    for n in sizes:
        corpus = synthetic_corpus(docs, n)
        start = time.perf_counter()
        for a in corpus:
            article_features(a, weights)
        feat_rate = n / (time.perf_counter() - start)
        click.echo(
            f"{n:>9} {'features':<8} {feat_rate:>8.0f} {'-':>8} {_peak_mb():>12.0f}"
            "  (baseline: feature extraction alone)"
        )
        for mode in modes:
            start = time.perf_counter()
            stories = cluster_articles(corpus, mode, settings)
            rate = n / (time.perf_counter() - start)
            n_stories = len(set(stories.values()))
            click.echo(f"{n:>9} {mode:<8} {rate:>8.0f} {n_stories:>8} {_peak_mb():>12.0f}")
