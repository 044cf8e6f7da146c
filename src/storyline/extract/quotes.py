"""Direct quotes and their speakers.

Quotes are found between straight or curly double quotation marks (a quote may span sentences;
a paragraph that opens a quote without closing it ends it at the paragraph break, the press
convention for quotes that run on). The speaker comes from, in order:

1. an attribution right after the quote: '"…," Lund said' / '"…," said Lund' / '"…," he added';
2. an attribution before it in the same sentence: 'Lund said: "…"', 'X told Y "…"',
   'according to X, "…"';
3. the other half of a quote broken by its attribution ('"…," Lund said. "…"');
4. the speaker of the previous quote in the same paragraph.

A speech verb with no subject of its own takes the subject of the verb it is coordinated with (of
the nearest governing verb in its tense when the parser coordinated it with a verb inside a
clause: 'who voiced her hope that the agency will stay and announced "…"'). A relative pronoun's
speaker is the noun the clause belongs to; for "who", the person an apposition chain leads back
to ("Dana X, director of the Port Agency in Brennvik, who announced …" is Dana X, not the
agency or the town the parser hung the clause on).

Pronoun speakers ("he said") resolve to the last named speaker or person before them in the
paragraph. A speaker is mapped to a story entity through its mention spans (or, for a role such
as "the ministry spokesman", to the one person in the article holding that role); a speaker that
cannot be resolved stays ``None`` rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..models import Article, Entity, Quote, Span
from .names import TITLE_WORDS, fold
from .roles import person_noun

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

    from ..brief import StoryContext

SPEECH_VERBS = frozenset(
    "say tell add state announce declare explain note write insist claim warn argue ask reply "
    "respond confirm deny acknowledge conclude remark comment tweet post quip stress "
    "emphasize emphasise report recall admit urge suggest predict vow".split()
)
_PRONOUNS = frozenset("he she they i we".split())
_MIN_WORDS = 4  # shorter quoted strings are scare quotes ("illegal") unless attributed
_WINDOW = 120  # characters after / before a quote searched for its attribution

_ATTRIBUTED_BEFORE = re.compile(r"[\"”]\s*$")
_QUOTE_RE = re.compile(r"“([^“”]+?)”|\"([^\"\n]+?)\"|“([^“”\n]+)$|\"([^\"\n]+)$", re.M)


@dataclass
class _Found:
    start: int  # offsets of the quoted words (inside the marks)
    end: int
    outer_start: int  # offsets including the marks
    outer_end: int
    speaker: tuple[int, int] | None = None  # char span of the speaker phrase
    head: tuple[int, int] | None = None  # char span of the phrase's head word
    noun_head: bool = False  # the head word is a common noun ("the Velland president")
    pronoun: bool = False
    earlier: bool = False  # speaker taken from the sentence before the quote


def find_quotes(text: str) -> list[tuple[int, int, int, int]]:
    """Quoted stretches: (start, end) of the words and (start, end) including the marks."""
    out = []
    for m in _QUOTE_RE.finditer(text):
        group = next(g for g in range(1, 5) if m.group(g) is not None)
        s, e = m.span(group)
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s and text[s].isalnum() | (text[s] in "‘'(["):
            out.append((s, e, m.start(), m.end()))
    return out


def _antecedent(clause: Token, pronoun: Token) -> Token:
    """The noun a relative clause belongs to.

    The parser hangs the clause on the nearest noun; after "who" the speaker is a person, so
    the chain of prepositions and appositions is followed back to the first person (an
    entity or a person noun) or to the noun an apposition describes: in "Dana X, director of
    the Port Agency in Brennvik, who ..." the clause belongs to Dana X. "Which" and "that"
    keep the nearest noun ("the agency, which announced ...").
    """
    head = clause.head
    if pronoun.lower_ not in ("who", "whom"):
        return head
    node = head
    for _ in range(8):
        if node.ent_type_ == "PERSON":
            return node
        if node.dep_ == "appos":
            return node.head
        if node is not head and person_noun(node):
            return node
        if node.dep_ not in ("pobj", "prep", "compound") or node.head.i == node.i:
            break
        node = node.head
    return head


def _speaker_phrase(verb: Token) -> SpacySpan | None:
    """The subject of a speech verb: its phrase, without relative clauses hanging off it."""
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            if child.lower_ in ("who", "whom", "that", "which") and verb.dep_ == "relcl":
                child = _antecedent(verb, child)  # "Maria X, who announced ...": her, not "who"
            cut = {t.i for c in child.subtree if c.dep_ in ("relcl", "acl") and c.i != child.i
                   for t in c.subtree}
            toks = [t.i for t in child.subtree if t.i not in cut]
            phrase = verb.doc[min(toks) : max(toks) + 1]
            while len(phrase) > 1 and phrase[-1].is_punct:
                phrase = phrase[:-1]
            return phrase
    return None


def _inherited_subject(verb: Token) -> SpacySpan | None:
    """The subject a coordinated verb shares: that of the verb it is coordinated with, or of
    the nearest governing verb in the same tense when the parser coordinated it with a verb of
    another tense inside a clause ('who voiced her hope that the agency will stay and announced
    "…"': "announced" goes with "voiced", not "will stay")."""
    if verb.dep_ != "conj":
        return None
    node = verb.head
    for _ in range(8):
        if node.pos_ in ("VERB", "AUX") and node.tag_ == verb.tag_:
            phrase = _speaker_phrase(node)
            if phrase is not None:
                return phrase
        if node.head.i == node.i:
            break
        node = node.head
    return None


def _attribution(
    doc: Doc, lo: int, hi: int, quote: tuple[int, int]
) -> tuple[SpacySpan, bool] | None:
    """A speech verb with a subject inside ``doc.text[lo:hi]`` (outside the quote itself)."""
    import numpy as np

    # Tokens are in text order: start at the first one at or after ``lo``, stop at ``hi``.
    first = int(np.searchsorted(doc.to_array("IDX"), max(lo, 0))) if len(doc) else 0
    for token in doc[first:]:
        if token.idx >= hi:
            break
        if quote[0] <= token.idx < quote[1]:
            continue
        if token.lemma_.lower() in SPEECH_VERBS and token.pos_ in ("VERB", "AUX"):
            phrase = _speaker_phrase(token)
            if phrase is None and token.sent.start_char <= quote[1]:
                phrase = _inherited_subject(token)  # not from a sentence after the quote
            if phrase is None and token.idx >= quote[1]:
                # '"…," said Lt. Cmdr. Dana X, the spokeswoman': the speaker follows the verb.
                end = token.i + 1
                while end < len(doc) and end - token.i <= 10 and not doc[end].is_punct:
                    end += 1
                while end < len(doc) and doc[end].text == "." and end - token.i <= 10:
                    end += 1  # abbreviations ("Lt. Cmdr.") split off as their own tokens
                    while end < len(doc) and end - token.i <= 10 and not doc[end].is_punct:
                        end += 1
                if end > token.i + 1:
                    return doc[token.i + 1 : end], False
            if phrase is None and token.i > token.sent.start:
                # No subject in the parse: the stretch before the verb names the speaker (the
                # entity lookup then picks the person in it, or nobody).
                phrase = doc[max(token.sent.start, token.i - 30) : token.i]
                if any(quote[0] <= t.idx < quote[1] for t in phrase):
                    continue
                return phrase, False
            if phrase is not None and not (quote[0] <= phrase.start_char < quote[1]):
                return phrase, phrase.root.lower_ in _PRONOUNS
    return None


def _according_to(
    text: str, lo: int, hi: int, max_start: int | None = None
) -> tuple[int, int] | None:
    m = re.search(r"[Aa]ccording to ([^,;:\"“”\n]{2,80})", text[lo:hi])
    if not m or (max_start is not None and m.start() > max_start):
        return None
    s, e = lo + m.start(1), lo + m.end(1)
    while e > s and not text[e - 1].isalnum():
        e -= 1
    return s, e


def _paragraph_bounds(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end == -1 else end


def _attribute(article: Article, doc: Doc, found: list[_Found]) -> None:
    text = article.text
    for q in found:
        p_start, p_end = _paragraph_bounds(text, q.outer_start)
        after = (q.outer_end, min(p_end, q.outer_end + _WINDOW))
        hit = _attribution(doc, after[0], after[1], (q.outer_start, q.outer_end))
        if hit is not None and hit[0].start_char - q.outer_end > 40:
            hit = None  # too far after the quote to be its attribution
        if hit is None:
            acc = _according_to(text, after[0], after[1], max_start=10)
            if acc is not None:
                q.speaker = acc
                continue
        if hit is None:
            s = doc.char_span(q.outer_start, q.outer_end, alignment_mode="expand")
            sent_start = (
                s.sent.start_char if s is not None else max(p_start, q.outer_start - _WINDOW)
            )
            before = (max(p_start, sent_start), q.outer_start)
            hit = _attribution(doc, before[0], before[1], (q.outer_start, q.outer_end))
            if hit is None:
                acc = _according_to(text, before[0], before[1])
                if acc is not None:
                    q.speaker = acc
                    continue
        if hit is not None:
            q.speaker = (hit[0].start_char, hit[0].end_char)
            root = hit[0].root
            q.head = (root.idx, root.idx + len(root.text))
            q.noun_head = root.pos_ == "NOUN"
            q.pronoun = hit[1]
    # A quote standing as its own sentence, with no attribution, after a sentence naming a
    # person in the same paragraph: that person speaks ("Andrikos spoke to reporters. "…"").
    for q in found:
        if q.speaker is not None:
            continue
        p_start, _p_end = _paragraph_bounds(text, q.outer_start)
        lead = text[p_start : q.outer_start].rstrip()
        if lead and lead[-1] in ".!?" and not _ATTRIBUTED_BEFORE.search(lead[-60:]):
            sent_lo = max(lead.rfind(". ", 0, len(lead) - 1), lead.rfind("\n")) + 1
            q.speaker = (p_start + sent_lo, p_start + len(lead))
            q.earlier = True
    # Broken quotes and quotes continuing a paragraph take the speaker of the previous quote.
    for prev, q in zip(found, found[1:], strict=False):
        same_paragraph = _paragraph_bounds(text, prev.outer_start) == _paragraph_bounds(
            text, q.outer_start
        )
        if q.speaker is None and prev.speaker is not None and same_paragraph:
            q.speaker, q.head, q.pronoun = prev.speaker, prev.head, prev.pronoun


def _entity_at(
    entities: list[Entity], article: Article, span: tuple[int, int], head: tuple[int, int] | None,
    noun_head: bool = False,
) -> Entity | None:
    """The entity named by the speaker phrase: the mention at its head word, else a person
    mentioned in it, else its longest mention ("Lund of the coast guard" is Lund). A place or
    nationality that only modifies a common noun at the head is not the speaker ("the Velland
    president")."""
    best: tuple[int, int, Entity] | None = None
    for e in entities:
        for m in e.mentions:
            if m.article != article.id or not (span[0] <= m.start and m.end <= span[1]):
                continue
            at_head = head is not None and m.start <= head[0] < m.end
            if noun_head and not at_head and e.type in ("NORP", "GPE", "LOC"):
                continue
            key = (2 if at_head else 1 if e.type == "PERSON" else 0, m.end - m.start)
            if best is None or key > best[:2]:
                best = (key[0], key[1], e)
    return best[2] if best else None


def _entity_by_role(entities: list[Entity], article: Article, phrase: str) -> Entity | None:
    """The one person in the article whose roles end with the phrase's last word."""
    words = re.findall(r"[A-Za-z]+", phrase.lower())
    if not words:
        return None
    head = words[-1]
    hits = [
        e
        for e in entities
        if e.type == "PERSON"
        and any(m.article == article.id for m in e.mentions)
        and any(r.lower().split()[-1:] == [head] for r in e.roles)
    ]
    return hits[0] if len(hits) == 1 else None


def _titles_only(phrase: str) -> bool:
    """Whether a speaker phrase is only title words ("Lt. Cmdr."): the name comes after it."""
    words = re.findall(r"[A-Za-z]+", phrase)
    return bool(words) and all(fold(w) in TITLE_WORDS for w in words)


def _only_person_in(
    entities: list[Entity], article: Article, span: tuple[int, int]
) -> Entity | None:
    """The one person mentioned inside a stretch of text (none if zero or several)."""
    people = {
        e.id: e
        for e in entities
        if e.type == "PERSON"
        for m in e.mentions
        if m.article == article.id and span[0] <= m.start and m.end <= span[1]
    }
    return next(iter(people.values())) if len(people) == 1 else None


def _last_person_before(
    entities: list[Entity], article: Article, pos: int, lo: int
) -> Entity | None:
    best: tuple[int, Entity] | None = None
    for e in entities:
        if e.type != "PERSON":
            continue
        for m in e.mentions:
            if (
                m.article == article.id
                and lo <= m.start < pos
                and (best is None or m.start > best[0])
            ):
                best = (m.start, e)
    return best[1] if best else None


def quotes_of(article: Article, doc: Doc, entities: list[Entity]) -> list[Quote]:
    """The direct quotes of one article with speakers resolved to the given entities."""
    found = [_Found(*q) for q in find_quotes(article.text)]
    if not found:
        return []
    _attribute(article, doc, found)
    out: list[Quote] = []
    for q in found:
        words = len(article.text[q.start : q.end].split())
        if q.speaker is None and words < _MIN_WORDS:
            continue
        if words < 2:
            continue
        entity: Entity | None = None
        name: str | None = None
        if q.speaker is not None:
            phrase = article.text[q.speaker[0] : q.speaker[1]]
            if q.pronoun:
                p_start, _ = _paragraph_bounds(article.text, q.outer_start)
                entity = _last_person_before(entities, article, q.speaker[0], max(0, p_start - 600))
            elif q.earlier:
                entity = _only_person_in(entities, article, q.speaker)
            elif _titles_only(phrase):
                # "said Lt. Cmdr." cut by a sentence break before the name: the name follows.
                entity = _only_person_in(entities, article, (q.speaker[0], q.speaker[1] + 40))
                entity = entity or _entity_by_role(entities, article, phrase)
            else:
                entity = _entity_at(entities, article, q.speaker, q.head, q.noun_head) or _entity_by_role(
                    entities, article, phrase
                )
            unnamed = q.pronoun or q.earlier or len(phrase) > 60
            name = entity.name if entity else (None if unnamed else phrase)
        out.append(Quote(Span.of(article, q.start, q.end), entity.id if entity else None, name))
    return out


def extract_quotes(ctx: StoryContext) -> list[Quote]:
    """The story component: the quotes of every article, speakers mapped to story entities."""
    quotes: list[Quote] = []
    for article in ctx.articles:
        quotes.extend(quotes_of(article, ctx.docs.get(article), ctx.story.entities))
    return quotes
