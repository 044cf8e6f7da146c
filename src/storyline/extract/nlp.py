"""Loading the spaCy pipeline once per process and parsing article texts with it.

spaCy is imported here, lazily, so ``import storyline`` stays light.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..errors import ModelNotFoundError
from ..settings import get_settings

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from ..models import Article


@lru_cache(maxsize=4)
def load_nlp(model: str | None = None) -> Language:
    """Load an installed spaCy pipeline by name (default: the configured model)."""
    import spacy

    name = model or get_settings().spacy_model
    try:
        return spacy.load(name)
    except OSError as exc:
        raise ModelNotFoundError(
            f"spaCy model {name!r} is not installed. Install the pinned model with "
            "'pip install --no-deps --require-hashes -r requirements/model.txt', or pass "
            "--model NAME for another installed spaCy pipeline."
        ) from exc


def parse_texts(texts: Iterable[str], model: str | None = None, batch_size: int = 16) -> list[Doc]:
    """Parse texts with the shared pipeline (sentences, tokens, entities)."""
    nlp = load_nlp(model)
    return list(nlp.pipe(texts, batch_size=batch_size))


class DocCache:
    """Parses each article once and hands the same ``Doc`` to every stage that asks."""

    def __init__(self, model: str | None = None) -> None:
        self.model = model
        self._docs: dict[str, Any] = {}

    def get(self, article: Article) -> Doc:
        doc = self._docs.get(article.id)
        if doc is None:
            doc = load_nlp(self.model)(article.text)
            self._docs[article.id] = doc
        return doc

    def prime(self, articles: Iterable[Article]) -> None:
        """Parse many articles in one batched pass (faster than one by one)."""
        todo = [a for a in articles if a.id not in self._docs]
        if not todo:
            return
        for a, doc in zip(todo, parse_texts([a.text for a in todo], self.model), strict=True):
            self._docs[a.id] = doc
