"""Label rules that read the whole story, not one sentence: they run on a story's mentions
after the NER and the sentence-level rules of :mod:`storyline.extract.entities`, before type
voting.

* A story's own outlets named in its text ("told the Harbour Gazette") are organisations.
* A one-word "name" the story also writes in lower case mid-sentence, and never capitalised on
  its own except at a sentence start, is a common noun ("Coast guard spokeswoman X" beside
  "according to the coast guard"): :func:`drop_capitalised_common_nouns`.
* A company's name without the words saying what kind of company it is ("Kalyra" of "Kalyra
  Ferries") is that organisation: :func:`short_company_names`.
* A non-person name that ends with a person's full name known in the story ("Norland Jana
  Velk" of "Ambassador to Norland Jana Velk") is split into that person and, when it is a place
  or a story entity, the name before it: :func:`split_swallowed_names`.
* A "person" listed with organisations under a group noun ("militias such as the Red Dawn
  Front and Kestrel Brigade") and never a person elsewhere is an organisation:
  :func:`group_list_orgs` (the list itself is read from the parse by
  :func:`group_list_members`).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from .gazetteer import Place, lookup
from .names import ROLE_NOUNS, TITLE_WORDS, fold, is_org_short_form

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan

    from ..models import Article
    from .entities import Mention


def apply_story_rules(mentions: list[Mention], articles: list[Article]) -> list[Mention]:
    """Every story-wide rule, in order; returns the mentions kept (labels set in place)."""
    mentions = split_swallowed_names(mentions)
    outlets_named(mentions, articles)
    kept = drop_capitalised_common_nouns(mentions, articles)
    short_company_names(kept)
    group_list_orgs(kept)
    return kept


_WORD = re.compile(r"\S+")
#: A title and a preposition right before a name ("UK Envoy to ", "Minister for "): capitalised
#: words, then a role noun, then the preposition. The words before the role noun are trimmed
#: by :func:`_title_start` ("On Monday Ambassador to " → "Ambassador to ").
_TITLE_TO = re.compile(
    r"(?:\b(?:[A-Z](?:\.[A-Z])+\.?|[A-Z][\w'’-]*)\s+)*"  # "U.S.", "Deputy"; not "March. "
    r"\b(?P<noun>(?i:" + "|".join(sorted(ROLE_NOUNS)) + r"))\s+(?:to|for|in)\s+$"
)
#: Words a title may hold before its role noun besides acronyms, role nouns, country names and
#: demonyms ("Deputy", "Senior", "Acting Foreign"); articles open no title.
_TITLE_MODIFIERS = (TITLE_WORDS - {"the", "of"}) | frozenset(
    "senior special acting former interim deputy chief top outgoing incoming permanent".split()
)
_ACRONYM = re.compile(r"[A-Z](?:\.?[A-Z])+\.?")
#: Weekdays and months, which an upper-case dateline or headline writes like acronyms ("MONDAY").
_DATE_WORDS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december""".split()
)


def _title_start(before: str, match: re.Match[str]) -> int:
    """Where the title found by :data:`_TITLE_TO` in ``before`` really starts.

    Walking left from the role noun, the title keeps acronyms ("UK", "U.S."), title words
    ("Deputy", "Foreign", "Minister"), a few modifiers ("Senior", "Acting") and country names
    or demonyms (up to three words: "United States", "Peru's"), and stops at the first other
    word: what opens the sentence ("On Monday", "In March", "Then", "The") is no part of it.
    """
    from .entities import is_demonym

    words = list(_WORD.finditer(before, match.start(), match.start("noun")))
    start = match.start("noun")
    i = len(words)
    while i > 0:
        for n in (3, 2, 1):
            if n > i:
                continue
            chunk = before[words[i - n].start() : words[i - 1].end()]
            bare = re.sub(r"['’]s$", "", chunk)
            acronym = bool(_ACRONYM.fullmatch(chunk)) and fold(chunk) not in _DATE_WORDS
            if (n == 1 and (acronym or fold(chunk) in _TITLE_MODIFIERS
                            or is_demonym(chunk))) or _is_country(bare):
                i -= n
                start = words[i].start()
                break
        else:
            break
    return start


def _is_country(name: str) -> bool:
    place = lookup(name, allow_codes=False)
    return place is not None and place.kind == "country"


