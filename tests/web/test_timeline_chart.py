"""Timeline chart layout."""

from __future__ import annotations

from datetime import date

from storyline.web.timeline_chart import build_chart, build_charts, date_range


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


def test_zoom_on_the_reporting_weeks_when_background_is_long() -> None:
    timeline = [
        {"date": "2019", "text": "The ship entered service.", "articles": ["a"]},
        {"date": "2025-03-03", "text": "A drill was held.", "articles": ["a"]},
        {"date": "2025-03-04", "text": "The fire broke out.", "articles": ["a"]},
        {"date": "2025-03-06", "text": "The ship was towed.", "articles": ["a"]},
    ]
    charts = build_charts(timeline, [("2025-03-04", "A"), ("2025-03-06", "B")])
    assert [title for title, _ in charts] == ["The days of the story", "All dated events"]
    zoom, full = charts[0][1], charts[1][1]
    assert [r.label for r in zoom.rows] == ["published", "2025-03-03", "2025-03-04", "2025-03-06"]
    assert len(full.rows) == 5
    # In the zoom the days are far apart; in the whole span they nearly touch.
    assert zoom.rows[3].x0 - zoom.rows[2].x0 > 10 * (full.rows[4].x0 - full.rows[3].x0)


def test_no_zoom_for_a_short_timeline() -> None:
    timeline = [{"date": "2025-03-04", "text": "x", "articles": []},
                {"date": "2025-03-05", "text": "y", "articles": []}]
    charts = build_charts(timeline, [("2025-03-04", "A")])
    assert len(charts) == 1 and charts[0][0] == ""
