"""The FastAPI application: pages, the JSON API, static files and the security headers.

Article text is untrusted. Jinja2 autoescapes every template and no template marks article text
safe; the Content-Security-Policy allows scripts and styles from this server only (no inline
script, no inline style), so even a payload that slipped through escaping would not run. Request
values are used as SQL parameters or looked up in the store; none becomes a file path.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..errors import StoreError, StoryNotFoundError
from ..settings import Settings
from .service import StoreService

HERE = Path(__file__).resolve().parent

#: Largest upload accepted by ``POST /api/ingest``, all files together.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class _SecurityHeaders:
    """Adds the security headers to every HTTP answer (plain ASGI: no per-request task)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in self.headers if k not in present
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _UploadLimit:
    """Refuses an upload to ``/api/ingest`` before its body is read: without a Content-Length
    (411) or with one over the limit (413). The ASGI server holds the body to that length."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"] == "/api/ingest":
            headers = dict(scope.get("headers", []))
            declared = headers.get(b"content-length", b"").decode("latin-1")
            status, detail = 0, ""
            if not declared.isdigit():
                status, detail = 411, "an upload needs a Content-Length header"
            elif int(declared) > self.limit + 64 * 1024:  # room for the multipart framing
                status, detail = 413, f"upload larger than the limit of {self.limit} bytes"
            if status:
                await JSONResponse({"detail": detail}, status_code=status)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def templates() -> Jinja2Templates:
    """The app's Jinja2 templates (autoescaped)."""
    t = Jinja2Templates(directory=str(HERE / "templates"))
    t.env.autoescape = True  # every template, whatever its name
    t.env.trim_blocks = True
    t.env.lstrip_blocks = True
    t.env.globals["version"] = __version__
    t.env.tests["length_at_least_2"] = lambda seq: len(seq) >= 2
    return t


def create_app(
    db: str | Path,
    allow_ingest: bool = False,
    max_upload_bytes: int = MAX_UPLOAD_BYTES,
    settings: Settings | None = None,
    warm_briefs: bool = False,
) -> FastAPI:
    """Build the web app over one store.

    Args:
        db: the SQLite store to serve (read while ``storyline ingest`` may write to it).
        allow_ingest: accept ``POST /api/ingest`` uploads (off by default).
        max_upload_bytes: the largest upload accepted, all files together.
        settings: settings for computing briefs (default: the active settings).
        warm_briefs: compute missing or stale briefs in a background thread while serving.

    Returns:
        The FastAPI app; its OpenAPI description is at ``/api/openapi.json``.
    """
    from .api import router as api_router
    from .pages import router as page_router

    service = StoreService(db, settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        stop = threading.Event()
        worker = None
        if warm_briefs:
            worker = threading.Thread(target=service.warm, args=(stop,), name="storyline-warm",
                                      daemon=True)
            worker.start()
        yield
        stop.set()
        if worker is not None:
            worker.join(timeout=1)

    app = FastAPI(
        lifespan=lifespan,
        title="Storyline",
        version=__version__,
        description="Stories, evidence-backed briefs (storyline/brief-v1), articles and search "
        "over a local Storyline store.",
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.service = service
    app.state.allow_ingest = allow_ingest
    app.state.max_upload_bytes = max_upload_bytes
    app.state.templates = templates()
    app.add_middleware(_UploadLimit, limit=max_upload_bytes)
    app.add_middleware(_SecurityHeaders)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(api_router)
    app.include_router(page_router)

    def _wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/")

    def _error(request: Request, status: int, title: str, message: str) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": message}, status_code=status)
        tpl: Jinja2Templates = request.app.state.templates
        return tpl.TemplateResponse(request, "error.html", {"title": title, "message": message},
                                    status_code=status)

    @app.exception_handler(StoryNotFoundError)
    async def _not_found(request: Request, exc: StoryNotFoundError) -> Response:
        # The store's message names the file on disk; the browser does not need it.
        return _error(request, 404, "Story not found",
                      "This story is not in the store. Stories can merge as new articles arrive; "
                      "the story list has the current ones.")

    @app.exception_handler(StoreError)
    async def _store_error(request: Request, exc: StoreError) -> Response:
        return _error(request, 503, "Store unavailable",
                      "The store cannot be read right now; check the server's console.")

    @app.exception_handler(404)
    async def _http_404(request: Request, exc: Any) -> Response:
        detail = getattr(exc, "detail", None) or "Not found"
        return _error(request, 404, "Not found", str(detail))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        # A bug or a library failure (say, while computing a brief): say so without a traceback.
        return _error(request, 500, "Something went wrong",
                      f"The server could not answer this request ({type(exc).__name__}); "
                      "the other pages still work.")

    return app


def html_response(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    """Render a template of the app."""
    tpl: Jinja2Templates = request.app.state.templates
    return tpl.TemplateResponse(request, name, context, status_code=status)