def split_swallowed_names(mentions: list[Mention]) -> list[Mention]:
    """Split a name whose last two or more words are a person known in the story.

    The small model reads "Ambassador to Norland Jana Velk" as one organisation "Norland Jana
    Velk" while the story names "Jana Velk" as a person elsewhere. The tail becomes a mention of
    that person; the words before it become a mention of a place (gazetteer) or of a name the
    story already has as a non-person, and are dropped otherwise, so no mention mixes the two.
    A name the story gives as a person elsewhere is never split, and a person's name must be the
    *tail*: "the Jana Velk Foundation" stays an organisation. A mention labelled a person (the
    apposition rule may have made it one) is split only when a gazetteer place opens it right
    after a title and a preposition ("Ambassador to Norway Jana Velk").

    Returns:
        The mentions, split ones replaced by their parts (in place of the original).
    """
    from .entities import Mention

    persons = Counter(fold(m.text) for m in mentions if m.label == "PERSON" and " " in m.text)
    if not persons:
        return mentions
    # A "person" that is a place and a person after a title ("Envoy to Norway Jana Velk") is
    # split below, so it does not count as the story naming the whole as a person.
    constructs = Counter[str]()
    for m in mentions:
        if m.label == "PERSON" and (cut := _cut(m, persons, whole=False)) is not None:
            _, place, _, title = _head_and_title(m, cut)
            if place is not None and place.strong and title is not None:
                constructs[fold(m.text)] += 1
    persons -= constructs
    others: dict[str, str] = {}
    for m in mentions:
        if m.label != "PERSON":
            others.setdefault(fold(m.text), m.label)
    out: list[Mention] = []
    for m in mentions:
        cut = _cut(m, persons)
        if cut is None:
            out.append(m)
            continue
        head, place, before, title = _head_and_title(m, cut)
        if m.label == "PERSON" and (place is None or not place.strong or title is None):
            out.append(m)
            continue
        label = place.label if place is not None else others.get(fold(head))
        # The person part keeps what the original said of the person: its roles, its titled
        # form and whether its vote was weak (a person mention after "the").
        person = Mention(m.article, m.start + cut, m.end, "PERSON", roles=list(m.roles),
                         titled=m.titled, weak=m.weak, ruled=True)
        if label is not None and head:
            out.append(Mention(m.article, m.start, m.start + len(head), label, ruled=True))
            if title is not None:  # "UK Envoy to Norway": the person's role
                start = m.start - len(before) + _title_start(before, title)
                role = m.article.text[start : m.start + len(head)]
                # a role peeled off the original ("Ambassador") is part of the new one
                person.roles = [role, *(r for r in m.roles if r not in role)]
                person.titled = m.article.text[start : m.end]
        out.append(person)
    return out


def _cut(m: Mention, persons: Counter[str], whole: bool = True) -> int | None:
    """Where a person's full name known in the story starts inside ``m`` (not at its start), if
    the story does not name the whole of ``m`` as a person elsewhere (checked when ``whole``)."""
    words = list(_WORD.finditer(m.text))
    own = 1 if m.label == "PERSON" else 0  # the mention's own vote as a person
    if len(words) < 3 or (whole and persons[fold(m.text)] > own):
        return None
    return next((w.start() for w in words[1:-1] if persons[fold(m.text[w.start() :])] > 0), None)


def _head_and_title(m: Mention, cut: int) -> tuple[str, Place | None, str, re.Match[str] | None]:
    """The words of ``m`` before the person at ``cut``, the place they name, the text before
    ``m`` and the title with its preposition found at its end ("UK Envoy to ")."""
    head = m.text[:cut].rstrip(" ,-–—")
    before = m.article.text[max(0, m.start - 60) : m.start]
    return head, lookup(head) if head else None, before, _TITLE_TO.search(before)



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


#: Nouns for kinds of organisation that head a list of examples ("groups such as X and Y").
_GROUP_NOUNS = frozenset(
    """group organisation organization militia party company firm movement faction network
    outfit union association alliance coalition bank brand club team band agency charity""".split()
)
_LIST_WORDS = frozenset({"as", "including", "like"})


def group_list_members(ents: tuple[SpacySpan, ...], labels: dict[int, str]) -> set[int]:
    """Indexes of the "persons" listed beside an organisation under a group noun.

    "armed groups such as the Red Dawn Front and Kestrel Brigade", "militias including X and
    the Red Dawn Front": the name is a conjunct of an organisation's name, and the list hangs on
    a noun for a kind of organisation through "such as", "including" or "like". Persons under a
    person noun ("leaders such as Ana Ruiz and Tomas Berg") are left alone.

    Args:
        ents: A doc's entity spans.
        labels: Entity index → label (after the sentence-level rules) of the kept spans.
    """
    by_root = {ents[i].root.i: i for i in labels}
    out: set[int] = set()
    for i, label in labels.items():
        if label != "PERSON":
            continue
        root = ents[i].root
        first = root
        while first.dep_ == "conj" and first.head.i < first.i:
            first = first.head
        members = [first, *first.conjuncts]
        if not any(t.i != root.i and labels.get(by_root.get(t.i, -1)) == "ORG" for t in members):
            continue
        prep = first.head
        if first.dep_ != "pobj" or prep.lower_ not in _LIST_WORDS:
            continue
        if prep.lower_ == "as" and (prep.i == 0 or prep.doc[prep.i - 1].lower_ != "such"):
            continue
        noun = prep.head
        if noun.pos_ == "NOUN" and noun.lemma_.lower() in _GROUP_NOUNS:
            out.add(i)
    return out


def group_list_orgs(mentions: list[Mention]) -> None:
    """A "person" listed with organisations under a group noun (see :func:`group_list_members`)
    is an organisation, unless the story names it as a person elsewhere (in full or by its
    last word alone)."""
    if not any(m.listed for m in mentions):
        return
    persons = {fold(m.text) for m in mentions if m.label == "PERSON" and not m.listed}
    for m in mentions:
        if not m.listed or m.label != "PERSON":
            continue
        if fold(m.text) in persons or fold(m.text.split()[-1]) in persons:
            continue
        m.label, m.ruled = "ORG", True
