"""``storyline bench conflicts``: are changed figures caught, and are unchanged stories left alone?

Reads NeuS/AllSides (``lrc_roundup/<split>.source``: three real articles on one story per line, left,
centre and right outlets; see :mod:`storyline.bench.neus`) and runs
:func:`storyline.compare.align_facts` on every story twice:

* **as written** — every ``conflict`` row is counted: *conflicts per story* on unmodified text. These
  are unlabelled; some are real disagreements between outlets, the rest false alarms, so the figure is
  an upper bound on false conflicts;
* **with one figure changed** — for each figure row that two independent sources give and that is
  ``agreed`` or ``compatible`` (one at a time, the rest of the story as written), one article's number
  in that row is multiplied by
  ``--factor`` (default 1.3: +30 %). When the changed value still overlaps every other source's
  interval (an open hedge such as "more than 15,000" allows it) the change is *absorbed* and not
  counted; otherwise the row holding the changed figure must now be a ``conflict``: *recall*.

Baseline, on the same rows in the same run: the naive rule "two independent sources give different
values for one row ⇒ conflict", with no hedge intervals ("about 100" vs "100", "more than 1,000" vs
"1,100" are conflicts).
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import click

from ..models import Article, Fact, FactValue, Story
from ..settings import Settings
from .neus import NeusStory, load_split, neus_options

#: Fact kinds that hold figures (the rows a changed number lands in).
FIGURE_KINDS = frozenset({"count", "money", "quantity"})
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


@dataclass
class Injection:
    """One changed figure: where, from what to what, and what each rule made of it."""

    story: int
    label: str
    before: str
    after: str
    expected: bool = True
    aligned: bool = False
    raised: bool = False
    naive_raised: bool = False


@dataclass
class StoryResult:
    """What the facts engine and the naive rule said about one story."""

    index: int
    multi_rows: int = 0
    conflicts: list[str] = field(default_factory=list)
    naive_conflicts: int = 0
    injections: list[Injection] = field(default_factory=list)


def story_articles(story: NeusStory, tag: str) -> list[Article]:
    """The story's articles (left, centre, right) as :class:`Article` objects with stable ids."""
    sides = ("left", "centre", "right")
    return [
        Article(
            id=f"{tag}{story.index}-{d}",
            source=f"neus/{tag}/{story.index}/{d}",
            text=text,
            title=title or None,
            outlet=f"{sides[d] if d < 3 else d} outlet",
        )
        for d, (title, text) in enumerate(zip(story.titles, story.texts, strict=True))
        if text.strip()
    ]


def _sources(fact: Fact, source_of: dict[str, str]) -> set[str]:
    return {source_of.get(v.span.article, v.span.article) for v in fact.values}


def naive_conflict(fact: Fact, source_of: dict[str, str]) -> bool:
    """The baseline rule: two independent sources give different values ⇒ conflict (no hedges)."""
    values = fact.values
    for i, a in enumerate(values):
        for b in values[i + 1 :]:
            sa = source_of.get(a.span.article, a.span.article)
            sb = source_of.get(b.span.article, b.span.article)
            if sa != sb and a.value != b.value:
                return True
    return False


def scale_number(surface: str, factor: float) -> str | None:
    """``surface`` with its only number multiplied by ``factor``, written the same way, or None.

    ``"$110 million"`` ×1.3 → ``"$143 million"``; ``"1,200 troops"`` → ``"1,560 troops"``;
    ``"2.5 billion"`` → ``"3.3 billion"`` (rounded to the digits shown, at least one step up).
    Surfaces with no number in digits, or with two (ranges), give None.
    """
    found = list(_NUMBER.finditer(surface))
    if len(found) != 1:
        return None
    m = found[0]
    raw = m.group()
    old = float(raw.replace(",", ""))
    decimals = len(raw.split(".")[1]) if "." in raw else 0
    step = 10.0**-decimals
    new = math.floor(old * factor / step + 0.5) * step
    if new <= old:
        new = old + step
    text = f"{new:,.{decimals}f}" if "," in raw else f"{new:.{decimals}f}"
    return surface[: m.start()] + text + surface[m.end() :]


