"""Render a :class:`~storyline.models.Brief` as Markdown a person reads in a minute.

Each story gets: title, a coverage line, conflicts first (with the competing values and the outlets
behind each), the summary with citation markers that link to the quoted source passages, the facts
table, timeline, entities, quotes and the sources list with cleaning notes.

The HTML renderer builds on the same view (:func:`story_view`), so both formats always show the same
things in the same order. Article text is untrusted: every piece of it is escaped for Markdown so that
a page containing ``<script>`` or table pipes cannot change the document's structure.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..compare.sources import outlet
from ..models import Article, Brief, Fact, FactValue, Span, Story

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")
#: Characters of context shown on each side of a cited passage.
PASSAGE_CONTEXT = 90
#: Most entities listed per story (the most mentioned first).
MAX_ENTITIES = 25
_QUOTE_MARKS = "“”\"' "


def quote_text(text: str) -> str:
    """A quote's words without their own quotation marks or a trailing comma (the brief adds marks)."""
    return text.strip(_QUOTE_MARKS).rstrip(",").strip(_QUOTE_MARKS)


def md_escape(text: str) -> str:
    """Escape text for inline Markdown: structure characters get a backslash, newlines a space."""
    text = re.sub(r"\s+", " ", text).strip()
    return _MD_SPECIAL.sub(r"\\\1", text).replace("&", "&amp;")


@dataclass
class Passage:
    """One cited stretch of a source, with a stable anchor and a little context."""

    anchor: str
    source_no: int
    outlet: str
    before: str
    text: str
    after: str


@dataclass
class StoryView:
    """Everything a renderer shows for one story, already ordered and numbered."""

    story: Story
    anchor: str
    sources: list[dict[str, Any]]
    coverage_line: str
    conflicts: list[dict[str, Any]]
    facts: list[dict[str, Any]]
    summary: list[dict[str, Any]]
    passages: list[Passage] = field(default_factory=list)
    entities: list[Any] = field(default_factory=list)


def _outlet(article: Article | None) -> str:
    if article is None:
        return "unknown source"
    return outlet(article)


def format_number(x: float | None) -> str:
    """A figure as a reader writes it: ``1,100``, ``2.5``, ``110000000``→``110,000,000``."""
    if x is None:
        return "?"
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def value_text(v: FactValue) -> str:
    """How one source's value reads: its surface text from the article, trimmed."""
    return re.sub(r"\s+", " ", v.span.text).strip()


def interval_text(v: FactValue) -> str:
    """The interval a value stands for, e.g. ``1,000–∞`` or ``95–105``; empty for names."""
    if v.low is None and v.high is None:
        return ""
    if v.low == v.high:
        return format_number(v.low)
    hi = "∞" if v.high is None or v.high == float("inf") else format_number(v.high)
    return f"{format_number(v.low)}–{hi}"


def coverage_line(story: Story) -> str:
    """``5 articles from 4 outlets · 3 independent reports · 2024-04-19 to 2024-04-22``."""
    cov = story.coverage or {}
    n = int(cov.get("articles", len(story.articles)))
    outlets = cov.get("outlets") or []
    parts = [f"{n} article{'s' if n != 1 else ''}"]
    if outlets:
        parts[0] += f" from {len(outlets)} outlet{'s' if len(outlets) != 1 else ''}"
    if "independent_reports" in cov:
        k = int(cov["independent_reports"])
        parts.append(f"{k} independent report{'s' if k != 1 else ''}")
    first, last = cov.get("first_published"), cov.get("last_published")
    if first and last and first[:10] != last[:10]:
        parts.append(f"{first[:10]} to {last[:10]}")
    elif first:
        parts.append(str(first)[:10])
    return " · ".join(parts)


def cleaning_note(article: Article) -> str:
    """``removed 3 lines (2 share line, 1 photo credit)``, or empty when nothing was removed."""
    if not article.removed:
        return ""
    reasons = Counter(r.reason for r in article.removed)
    detail = ", ".join(f"{n} {reason}" for reason, n in reasons.most_common())
    n = len(article.removed)
    return f"removed {n} line{'s' if n != 1 else ''} ({detail})"


