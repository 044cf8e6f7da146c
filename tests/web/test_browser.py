"""Browser tests: Python Playwright driving Debian's chromium against a live server.

Each test keeps a screenshot in ``artifacts/screenshots/``. Run ``scripts/install-browser.sh``
first (``scripts/test.sh`` does); without ``/usr/bin/chromium`` these tests skip.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import LiveServer, story_ids

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"

if not os.path.exists(CHROMIUM):
    pytest.skip(f"{CHROMIUM} is missing; run scripts/install-browser.sh (needs root or sudo)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield b
        b.close()


class Page:
    """A fresh page that records dialogs and console errors."""

    def __init__(self, browser: Any, server: LiveServer) -> None:
        self.page = browser.new_page(viewport={"width": 1360, "height": 900})
        self.url = server.url
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _dialog(self, d: Any) -> None:
        self.dialogs.append(d.message)
        d.dismiss()

    def goto(self, path: str) -> Any:
        self.page.goto(self.url + path)
        return self.page

    def shot(self, name: str, full: bool = True) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full)
        return path


@pytest.fixture
def page(browser: Any, live_server: LiveServer) -> Iterator[Page]:
    p = Page(browser, live_server)
    yield p
    assert not p.dialogs, f"a dialog opened: {p.dialogs}"
    assert not [e for e in p.errors if "Content Security Policy" in e], p.errors
    p.page.close()


@pytest.fixture(scope="module")
def ids(web_db: Path) -> dict[str, str]:
    return story_ids(web_db)


def test_story_list(page: Page, ids: dict[str, str]) -> None:
    pg = page.goto("/")
    assert pg.locator("h1").first.inner_text().startswith("Stories")
    assert pg.locator("a.story-link").count() >= 2
    assert pg.locator(".badge.conflict").count() >= 1
    assert page.shot("01-story-list").stat().st_size > 0


def test_open_story_and_click_citation(page: Page, ids: dict[str, str]) -> None:
    pg = page.goto("/")
    row = pg.locator("tr", has=pg.locator(".badge.conflict")).first
    row.locator("a.story-link").click()
    pg.wait_for_url(f"**/story/{ids['conflicted']}")
    conflicts = pg.locator("#conflicts")
    assert conflicts.is_visible()
    assert conflicts.locator(".conflict-item").count() >= 1
    page.shot("02-story")
    cite = pg.locator("#summary a.cite").first
    expected = cite.get_attribute("title")
    cite.click()
    mark = pg.locator("#reader mark.hl")
    mark.wait_for(state="visible")
    assert mark.inner_text().strip()
    assert mark.inner_text().strip()[:40] in (expected or "")
    assert "active" in (cite.get_attribute("class") or "")
    page.shot("03-citation-highlighted", full=False)
    # A conflict's citation shows the conflicting figure inside its passage.
    c2 = conflicts.locator("a.cite").first
    c2.click()
    pg.wait_for_function(
        "t => document.querySelector('#reader mark.hl') && "
        "document.querySelector('#reader mark.hl').textContent.includes(t)",
        arg=(c2.get_attribute("title") or "").split("“", 1)[-1].rstrip("”")[:20],
    )


def test_citation_link_without_script_opens_article(page: Page, ids: dict[str, str]) -> None:
    pg = page.goto(f"/story/{ids['conflicted']}")
    href = pg.locator("#summary a.cite").first.get_attribute("href")
    assert href and "?hl=" in href
    pg = page.goto(href)
    target = pg.locator("[data-target]").first
    assert target.is_visible()
    page.shot("04-article-passage", full=False)


def test_compare_view(page: Page, ids: dict[str, str]) -> None:
    pg = page.goto(f"/story/{ids['conflicted']}")
    pg.get_by_text("Compare sources side by side").click()
    pg.wait_for_url("**/compare")
    assert pg.locator("article.column").count() >= 2
    assert pg.locator(".columns .m.shared").count() >= 1
    fig = pg.locator(".columns .m.figure[data-k]").first
    if fig.count():
        fig.click()
        assert pg.locator(".lit").count() >= 2  # the same fact lights up elsewhere
    page.shot("05-compare")
    # Choosing two other articles with the checkboxes.
    boxes = pg.locator("form.pick input[type=checkbox]")
    for i in range(boxes.count()):
        boxes.nth(i).set_checked(i in (0, boxes.count() - 1))
    pg.locator("form.pick button").click()
    pg.wait_for_load_state()
    assert pg.locator("article.column").count() == 2


def test_search(page: Page) -> None:
    pg = page.goto("/")
    pg.fill("header input[name=q]", "ferry fire")
    pg.keyboard.press("Enter")
    pg.wait_for_url("**/?q=*")
    assert pg.locator("li.hit").count() >= 1
    assert pg.locator("li.hit mark").count() >= 1
    page.shot("06-search")
    pg.locator("li.hit a.hit-title").first.click()
    pg.wait_for_url("**/article/*")


def test_article_page_toggles(page: Page, ids: dict[str, str]) -> None:
    pg = page.goto(f"/story/{ids['conflicted']}")
    pg.locator("#sources td a").first.click()
    pg.wait_for_url("**/article/*")
    text = pg.locator("#article-text")
    assert "hide-entity" not in (text.get_attribute("class") or "")
    pg.locator("#toggles input[data-kind=entity]").uncheck()
    assert "hide-entity" in (text.get_attribute("class") or "")
    pg.locator("#toggles input[data-kind=summary]").check()
    assert "hide-summary" not in (text.get_attribute("class") or "")
    page.shot("07-article")


def test_script_payloads_do_not_run(page: Page, ids: dict[str, str]) -> None:
    pg = page.goto(f"/article/{ids['hostile']}")
    body = pg.locator("#article-text").inner_text()
    assert "<script>alert(1)</script>" in body
    assert "<img src=x onerror=alert(2)>" in body
    assert "<script>alert('title')</script>" in pg.locator("h1").inner_text()
    assert pg.locator("#article-text img, #article-text script, #article-text a[href^=javascript]").count() == 0
    page.shot("08-xss-article")
    # The story page's reader inserts article text with script; it must stay text there too.
    pg = page.goto(f"/story/{ids['hostile_story']}")
    cites = pg.locator("a.cite[data-article='" + ids["hostile"] + "']")
    if cites.count():
        cites.first.click()
        pg.locator("#reader mark.hl").wait_for(state="visible")
        assert "<script>alert(1)</script>" in pg.locator("#reader-text").inner_text()
        assert pg.locator("#reader img, #reader script").count() == 0
    page.goto(f"/story/{ids['hostile_story']}/compare")
    page.goto("/?q=crane")
    assert pg.locator("li.hit").count() >= 1
    pg.wait_for_timeout(300)
    assert page.dialogs == []
    page.shot("09-xss-search")
