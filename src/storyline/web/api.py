"""The HTTP JSON API under ``/api/``: stories, briefs (``storyline/brief-v1``), articles, search,
and ``POST /api/ingest`` for uploads (off unless the server was started with ``--allow-ingest``).

FastAPI describes every route in the OpenAPI document at ``/api/openapi.json``.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from .service import StoreService

router = APIRouter(prefix="/api", tags=["api"])

StoryId = Annotated[str, PathParam(pattern=r"^[A-Za-z0-9_.:-]{1,80}$", description="a story id")]
ArticleId = Annotated[str, PathParam(pattern=r"^[A-Za-z0-9_.:-]{1,80}$", description="an article id")]

#: File name endings an upload may have; the saved file gets a generated name with this ending.
UPLOAD_SUFFIXES = (".txt", ".html", ".htm", ".json", ".jsonl", ".jsonl.gz", ".xml", ".rss", ".atom",
                   ".warc", ".warc.gz")
_CHUNK = 64 * 1024


def _service(request: Request) -> StoreService:
    svc: StoreService = request.app.state.service
    return svc


@router.get("/health", summary="Liveness check")
def health() -> dict[str, str]:
    """A constant answer; also the baseline of the load benchmark."""
    return {"status": "ok"}


@router.get("/stories", summary="Stories, newest first")
def list_stories(
    request: Request,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
) -> list[dict[str, Any]]:
    """Stories with their article count, first and last publication dates and, once the brief
    has been computed, the number of conflicting facts (``n_conflicts``; null before), outlets
    (``n_outlets``) and independent reports. Paged with ``offset`` and ``limit``."""
    return _service(request).story_slice(offset, limit)[0]


@router.get("/stories/{story_id}", summary="One story's row")
def get_story(request: Request, story_id: StoryId) -> dict[str, Any]:
    """The story's row and the ids of its articles."""
    svc = _service(request)
    row = svc.story_row(story_id)
    row["articles"] = [a.id for a in svc.articles(story_id)]
    return row


@router.get("/stories/{story_id}/brief", summary="The story's brief (storyline/brief-v1)",
            response_class=JSONResponse, responses={200: {"description": "a storyline/brief-v1 document"}})
def get_brief(request: Request, story_id: StoryId) -> Response:
    """The ``storyline/brief-v1`` JSON of the story: its articles (cleaned text, removed lines,
    relations, flags) and the story (entities, facts, timeline, quotes, cited summary). Computed on
    first request (can take seconds for a big story) and cached."""
    body = _service(request).derived("brief-json", story_id, _dumps)
    return Response(body, media_type="application/json")


def _dumps(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@router.get("/stories/{story_id}/articles", summary="The story's articles")
def get_story_articles(request: Request, story_id: StoryId) -> list[dict[str, Any]]:
    """The articles of the story, in ingest order (brief-v1 article records)."""
    svc = _service(request)
    svc.story_row(story_id)
    return [a.to_dict() for a in svc.articles(story_id)]


@router.get("/articles/{article_id}", summary="One article")
def get_article(request: Request, article_id: ArticleId) -> dict[str, Any]:
    """One article as a brief-v1 article record (cleaned text, removed lines, relations, flags)."""
    a = _service(request).article(article_id)
    if a is None:
        raise HTTPException(404, f"no article {article_id!r}")
    return a.to_dict()


@router.get("/search", summary="Full-text search")
def search(
    request: Request,
    q: Annotated[str, Query(max_length=200, description="words to look for")],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> list[dict[str, Any]]:
    """Articles whose title or text contain every word of ``q`` (SQLite FTS5), best first."""
    return _service(request).search(q, limit)


def upload_suffix(filename: str | None) -> str | None:
    """The allowed ending of an uploaded file's name, or None. Only the ending is ever used."""
    name = (filename or "").lower()
    for suffix in sorted(UPLOAD_SUFFIXES, key=len, reverse=True):
        if name.endswith(suffix):
            return suffix
    return None


@router.post("/ingest", summary="Ingest uploaded files (needs --allow-ingest)")
async def ingest_upload(request: Request, files: list[UploadFile]) -> dict[str, Any]:
    """Ingest uploaded article files (the formats ``storyline ingest`` reads) into the store.

    Off unless the server runs with ``--allow-ingest`` (403). Uploads larger than the server's
    limit, all files together, are refused (413). Files are saved under generated names in a
    temporary folder: nothing from the request becomes a path.
    """
    if not request.app.state.allow_ingest:
        raise HTTPException(403, "ingest is off; start the server with --allow-ingest")
    limit: int = request.app.state.max_upload_bytes  # the declared size was checked before parsing
    if not files:
        raise HTTPException(400, "no files uploaded")
    with tempfile.TemporaryDirectory(prefix="storyline-upload-") as tmp:
        saved: list[Path] = []
        total = 0
        for i, f in enumerate(files):
            suffix = upload_suffix(f.filename)
            if suffix is None:
                raise HTTPException(415, f"file {i + 1}: unsupported type; allowed endings: "
                                    + ", ".join(UPLOAD_SUFFIXES))
            target = Path(tmp) / f"upload-{i:04d}{suffix}"
            with target.open("wb") as out:
                while chunk := await f.read(_CHUNK):
                    total += len(chunk)
                    if total > limit:
                        raise HTTPException(413, f"upload larger than the limit of {limit} bytes")
                    out.write(chunk)
            saved.append(target)
        result = await run_in_threadpool(_service(request).ingest_files, saved)
    names = {f"upload-{i:04d}": _safe_name(f.filename, i) for i, f in enumerate(files)}
    for failure in result["failures"]:
        stem = failure["source"].split(".", 1)[0]
        failure["source"] = names.get(stem, failure["source"])
    return result


def _safe_name(filename: str | None, i: int) -> str:
    # Echoed back in JSON only (never used as a path); keep it short and printable.
    base = re.sub(r"[^\w. -]", "_", (filename or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1])[:100]
    return base or f"file {i + 1}"
