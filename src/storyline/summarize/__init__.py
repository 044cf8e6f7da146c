"""A short extractive multi-source summary whose every sentence cites the articles behind it.

``summarize_story(ctx)`` is the brief component: it splits each article's cleaned text into sentences
(:func:`.text.split_sentences`; line breaks end sentences, so left-over headlines and chrome lines
stay apart), ranks them with :mod:`.rank` (support from other independent sources first) and returns
about ``Settings.summary_words`` words, consensus first. ``summarize_texts`` runs the same splitting
and ranking on plain texts (what the benchmark uses). No spaCy is needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .compress import compressions
from .rank import Candidate, Chosen, Weights, choose, limit_candidates, score_candidates
from .text import split_sentences

if TYPE_CHECKING:
    from ..brief import StoryContext
    from ..models import SummarySentence

__all__ = ["Weights", "candidates", "summarize_story", "summarize_texts"]


def candidates(
    texts: Sequence[str], sources: Sequence[str], compress: bool = True
) -> list[Candidate]:
    """The candidate sentences of a story's texts, with their shorter forms.

    Args:
        texts: One text per article.
        sources: The independent report each article belongs to.
        compress: Add each sentence's shorter forms (:func:`.compress.compressions`).

    Returns:
        Whole sentences (at most :func:`.rank.limit_candidates` of them, leads first), each followed
        by its shorter forms.
    """
    whole = []
    for d, text in enumerate(texts):
        for p, (s, e) in enumerate(split_sentences(text)):
            whole.append(Candidate(d, sources[d], p, s, e, text[s:e]))
    out = []
    for c in limit_candidates(whole):
        out.append(c)
        if compress:
            for v in compressions(texts[c.doc], c.start, c.end):
                out.append(
                    Candidate(c.doc, c.source, c.position, v.start, v.end, v.text, whole=False)
                )
    return out


def summarize_texts(
    texts: Sequence[str],
    budget: int,
    titles: Sequence[str] = (),
    sources: Sequence[str] | None = None,
    weights: Weights | None = None,
) -> list[Chosen]:
    """Summarize plain article texts (the benchmark path).

    Args:
        texts: One text per article.
        budget: Most words in the summary.
        titles: Headlines, used as a hint of what matters.
        sources: The independent report each article belongs to (default: each its own).
        weights: Ranking weights (default: the shipped ones).

    Returns:
        The chosen sentences; ``sentence.doc`` indexes ``texts``.
    """
    w = weights or Weights()
    cands = candidates(texts, sources or [str(d) for d in range(len(texts))], w.compress)
    if not cands:
        return []
    score_candidates(cands, titles, w)
    return choose(cands, budget, w, titles)


def summarize_story(ctx: StoryContext) -> list[SummarySentence]:
    """The story's summary: ranked sentences of its articles, each citing its supporters.

    Args:
        ctx: The story context (articles, parsed docs, settings).

    Returns:
        Summary sentences; each cites its own article and every article with a close sentence, with
        those sentences as evidence spans.
    """
    from ..compare import independent_sources
    from ..models import Span, SummarySentence

    arts = ctx.articles
    source_of = independent_sources(arts)
    w = Weights()
    cands = candidates([a.text for a in arts], [source_of[a.id] for a in arts], w.compress)
    if not cands:
        return []
    titles = [a.title or "" for a in arts]
    score_candidates(cands, titles, w)
    out = []
    for ch in choose(cands, ctx.settings.summary_words, w, titles):
        own = ch.sentence
        spans = [Span.of(arts[own.doc], own.start, own.end)]
        spans += [Span.of(arts[o.doc], o.start, o.end) for o in ch.supporters]
        ids = list(dict.fromkeys(s.article for s in spans))
        out.append(SummarySentence(text=own.text, articles=ids, evidence=spans))
    return out
