"""Finding date expressions in text and resolving them against a publication date.

Absolute dates ("5 March 2024", "March 2024", "2021") resolve on their own. Relative ones
("last July", "on Friday", "last week", "earlier this month") resolve only when the article has a
publication date; without one they are kept with ``value=None``. Precision is never raised: a
month stays a month ("late July" is ``2023-07``), a week that straddles two months becomes the
year, and no day is ever invented.

``dateparser`` (with ``RELATIVE_BASE`` set to the publication date) parses the day-precision
forms; it returns nothing for "last July", "earlier this month" or "late July", so those follow
the rules below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}  # fmt: skip
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "several": 0, "few": 0,
}  # fmt: skip

_MON = (
    r"(?P<mon>January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept\.?|Sep\.?|Oct\.?|Nov\.?|"
    r"Dec\.?)"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_WD = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_PART = r"(?:(?P<part>early|mid|late|the (?:beginning|start|middle|end) of)[\s-]+)?"
_UNIT = r"(?P<unit>day|week|month|year)s?"
_NUM = r"(?P<num>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)"

# Ordered: the first pattern to match a stretch of text wins it (longest forms first).
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b" + _YEAR + r"-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
    ("mdy", re.compile(r"\b" + _MON + r"\s+" + _DAY + r",?\s+" + _YEAR + r"\b")),
    ("dmy", re.compile(r"\b" + _DAY + r"\s+(?:of\s+)?" + _MON + r",?\s+" + _YEAR + r"\b")),
    ("md", re.compile(r"\b" + _MON + r"\s+" + _DAY + r"\b(?![,\s]*\d)")),
    ("dm", re.compile(r"\b" + _DAY + r"\s+(?:of\s+)?" + _MON + r"\b(?!\s*,?\s*\d)")),
    ("my", re.compile(r"\b" + _PART + _MON + r",?\s+(?:of\s+)?" + _YEAR + r"\b", re.I)),
    ("coming", re.compile(r"\b(?:in\s+)?the\s+(?:coming|next\s+few|following)\s+" + _UNIT, re.I)),
    ("ago", re.compile(r"\b" + _NUM + r"\s+" + _UNIT + r"\s+ago\b", re.I)),
    (
        "rel_unit",
        re.compile(
            r"\b(?:(?P<part2>earlier|later|early|late)\s+)?(?P<rel>last|this|next|past)\s+"
            + _UNIT
            + r"\b",
            re.I,
        ),
    ),
    ("rel_month", re.compile(r"\b(?P<rel>last|this|next)\s+" + _PART + _MON + r"\b", re.I)),
    (
        "part_month",
        re.compile(
            r"\b(?P<part>early|mid|late|the (?:beginning|start|middle|end) of)[\s-]+"
            + _MON
            + r"\b",
            re.I,
        ),
    ),
    ("in_month", re.compile(r"\b(?:in|In|since|Since|until|Until|by|By)\s+(?P<x>" + _MON + r")\b")),
    ("weekday", re.compile(r"\b(?:(?P<rel>last|this|next)\s+)?" + _WD + r"\b", re.I)),
    ("deictic", re.compile(r"\b(?P<deictic>today|yesterday|tomorrow)\b", re.I)),
    ("month", re.compile(r"\b" + _MON + r"\b(?!\s+\d)")),
    (
        "year",
        re.compile(
            r"\b(?:in|In|since|Since|by|until|from|From|during|During|before|Before|after|After|"
            r"through|of|early|late|mid|year|Year)[\s-]+(?P<x>" + _YEAR + r")\b(?!-)"
        ),
    ),
]

# Words a pattern cannot match without (each group: at least one of its words must be a whole
# run of letters in the text), so a text without them skips that pattern's scan. Exact by
# construction: every listed word sits between non-letters in any match. Case-sensitive patterns
# look at the text's letter runs; ``re.I`` ones at the lower-cased text's, unless the text holds
# one of the non-ASCII characters that ``re.I`` equates with an ASCII letter (then they all run).
_MONTH_FORMS = frozenset(
    "January February March April May June July August September October November December "
    "Jan Feb Mar Apr Jun Jul Aug Sept Sep Oct Nov Dec".split()
)
_MONTH_LOWER = frozenset(w.lower() for w in _MONTH_FORMS)
_UNIT_FORMS = frozenset("day days week weeks month months year years".split())
_GATES: dict[str, tuple[bool, tuple[frozenset[str], ...]]] = {
    "mdy": (True, (_MONTH_FORMS,)),
    "dmy": (True, (_MONTH_FORMS,)),
    "md": (True, (_MONTH_FORMS,)),
    "dm": (True, (_MONTH_FORMS,)),
    "my": (False, (_MONTH_LOWER,)),
    "coming": (False, (frozenset({"coming", "next", "following"}),)),
    "ago": (False, (frozenset({"ago"}), _UNIT_FORMS)),
    "rel_unit": (False, (frozenset({"last", "this", "next", "past"}), _UNIT_FORMS)),
    "rel_month": (False, (frozenset({"last", "this", "next"}), _MONTH_LOWER)),
    "part_month": (
        False,
        (frozenset({"early", "mid", "late", "beginning", "start", "middle", "end"}), _MONTH_LOWER),
    ),
    "in_month": (True, (_MONTH_FORMS,)),
    "weekday": (False, (frozenset(WEEKDAYS),)),
    "deictic": (False, (frozenset({"today", "yesterday", "tomorrow"}),)),
    "month": (True, (_MONTH_FORMS,)),
}
_LETTER_RUN = re.compile(r"[A-Za-z]+")
#: Characters ``re.I`` matches to an ASCII letter, or whose lower case holds one (found by
#: trying every code point; ``tests/extract/test_dates.py`` checks the list).
IGNORECASE_ODD = (
    "\u00df\u0130\u0131\u0149\u017f\u01f0\u1e96\u1e97\u1e98\u1e99\u1e9a\u1e9e\u212a"
    "\ufb00\ufb01\ufb02\ufb03\ufb04\ufb05\ufb06"
)
_ODD = re.compile("[" + IGNORECASE_ODD + "]")


def _skipped(text: str) -> set[str]:
    """The patterns that cannot match ``text`` (see ``_GATES``)."""
    runs = set(_LETTER_RUN.findall(text))
    lower = None if _ODD.search(text) else set(_LETTER_RUN.findall(text.lower()))
    skip = set()
    for kind, (case_sensitive, groups) in _GATES.items():
        words = runs if case_sensitive else lower
        if words is not None and any(words.isdisjoint(g) for g in groups):
            skip.add(kind)
    return skip


# Month names that are also ordinary words; a bare one only counts when it looks like a date.
_AMBIGUOUS_MONTHS = {"may", "mar", "jan", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "apr"}


@dataclass(frozen=True)
class DateMention:
    """A date expression found in a text.

    Attributes:
        start: Character offset of the expression in the text.
        end: End offset (exclusive).
        text: ``text[start:end]``.
        value: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, or ``None`` when it cannot be resolved.
        precision: ``"day"``, ``"month"``, ``"year"`` or ``None`` for vague spans of time.
        relative: Whether the expression needs a reference date ("last week", "Monday").
    """

    start: int
    end: int
    text: str
    value: str | None
    precision: str | None
    relative: bool

    @property
    def resolved(self) -> bool:
        """Whether the mention was resolved to a calendar date."""
        return self.value is not None


def parse_published(published: str | None) -> date | None:
    """Read the date part of an ISO publication timestamp (``YYYY-MM-DD[T...]``)."""
    if not published:
        return None
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", published.strip())
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _fmt(y: int, m: int | None = None, d: int | None = None) -> str:
    if m is None:
        return f"{y:04d}"
    if d is None:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"


def _month(s: str) -> int:
    return MONTHS[s.casefold().rstrip(".")]


def _valid(y: int, m: int, d: int) -> bool:
    try:
        date(y, m, d)
    except ValueError:
        return False
    return True


@lru_cache(maxsize=4096)
def _dateparser_day(expr: str, base: date | None) -> date | None:
    """Parse a day-precision expression with dateparser (relative to ``base`` when given)."""
    import dateparser

    settings: dict[str, object] = {
        "PREFER_DAY_OF_MONTH": "first",
        "REQUIRE_PARTS": ["day", "month", "year"] if base is None else [],
        "PREFER_DATES_FROM": "past",
    }
    if base is not None:
        settings["RELATIVE_BASE"] = datetime(base.year, base.month, base.day)
    parsed = dateparser.parse(expr, languages=["en"], settings=settings)  # type: ignore[arg-type]
    return parsed.date() if parsed else None


def _nearest_year(month: int, base: date, rel: str | None) -> int:
    """The year of a bare month name: previous/next occurrence, or the closest one."""
    if rel == "last":
        return base.year if month < base.month else base.year - 1
    if rel == "next":
        return base.year if month > base.month else base.year + 1
    if rel == "this":
        return base.year
    # News mostly reports the past: only a month up to 2 months ahead stays in this year.
    return base.year if month <= base.month + 2 else base.year - 1


def _span_value(lo: date, hi: date) -> tuple[str, str]:
    """The finest value that holds the whole range ``lo..hi`` without inventing precision."""
    if lo == hi:
        return _fmt(lo.year, lo.month, lo.day), "day"
    if (lo.year, lo.month) == (hi.year, hi.month):
        return _fmt(lo.year, lo.month), "month"
    return _fmt(lo.year), "year"


def _shift_month(y: int, m: int, k: int) -> tuple[int, int]:
    i = y * 12 + (m - 1) + k
    return i // 12, i % 12 + 1


def _resolve_unit(unit: str, rel: str, base: date) -> tuple[str | None, str | None]:
    """'last week', 'this month', 'next year' against ``base``."""
    step = {"last": -1, "past": -1, "this": 0, "next": 1}[rel]
    if unit == "day":
        return None, None
    if unit == "year":
        return _fmt(base.year + step), "year"
    if unit == "month":
        y, m = _shift_month(base.year, base.month, step)
        return _fmt(y, m), "month"
    monday = base - timedelta(days=base.weekday()) + timedelta(weeks=step)
    sunday = monday + timedelta(days=6)
    if monday.year != sunday.year:
        return None, None
    value, prec = _span_value(monday, sunday)
    return value, prec


_FUTURE = re.compile(
    r"\b(?:will|shall|'ll|plans? to|planning to|going to|is to|are to|is due to|scheduled|"
    r"expected to|wants? to|intends? to|set to)\b",
    re.I,
)


def _future_context(text: str, start: int) -> bool:
    """Whether the clause before a date speaks of the future ("will visit on Friday")."""
    lo = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start), start - 80)
    return bool(_FUTURE.search(text[lo:start]))


def _resolve(
    kind: str, m: re.Match[str], base: date | None, future: bool = False
) -> tuple[str | None, str | None, bool]:
    """Return (value, precision, relative) for one regex match."""
    g = m.groupdict()
    if kind == "iso":
        y, mo, d = int(g["year"]), int(g["m"]), int(g["d"])
        return (_fmt(y, mo, d), "day", False) if _valid(y, mo, d) else (None, None, False)
    if kind in ("mdy", "dmy"):
        y, mo, d = int(g["year"]), _month(g["mon"]), int(g["day"])
        if not _valid(y, mo, d):
            return None, None, False
        parsed = _dateparser_day(m.group(0), None)
        if parsed is None:
            parsed = date(y, mo, d)
        return _fmt(parsed.year, parsed.month, parsed.day), "day", False
    if kind in ("md", "dm"):
        mo, d = _month(g["mon"]), int(g["day"])
        if not 1 <= d <= 31:
            return None, None, True
        if base is None:
            return None, "day", True
        y = _nearest_year(mo, base, None)
        return (_fmt(y, mo, d), "day", True) if _valid(y, mo, d) else (None, None, True)
    if kind == "my":
        return _fmt(int(g["year"]), _month(g["mon"])), "month", False
    if kind == "year":
        return _fmt(int(g["year"])), "year", False
    if kind == "coming":
        return None, None, True
    if kind == "ago":
        unit = g["unit"].casefold()
        num = _NUMBERS.get(g["num"].casefold()) if not g["num"].isdigit() else int(g["num"])
        if base is None or not num:
            return None, {"day": "day", "week": "day", "month": "month", "year": "year"}[unit], True
        if unit == "day":
            d0 = base - timedelta(days=num)
            return _fmt(d0.year, d0.month, d0.day), "day", True
        if unit == "week":
            # "two weeks ago" names a week, not a day: keep what the whole week agrees on.
            d0 = base - timedelta(weeks=num)
            lo, hi = d0 - timedelta(days=d0.weekday()), d0 + timedelta(days=6 - d0.weekday())
            if lo.year != hi.year:
                return None, None, True
            value, prec = _span_value(lo, hi)
            return value, prec, True
        if unit == "month":
            y, mo = _shift_month(base.year, base.month, -num)
            return _fmt(y, mo), "month", True
        return _fmt(base.year - num), "year", True
    if kind == "rel_unit":
        unit, rel = g["unit"].casefold(), g["rel"].casefold()
        unit_prec: dict[str, str | None] = {
            "day": None,
            "week": "month",
            "month": "month",
            "year": "year",
        }
        if base is None:
            return None, unit_prec[unit], True
        rvalue, rprec = _resolve_unit(unit, rel, base)
        return rvalue, rprec, True
    if kind in ("rel_month", "part_month", "in_month", "month"):
        mon = g["mon"]
        if kind == "month" and mon.casefold().rstrip(".") in _AMBIGUOUS_MONTHS:
            return None, None, True
        if kind == "month" and mon[0].islower():
            return None, None, True
        if base is None:
            return None, "month", True
        mo = _month(mon)
        rel = (g.get("rel") or "").casefold() or None
        if rel is None and future and mo != base.month:
            rel = "next"
        return _fmt(_nearest_year(mo, base, rel), mo), "month", True
    if kind == "weekday":
        if g["wd"][0].islower():
            return None, None, True
        if base is None:
            return None, "day", True
        wd = WEEKDAYS[g["wd"].casefold()]
        rel = (g.get("rel") or "").casefold()
        if rel == "next" or (not rel and future):
            delta = (wd - base.weekday()) % 7 or 7
            d0 = base + timedelta(days=delta)
        elif rel == "last":
            delta = (base.weekday() - wd) % 7 or 7
            d0 = base - timedelta(days=delta)
        else:
            # A bare weekday in a news report is the most recent one (the same day included).
            d0 = base - timedelta(days=(base.weekday() - wd) % 7)
        return _fmt(d0.year, d0.month, d0.day), "day", True
    if kind == "deictic":
        if base is None:
            return None, "day", True
        word = g["deictic"].casefold()
        shift = {"today": 0, "yesterday": -1, "tomorrow": 1}[word]
        d0 = base + timedelta(days=shift)
        return _fmt(d0.year, d0.month, d0.day), "day", True
    return None, None, True  # pragma: no cover - every kind is handled above


def resolve_dates(text: str, published: str | None) -> list[DateMention]:
    """Find the date expressions of a text and resolve them against its publication date.

    Args:
        text: The article text.
        published: The publication date (``YYYY-MM-DD[T...]``) or ``None``. Without it,
            relative expressions keep ``value=None`` (their precision is still reported).

    Returns:
        The date mentions in text order, non-overlapping; spans satisfy
        ``text[m.start:m.end] == m.text``.
    """
    # A brief reads the dates of each article twice (timeline, date facts): the second read
    # comes from the cache. Mentions are frozen, the list is a fresh copy.
    return list(_resolve_dates(text, published))


@lru_cache(maxsize=512)
def _resolve_dates(text: str, published: str | None) -> tuple[DateMention, ...]:
    base = parse_published(published)
    taken: list[tuple[int, int]] = []
    out: list[DateMention] = []
    skip = _skipped(text)
    for kind, pattern in _PATTERNS:
        if kind in skip:
            continue
        for m in pattern.finditer(text):
            s, e = m.span("x") if "x" in pattern.groupindex else m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            value, precision, relative = _resolve(kind, m, base, _future_context(text, s))
            if value is None and precision is None and kind in ("month", "weekday", "iso", "md"):
                continue  # not a date after all ("May" the verb, an out-of-range day)
            taken.append((s, e))
            out.append(DateMention(s, e, text[s:e], value, precision, relative))
    out.sort(key=lambda d: d.start)
    return tuple(out)


_DATELINE = re.compile(
    r"^(?:(?:published|posted|updated|last updated|date)\s*:?\s*)?(?:on\s+)?"
    r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?\s+)?",
    re.I,
)


def published_from_text(text: str, max_lines: int = 8) -> str | None:
    """A publication date the page states near its top ("Published April 19, 2024"), if any.

    Only short lines among the first ``max_lines`` count, and only full dates (day, month and
    year), so a date mentioned in the story body is never taken for the publication date.
    """
    for line in text.splitlines()[:max_lines]:
        stripped = line.strip()
        if not stripped or len(stripped.split()) > 12:
            continue
        head = _DATELINE.match(stripped)
        rest = stripped[head.end() :] if head else stripped
        for mention in resolve_dates(rest, None):
            if mention.precision == "day" and mention.value and mention.start <= 2:
                return mention.value
    return None
