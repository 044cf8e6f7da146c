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

#: Titles written before a name, whose abbreviation's period never ends a sentence when a
#: capitalised word follows ("Lt. Cmdr. Dana Vos said"). "St." is not among them: "Main St."
#: often ends a sentence.
TITLE_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sen rep gov gen lt col sgt capt cmdr adm maj brig cpl pvt insp supt det
    rev hon amb""".split()
)
_SENTENCE_MARKS = "storyline_sentence_marks"


def _keep_titles_whole(nlp: Language) -> None:
    """Make every title abbreviation one token ("Lt.", not "Lt" + "."), as "Gen." already is.

    A lone period token after "Lt" reads to the parser as the end of a sentence.
    """
    from spacy.symbols import ORTH

    tokenizer = nlp.tokenizer
    if not hasattr(tokenizer, "add_special_case"):  # a custom tokenizer: leave it as it is
        return
    for abbr in TITLE_ABBREVIATIONS:
        for form in (abbr.capitalize() + ".", abbr.upper() + "."):
            if len(tokenizer(form)) > 1:
                tokenizer.add_special_case(form, [{ORTH: form}])


def sentence_marks(doc: Doc) -> Doc:
    """Sentence boundaries the parser gets wrong, marked before it runs (it keeps the marks).

    * A blank line ends a sentence: the parser glues a headline or a paragraph without final
      punctuation to the next paragraph's first sentence.
    * A title abbreviation before a name does not: the small English parser often ends a
      sentence at "Lt." or "Cmdr.", which cuts "…, Lt. Cmdr. Dana Vos said." in two. A name is
      two capitalised words (or another title) that are not a pronoun or function word, so
      "promoted to Col. He retired" and "on Ocean Dr. Police closed it" still end there.
    """
    for i, tok in enumerate(doc[:-1]):
        if tok.is_space and tok.text.count("\n") >= 2:
            doc[i + 1].is_sent_start = True
            continue
        if tok.lower_.rstrip(".") not in TITLE_ABBREVIATIONS:
            continue
        nxt = i + 1 if tok.text.endswith(".") else i + 2  # "Lt." or "Lt" + "."
        if nxt + 1 < len(doc) and (nxt == i + 1 or doc[i + 1].text == ".") and _name_starts(doc, nxt):
            doc[nxt].is_sent_start = False
    return doc


def _name_starts(doc: Doc, i: int) -> bool:
    """Whether a name starts at token ``i``: two capitalised words, or another title."""
    first, second = doc[i], doc[i + 1]
    if not first.text[:1].isupper() or first.is_stop:
        return False
    return first.lower_.rstrip(".") in TITLE_ABBREVIATIONS or second.text[:1].isupper()


@lru_cache(maxsize=4)
def load_nlp(model: str | None = None) -> Language:
    """Load an installed spaCy pipeline by name (default: the configured model)."""
    import spacy
    from spacy.language import Language

    name = model or get_settings().spacy_model
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelNotFoundError(
            f"spaCy model {name!r} is not installed. Install the pinned model with "
            "'pip install --no-deps --require-hashes -r requirements/model.txt', or pass "
            "--model NAME for another installed spaCy pipeline."
        ) from exc
    _keep_titles_whole(nlp)
    splitter = next((p for p in ("parser", "senter") if p in nlp.pipe_names), None)
    if splitter is not None:
        if not Language.has_factory(_SENTENCE_MARKS):
            Language.component(_SENTENCE_MARKS, func=sentence_marks)
        nlp.add_pipe(_SENTENCE_MARKS, before=splitter)
    return nlp


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
