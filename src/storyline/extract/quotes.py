"""Placeholder until this component is built (see the open issues); returns nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..brief import StoryContext
    from ..models import Quote


def extract_quotes(ctx: StoryContext) -> list[Quote]:
    """Not built yet: an empty list."""
    return []
