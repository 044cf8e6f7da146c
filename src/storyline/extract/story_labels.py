"""Label rules that read the whole story, not one sentence: they run on a story's mentions
after the NER and the sentence-level rules of :mod:`storyline.extract.entities`, before type
voting.

* A story's own outlets named in its text ("told the Harbour Gazette") are organisations.
* A one-word "name" the story also writes in lower case mid-sentence, and never capitalised on
  its own except at a sentence start, is a common noun ("Coast guard spokeswoman X" beside
  "according to the coast guard"): :func:`drop_capitalised_common_nouns`.
* A company's name without the words saying what kind of company it is ("Kalyra" of "Kalyra
  Ferries") is that organisation: :func:`short_company_names`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .gazetteer import lookup
from .names import fold, is_org_short_form

if TYPE_CHECKING:
    from ..models import Article
    from .entities import Mention

def apply_story_rules(mentions: list[Mention], articles: list[Article]) -> list[Mention]:
    """Every story-wide rule, in order; returns the mentions kept (labels set in place)."""
    outlets_named(mentions, articles)
    kept = drop_capitalised_common_nouns(mentions, articles)
    short_company_names(kept)
    return kept


def outlets_named(mentions: list[Mention], articles: list[Article]) -> None:
    """A name that is one of the story's outlets (compared without case, spaces or
    punctuation: "Kystavisen Daily" / "kystavisendaily") is an organisation."""
    outlets = {_squeeze(a.outlet) for a in articles if a.outlet}
    for m in mentions:
        if m.label != "ORG" and _squeeze(m.text) in outlets:
            m.label, m.ruled = "ORG", True


def _squeeze(name: str) -> str:
    return re.sub(r"\W+", "", fold(name))


_LOWER_WORD = re.compile(r"(?<![\w-])[a-z]+(?![\w-])")
_CAPITALISED_WORD = re.compile(r"(?<![\w-])[A-Z][a-z]+(?![\w-])")
_SENTENCE_START = re.compile(r"(?:^|[\n.!?][\"'”’)]?\s+)[\"'“‘(]?$")


def drop_capitalised_common_nouns(mentions: list[Mention], articles: list[Article]) -> list[Mention]:
    """Drop one-word "names" that are common nouns capitalised only by opening a sentence.

    ("Coast guard spokeswoman X said …" next to "according to the coast guard"): a word the
    story writes in lower case mid-sentence, and never capitalised on its own except at a
    sentence start (inside a longer name such as "the Y Coast Guard" does not count), is no
    name. The last word of a person's full name is always kept (a surname).
    """
    texts = [a.text for a in articles]
    surnames = _surnames(mentions)
    lower_words: set[str] = set()  # every lower-case word of the story
    named: set[str] = set()  # capitalised words standing alone mid-sentence somewhere

    def common(word: str) -> bool:
        if not lower_words:  # read the story once, on the first question
            for t in texts:
                lower_words.update(_LOWER_WORD.findall(t))
                named.update(
                    h.group() for h in _CAPITALISED_WORD.finditer(t)
                    if _alone(t, h.start(), h.end())
                    and not _SENTENCE_START.search(t[max(0, h.start() - 4) : h.start()])
                )
        return word.lower() in lower_words and word not in named

    return [
        m for m in mentions
        if " " in m.text or not m.text[:1].isupper() or m.text.isupper() or m.text in surnames
        or m.label == "PERSON" or not common(m.text)
    ]


def short_company_names(mentions: list[Mention]) -> None:
    """A one-word name that is a story company's name without its kind ("Kalyra" of "Kalyra
    Ferries", in "another Kalyra ship") is that organisation, unless the gazetteer knows it as
    a place, it is a nationality or the surname of a person named in full."""
    orgs = {fold(m.text) for m in mentions if m.label == "ORG" and " " in m.text}
    shorts = {o.split()[0] for o in orgs if is_org_short_form(o.split()[0], o)}
    if not shorts:
        return
    from .entities import is_demonym

    surnames = _surnames(mentions)
    for m in mentions:
        if m.label in ("ORG", "NORP") or " " in m.text or m.text in surnames:
            continue
        # "British" of "British Airways" is still a nationality
        if fold(m.text) in shorts and lookup(m.text) is None and not is_demonym(m.text):
            m.label, m.ruled = "ORG", True


def _surnames(mentions: list[Mention]) -> set[str]:
    """The last words of the story's full person names (a lone surname is never dropped or
    relabelled by these rules)."""
    return {m.text.split()[-1] for m in mentions if m.label == "PERSON" and " " in m.text}


def _alone(text: str, start: int, end: int) -> bool:
    """Whether the word at ``text[start:end]`` stands outside a run of capitalised words."""
    before = re.search(r"(\S+) $", text[max(0, start - 30) : start])
    after = re.match(r" (\S+)", text[end : end + 30])
    return not any(m is not None and m.group(1)[:1].isupper() for m in (before, after))