def _overlaps(lo: float, hi: float | None, v: FactValue) -> bool:
    if v.low is None:
        return False
    v_hi = math.inf if v.high is None else v.high
    hi_ = math.inf if hi is None else hi
    eps = 1e-9 * max(1.0, abs(lo), abs(v.low))
    return lo <= v_hi + eps and v.low <= hi_ + eps


def _picks(facts: list[Fact], source_of: dict[str, str]) -> list[tuple[Fact, FactValue]]:
    """The rows and values to change: each agreed/compatible figure row two sources give."""
    out = []
    for f in facts:
        if f.kind not in FIGURE_KINDS or f.status not in {"agreed", "compatible"}:
            continue
        if len(_sources(f, source_of)) < 2:
            continue
        # an exact figure first: its new value is not hidden by its own hedge
        for v in sorted(f.values, key=lambda v: v.qualifier is not None):
            if v.qualifier in {"between", "vague"} or v.low is None:
                continue
            if scale_number(v.span.text, 1.3) is not None:
                out.append((f, v))
                break
    return out


def _facts(articles: list[Article], docs: Any, settings: Settings, tag: str) -> list[Fact]:
    from ..brief import StoryContext
    from ..compare import align_facts

    story = Story(id=tag, title="", articles=[a.id for a in articles])
    return align_facts(StoryContext(story, articles, docs, settings))


def run_story(
    story: NeusStory, docs: Any, settings: Settings, factor: float, tag: str
) -> StoryResult:
    """Align one story as written and with each eligible figure changed; see the module docstring."""
    from ..compare import independent_sources

    articles = story_articles(story, tag)
    result = StoryResult(story.index)
    if len(articles) < 2:
        return result
    source_of = independent_sources(articles)
    facts = _facts(articles, docs, settings, f"{tag}{story.index}")
    multi = [f for f in facts if len(_sources(f, source_of)) >= 2]
    result.multi_rows = len(multi)
    result.conflicts = [f"{f.kind}: {f.label}" for f in multi if f.status == "conflict"]
    result.naive_conflicts = sum(naive_conflict(f, source_of) for f in multi)
    for n, (row, value) in enumerate(_picks(facts, source_of)):
        result.injections.append(
            _inject(story, articles, source_of, row, value, docs, settings, factor, f"{tag}{n}")
        )
    return result


def _inject(
    story: NeusStory,
    articles: list[Article],
    source_of: dict[str, str],
    row: Fact,
    value: FactValue,
    docs: Any,
    settings: Settings,
    factor: float,
    tag: str,
) -> Injection:
    """Change one value of ``row`` by ``factor``, align again, and see what became of the row."""
    from ..extract.quantities import extract_quantities

    after = scale_number(value.span.text, factor)
    assert after is not None
    art = next(a for a in articles if a.id == value.span.article)
    start, end = value.span.start, value.span.end
    changed = replace(
        art, id=f"{art.id}x{tag}", text=art.text[:start] + after + art.text[end:], relations=[]
    )
    inj = Injection(story.index, row.label, value.span.text, after)
    new_q = next(
        (q for q in extract_quantities(changed.text, settings.about_tolerance) if q.start == start),
        None,
    )
    own = source_of[art.id]
    others = [v for v in row.values if source_of.get(v.span.article) != own]
    if new_q is None:
        inj.expected = False
        return inj
    inj.expected = not all(_overlaps(new_q.low, new_q.high, v) for v in others)
    modified = [changed if a.id == art.id else a for a in articles]
    mod_source = {(changed.id if k == art.id else k): v for k, v in source_of.items()}
    mod_source = {k: (changed.id if v == art.id else v) for k, v in mod_source.items()}
    new_facts = _facts(modified, docs, settings, f"{tag}{story.index}x")
    hit = next(
        (
            f
            for f in new_facts
            if any(v.span.article == changed.id and v.span.start == start for v in f.values)
        ),
        None,
    )
    if hit is None or len(_sources(hit, mod_source)) < 2:
        return inj
    inj.aligned = True
    inj.raised = hit.status == "conflict"
    inj.naive_raised = naive_conflict(hit, mod_source)
    return inj