def story_view(story: Story, articles: dict[str, Article]) -> StoryView:
    """Number a story's sources, collect its cited passages and order its facts for display.

    Args:
        story: The story whose brief is rendered.
        articles: Every article of the brief, by id.

    Returns:
        A :class:`StoryView` both renderers read.
    """
    anchor = re.sub(r"[^A-Za-z0-9_-]", "-", story.id) or "story"
    numbers: dict[str, int] = {}
    sources: list[dict[str, Any]] = []
    for aid in story.articles:
        numbers[aid] = len(numbers) + 1
    for aid in story.articles:
        a = articles.get(aid)
        copy_of = [
            r
            for r in (a.relations if a else [])
            if r.type in {"duplicate_of", "near_duplicate_of", "rewrite_of"}
        ]
        sources.append(
            {
                "no": numbers[aid],
                "id": aid,
                "anchor": f"{anchor}-src-{numbers[aid]}",
                "outlet": (a.outlet if a else None) or "",
                "name": _outlet(a),
                "title": (a.title if a else None) or "",
                "published": ((a.published or "")[:10] if a else ""),
                "url": (a.url or a.source) if a else "",
                "relations": [
                    _relation_text(r.type, r.article, numbers, articles) for r in copy_of
                ],
                "cleaning": cleaning_note(a) if a else "",
                "flags": [f.message for f in (a.flags if a else [])],
            }
        )
    view = StoryView(story, anchor, sources, coverage_line(story), [], [], [])
    view.entities = sorted(story.entities, key=lambda e: (-len(e.mentions), e.name))[:MAX_ENTITIES]

    def cite(span: Span) -> dict[str, Any]:
        a = articles.get(span.article)
        no = numbers.get(span.article, 0)
        p = Passage(
            anchor=f"{anchor}-p{len(view.passages) + 1}",
            source_no=no,
            outlet=_outlet(a),
            before=_context_before(a.text, span.start) if a else "",
            text=span.text,
            after=_context_after(a.text, span.end) if a else "",
        )
        view.passages.append(p)
        return {"no": no, "anchor": p.anchor}

    for s in story.summary:
        cites = sorted((cite(sp) for sp in s.evidence), key=lambda c: c["no"])
        view.summary.append({"text": s.text, "cites": cites})
    order = {"conflict": 0, "compatible": 1, "agreed": 2, "single-source": 3}
    for f in sorted(story.facts, key=lambda f: (order.get(f.status, 4), f.label)):
        row = _fact_row(f, numbers, articles)
        view.facts.append(row)
        if f.status == "conflict":
            view.conflicts.append(row)
    return view


def _relation_text(
    kind: str, target: str, numbers: dict[str, int], articles: dict[str, Article]
) -> str:
    """``near duplicate of [1]``, or the other article's name when it is not in this story."""
    words = kind.replace("_", " ")
    if target in numbers:
        return f"{words} [{numbers[target]}]"
    other = articles.get(target)
    return f"{words} {_outlet(other)}" if other else f"{words} an article not in this brief"


def _context_before(text: str, start: int) -> str:
    lo = max(0, start - PASSAGE_CONTEXT)
    s = text[lo:start]
    if lo > 0:
        s = "…" + s.split(" ", 1)[-1] if " " in s else "…" + s
    return re.sub(r"\s+", " ", s)


def _context_after(text: str, end: int) -> str:
    hi = min(len(text), end + PASSAGE_CONTEXT)
    s = text[end:hi]
    if hi < len(text):
        s = (s.rsplit(" ", 1)[0] if " " in s else s) + "…"
    return re.sub(r"\s+", " ", s)


def _fact_row(f: Fact, numbers: dict[str, int], articles: dict[str, Article]) -> dict[str, Any]:
    """Group a fact's values by what they say, with the sources behind each reading."""
    groups: dict[Any, dict[str, Any]] = {}
    for v in f.values:
        # "about €40 million" and "about 40 million euros" say the same: one reading
        key = (
            (v.value, v.qualifier, v.low, v.high, v.unit)
            if v.value is not None and not isinstance(v.value, str)
            else value_text(v).lower()
        )
        g = groups.setdefault(
            key, {"text": value_text(v), "interval": interval_text(v), "sources": [], "outlets": []}
        )
        no = numbers.get(v.span.article, 0)
        if no not in g["sources"]:
            g["sources"].append(no)
            g["outlets"].append(_outlet(articles.get(v.span.article)))
    return {
        "id": f.id,
        "label": f.label,
        "kind": f.kind,
        "status": f.status,
        "explanation": f.explanation,
        "readings": list(groups.values()),
    }


def _cites_md(cites: list[dict[str, Any]]) -> str:
    return "".join(f"[\\[{c['no']}\\]](#{c['anchor']})" for c in cites)


def _readings_md(row: dict[str, Any]) -> str:
    out = []
    for g in row["readings"]:
        who = ", ".join(
            f"{md_escape(o)} [{n}]" for o, n in zip(g["outlets"], g["sources"], strict=True)
        )
        out.append(f"**{md_escape(g['text'])}** ({who})")
    return "; ".join(out)


