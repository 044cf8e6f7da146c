"""The entities of a story: one entity per real-world referent, with every variant and mention.

Steps: read NER mentions from each article's parsed doc (titles and possessives peeled off the
name span), correct labels (gazetteer, type voting across the story), link mentions across
sources (:mod:`storyline.extract.linking`), read roles from the parse
(:mod:`storyline.extract.roles`), add mentions the NER missed by searching each entity's
unambiguous variants, then pick each canonical name by evidence: the most complete form
supported by the most sources.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from ..models import Article, Entity, Span
from .gazetteer import is_town, lookup
from .linking import NameItem, link, vote_labels
from .names import HONORIFICS, TITLE_WORDS, fold, split_person
from .roles import appos_head, role_phrases, roles_of
from .story_labels import apply_story_rules, group_list_members

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

    from ..brief import StoryContext

#: NER labels kept as entities.
ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW"})


@dataclass
class Mention:
    """One name mention in one article, after peeling titles, determiners and possessives."""

    article: Article
    start: int
    end: int
    label: str
    roles: list[str] = field(default_factory=list)
    titled: str | None = None  # the name with its title words, when the NER span had them
    weak: bool = False  # label from an ambiguous position: does not vote
    ruled: bool = False  # label set by a rule over the NER's: votes double
    listed: bool = False  # a "person" listed with organisations under a group noun

    @property
    def text(self) -> str:
        return self.article.text[self.start : self.end]


def _peel(ent: SpacySpan) -> tuple[int, int, list[int]]:
    """Token bounds of the bare name in an NER span, and the title tokens peeled off it."""
    start, end = ent.start, ent.end
    doc = ent.doc
    for i in range(start + 1, end):
        if doc[i].text == "(":  # "Agency for International Development (USAID"
            end = i
            break
    while start < end - 1 and doc[start].pos_ == "DET":
        start += 1
    while end - 1 > start and (
        doc[end - 1].text in ("'s", "’s", "'", "’") or doc[end - 1].is_punct
    ):
        end -= 1
    titles: list[int] = []
    if ent.label_ == "PERSON":
        while start < end - 1 and (
            fold(doc[start].text).replace(" ", "") in TITLE_WORDS
            or not doc[start].text[:1].isupper()
        ):
            titles.append(start)
            start += 1
    return start, end, titles


def _usable(text: str) -> bool:
    """Whether a peeled mention looks like a name (not chrome, a title alone or a number)."""
    if len(text) < 2 or "\n" in text or not text[:1].isupper() and not text[:1].isdigit():
        return False
    if not any(c.isalpha() for c in text):
        return False
    f = fold(text).replace(" ", "")
    return f not in TITLE_WORDS and f not in HONORIFICS and f not in _NUMBER_WORDS


_DEMONYM_SUFFIXES = ("ian", "ien", "ean", "an", "ese", "ish", "i", "ic", "ois")
_PLACE_PREPOSITIONS = frozenset("in off near from to at via".split())
#: Verbs after which "for X" is a destination ("left the port for X", "bound for X").
_TRAVEL_VERBS = frozenset("leave depart head bind sail set fly travel steam".split())
#: Last words that make a "place" an organisation ("the X Regional Command", "the Y Port
#: Authority"). Not "department" or "court": French départements and "Z Court" are places too.
_ORG_HEADS = frozenset(
    """command council ministry agency university party army forces committee
    commission police service authority corporation company group association office
    institute airlines airways guard navy federation league""".split()
)
#: Common nouns for places a journey starts from ("left the port for X").
_PLACE_NOUNS = frozenset("port harbour harbor city town village airport station base home island".split())
#: Number words the small model sometimes tags as a name at a paragraph start ("One crew member").
_NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve dozen hundred thousand".split()
)
_LOCATIVE = frozenset("in across of from to into throughout within near over around".split())
_PERSON_NOUNS = ("er", "or", "ist", "ian", "man", "woman", "person", "chief", "head", "ant", "ess")


@lru_cache(maxsize=1)
def _country_stems() -> tuple[str, ...]:
    from .gazetteer import country_names

    names = {n for n in country_names() if " " not in n}
    return tuple(sorted({fold(n)[: max(4, len(n) - 2)] for n in names if len(n) >= 4}))


def is_demonym(text: str) -> bool:
    """Whether a single word reads as a demonym of a gazetteer country ("Peruvian", "Malian")."""
    f = fold(text)
    if " " in f or not text[:1].isupper() or not f.endswith(_DEMONYM_SUFFIXES):
        return False
    place = lookup(text, allow_codes=False)
    if place is not None and place.strong:
        return False
    return any(f.startswith(stem) and len(f) > len(stem) for stem in _country_stems())


def _relabel(ent: SpacySpan, start: int) -> str | None:
    """Fix the small model's systematic label errors by general rules; ``None`` drops the span.

    A demonym is a nationality (NORP); a "person" after "the" is a place or an organisation
    ("the Baltic"); a title-case headline fragment starting with a place is no person; an
    organisation or place in apposition to a person noun is a person ("the foreign minister,
    Dana X").
    """
    doc = ent.doc
    label = ent.label_
    words = ent.text.split()
    if len(words) == 1 and is_demonym(ent.text):
        return "NORP"
    if label == "PRODUCT" and is_town(ent.text):
        return "GPE"  # the small model tags towns as products
    if label in ("GPE", "LOC") and len(words) >= 2 and fold(words[-1]) in _ORG_HEADS:
        return "ORG"  # a place name followed by an institution is the institution
    if label == "PERSON":
        prev = doc[start - 1] if start > 0 else None
        if prev is not None and prev.lower_ == "the" and ent.root.dep_ != "compound":
            before = doc[start - 2] if start > 1 else None
            return "LOC" if before is not None and before.lower_ in _LOCATIVE else "ORG"
        if len(words) >= 3 and (lookup(words[0], allow_codes=False) or is_demonym(words[0])):
            return None
        if len(words) == 1 and prev is not None and prev.lower_ in _PLACE_PREPOSITIONS:
            return "GPE"  # "off X", "to X": a place
        if (len(words) == 1 and prev is not None and prev.lower_ == "for"
                and prev.head.lemma_.lower() in _TRAVEL_VERBS and _journey(prev.head)):
            return "GPE"  # "left the port for X", "bound for X": a destination
    elif label in ("ORG", "GPE", "NORP") and len(words) >= 2:
        # In apposition with a person noun, either way round: "the consultant, Dana X" /
        # "Dana X, a marine safety consultant".
        nouns = [c for c in ent.root.children if c.dep_ == "appos" and c.i >= ent.end]
        if ent.root.dep_ == "appos":
            nouns.append(appos_head(ent.root))
        for head in nouns:
            titled = fold(head.text) in TITLE_WORDS
            if titled or (head.pos_ == "NOUN" and head.lower_.endswith(_PERSON_NOUNS)):
                return "PERSON"
    return label


_DASHES = frozenset({"-", "–", "—", "--", "("})


def _journey(verb: Token) -> bool:
    """Whether a travel verb moves its subject: no object ("bound for X", "sailed for X"), or
    a place left ("left Brennvik for X", "left the port for X"), not a thing ("left flowers")."""
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    return obj is None or obj.ent_type_ in ("GPE", "LOC", "FAC") or obj.lemma_.lower() in _PLACE_NOUNS


def _dateline(ent: SpacySpan, start: int) -> bool:
    """Whether a span is the place of a dateline: an all-capitals name opening a line, then a
    dash or a comma and a place ("HALDEN, Norway —", "HALDEN (Reuters) -")."""
    doc = ent.doc
    text = ent.text
    if not text.isupper() or len(text) < 3 or (start > 0 and "\n" not in doc[start - 1].whitespace_
                                                  + doc[start - 1].text):
        return False
    after = doc[ent.end : ent.end + 3]
    if not len(after):
        return False
    if after[0].text in _DASHES:
        return True
    if after[0].text != "," or len(after) < 2:
        return False
    place = lookup(after[1].text, allow_codes=True)
    return place is not None or after[1].ent_type_ in ("GPE", "LOC")


def _title_word_after(ent: SpacySpan) -> bool:
    """Whether a one-word "person" or "nationality" is the first word of a capitalised title
    before a person ("Harbour Master Jane X", "Port Officer Ali Y"): part of a role, not an
    entity of its own. Demonyms stay ("Danish Minister Jane X")."""
    doc = ent.doc
    if len(ent) != 1 or ent.label_ not in ("PERSON", "NORP") or ent.end + 1 >= len(doc):
        return False
    nxt = doc[ent.end]
    role = fold(nxt.text) in TITLE_WORDS or nxt.lower_.endswith(_PERSON_NOUNS)
    return (nxt.text[:1].isupper() and role and doc[ent.end + 1].ent_type_ == "PERSON"
            and not is_demonym(ent.text))


def _conjoined_places(ents: tuple[SpacySpan, ...], labels: dict[int, str]) -> dict[int, str]:
    """One-word "persons" coordinated with a place are places ("for Kalmar and X")."""
    by_token = {ents[i].root.i: i for i in labels}
    out = dict(labels)
    for i, label in labels.items():
        ent = ents[i]
        if label != "PERSON" or len(ent) != 1:
            continue
        root = ent.root
        near = [root.head] if root.dep_ == "conj" else []
        near += [c for c in root.children if c.dep_ == "conj"]
        if any(labels.get(by_token.get(t.i, -1)) in ("GPE", "LOC") for t in near):
            out[i] = "GPE"
    return out


def mentions_of(article: Article, doc: Doc) -> list[Mention]:
    """The entity mentions of one article, read from its parsed doc."""
    out: list[Mention] = []
    peeled: dict[int, tuple[int, int, list[int]]] = {}
    labels: dict[int, str] = {}
    ents = tuple(doc.ents)  # ``doc.ents`` builds its spans anew on every access
    for i, ent in enumerate(ents):
        if ent.label_ not in ENTITY_LABELS or _title_word_after(ent):
            continue
        peeled[i] = _peel(ent)
        label = _relabel(ent, peeled[i][0])
        if label is not None and _dateline(ent, peeled[i][0]):
            label = "GPE"
        if label is not None:
            labels[i] = label
    labels = _conjoined_places(ents, labels)
    listed = group_list_members(ents, labels)
    for i, label in labels.items():
        ent = ents[i]
        s, e, titles = peeled[i]
        name = doc[s:e]
        m = Mention(article, name.start_char, name.end_char, label)
        if not _usable(m.text):
            continue
        # "the X administration": X may be a person or a place; let other mentions decide.
        m.weak = label == "PERSON" and s > 0 and doc[s - 1].lower_ == "the"
        m.ruled = label != ent.label_
        m.listed = i in listed
        if label == "PERSON":
            m.roles = roles_of(name, [doc[i] for i in titles])
            if titles:
                m.titled = doc[titles[0] : e].text
            else:
                m.titled = _titled_form(name)
        out.append(m)
    return out


def _titled_form(name: SpacySpan) -> str | None:
    """The name with the title written right before it ("Lt. Cmdr. Ioanna X",
    "Maritime Affairs Minister Konstantinos X"), when that title is all capitalised."""
    for phrase in role_phrases(name):
        if phrase[-1].i != name.start - 1 or phrase[-1].whitespace_ == "":
            continue
        alpha = [t for t in phrase if t.text.rstrip(".").isalpha()]  # "Maj." is one token
        if alpha and all(t.text[:1].isupper() for t in alpha):
            return name.doc[phrase[0].i : name.end].text
    return None


def _canonical(mentions: list[Mention], label: str) -> str:
    """The most complete name form supported by the most sources."""
    if label in ("GPE", "LOC"):
        for m in mentions:
            place = lookup(m.text, allow_codes=label == "GPE")
            if place is not None:
                return place.name
    sources: dict[str, set[str]] = defaultdict(set)
    word_sources: dict[str, set[str]] = defaultdict(set)
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for i, m in enumerate(mentions):
        for word in m.text.split():
            word_sources[fold(word)].add(m.article.id)
        form = split_person(m.text).name if label == "PERSON" else m.text
        form = re.sub(r"^(?:the|The)\s+", "", form)
        sources[form].add(m.article.id)
        counts[form] += 1
        first.setdefault(form, i)

    def score(form: str) -> tuple[int, ...]:
        # Full forms first; then how many sources back each word of the form (so the spelling
        # most outlets use wins), then completeness.
        words = form.split()
        support = round(10 * sum(len(word_sources[fold(w)]) for w in words) / len(words))
        shouted = form.isupper() and any(len(w) > 5 for w in words)  # a dateline's capitals
        return (len(words) > 1, support, not shouted, len(words), len(form), counts[form],
                -first[form])

    return max(sources, key=score)


def _extra_mentions(entities: list[tuple[str, list[Mention]]], articles: list[Article]) -> None:
    """Add occurrences of each entity's unambiguous variants that the NER missed."""
    owners: dict[str, set[int]] = defaultdict(set)
    for n, (label, ms) in enumerate(entities):
        for m in ms:
            owners[m.text].add(n)
            if label == "PERSON" and split_person(m.text).full:
                # The surname alone ("Brandt thanked..."), which the NER often misses.
                owners[split_person(m.text).last].add(n)
    # Characters of each article already inside a mention (all spans are non-empty, so a hit
    # overlaps a taken span exactly when one of its characters is taken).
    taken: dict[str, bytearray] = {a.id: bytearray(len(a.text)) for a in articles}
    for _label, ms in entities:
        for m in ms:
            occupied = taken.setdefault(m.article.id, bytearray(len(m.article.text)))
            occupied[m.start : m.end] = b"\x01" * (m.end - m.start)
    for variant, who in owners.items():
        if len(who) != 1 or len(variant) < 3 or not variant[:1].isupper() or not _usable(variant):
            continue  # ambiguous, too short, or no name ("One" of "X One" opening a sentence)
        holders = [a for a in articles if variant in a.text]
        if not holders:
            continue
        n = next(iter(who))
        label = entities[n][0]
        pattern = re.compile(re.escape(variant) + r"(?![\w])")
        for article in holders:
            occupied = taken[article.id]
            for s, e in _bounded_hits(pattern, article.text):
                if 1 in occupied[s:e]:
                    continue
                occupied[s:e] = b"\x01" * (e - s)
                entities[n][1].append(Mention(article, s, e, label))


_WORD_OR_DOT = re.compile(r"[\w.]")


def _bounded_hits(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """What ``(?<![\\w.])`` + ``pattern`` would find with ``finditer``, found faster.

    A pattern that opens with a lookbehind is tried at every position of the text; one that
    opens with the literal name jumps from one occurrence to the next. A hit preceded by a word
    character or a dot is skipped and the search goes on one character later, as ``finditer``
    does when the lookbehind fails.
    """
    out: list[tuple[int, int]] = []
    pos = 0
    while (hit := pattern.search(text, pos)) is not None:
        s, e = hit.span()
        if s > 0 and _WORD_OR_DOT.match(text, s - 1):
            pos = s + 1
            continue
        out.append((s, e))
        pos = e if e > s else s + 1
    return out


def build_entities(articles: list[Article], docs: list[Doc]) -> list[Entity]:
    """Entities of a set of articles (one story), with their parsed docs in the same order.

    Args:
        articles: The story's articles, in ingest order.
        docs: ``docs[i]`` is the parsed ``articles[i].text``.

    Returns:
        Entities ordered by salience (number of articles, then mentions), ids ``e1``, ``e2``...
    """
    mentions: list[Mention] = []
    for article, doc in zip(articles, docs, strict=True):
        mentions.extend(mentions_of(article, doc))
    if not mentions:
        return []
    mentions = apply_story_rules(mentions, articles)
    labels = vote_labels(
        [m.text for m in mentions],
        [m.label for m in mentions],
        [0 if m.weak else 2 if m.ruled else 1 for m in mentions],
    )
    for m, lab in zip(mentions, labels, strict=True):
        m.label = lab
    order = {a.id: i for i, a in enumerate(articles)}
    items = [NameItem(m.text, m.label, m.article.id, m.start) for m in mentions]
    clusters = link(items)
    grouped: dict[int, list[Mention]] = defaultdict(list)
    for m, c in zip(mentions, clusters, strict=True):
        grouped[c].append(m)
    found: list[tuple[str, list[Mention]]] = []
    for ms in grouped.values():
        label = Counter(m.label for m in ms).most_common(1)[0][0]
        found.append((label, ms))
    _extra_mentions(found, articles)

    def salience(entry: tuple[str, list[Mention]]) -> tuple[int, int, int, int]:
        ms = entry[1]
        firsts = min((order[m.article.id], m.start) for m in ms)
        return (-len({m.article.id for m in ms}), -len(ms), firsts[0], firsts[1])

    found.sort(key=salience)
    entities: list[Entity] = []
    for n, (label, ms) in enumerate(found, start=1):
        ms.sort(key=lambda m: (order[m.article.id], m.start))
        variant_counts = Counter(m.text for m in ms)
        for m in ms:
            if m.titled:
                variant_counts[m.titled] += 0  # listed, after the bare forms
        roles: list[str] = []
        for m in ms:
            for r in m.roles:
                if fold(r) not in {fold(x) for x in roles}:
                    roles.append(r)
        entities.append(
            Entity(
                id=f"e{n}",
                name=_canonical(ms, label),
                type=label,
                variants=[v for v, _ in variant_counts.most_common()],
                roles=[] if label in ("GPE", "LOC") else roles,  # "Port Vell, the capital,"
                mentions=[Span.of(m.article, m.start, m.end) for m in ms],
            )
        )
    return entities


def extract_entities(ctx: StoryContext) -> list[Entity]:
    """The story component: entities of the story's articles (see :func:`build_entities`)."""
    docs = [ctx.docs.get(a) for a in ctx.articles]
    return build_entities(ctx.articles, docs)
