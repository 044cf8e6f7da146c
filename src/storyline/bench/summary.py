"""``storyline bench summary``: multi-source summaries scored against editors' neutral roundups.

Reads NeuS/AllSides (``lrc_roundup/<split>.source`` / ``.target``): each line of ``.source`` holds
three articles on one story (left, centre, right; ``TITLE=> … ARTICLE=> …`` joined by ``[SEP]``),
the same line of ``.target`` the neutral roundup written by AllSides editors. Every method summarizes
the three articles at the same word budget (by default the mean length of the ``train`` roundups,
about 67 words) from the same sentences (:func:`storyline.summarize.text.split_sentences`):

* **storyline** — :func:`storyline.summarize.summarize_texts` (support across sources first);
* **lead** — the first sentence of each article, in order;
* **lexrank**, **textrank** — ``sumy``'s summarizers over all the story's sentences.

Sentences are taken in each method's order while they fit the budget (the first is always taken).
Scores are ROUGE-1/2/Lsum F1 (``rouge-score``, Porter stemming) against the roundup text (its
``ARTICLE=>`` part; the editors' headline is left out), averaged over stories, ×100.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from ..summarize import Weights, summarize_texts
from ..summarize.text import split_sentences, word_count
from .neus import NeusStory, load_split, mean_target_words, neus_options

__all__ = ["command", "evaluate", "fit_budget", "load_split", "mean_target_words", "run_story"]

METHODS = ("storyline", "lead", "lexrank", "textrank")


def fit_budget(sentences: Sequence[str], budget: int) -> list[str]:
    """Take sentences in order while they fit the budget; the first is always taken."""
    out: list[str] = []
    used = 0
    for s in sentences:
        n = word_count(s)
        if out and used + n > budget:
            continue
        out.append(s)
        used += n
        if used >= budget:
            break
    return out


class _Tokenizer:
    """The tokenizer sumy asks for, built on Storyline's splitter (no NLTK data needed)."""

    language = "english"

    def to_sentences(self, text: str) -> list[str]:
        return [text[s:e] for s, e in split_sentences(text)]

    def to_words(self, sentence: str) -> list[str]:
        return re.findall(r"[A-Za-z0-9][A-Za-z0-9'’-]*", sentence)


def _sumy_ranked(kind: str) -> Callable[[list[str]], list[str]]:
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    base = LexRankSummarizer if kind == "lexrank" else TextRankSummarizer
    tok = _Tokenizer()

    class Ranked(base):  # type: ignore[misc, valid-type]
        # sumy returns the best N in document order; the budget needs them best first
        def _get_best_sentences(
            self, sentences: Any, count: Any, rating: Any, *a: Any, **k: Any
        ) -> Any:
            return sorted(sentences, key=lambda s: -rating[s])

    summarizer = Ranked(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")

    def rank(sentences: list[str]) -> list[str]:
        doc = ObjectDocumentModel([Paragraph([Sentence(s, tok) for s in sentences])])
        return [str(s) for s in summarizer(doc, len(sentences))]

    return rank


def run_story(
    story: NeusStory,
    budget: int,
    rankers: dict[str, Callable[[list[str]], list[str]]],
    weights: Weights,
) -> dict[str, list[tuple[str, int]]]:
    """Every method's summary of one story: ``(sentence, number of cited articles)`` pairs."""
    sents = [[t[s:e] for s, e in split_sentences(t)] for t in story.texts]
    every = [s for doc in sents for s in doc]
    out: dict[str, list[tuple[str, int]]] = {}
    chosen = summarize_texts(story.texts, budget, story.titles, weights=weights)
    out["storyline"] = [(c.sentence.text, 1 + len(c.supporters)) for c in chosen]
    out["lead"] = [(s, 1) for s in fit_budget([d[0] for d in sents if d], budget)]
    for name, rank in rankers.items():
        out[name] = [(s, 1) for s in fit_budget(rank(every), budget)] if every else []
    return out


def evaluate(
    stories: list[NeusStory],
    budget: int,
    weights: Weights | None = None,
    methods: Sequence[str] = METHODS,
) -> tuple[dict[str, dict[str, float]], list[dict[str, Any]]]:
    """Score every method on the stories.

    Returns:
        ``(scores, outputs)``: per method the mean ROUGE-1/2/Lsum F1 ×100, mean words and the share
        of sentences that cite at least one article; and per story Storyline's summary.
    """
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    rankers = {m: _sumy_ranked(m) for m in methods if m in {"lexrank", "textrank"}}
    w = weights or Weights()
    sums: dict[str, dict[str, float]] = {
        m: dict.fromkeys(("rouge1", "rouge2", "rougeLsum", "words", "cited", "sentences"), 0.0)
        for m in methods
    }
    outputs = []
    for story in stories:
        target = "\n".join(story.target[s:e] for s, e in split_sentences(story.target))
        result = run_story(story, budget, rankers, w)
        for m in methods:
            pairs = result[m]
            pred = "\n".join(s for s, _ in pairs)
            sc = scorer.score(target, pred)
            acc = sums[m]
            for k in ("rouge1", "rouge2", "rougeLsum"):
                acc[k] += sc[k].fmeasure
            acc["words"] += word_count(pred)
            acc["cited"] += sum(1 for _, n in pairs if n >= 1)
            acc["sentences"] += len(pairs)
        outputs.append(
            {"index": story.index, "summary": " ".join(s for s, _ in result["storyline"])}
        )
    n = max(1, len(stories))
    scores = {
        m: {
            "rouge1": 100 * acc["rouge1"] / n,
            "rouge2": 100 * acc["rouge2"] / n,
            "rougeLsum": 100 * acc["rougeLsum"] / n,
            "words": acc["words"] / n,
            "cited": 100 * acc["cited"] / max(1.0, acc["sentences"]),
        }
        for m, acc in sums.items()
    }
    return scores, outputs


@click.command("summary")
@neus_options(default_split="test")
@click.option(
    "--budget",
    type=int,
    default=None,
    help="Words per summary (default: mean train roundup length).",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write Storyline's summaries as JSONL.",
)
def command(
    data: Path, split: str, budget: int | None, limit: int | None, output: Path | None
) -> None:
    """Score multi-source summaries against NeuS/AllSides roundups, beside Lead, LexRank, TextRank.

    Example: storyline bench summary --data ../shared/datasets/neus_allsides --split test
    """
    stories = load_split(data, split, limit)
    budget = budget or mean_target_words(data, "train")
    t0 = time.perf_counter()
    scores, outputs = evaluate(stories, budget)
    elapsed = time.perf_counter() - t0
    click.echo(
        f"NeuS/AllSides {split}: {len(stories)} stories, budget {budget} words, {elapsed:.1f}s"
    )
    click.echo(
        f"{'method':<10} {'ROUGE-1':>8} {'ROUGE-2':>8} {'ROUGE-Lsum':>10} {'words':>6} {'cited%':>7}"
    )
    for m, s in scores.items():
        click.echo(
            f"{m:<10} {s['rouge1']:8.2f} {s['rouge2']:8.2f} {s['rougeLsum']:10.2f} {s['words']:6.1f} {s['cited']:7.1f}"
        )
    best = max(scores[m]["rouge1"] for m in scores if m != "storyline")
    click.echo(
        f"storyline ROUGE-1 minus best baseline: {scores['storyline']['rouge1'] - best:+.2f}"
    )
    if output:
        with output.open("w", encoding="utf-8") as fh:
            for row in outputs:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        click.echo(f"wrote {len(outputs)} summaries to {output}")