def render_story_markdown(view: StoryView) -> str:
    """The Markdown section for one story."""
    s = view.story
    lines = [f'<a id="{view.anchor}"></a>', f"## {md_escape(s.title or 'Untitled story')}", ""]
    lines += [f"*{md_escape(view.coverage_line)}*", ""]
    if view.conflicts:
        lines += ["### ⚠ Conflicts between sources", ""]
        for row in view.conflicts:
            lines.append(f"- **{md_escape(row['label'])}**: {_readings_md(row)}.")
            if row["explanation"]:
                lines.append(f"  {md_escape(row['explanation'])}")
        lines.append("")
    if view.summary:
        lines += ["### Summary", ""]
        lines.append(
            " ".join(f"{md_escape(x['text'])}{_cites_md(x['cites'])}" for x in view.summary)
        )
        lines.append("")
    if view.facts:
        lines += [
            "### Facts",
            "",
            "| fact | status | values (sources) | why |",
            "|---|---|---|---|",
        ]
        for row in view.facts:
            lines.append(
                f"| {md_escape(row['label'])} | {row['status']} | {_readings_md(row)} "
                f"| {md_escape(row['explanation'])} |"
            )
        lines.append("")
    if s.timeline:
        lines += ["### Timeline", ""]
        nums = {src["id"]: src["no"] for src in view.sources}
        for t in sorted(s.timeline, key=lambda t: t.date):
            refs = "".join(f"[{nums[a]}]" for a in t.articles if a in nums)
            lines.append(f"- **{md_escape(t.date)}** {md_escape(t.text)} {refs}".rstrip())
        lines.append("")
    if s.undated:
        lines += ["### Undated events", "",
                  "_Relative dates in articles without a publication date: not resolved._", ""]
        nums = {src["id"]: src["no"] for src in view.sources}
        for u in s.undated:
            refs = "".join(f"[{nums[a]}]" for a in u.articles if a in nums)
            lines.append(f"- _{md_escape(u.expression)}_: {md_escape(u.text)} {refs}".rstrip())
        lines.append("")
    if view.entities:
        lines += ["### Entities", ""]
        for e in view.entities:
            extra = [v for v in e.variants if v != e.name]
            bits = f"- **{md_escape(e.name)}** ({md_escape(e.type)})"
            if e.roles:
                bits += f", {md_escape('; '.join(e.roles))}"
            if extra:
                bits += f"; also: {md_escape(', '.join(extra))}"
            lines.append(bits)
        lines.append("")
    if s.quotes:
        lines += ["### Quotes", ""]
        nums = {src["id"]: src["no"] for src in view.sources}
        for q in s.quotes:
            who = md_escape(q.speaker_name or "unattributed")
            said = md_escape(quote_text(q.span.text))
            lines.append(f"- “{said}” — {who} [{nums.get(q.span.article, '?')}]")
        lines.append("")
    lines += ["### Sources", ""]
    for src in view.sources:
        line = f'{src["no"]}. <a id="{src["anchor"]}"></a>**{md_escape(src["outlet"] or src["title"] or src["name"])}**'
        if src["title"] and src["outlet"] and src["title"] != src["outlet"]:
            line += f": {md_escape(src['title'])}"
        if src["published"]:
            line += f" ({src['published']})"
        notes = src["relations"] + ([src["cleaning"]] if src["cleaning"] else []) + src["flags"]
        if notes:
            line += f" — {md_escape('; '.join(notes))}"
        lines.append(line)
    lines.append("")
    if view.passages:
        lines += ["### Cited passages", ""]
        for p in view.passages:
            # the context keeps the space (or line break) that separates it from the passage
            before = md_escape(p.before) + (" " if p.before[-1:].isspace() else "")
            after = (" " if p.after[:1].isspace() else "") + md_escape(p.after)
            lines.append(
                f'- <a id="{p.anchor}"></a>[{p.source_no}] {md_escape(p.outlet)}: '
                f"{before}**{md_escape(p.text)}**{after}"
            )
        lines.append("")
    return "\n".join(lines)


def render_markdown(brief: Brief) -> str:
    """Render a whole brief (every story) as one Markdown document.

    Args:
        brief: The brief to render.

    Returns:
        Markdown text; every piece of article text in it is escaped.
    """
    articles = {a.id: a for a in brief.articles}
    n = len(brief.stories)
    parts = [
        "# Storyline brief",
        "",
        f"{n} stor{'ies' if n != 1 else 'y'} from {len(brief.articles)} article"
        f"{'s' if len(brief.articles) != 1 else ''}.",
        "",
    ]
    for story in brief.stories:
        parts.append(render_story_markdown(story_view(story, articles)))
    return "\n".join(parts).rstrip() + "\n"
