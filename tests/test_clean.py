"""Cleaning: chrome is removed with a reason, reporting is kept."""

from __future__ import annotations

from storyline.clean import clean_text, repeated_short_lines

BODY = (
    "The regional council voted on Tuesday to close the old quarry after a landslide blocked "
    "the valley road for three days.\n\n"
    "Engineers said the slope had been moving for months, and residents had asked for an "
    "inspection as early as last spring.\n\n"
    "A subheading about the vote\n\n"
    "The council will meet again next week to discuss compensation for the families affected."
)


def _removed(raw: str, title: str | None = None) -> dict[str, str]:
    _text, removed, _names = clean_text(raw, title)
    return {r.text: r.reason for r in removed}


def test_repeated_title_and_byline_removed() -> None:
    title = "Council closes quarry after landslide"
    raw = f"{title}\nby Mara Quint\n{title}\n{BODY}"
    text, removed, _ = clean_text(raw, title)
    reasons = [r.reason for r in removed]
    assert reasons.count("repeated title") == 2
    assert "byline" in reasons
    assert title not in text
    assert "The regional council voted on Tuesday" in text


def test_photo_credit_and_caption_removed() -> None:
    raw = "© Valley Post / Youtube channel\n" + BODY + "\nWorkers clear the road near the quarry© Valley Post / Youtube channel"
    removed = _removed(raw)
    assert removed["© Valley Post / Youtube channel"].startswith("photo credit")
    assert any("Workers clear the road" in t for t in removed)


def test_share_nav_tag_and_menu_lines_removed() -> None:
    raw = "Menu\nHome     Sport     Weather\n" + BODY + "\nShare.\nTags: quarry, landslide, council\nBack to top"
    text, removed, _ = clean_text(raw)
    gone = {r.text for r in removed}
    assert {"Menu", "Home     Sport     Weather", "Share.", "Back to top"} <= gone
    assert "Tags: quarry, landslide, council" in gone
    assert all(r.reason for r in removed)
    assert "Share." not in text


def test_reporting_and_subheadings_kept() -> None:
    text, removed, _ = clean_text(BODY)
    assert removed == []
    assert "A subheading about the vote" in text
    for para in BODY.split("\n\n"):
        assert para in text


def test_name_line_above_body_becomes_author_candidate() -> None:
    raw = "Quarry closure ends a long fight\nLena Varga Oduya\nUpdated On\n" + BODY
    _text, removed, names = clean_text(raw, "Quarry closure ends a long fight")
    assert names == ["Lena Varga Oduya"]
    assert "Updated On" in {r.text for r in removed}


def test_repeated_short_lines_across_corpus() -> None:
    texts = [BODY + "\nNewsletter of the week in pictures", BODY + "\nNewsletter of the week in pictures",
             "Other text entirely, long enough to be a body line of reporting here.\nNewsletter of the week in pictures"]
    keys = repeated_short_lines(texts)
    assert "newsletter of the week in pictures" in keys
    # Long body lines shared by copies are never treated as boilerplate.
    assert not any("regional council voted" in k for k in keys)
    _t, removed, _ = clean_text(texts[0], repeated_lines=keys)
    assert [r.reason for r in removed] == ["boilerplate repeated across articles"]
