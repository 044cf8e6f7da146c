"""Name matching: when two surface forms can name the same real-world referent.

Pure string logic (no spaCy), shared by the story entity pass and the coreference benchmark:

* person names are split into title, first, middle and last names ("Maj. Gen. William S. Lindqvist");
  two full names match when their last names are spelling or transliteration variants and their
  first names agree (equal, an initial, a short form such as Bill/William, or a spelling variant);
* a lone surname matches full names with that last name (the caller resolves ambiguity);
* other names match on folded text, acronyms ("USAID"), gazetteer aliases ("U.S." / "United
  States"), word order ("Defense Department" / "Department of Defense") and close spelling.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import JaroWinkler, Levenshtein

from .gazetteer import lookup

#: Words that introduce a name without being part of it: honorifics, ranks and offices.
TITLE_WORDS = frozenset(
    """
    mr mrs ms miss mx dr prof sir dame lord lady madam madame mme mlle rev reverend fr father
    sister brother president vice prime minister secretary deputy undersecretary under assistant
    general gen maj major lt lieutenant col colonel cmdr commander capt captain sgt sergeant cpl
    corporal pvt private adm admiral brig brigadier marshal field chief staff officer gov governor
    sen senator rep representative congressman congresswoman mayor judge justice attorney
    ambassador envoy director chairman chairwoman chair ceo cfo coo founder king queen prince
    princess emperor empress sultan sheikh emir pope cardinal bishop archbishop rabbi imam
    chancellor premier speaker spokesman spokeswoman spokesperson press foreign defense defence
    state interior finance affairs of the former acting interim
    """.split()
)
#: Title words that are not people on their own ("Foreign", "of", "Affairs").
_TITLE_MODIFIERS = frozenset(
    "of the state foreign defense defence interior finance affairs press former acting interim "
    "under vice deputy assistant field staff prime".split()
)
#: Title words that denote a person ("minister", "ambassador", "Gen.").
ROLE_NOUNS = TITLE_WORDS - _TITLE_MODIFIERS
#: Titles that add nothing as a role on their own ("Mr.").
HONORIFICS = frozenset("mr mrs ms miss mx dr sir dame madam madame mme mlle".split())
_SUFFIXES = frozenset("jr sr ii iii iv".split())
_PARTICLES = frozenset("al el bin ibn van von der de da di du la le ben abu".split())
_STOP = frozenset("of for the and & de du la des on in at to".split())
#: Words after a company's own name that only say what kind of company it is ("X Ferries",
#: "Y Inc."): the name alone is a short form of it.
ORG_SUFFIXES = frozenset(
    """inc co corp corporation company ltd llc plc ag gmbh sa nv group holdings ferries
    airlines airways lines shipping motors energy technologies systems international""".split()
)

#: Common English short forms of first names (both directions are checked).
SHORT_FORMS: dict[str, set[str]] = {
    "alex": {"alexander", "alexandra", "alexis"}, "andy": {"andrew"}, "ben": {"benjamin"},
    "bill": {"william"}, "billy": {"william"}, "bob": {"robert"}, "bobby": {"robert"},
    "chris": {"christopher", "christine", "christina"}, "dan": {"daniel"}, "dave": {"david"},
    "dick": {"richard"}, "ed": {"edward", "edwin"}, "jim": {"james"}, "jimmy": {"james"},
    "joe": {"joseph"}, "jon": {"jonathan"}, "kate": {"katherine", "kathleen", "catherine"},
    "kathy": {"katherine", "kathleen"}, "liz": {"elizabeth"}, "beth": {"elizabeth"},
    "matt": {"matthew"}, "mike": {"michael"}, "nick": {"nicholas"}, "pat": {"patrick", "patricia"},
    "peggy": {"margaret"}, "maggie": {"margaret"}, "rich": {"richard"}, "rick": {"richard"},
    "rob": {"robert"}, "sam": {"samuel", "samantha"}, "steve": {"steven", "stephen"},
    "sue": {"susan"}, "ted": {"edward", "theodore"}, "tom": {"thomas"}, "tony": {"anthony"},
    "will": {"william"}, "jack": {"john"}, "jen": {"jennifer"}, "jenny": {"jennifer"},
    "larry": {"lawrence"}, "greg": {"gregory"}, "jeff": {"jeffrey"}, "don": {"donald"},
    "ron": {"ronald"}, "tim": {"timothy"}, "abby": {"abigail"}, "vlad": {"vladimir"},
}  # fmt: skip
#: Everyday short forms of first names in other languages that news from abroad mixes with the
#: full forms (Greek, Spanish, Italian, German, Russian, Portuguese; folded, without accents).
#: Hand-written: the ``nicknames`` package covers English only and links loosely (Bill/Robert).
#: Left out as loose: Franz (a full name of its own, not a Franziskus), Nino (Giovanni,
#: Antonino, ...) and Gigi (Luigi, or a woman's own name).
SHORT_FORMS.update({
    "kostas": {"konstantinos", "constantinos"}, "giorgos": {"georgios"}, "yiorgos": {"georgios"},
    "dimitris": {"dimitrios"}, "yannis": {"ioannis"}, "giannis": {"ioannis"},
    "panos": {"panagiotis"}, "thanasis": {"athanasios"}, "vangelis": {"evangelos"},
    "nikos": {"nikolaos"}, "sakis": {"athanasios"}, "stathis": {"efstathios"},
    "paco": {"francisco"}, "pepe": {"jose"}, "nacho": {"ignacio"}, "lola": {"dolores"},
    "quique": {"enrique"},
    "beppe": {"giuseppe"}, "peppe": {"giuseppe"},
    "hans": {"johannes"}, "sepp": {"josef"}, "fritz": {"friedrich"},
    "sasha": {"aleksandr", "alexander", "aleksandra"}, "misha": {"mikhail"}, "dima": {"dmitry"},
    "volodya": {"vladimir"}, "kolya": {"nikolai"}, "seryozha": {"sergei"}, "zhenya": {"yevgeny"},
    "zeca": {"jose"},
})  # fmt: skip


_POSSESSIVE_END = re.compile(r"'s$")
_INITIAL_DOT = re.compile(r"(?<=\b\w)\.(?=\w\.)")
_NON_WORD = re.compile(r"[^\w]+")
#: Entries of the per-process caches of the pure string functions below (names repeat a lot
#: within a story and across stories; each entry is a short string or a small tuple).
_CACHE = 1 << 16


@lru_cache(maxsize=_CACHE)
def fold(text: str) -> str:
    """Accent-free, case-folded text with punctuation turned into single spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("’", "'").replace("'s ", " ")
    text = _POSSESSIVE_END.sub("", text)
    text = _INITIAL_DOT.sub("", text)  # u.s. -> us.
    text = _NON_WORD.sub(" ", text)
    return " ".join(text.split())


