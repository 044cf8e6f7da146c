"""Render a :class:`~storyline.models.Brief` as one self-contained HTML file.

The page uses inline CSS and no external assets (no fonts, scripts or images), so it can be mailed or
archived as one file. It shows the same things as the Markdown brief, in the same order (see
:func:`storyline.render.markdown.story_view`): conflicts first, then the cited summary, whose citation
markers link to anchored source passages, facts, timeline, entities, quotes and sources.

Article text is untrusted: the Jinja2 environment autoescapes everything, and the template never
marks article text as safe.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from ..models import Brief
from .markdown import quote_text, story_view

if TYPE_CHECKING:
    from jinja2 import Environment

TEMPLATE = "brief.html.j2"


@lru_cache(maxsize=1)
def _env() -> Environment:
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("storyline", "render/templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["quote_text"] = quote_text
    return env


def render_html(brief: Brief) -> str:
    """Render a whole brief as one self-contained HTML page.

    Args:
        brief: The brief to render.

    Returns:
        The HTML document as a string (inline CSS, no external assets, all article text escaped).
    """
    articles = {a.id: a for a in brief.articles}
    views = [story_view(s, articles) for s in brief.stories]
    nums_by_story = [{src["id"]: src["no"] for src in v.sources} for v in views]
    template = _env().get_template(TEMPLATE)
    return template.render(
        brief=brief,
        views=list(zip(views, nums_by_story, strict=True)),
        n_articles=len(brief.articles),
    )
