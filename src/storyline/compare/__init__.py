"""Facts across sources: figures, dates and names-in-roles aligned into one row per thing.

``align_facts(ctx)`` is the brief component. Each aligner reads every article of the story and returns
facts whose values carry evidence spans; :mod:`.status` decides, per independent source (copies
count once), whether a row is ``agreed``, ``compatible``, ``conflict`` or ``single-source``.

* :mod:`.figures` — counts, money, percents, measures (intervals from hedges, ``about_tolerance``);
* :mod:`.dates` — dated events ("the strike last July" / "a July 2021 strike");
* :mod:`.roles` — names in roles ("Prime Minister X" / "X, the prime minister");
* :mod:`.sources` — which articles are independent reports.

``docs/facts.md`` explains the rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .sources import independent_sources
from .status import STATUS_ORDER

if TYPE_CHECKING:
    from ..brief import StoryContext
    from ..models import Fact

__all__ = ["align_facts", "independent_sources"]


def align_facts(ctx: StoryContext) -> list[Fact]:
    """Align the story's figures, dates and names-in-roles across its articles.

    Args:
        ctx: The story context (articles, parsed docs, settings; entities when already built).

    Returns:
        Facts ordered for a reader: conflicts first, then compatible, agreed and single-source rows;
        within a status, the rows more sources report come first. Ids are ``<story>-f<n>``.
    """
    from .dates import date_facts
    from .figures import figure_facts
    from .roles import role_facts

    source_of = independent_sources(ctx.articles)
    facts = figure_facts(ctx, source_of) + date_facts(ctx, source_of) + role_facts(ctx, source_of)
    facts.sort(
        key=lambda f: (STATUS_ORDER[f.status], -len({v.span.article for v in f.values}), f.label)
    )
    for i, f in enumerate(facts):
        f.id = f"{ctx.story.id}-f{i + 1}"
    return facts
