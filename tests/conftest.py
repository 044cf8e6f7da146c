"""Shared fixtures: the bundled example corpus, the seeds and data sets (skipped when absent),
and a factory for small hand-written articles."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from storyline.models import Article

REPO = Path(__file__).resolve().parents[1]
SHARED = (REPO / ".." / "shared").resolve()
EXAMPLE = REPO / "src" / "storyline" / "data" / "example"


@pytest.fixture(scope="session")
def example_dir() -> Path:
    """The bundled example corpus (fiction written for Storyline)."""
    if not any(EXAMPLE.glob("*.*")):
        pytest.skip("the example corpus is not in src/storyline/data/example")
    return EXAMPLE


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """``../shared/seeds`` beside the repository (real articles; not part of the repo)."""
    path = SHARED / "seeds"
    if not path.is_dir():
        pytest.skip(f"seed articles not found at {path} (../shared is absent)")
    return path


@pytest.fixture(scope="session")
def datasets_dir() -> Path:
    """``../shared/datasets`` beside the repository (benchmark data; not part of the repo)."""
    path = SHARED / "datasets"
    if not path.is_dir():
        pytest.skip(f"benchmark data not found at {path} (../shared/datasets is absent)")
    return path


@pytest.fixture
def make_article() -> Callable[..., Article]:
    """Build an Article from text: ``make_article("text", id="a1", published="2025-03-12")``."""
    counter = iter(range(10_000))

    def make(text: str, **kw: object) -> Article:
        n = next(counter)
        fields: dict[str, object] = {"id": f"a{n}", "source": f"test-{n}.txt", "raw_text": text}
        fields.update(kw)
        return Article(text=text, **fields)  # type: ignore[arg-type]

    return make
