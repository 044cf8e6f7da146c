"""The Markdown brief: order of sections, conflicts first, citations, escaping."""

from __future__ import annotations

import re

from storyline.models import Brief
from storyline.render.markdown import md_escape, render_markdown, story_view


def test_sections_in_reading_order(sample_brief: Brief) -> None:
    md = render_markdown(sample_brief)
    heads = [m.group(1) for m in re.finditer(r"^### (.+)$", md, re.M)]
    assert heads[0].endswith("Conflicts between sources")
    assert heads[1:] == [
        "Summary",
        "Facts",
        "Timeline",
        "Entities",
        "Quotes",
        "Sources",
        "Cited passages",
    ]


def test_coverage_line(sample_brief: Brief) -> None:
    md = render_markdown(sample_brief)
    assert "2 articles from 2 outlets · 1 independent report · 2031-05-05 to 2031-05-06" in md


def test_conflict_shows_both_values_with_outlets(sample_brief: Brief) -> None:
    md = render_markdown(sample_brief)
    conflicts = md.split("### Summary")[0]
    assert "cost of the repairs" in conflicts
    assert "about $40 million" in conflicts and "Daily Ledger [1]" in conflicts
    assert "$52 million" in conflicts and "Harbor Times [2]" in conflicts
    # a compatible fact is not a conflict
    assert "workers" not in conflicts


def test_citation_markers_link_to_anchored_passages(sample_brief: Brief) -> None:
    md = render_markdown(sample_brief)
    targets = re.findall(r"\]\(#([\w-]+)\)", md)
    assert targets
    for t in targets:
        assert f'<a id="{t}"></a>' in md


def test_article_text_is_escaped(sample_brief: Brief) -> None:
    md = render_markdown(sample_brief)
    assert "<script>" not in md
    assert "<b>" not in md
    assert "\\<script\\>" in md


def test_sources_carry_cleaning_notes_and_relations(sample_brief: Brief) -> None:
    md = render_markdown(sample_brief)
    sources = md.split("### Sources")[1]
    assert "removed 2 lines (1 share line, 1 photo credit)" in sources
    assert "rewrite of \\[1\\]" in sources


def test_facts_ordered_conflict_first(sample_brief: Brief) -> None:
    view = story_view(sample_brief.stories[0], {a.id: a for a in sample_brief.articles})
    assert [r["status"] for r in view.facts] == ["conflict", "compatible"]
    assert len(view.passages) == 3


def test_md_escape_neutralises_table_pipes() -> None:
    assert md_escape("a | b\nc") == "a \\| b c"


def test_same_reading_in_other_words_is_one_group(sample_brief: Brief) -> None:
    from storyline.models import FactValue, Span

    story = sample_brief.stories[0]
    b = sample_brief.articles[1]
    b.text += " Others put it at about 40 million dollars."
    start = b.text.index("about 40 million dollars")
    cost = next(f for f in story.facts if f.status == "conflict")
    cost.values.append(FactValue(Span.of(b, start, start + 24), 40e6, "USD", "about", 38e6, 42e6))
    view = story_view(story, {a.id: a for a in sample_brief.articles})
    row = next(r for r in view.facts if r["status"] == "conflict")
    assert len(row["readings"]) == 2
    assert row["readings"][0]["sources"] == [1, 2]


def test_source_without_outlet_shows_its_title(sample_brief: Brief) -> None:
    sample_brief.articles[1].outlet = None
    md = render_markdown(sample_brief)
    assert "**Bridge repairs done**" in md.split("### Sources")[1]


def test_undated_events_are_listed_apart_with_their_expression(sample_brief: Brief) -> None:
    import dataclasses

    from storyline.models import Span, UndatedEvent
    from storyline.render.html import render_html

    story = sample_brief.stories[0]
    a1 = next(a for a in sample_brief.articles if a.id == "a1")
    start = a1.text.index("The Lakeside bridge reopened")
    ev = UndatedEvent("on <b>Friday</b>", "The bridge <i>closed</i> again.", ["a1"],
                      [Span.of(a1, start, start + 10)])
    brief = dataclasses.replace(sample_brief, stories=[dataclasses.replace(story, undated=[ev])])
    md = render_markdown(brief)
    heads = [m.group(1) for m in re.finditer(r"^### (.+)$", md, re.M)]
    assert heads.index("Undated events") == heads.index("Timeline") + 1
    assert "- _on \\<b\\>Friday\\</b\\>_: The bridge \\<i\\>closed\\</i\\> again. [1]" in md
    html = render_html(brief)
    assert "<h3>Undated events</h3>" in html
    assert "<em>on &lt;b&gt;Friday&lt;/b&gt;</em>" in html and "<i>closed</i>" not in html
    assert brief.to_dict()["stories"][0]["undated"][0]["expression"] == "on <b>Friday</b>"


def test_cited_passages_keep_the_space_around_the_passage(sample_brief: Brief) -> None:
    md = render_markdown(sample_brief)
    assert "**The Lakeside bridge reopened on Monday** after repairs" in md
    assert "took part. **\\<script\\>alert('x')\\</script\\>** Mayor Ana Reyes" in md
