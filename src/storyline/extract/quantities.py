"""Finding figures in text and turning each into an interval: quantities, money, counts, percents.

Pure Python (regular expressions only, no spaCy): ``extract_quantities(text)`` returns every figure
with its character span, the number it states, its unit, the hedge around it and the interval of
values the hedge allows:

* a bare figure is exact: ``$110 million`` → 110,000,000–110,000,000;
* ``about`` / ``approximately`` / ``around`` / ``roughly`` / ``some`` widen it by the tolerance
  (``Settings.about_tolerance``, 5 % by default): ``about $100 million`` → 95–105 million;
* ``nearly`` / ``almost`` / ``close to`` allow the tolerance below it only;
* ``more than`` / ``over`` / ``at least`` / ``upwards of`` / ``N or more`` are open above;
* ``less than`` / ``under`` / ``fewer than`` / ``up to`` / ``at most`` / ``as many as`` are
  bounded above, with 0 below;
* ranges (``between 100 and 200``, ``100-200``, ``100 to 200``) are their two ends;
* vague amounts: ``a dozen`` → 12, ``dozens of`` → 24–144, ``hundreds of`` → 200–999,
  ``thousands of`` → 2,000–9,999, ``tens of thousands of`` → 20,000–99,999.

An open end is ``None`` in ``high``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

#: Spelled-out numbers read as figures.
WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "a dozen": 12, "a hundred": 100, "a thousand": 1000,
}  # fmt: skip
SCALES = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "mln": 1e6,
    "billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12,
    "dozen": 12, "hundred": 100,
}  # fmt: skip
CURRENCIES = {
    "$": "USD", "us$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD",
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR",
    "£": "GBP", "gbp": "GBP", "pound": "GBP", "pounds": "GBP",
    "¥": "JPY", "yen": "JPY", "cfa francs": "XOF", "francs": "CHF", "rupees": "INR",
}  # fmt: skip
#: Units of measure (lower case) → canonical unit.
MEASURES = {
    "km": "km", "kilometres": "km", "kilometers": "km", "kilometre": "km", "kilometer": "km",
    "miles": "mi", "mile": "mi", "metres": "m", "meters": "m", "metre": "m", "meter": "m",
    "kg": "kg", "kilograms": "kg", "kilogram": "kg", "tonnes": "t", "tons": "t", "tonne": "t",
    "ton": "t", "hectares": "ha", "hectare": "ha", "acres": "acre", "acre": "acre",
    "barrels": "bbl", "litres": "l", "liters": "l", "mph": "mph", "km/h": "km/h",
    "nautical miles": "nmi", "nautical mile": "nmi", "degrees": "deg", "feet": "ft", "foot": "ft", "years": "years", "year": "years",
    "months": "months", "month": "months", "weeks": "weeks", "week": "weeks", "days": "days",
    "day": "days", "hours": "hours", "hour": "hours", "minutes": "minutes", "minute": "minutes",
}  # fmt: skip
#: Surface hedge (lower case) → canonical qualifier.
QUALIFIERS = {
    "about": "about", "approximately": "about", "approx.": "about", "around": "about",
    "roughly": "about", "some": "about", "an estimated": "about", "estimated": "about",
    "circa": "about", "nearly": "nearly", "almost": "nearly", "close to": "nearly",
    "just under": "nearly", "more than": "more than", "over": "more than",
    "upwards of": "more than", "in excess of": "more than", "above": "more than",
    "just over": "more than", "at least": "at least", "no fewer than": "at least",
    "no less than": "at least", "less than": "less than", "fewer than": "less than",
    "under": "less than", "below": "less than", "up to": "at most", "at most": "at most",
    "as many as": "at most", "as much as": "at most", "no more than": "at most",
}  # fmt: skip
VAGUE = {
    "dozens of": (24.0, 144.0),
    "scores of": (40.0, 200.0),
    "hundreds of": (200.0, 999.0),
    "thousands of": (2000.0, 9999.0),
    "tens of thousands of": (20000.0, 99999.0),
    "hundreds of thousands of": (200000.0, 999999.0),
    "millions of": (2e6, 9.99e6),
}


@dataclass(frozen=True)
class Quantity:
    """One figure found in a text; ``text[start:end] == surface``.

    ``kind`` is ``money``, ``percent``, ``measure`` or ``count``; ``unit`` a currency code, ``%``,
    a unit of measure, or ``None`` for counts. ``low``/``high`` bound the values the hedge allows
    (``high=None``: open above).
    """

    start: int
    end: int
    surface: str
    value: float
    unit: str | None
    qualifier: str | None
    low: float
    high: float | None
    kind: str


_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORDNUM = "|".join(sorted((re.escape(w) for w in WORD_NUMBERS), key=len, reverse=True))
_SCALE = r"(?:\s*(?:thousand|million|billion|trillion|mln|dozen|hundred)\b|(?:mn|bn|tn|[kmb])\b)"
_CUR_PRE = r"(?:US\$|\$|€|£|¥|USD\s?|EUR\s?|GBP\s?)"
_CUR_POST = r"(?:dollars?|euros?|pounds?|yen|CFA francs|francs|rupees)\b"
_QUAL = "|".join(sorted((re.escape(q) for q in QUALIFIERS), key=len, reverse=True))
_VAGUE = "|".join(sorted((re.escape(v) for v in VAGUE), key=len, reverse=True))
_MEAS = "|".join(sorted((re.escape(m) for m in MEASURES), key=len, reverse=True))
# numbers never start inside a word ("often" holds no "ten", "A1" no "1")
_AMOUNT = rf"(?:(?<![\w.,])(?:{_NUM})|\b(?:{_WORDNUM})\b)(?:{_SCALE}){{0,2}}"
# ... and a figure does not start right after a hyphen ("COVID-19"), though a range's end does
_FIRST_AMOUNT = rf"(?<!-){_AMOUNT}"

_PATTERN = re.compile(
    rf"""
    (?:(?P<qual>\b(?:{_QUAL}))\s+)?
    (?:
        (?P<vague>\b(?:{_VAGUE}))
      | (?:(?P<between>\bbetween)\s+)?
        (?:(?P<cur>{_CUR_PRE})\s*)?
        (?P<a>{_FIRST_AMOUNT})
        (?:\s*(?P<sep>-|–|to|and)\s*(?:{_CUR_PRE}\s*)?(?P<b>{_AMOUNT}))?
        (?:\s*(?P<pct>%|percent\b|per\s+cent\b))?
        (?:\s*(?P<cur2>{_CUR_POST}))?
        (?:(?:\s*|-)(?P<meas>\b(?:{_MEAS})\b)(?!-old\b))?
        (?P<ormore>\s+or\s+(?:more|so)\b)?
    )
    """,
    re.I | re.X,
)


# compiled once: other modules' dynamic patterns push these out of ``re``'s small cache
_NUMBER_RE = re.compile(rf"^(?P<n>{_NUM}|{_WORDNUM})(?P<s>(?:{_SCALE}){{0,2}})$", re.I)
_SCALE_RE = re.compile(_SCALE, re.I)
_YEAR_RE = re.compile(r"(1[5-9]|20)\d\d")
_CLOCK_RE = re.compile(r"\s*(?:[:.]\d\d|a\.?m\b|p\.?m\b|o['’]clock|GMT|UTC|hours?\s+GMT)", re.I)
_CLOCK_BEFORE_RE = re.compile(r"\d[:.]$")
_AGE_RE = re.compile(r"-(?:year|month|week|day)s?-old\b", re.I)
_DIGIT_RE = re.compile(r"\d")
_JOINED_RE = re.compile(r"\s+(?:of|or|and|by|to)\b")
_ANAPHORIC_RE = re.compile(r"\b(?:the|these|those|both)\s+$", re.I)
_MONTH = (
    r"(January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
)


@lru_cache(maxsize=4096)
def _date_re(a: str) -> re.Pattern[str]:
    """A day number ``a`` next to a month name ("March 5", "5th of March")."""
    return re.compile(rf"{_MONTH}\s+{re.escape(a)}\b|\b{re.escape(a)}(st|nd|rd|th)?\s+(of\s+)?{_MONTH}")


def _number(s: str) -> float | None:
    """``1,100`` → 1100.0; ``2.5 million`` → 2.5e6; ``twelve`` → 12.0; ``a dozen`` → 12.0;
    ``two dozen`` → 24.0; ``two hundred thousand`` → 200000.0."""
    s = s.strip().lower()
    m = _NUMBER_RE.match(s)
    if not m:
        return None
    n = m.group("n").lower()
    base = float(n.replace(",", "")) if n[0].isdigit() else float(WORD_NUMBERS[n])
    for scale in _SCALE_RE.findall(m.group("s") or ""):  # "two hundred thousand": both
        base *= SCALES[scale.strip().lower()]
    return base


def _looks_like_year_or_date(m: re.Match[str], text: str) -> bool:
    """Bare four-digit years, clock times and day numbers next to a month are not quantities."""
    a = m.group("a") or ""
    plain = not (m.group("cur") or m.group("cur2") or m.group("pct") or m.group("meas"))
    if plain and _YEAR_RE.fullmatch(a) and not m.group("b"):
        return True
    before, after = text[max(0, m.start("a") - 2) : m.start("a")], text[m.end() : m.end() + 8]
    if plain and (
        _CLOCK_RE.match(after)
        or _CLOCK_BEFORE_RE.search(before)
    ):
        return True
    around = text[max(0, m.start() - 12) : m.end() + 12]
    return plain and bool(_date_re(a).search(around))


def interval(
    value: float, qualifier: str | None, tolerance: float = 0.05
) -> tuple[float, float | None]:
    """The values a hedged figure allows: ``("about", 100)`` → ``(95, 105)`` at 5 %.

    Args:
        value: The stated figure.
        qualifier: A canonical qualifier (a value of :data:`QUALIFIERS`) or ``None``.
        tolerance: Relative width granted by "about"/"nearly".

    Returns:
        ``(low, high)``; ``high`` is ``None`` when open above.
    """
    if qualifier == "about":
        return value * (1 - tolerance), value * (1 + tolerance)
    if qualifier == "nearly":
        return value * (1 - tolerance), value
    if qualifier in {"more than", "at least"}:
        return value, None
    if qualifier in {"less than", "at most"}:
        return 0.0, value
    return value, value


def extract_quantities(text: str, tolerance: float = 0.05) -> list[Quantity]:
    """Every figure in ``text`` with its span, unit, hedge and interval.

    Args:
        text: Any text (an article's cleaned text).
        tolerance: Relative width granted by "about"/"approximately" (``Settings.about_tolerance``).

    Returns:
        Quantities in text order; ``text[q.start:q.end] == q.surface`` for each.
    """
    out: list[Quantity] = []
    for m in _PATTERN.finditer(text):
        qual: str | None
        high: float | None
        end_override: int | None = None
        if m.group("vague"):
            low, high = VAGUE[m.group("vague").lower()]
            qual = "vague"
            value = low
            unit, kind = None, "count"
        else:
            a = m.group("a")
            if not a or _looks_like_year_or_date(m, text):
                continue
            if _AGE_RE.match(text, m.end()):
                continue  # an age ("a 3-year-old boy"), not an amount
            # "one" alone ("one of the ...") is too ambiguous to be a figure, and so is any
            # spelled-out number before "of"; hedged ones ("about twenty") are kept.
            hedged = m.group("qual") or m.group("cur2") or m.group("pct") or m.group("meas")
            spelled = not _DIGIT_RE.search(a)
            if (
                spelled
                and not hedged
                and (
                    a.lower() in {"one", "a hundred", "a thousand"}
                    or _JOINED_RE.match(text, m.end())
                )
            ):
                continue
            v = _number(a)
            if v is None:
                continue
            before = text[max(0, m.start() - 8) : m.start()]
            if spelled and not hedged and v < 10 and _ANAPHORIC_RE.search(before):
                continue  # "the two ships": a reference to things already named, no figure
            cur = m.group("cur") or m.group("cur2")
            if m.group("pct"):
                unit, kind = "%", "percent"
            elif cur:
                unit, kind = CURRENCIES.get(cur.strip().lower(), cur.strip().upper()), "money"
            elif m.group("meas"):
                unit, kind = MEASURES[m.group("meas").lower()], "measure"
            else:
                unit, kind = None, "count"
            qual = QUALIFIERS[m.group("qual").lower()] if m.group("qual") else None
            if m.group("ormore"):
                qual = "at least" if "more" in m.group("ormore").lower() else "about"
            value = v
            if m.group("b") and m.group("sep").lower() == "and" and not m.group("between"):
                end_override = m.end("a")  # "1,000 and 200": two figures, not a range
                low, high = interval(v, qual, tolerance)
            elif m.group("b"):
                w = _number(m.group("b"))
                if w is None:
                    continue
                if (
                    w < v
                    and m.group("sep") in {"-", "–"}
                    and not _SCALE_RE.search(m.group("b"))
                ):
                    continue  # "52-48": a vote tally or a score, not a range
                # "$1-2 million": the scale of the second end applies to the first
                if (
                    w > v
                    and not _SCALE_RE.search(a)
                    and _SCALE_RE.search(m.group("b"))
                ):
                    scale = w / float(_number(_SCALE_RE.sub("", m.group("b"))) or 1)
                    v *= scale
                low, high = min(v, w), max(v, w)
                value, qual = low, "between"
            else:
                low, hi = interval(v, qual, tolerance)
                high = hi
        start, end = m.start(), m.end()
        if not m.group("vague") and end_override is not None:
            end = end_override
        surface = text[start:end]
        # never end a span on whitespace
        stripped = surface.rstrip()
        end -= len(surface) - len(stripped)
        out.append(Quantity(start, end, text[start:end], value, unit, qual, low, high, kind))
    return out
