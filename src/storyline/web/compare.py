"""Side-by-side comparison of a story's articles: shared passages, differing figures and names.

Shared passages are runs of text whose word shingles (``SHINGLE`` words) also occur in another
compared article. Differing figures come from the brief's facts: a fact whose compared values do not
all read the same is listed in a table and its value spans are marked in every column under the same
key, so hovering or clicking one shows the others. Differing names are entity mentions written in a
way that another compared article never writes the same entity (and that is not simply a shorter or
longer form of it, like a surname alone).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..models import Article
from .highlight import Mark, Piece, paragraphs, pieces

#: Words per shingle when looking for passages two articles share.
SHINGLE = 6

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class Column:
    """One compared article and its highlighted text."""

    article: Article
    paragraphs: list[list[Piece]]
    shared_chars: int = 0


@dataclass
class DiffRow:
    """A fact or a name whose compared articles do not all say the same thing."""

    label: str
    kind: str
    status: str
    key: str
    cells: dict[str, list[str]] = field(default_factory=dict)
    explanation: str = ""


@dataclass
class Comparison:
    """The whole compare view: one column per article, then the figure and name differences."""

    columns: list[Column]
    figures: list[DiffRow]
    names: list[DiffRow]


def _shingles(text: str) -> tuple[list[tuple[int, int]], list[str]]:
    words = [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(text)]
    spans = []
    keys = []
    for i in range(len(words) - SHINGLE + 1):
        spans.append((words[i][0], words[i + SHINGLE - 1][1]))
        keys.append(" ".join(w for _, _, w in words[i : i + SHINGLE]))
    return spans, keys


def shared_ranges(articles: list[Article]) -> dict[str, list[tuple[int, int, list[str]]]]:
    """For each article, merged character ranges shared with another article, and with whom.

    Returns:
        ``{article id: [(start, end, [other article ids]), ...]}`` in text order.
    """
    per: dict[str, tuple[list[tuple[int, int]], list[str]]] = {a.id: _shingles(a.text) for a in articles}
    owners: dict[str, set[str]] = {}
    for aid, (_, keys) in per.items():
        for k in keys:
            owners.setdefault(k, set()).add(aid)
    out: dict[str, list[tuple[int, int, list[str]]]] = {}
    for aid, (spans, keys) in per.items():
        ranges: list[tuple[int, int, set[str]]] = []
        for (s, e), k in zip(spans, keys, strict=True):
            others = owners[k] - {aid}
            if not others:
                continue
            if ranges and s <= ranges[-1][1]:
                ps, pe, po = ranges[-1]
                ranges[-1] = (ps, max(pe, e), po | others)
            else:
                ranges.append((s, e, set(others)))
        out[aid] = [(s, e, sorted(o)) for s, e, o in ranges]
    return out


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def figure_rows(story: dict[str, Any], ids: list[str]) -> list[DiffRow]:
    """Facts whose values in the compared articles do not all read the same."""
    rows = []
    for f in story.get("facts", []):
        cells: dict[str, list[str]] = {}
        for v in f.get("values", []):
            if v["article"] in ids:
                cells.setdefault(v["article"], [])
                if v["text"] not in cells[v["article"]]:
                    cells[v["article"]].append(v["text"])
        if len(cells) < 2:
            continue
        readings = {_norm(t) for ts in cells.values() for t in ts}
        if len(readings) < 2:
            continue
        rows.append(DiffRow(f["label"], f["kind"], f["status"], f"f-{f['id']}", cells, f.get("explanation", "")))
    order = {"conflict": 0, "compatible": 1}
    rows.sort(key=lambda r: order.get(r.status, 2))
    return rows


def _is_form_of(a: str, b: str) -> bool:
    ta, tb = set(_norm(a).split()), set(_norm(b).split())
    return ta == tb or ta <= tb or tb <= ta


def name_rows(story: dict[str, Any], ids: list[str]) -> list[DiffRow]:
    """Entities that compared articles write in different ways (not just shorter forms)."""
    rows = []
    for e in story.get("entities", []):
        cells: dict[str, list[str]] = {}
        for m in e.get("mentions", []):
            if m["article"] in ids:
                cells.setdefault(m["article"], [])
                if m["text"] not in cells[m["article"]]:
                    cells[m["article"]].append(m["text"])
        if len(cells) < 2:
            continue
        differing = _differing_forms(cells)
        if differing:
            rows.append(DiffRow(e["name"], e["type"], "variant", f"e-{e['id']}", cells,
                                "written as " + " / ".join(sorted(differing))))
    return rows


def _differing_forms(cells: dict[str, list[str]]) -> set[str]:
    differing: set[str] = set()
    for aid, forms in cells.items():
        others = [t for oid, ts in cells.items() if oid != aid for t in ts]
        for t in forms:
            if not any(_is_form_of(t, o) for o in others):
                differing.add(t)
    return differing


def default_selection(story: dict[str, Any], articles: list[Article], k: int = 3) -> list[Article]:
    """The articles to compare when the reader has not chosen: greedily, those that bring the most
    different readings of the facts sources disagree on (exact copies of a chosen one skipped)."""
    readings: dict[str, set[tuple[str, str]]] = {a.id: set() for a in articles}
    for f in story.get("facts", []):
        if f["status"] not in ("conflict", "compatible"):
            continue
        for v in f.get("values", []):
            if v["article"] in readings:
                readings[v["article"]].add((f["id"], _norm(v["text"])))
    chosen: list[Article] = []
    covered: set[tuple[str, str]] = set()
    pool = list(articles)
    while pool and len(chosen) < k:
        best = max(pool, key=lambda a: (len(readings[a.id] - covered), -articles.index(a)))
        chosen.append(best)
        covered |= readings[best.id]
        dupes = {r.article for r in best.relations if r.type == "duplicate_of"}
        pool = [a for a in pool if a is not best and a.id not in dupes
                and not any(r.type == "duplicate_of" and r.article == best.id for r in a.relations)]
    return sorted(chosen, key=articles.index)


def compare(story: dict[str, Any], articles: list[Article]) -> Comparison:
    """Build the compare view of some articles of one story.

    Args:
        story: the ``brief-v1`` story dict the articles belong to.
        articles: the articles to compare (two or more), in column order.

    Returns:
        Columns with shared passages, differing figures and differing names marked.
    """
    ids = [a.id for a in articles]
    names_by_id = {a.id: a.outlet or a.title or a.id for a in articles}
    shared = shared_ranges(articles)
    figures = figure_rows(story, ids)
    names = name_rows(story, ids)
    figure_keys = {r.key: r for r in figures}
    name_keys = {r.key: r for r in names}
    differing_names = {r.key: _differing_forms(r.cells) for r in names}
    columns = []
    for a in articles:
        marks = [
            Mark(s, e, "shared", "", "also in " + ", ".join(names_by_id[o] for o in others))
            for s, e, others in shared.get(a.id, [])
        ]
        for f in story.get("facts", []):
            row = figure_keys.get(f"f-{f['id']}")
            if row is None:
                continue
            kind = "figure conflict" if row.status == "conflict" else "figure"
            for v in f["values"]:
                if v["article"] == a.id:
                    marks.append(Mark(v["start"], v["end"], kind, row.key, f"{row.label} ({row.status})"))
        for e in story.get("entities", []):
            key = f"e-{e['id']}"
            if key not in name_keys:
                continue
            for m in e["mentions"]:
                if m["article"] == a.id and m["text"] in differing_names[key]:
                    marks.append(Mark(m["start"], m["end"], "name", key, f"{e['name']}: {name_keys[key].explanation}"))
        n_shared = sum(e - s for s, e, _ in shared.get(a.id, []))
        columns.append(Column(a, paragraphs(pieces(a.text, marks)), n_shared))
    return Comparison(columns, figures, names)
