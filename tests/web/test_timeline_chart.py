"""Timeline chart layout."""

from __future__ import annotations

from datetime import date

from storyline.web.timeline_chart import build_chart, date_range


def test_date_range_keeps_precision() -> None:
    assert date_range("2024") == (date(2024, 1, 1), date(2024, 12, 31))
    assert date_range("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert date_range("2024-02-10T08:00:00") == (date(2024, 2, 10), date(2024, 2, 10))
    assert date_range("last week") is None


def test_chart_rows_in_date_order_with_dots_and_bars() -> None:
    timeline = [
        {"date": "2025-03-04", "text": "The fire broke out.", "articles": ["a"]},
        {"date": "2024-07", "text": "The ship passed an inspection.", "articles": ["a"]},
        {"date": "someday", "text": "Undated.", "articles": ["a"]},
    ]
    chart = build_chart(timeline, [("2025-03-04", "Outlet A"), ("2025-03-06T10:00", "Outlet B")])
    assert chart is not None
    labels = [r.label for r in chart.rows]
    assert labels == ["published", "2024-07", "2025-03-04"]
    pub, month, day = chart.rows
    assert len(pub.dots) == 2 and pub.kind == "coverage"
    assert not month.dot and month.x1 > month.x0
    assert day.dot and day.x0 > month.x1
    assert all(chart.track_x0 <= x <= chart.track_x1 for x, _ in chart.ticks)
    assert chart.height > chart.rows[-1].y


def test_no_dates_no_chart() -> None:
    assert build_chart([], []) is None
    assert build_chart([{"date": "soon", "text": "x", "articles": []}], [("", "A")]) is None
