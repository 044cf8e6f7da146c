"""Geometry of the timeline chart: one row per dated event, drawn as SVG by the story template.

A day is a dot; a month or a year is a bar across the days it covers, so the chart shows how
precise each date is. The first row marks when each article was published (the coverage).
Everything here is numbers and plain strings; the template escapes the strings.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

#: Chart layout in SVG user units.
WIDTH = 760
LABEL_W = 110
ROW_H = 24
TOP = 34
PAD = 12
#: A zoom on the reporting weeks is drawn when all events span more days than this...
ZOOM_MIN_SPAN = 60
#: ... covering from this many days before the first publication to this many after the last.
ZOOM_BEFORE = 14
ZOOM_AFTER = 7


@dataclass
class Row:
    """One chart row: a label, a marker (dot or bar) and a tooltip."""

    y: int
    label: str
    x0: float
    x1: float
    dot: bool
    tooltip: str
    kind: str = "event"
    dots: list[tuple[float, str]] = field(default_factory=list)


@dataclass
class Chart:
    """The whole chart: size, axis ticks and rows."""

    width: int
    height: int
    track_x0: int
    track_x1: int
    ticks: list[tuple[float, str]]
    rows: list[Row]


def date_range(value: str) -> tuple[date, date] | None:
    """First and last day covered by ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a longer ISO string
    is cut to its date); None when it is not such a date."""
    try:
        parts = [int(p) for p in value[:10].split("-")]
        if len(parts) == 1:
            return date(parts[0], 1, 1), date(parts[0], 12, 31)
        if len(parts) == 2:
            last = calendar.monthrange(parts[0], parts[1])[1]
            return date(parts[0], parts[1], 1), date(parts[0], parts[1], last)
        d = date(parts[0], parts[1], parts[2])
        return d, d
    except (ValueError, IndexError):
        return None


def _ticks(lo: date, hi: date, x: Any) -> list[tuple[float, str]]:
    days = (hi - lo).days
    if days <= 14:
        step, fmt = 1 if days <= 7 else 2, "%d %b"
        return [(x(lo + timedelta(d)), (lo + timedelta(d)).strftime(fmt)) for d in range(0, days + 1, step)]
    if days <= 400:
        out, d = [], date(lo.year, lo.month, 1)
        every = 1 if days <= 190 else 2
        i = 0
        while d <= hi:
            if d >= lo and i % every == 0:
                out.append((x(d), d.strftime("%b %Y")))
            d = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
            i += 1
        return out
    step = max(1, (hi.year - lo.year) // 8)
    return [(x(date(y, 1, 1)), str(y)) for y in range(lo.year + 1, hi.year + 1, step)]


def build_charts(timeline: list[dict[str, Any]],
                 published: list[tuple[str, str]]) -> list[tuple[str, Chart]]:
    """The story's timeline charts: the whole span, and when that span is long while several
    events fall in the weeks the story was reported, a zoom on those weeks (else they would
    collapse into one spot at the edge of the whole span).

    Returns:
        ``(title, chart)`` pairs, zoom first; empty when nothing has a date.
    """
    full = build_chart(timeline, published)
    if full is None:
        return []
    pubs = [r[0] for d, _ in published if d and (r := date_range(d)) is not None]
    dated = [(r, t) for t in timeline if (r := date_range(t["date"])) is not None]
    if not pubs or not dated:
        return [("", full)]
    lo, hi = min(pubs) - timedelta(ZOOM_BEFORE), max(pubs) + timedelta(ZOOM_AFTER)
    inside = [t for r, t in dated if lo <= r[0] and r[1] <= hi]
    span = (max(r[1] for r, _ in dated) - min(r[0] for r, _ in dated)).days
    if span <= ZOOM_MIN_SPAN or len(inside) < 2 or len(inside) == len(dated):
        return [("", full)]
    zoom = build_chart(inside, published)
    if zoom is None:
        return [("", full)]
    return [("The days of the story", zoom), ("All dated events", full)]


def build_chart(timeline: list[dict[str, Any]], published: list[tuple[str, str]]) -> Chart | None:
    """Lay out the chart of a story's timeline.

    Args:
        timeline: the ``brief-v1`` timeline items (date, text, articles).
        published: ``(publication date, outlet)`` of each article (the coverage row).

    Returns:
        The chart, or None when nothing in it has a date.
    """
    events: list[tuple[tuple[date, date], dict[str, Any]]] = [
        (r, t) for t in timeline if (r := date_range(t["date"])) is not None
    ]
    pubs = [(r[0], who) for d, who in published if d and (r := date_range(d)) is not None]
    if not events and not pubs:
        return None
    lo = min([r[0] for r, _ in events] + [d for d, _ in pubs])
    hi = max([r[1] for r, _ in events] + [d for d, _ in pubs])
    if hi == lo:
        lo, hi = lo - timedelta(1), hi + timedelta(1)
    x0, x1 = LABEL_W + PAD, WIDTH - PAD
    span = (hi - lo).days + 1

    def x(d: date) -> float:
        return round(x0 + (x1 - x0) * (d - lo).days / span, 1)

    def x_end(d: date) -> float:
        return round(x0 + (x1 - x0) * ((d - lo).days + 1) / span, 1)

    rows: list[Row] = []
    y = TOP
    if pubs:
        dots = [((x(d) + x_end(d)) / 2, f"{d.isoformat()}: {who}") for d, who in pubs]
        rows.append(Row(y, "published", x0, x1, True, f"{len(pubs)} article(s) published", "coverage", dots))
        y += ROW_H
    for (a, b), t in sorted(events, key=lambda e: e[0]):
        dot = a == b
        mid = (x(a) + x_end(b)) / 2
        text = t["text"] if len(t["text"]) <= 140 else t["text"][:139] + "…"
        rows.append(Row(y, t["date"], mid if dot else x(a), mid if dot else x_end(b), dot,
                        f"{t['date']}: {text}"))
        y += ROW_H
    return Chart(WIDTH, y + PAD, x0, x1, _ticks(lo, hi, x), rows)
