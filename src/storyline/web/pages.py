"""The server-rendered pages: story list (with search), story, compare and article.

Every page works without JavaScript; ``static/app.js`` adds the in-page reader that shows a cited
passage highlighted in its article, and the span toggles of the article page.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse

from ..models import Article, article_from_dict
from .app import html_response
from .compare import compare, default_selection
from .highlight import Mark, brief_marks, paragraphs, pieces, span_key
from .service import StoreService, count_conflicts
from .story_view import build_story_view

router = APIRouter(include_in_schema=False)

Id = Annotated[str, PathParam(pattern=r"^[A-Za-z0-9_.:-]{1,80}$")]
#: Stories per page of the story list.
PAGE = 50
_HL = re.compile(r"^(\d{1,9})-(\d{1,9})$")
_WORD = re.compile(r"\w+", re.UNICODE)


def _service(request: Request) -> StoreService:
    svc: StoreService = request.app.state.service
    return svc


def _brief_story(data: dict[str, Any], story_id: str) -> tuple[dict[str, Any], list[Article]]:
    story = next((s for s in data["stories"] if s["id"] == story_id), None)
    if story is None and data["stories"]:
        story = data["stories"][0]
    if story is None:
        story = {"id": story_id, "title": "", "articles": [], "entities": [], "facts": [],
                 "timeline": [], "quotes": [], "summary": [], "coverage": {}}
    return story, [article_from_dict(a) for a in data["articles"]]


def snippet(text: str, query: str, width: int = 220) -> list[tuple[str, bool]]:
    """A window of ``text`` around the first query word, as (text, is_match) parts."""
    words = {w.lower() for w in _WORD.findall(query)}
    hits = [m for m in _WORD.finditer(text) if m.group().lower() in words]
    start = max(0, hits[0].start() - width // 3) if hits else 0
    if start > 0:  # begin at a word
        space = text.find(" ", start, hits[0].start())
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + width)
    parts: list[tuple[str, bool]] = [("…", False)] if start > 0 else []
    pos = start
    for m in hits:
        if m.start() < start or m.end() > end:
            continue
        parts.append((text[pos : m.start()], False))
        parts.append((m.group(), True))
        pos = m.end()
    parts.append((text[pos:end], False))
    if end < len(text):
        parts.append(("…", False))
    return [p for p in parts if p[0]]


@router.get("/", response_class=HTMLResponse)
def story_list(request: Request,
               q: Annotated[str, Query(max_length=200)] = "",
               page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> HTMLResponse:
    """The story list, newest first, with coverage counts, conflict badges and search."""
    svc = _service(request)
    stories, total = svc.story_slice((page - 1) * PAGE, PAGE)
    pages = max(1, -(-total // PAGE))
    results = []
    if q.strip():
        titles = {s["id"]: s["title"] for s in svc.stories()}
        for r in svc.search(q, limit=50):
            a = svc.article(r["id"])
            results.append({**r, "story_title": titles.get(r["story"], ""),
                            "snippet": snippet(a.text if a else "", q)})
    return html_response(request, "stories.html", {"stories": stories, "q": q, "results": results,
                                                   "title": "Stories", "page": page, "pages": pages,
                                                   "total": total})


@router.get("/story/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: Id) -> HTMLResponse:
    """A story's brief: coverage, conflicts first, cited summary, facts, timeline, entities, quotes."""
    svc = _service(request)
    tpl = request.app.state.templates.env.get_template("story.html")

    def render(data: dict[str, Any]) -> str:
        # The page depends on the brief only, so it is rendered once per brief.
        story, articles = _brief_story(data, story_id)
        return str(tpl.render(v=build_story_view(story, articles), story_id=story_id,
                              n_conflicts=count_conflicts(data), q="",
                              title=story.get("title") or "Story"))

    return HTMLResponse(svc.derived("story-page", story_id, render))


@router.get("/story/{story_id}/compare", response_class=HTMLResponse)
def compare_page(request: Request, story_id: Id,
                 a: Annotated[list[str] | None, Query(max_length=80)] = None) -> HTMLResponse:
    """Articles of a story side by side (all of them, or the ``a`` ids chosen, up to 6)."""
    svc = _service(request)
    data = svc.brief(story_id)
    story, articles = _brief_story(data, story_id)
    members = [x for x in articles if x.id in set(story.get("articles", []))] or articles
    chosen = [x for x in members if x.id in (a or [])] if a else default_selection(story, members)
    if len(chosen) < 2:
        chosen = members[:2]
    chosen = chosen[:6]
    view = compare(story, chosen)
    return html_response(request, "compare.html", {
        "story": story, "story_id": story_id, "members": members, "chosen": {x.id for x in chosen},
        "cmp": view, "title": "Compare: " + (story.get("title") or story_id)})


@router.get("/article/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: Id,
                 hl: Annotated[str, Query(max_length=20)] = "") -> HTMLResponse:
    """An article's cleaned text with every extracted span, removed lines, relations and flags.

    ``hl=START-END`` highlights one passage (the target of a citation link).
    """
    svc = _service(request)
    art = svc.article(article_id)
    if art is None:
        raise HTTPException(404, f"no article {article_id!r} in the store")
    story: dict[str, Any] = {}
    story_title = ""
    if art.story:
        try:
            data = svc.brief(art.story)
            story, _ = _brief_story(data, art.story)
            story_title = story.get("title", "")
        except Exception:  # the article page must still show the text if a brief fails
            story = {}
    marks = brief_marks(story, art.id) if story else []
    target = None
    m = _HL.match(hl)
    if m:
        s, e = int(m.group(1)), int(m.group(2))
        if 0 <= s < e <= len(art.text):
            target = (s, e)
            marks.append(Mark(s, e, "target", span_key(s, e), "the cited passage"))
    related = []
    for r in art.relations:
        other = svc.article(r.article)
        related.append({"type": r.type.replace("_", " "), "id": r.article, "score": r.score,
                        "label": (other.outlet or other.title) if other else r.article})
    counts = {k: sum(1 for x in marks if k in x.kind.split()) for k in
              ("entity", "fact", "quote", "date", "summary")}
    return html_response(request, "article.html", {
        "a": art, "paras": paragraphs(pieces(art.text, marks)), "target": target,
        "related": related, "story_title": story_title, "counts": counts,
        "title": art.title or art.id})
