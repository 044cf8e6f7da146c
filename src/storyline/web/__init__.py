"""The local web app and HTTP JSON API (``storyline serve``).

Importing ``storyline`` never imports this package; FastAPI is loaded only here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI


def create_app(*args: Any, **kwargs: Any) -> FastAPI:
    """Build the web app over one store (see :func:`storyline.web.app.create_app`)."""
    from .app import create_app as _create

    return _create(*args, **kwargs)


__all__ = ["create_app"]