@lru_cache(maxsize=_CACHE)
def translit_key(word: str) -> str:
    """A rough sound key that erases common transliteration differences (Hussein/Husayn, ou/u)."""
    w = fold(word).replace(" ", "")
    for a, b in (("ph", "f"), ("kh", "h"), ("gh", "g"), ("dh", "d"), ("th", "t"), ("ck", "k"),
                 ("ou", "u"), ("oo", "u"), ("ee", "i"), ("ei", "i"), ("ey", "i"), ("ai", "a"),
                 ("ay", "a"), ("y", "i"), ("q", "k"), ("c", "k"), ("w", "v"), ("z", "s")):  # fmt: skip
        w = w.replace(a, b)
    w = re.sub(r"(.)\1+", r"\1", w)
    return w[:-1] if len(w) > 3 and w.endswith(("e", "h")) else w


def spelling_variant(a: str, b: str, strict: bool = False) -> bool:
    """Whether two single words are spelling or transliteration variants of each other.

    Args:
        a: One word.
        b: The other word.
        strict: Require more evidence (used when nothing else supports the match).
    """
    fa, fb = fold(a), fold(b)
    if fa == fb:
        return True
    if min(len(fa), len(fb)) < 4:
        return False
    ka, kb = translit_key(fa), translit_key(fb)
    if ka == kb:
        return True
    if strict:
        return min(len(fa), len(fb)) >= 6 and Levenshtein.distance(ka, kb) <= 1
    return Levenshtein.distance(ka, kb) <= 1 or JaroWinkler.similarity(fa, fb) >= 0.9