def summarize(results: Sequence[StoryResult]) -> dict[str, dict[str, float]]:
    """Recall of injected conflicts and conflicts per unmodified story, for both rules."""
    n = max(1, len(results))
    injected = [i for r in results for i in r.injections]
    expected = [i for i in injected if i.expected]
    m = max(1, len(expected))
    return {
        "storyline": {
            "recall": sum(i.raised for i in expected) / m,
            "false_per_story": sum(len(r.conflicts) for r in results) / n,
            "stories_with_conflict": sum(bool(r.conflicts) for r in results) / n,
        },
        "naive": {
            "recall": sum(i.naive_raised for i in expected) / m,
            "false_per_story": sum(r.naive_conflicts for r in results) / n,
            "stories_with_conflict": sum(r.naive_conflicts > 0 for r in results) / n,
        },
        "counts": {
            "stories": float(len(results)),
            "multi_source_rows": float(sum(r.multi_rows for r in results)),
            "injected": float(len(injected)),
            "absorbed": float(len(injected) - len(expected)),
            "expected": float(len(expected)),
            "aligned": float(sum(i.aligned for i in expected)),
        },
    }


def evaluate(
    stories: Sequence[NeusStory],
    factor: float = 1.3,
    settings: Settings | None = None,
    tag: str = "s",
) -> tuple[dict[str, dict[str, float]], list[StoryResult]]:
    """Run the benchmark on ``stories``; returns the summary figures and per-story results."""
    from ..extract.nlp import DocCache

    settings = settings or Settings()
    results = []
    chunk = 50
    for i in range(0, len(stories), chunk):
        docs = DocCache()  # one cache per chunk keeps memory flat
        part = stories[i : i + chunk]
        docs.prime(a for s in part for a in story_articles(s, tag))
        results += [run_story(s, docs, settings, factor, tag) for s in part]
    return summarize(results), results


@click.command("conflicts")
@neus_options(default_split="val")
@click.option(
    "--factor", type=float, default=1.3, show_default=True, help="What a changed figure is ×."
)
@click.option("--verbose", is_flag=True, help="List every conflict and every missed injection.")
def command(data: Path, split: str, limit: int | None, factor: float, verbose: bool) -> None:
    """Injected-conflict recall and conflicts per unmodified story, beside a naive rule.

    Example: storyline bench conflicts --data ../shared/datasets/neus_allsides --split val
    """
    stories = load_split(data, split, limit)
    t0 = time.perf_counter()
    scores, results = evaluate(stories, factor)
    elapsed = time.perf_counter() - t0
    c = scores["counts"]
    click.echo(
        f"NeuS/AllSides {split}: {int(c['stories'])} stories, {int(c['multi_source_rows'])} "
        f"multi-source rows, {elapsed:.1f}s"
    )
    click.echo(
        f"injected ×{factor:g}: {int(c['injected'])} figures, {int(c['absorbed'])} absorbed by a "
        f"hedge, {int(c['expected'])} should conflict, {int(c['aligned'])} still aligned"
    )
    click.echo(f"{'method':<10} {'recall':>7} {'conflicts/story':>16} {'stories w/ conflict':>20}")
    for name in ("storyline", "naive"):
        s = scores[name]
        click.echo(
            f"{name:<10} {s['recall']:7.3f} {s['false_per_story']:16.3f} "
            f"{s['stories_with_conflict']:20.3f}"
        )
    if verbose:
        kinds: Counter[str] = Counter()
        for r in results:
            for label in r.conflicts:
                kinds[label.split(":")[0]] += 1
                click.echo(f"  conflict #{r.index}: {label}")
            for i in r.injections:
                if not i.expected or i.raised:
                    continue
                how = "left the row" if not i.aligned else "not a conflict"
                click.echo(f"  missed #{r.index}: {i.label}: {i.before!r} → {i.after!r} ({how})")
        click.echo(f"conflicts by kind: {dict(kinds)}")