def first_names_agree(a: str, b: str) -> bool:
    """Equal, one an initial of the other, a known short form, a prefix, or a spelling variant."""
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return False
    if fa == fb:
        return True
    if len(fa) == 1 or len(fb) == 1:
        return fa[0] == fb[0]
    if fb in SHORT_FORMS.get(fa, ()) or fa in SHORT_FORMS.get(fb, ()):
        return True
    short, long_ = sorted((fa, fb), key=len)
    if len(short) >= 3 and long_.startswith(short):
        return True
    return spelling_variant(fa, fb)


@dataclass(frozen=True)
class PersonName:
    """A person's name split into parts; ``title`` holds the words peeled off the front."""

    title: tuple[str, ...]
    parts: tuple[str, ...]
    suffix: tuple[str, ...] = field(default=())

    @property
    def first(self) -> str | None:
        return self.parts[0] if len(self.parts) > 1 else None

    @property
    def last(self) -> str:
        return self.parts[-1] if self.parts else ""

    @property
    def middles(self) -> tuple[str, ...]:
        return self.parts[1:-1]

    @property
    def full(self) -> bool:
        return len(self.parts) > 1

    @property
    def name(self) -> str:
        return " ".join(self.parts)


def _is_title_word(tok: str) -> bool:
    return fold(tok).replace(" ", "") in TITLE_WORDS


@lru_cache(maxsize=_CACHE)
def split_person(text: str) -> PersonName:
    """Split a person mention into title words, name parts and suffixes.

    "Maj. Gen. William Lindqvist" → title ("Maj.", "Gen."), parts ("William", "Lindqvist").
    "Deputy Minister of Transport Ana M. Rojas" → parts ("Ana", "M.", "Rojas").
    """
    tokens = text.replace("’", "'").split()
    if tokens and re.search(r"'s?$", tokens[-1]):
        tokens[-1] = re.sub(r"'s?$", "", tokens[-1])
    suffix: list[str] = []
    while len(tokens) > 1 and fold(tokens[-1]) in _SUFFIXES:
        suffix.insert(0, tokens.pop())
    if tokens and tokens[-1].endswith(","):
        tokens[-1] = tokens[-1].rstrip(",")
    i = 0
    while i < len(tokens) - 1 and (_is_title_word(tokens[i]) or not tokens[i][:1].isupper()):
        i += 1
    return PersonName(tuple(tokens[:i]), tuple(t for t in tokens[i:] if t), tuple(suffix))


def _last_names(p: PersonName) -> list[str]:
    """The last name, plus a particle-joined form ("bin Salman", "de Gaulle")."""
    out = [p.last]
    if len(p.parts) > 2 and fold(p.parts[-2]) in _PARTICLES:
        out.append(" ".join(p.parts[-2:]))
    return out


def persons_match(a: PersonName, b: PersonName) -> bool:
    """Whether two full person names can be the same person (first names must agree)."""
    if not a.full or not b.full:
        return False
    if not spelling_variant(a.last, b.last):
        return False
    if first_names_agree(a.parts[0], b.parts[0]):
        pass
    elif any(first_names_agree(a.parts[0], m) for m in b.middles) or any(
        first_names_agree(b.parts[0], m) for m in a.middles
    ):
        pass  # "Jean Dupont" vs "Marc Jean Dupont"
    else:
        return False
    # Middle names that both spell out must agree on their initials.
    ma = [fold(m)[:1] for m in a.middles]
    mb = [fold(m)[:1] for m in b.middles]
    return not (ma and mb and not (set(ma) & set(mb)))


def surname_matches(surname: str, p: PersonName) -> bool:
    """Whether a lone name ("Lindqvist", "Kim") names the person ``p`` (last or first part)."""
    f = fold(surname)
    if any(fold(last) == f for last in _last_names(p)):
        return True
    return bool(p.parts) and fold(p.parts[0]) == f and len(p.parts) == 3  # "Kim" of Kim Jong Un


def acronym(text: str) -> str:
    """Initials of the significant words ("Agency for International Development" → "AID")."""
    words = [w for w in re.split(r"[\s\-]+", text) if w and fold(w) not in _STOP]
    return "".join(w[0] for w in words if w[0].isalpha()).upper()


def _is_acronym_of(short: str, long_: str) -> bool:
    s = short.replace(".", "").replace(" ", "")
    return len(s) >= 2 and s.isupper() and len(long_.split()) >= 2 and acronym(long_) == s


def is_org_short_form(short: str, full: str) -> bool:
    """Whether a one-word (folded) name is a company's name without the words that say what
    kind of company it is: "kalyra" of "kalyra ferries", "acme" of "acme corp."."""
    words = _NON_WORD.sub(" ", full).split()
    return (" " not in short and len(words) >= 2 and words[0] == short
            and all(w in ORG_SUFFIXES for w in words[1:]))


@lru_cache(maxsize=_CACHE)
def country_canonical(text: str) -> str:
    """The folded name with every country alias in it written as the country's gazetteer name.

    "US Harbour Command" and "United States Harbour Command" both give "united states harbour
    command"; "U.K. Space Agency" and "UK Space Agency" both give "united kingdom space agency".
    Runs of up to three words are looked up, longest first, so "United States" stays one country.
    """
    words = text.split()
    out: list[str] = []
    i = 0
    while i < len(words):
        for n in (3, 2, 1):
            chunk = " ".join(words[i : i + n])
            place = lookup(chunk) if i + n <= len(words) else None
            if place is not None and place.kind == "country":
                out.append(place.name)
                i += n
                break
        else:
            out.append(words[i])
            i += 1
    return fold(" ".join(out)).removeprefix("the ")


def names_match(a: str, b: str, label: str) -> bool:
    """Whether two non-person names (organisations, places, ...) name the same thing."""
    fa, fb = fold(a), fold(b)
    for prefix in ("the ",):
        fa = fa.removeprefix(prefix)
        fb = fb.removeprefix(prefix)
    if not fa or not fb:
        return False
    if fa == fb:
        return True
    if len(fa.split()) >= 2 and len(fb.split()) >= 2 and country_canonical(a) == country_canonical(b):
        return True  # "US Harbour Command" / "United States Harbour Command"
    if label in ("GPE", "LOC"):
        pa, pb = lookup(a), lookup(b)
        if pa and pb:
            return pa.name == pb.name
    if _is_acronym_of(a, b) or _is_acronym_of(b, a):
        return True
    ta, tb = fa.split(), fb.split()
    if len(ta) >= 2 and len(tb) >= 2 and set(ta) - _STOP == set(tb) - _STOP:
        return True  # Defense Department / Department of Defense
    if label in ("GPE", "LOC", "NORP"):
        return False  # Slovenian / Slovakian, Austria / Australia: close spellings, other places
    if label == "ORG" and (is_org_short_form(fa, fb) or is_org_short_form(fb, fa)):
        return True
    if min(len(fa), len(fb)) >= 6 and JaroWinkler.similarity(fa, fb) >= 0.94:
        return Levenshtein.distance(fa, fb) <= max(1, len(fa) // 8)
    return False
