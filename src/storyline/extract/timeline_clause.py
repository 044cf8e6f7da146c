"""The event clause a date belongs to: the stretch of text a timeline entry shows and cites.

A date dates the clause it sits in, not the whole sentence:

* In a relative clause, or a participle phrase set off by commas ("the old bridge, which closes
  in 2031"; "the ship, launched in 2019,"), the event is that clause with the noun it describes: "the old
  bridge, which closes in 2031". The rest of the sentence is another event and is not dated by
  it. The clause keeps its noun so it reads on its own; it is not dropped for being short, since
  the date would then be lost from the timeline (only a clause under three words is dropped).
* In an apposition ("Ann Dow, the port's director since 2020, said ..."), the event is the name
  with its apposition: "Ann Dow, the port's director since 2020".
* Otherwise, a sentence with one date is dated as a whole (its reporting verb and all); a
  sentence with several dates gives each date the clause of its own verb, less the clauses
  that hold another date and the clauses coordinated after it with their own subject.

Relative clauses are found from the parse (``relcl``/``acl``) and, where the small model parses
one as the main clause, from the punctuation (", whose ..., " after a noun).

The words of a clause's attribution (the speech verb and who spoke: "..., the union said",
"according to the police") are marked (:attr:`EventClause.reported`), as are the words that name
a place (:attr:`EventClause.places`): for two clauses that are each their article's only clause
of a day, sharing the source or the place alone does not make them one event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .quotes import SPEECH_VERBS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_DATELINE = re.compile(r"\s*(?:published|posted|updated|last updated|date)\b", re.I)
_STEM = 6  # content words compare on their first letters (terminate / termination)
_DATE_WORDS = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday week month year day today "
    "yesterday last next early late earlier later mid morning afternoon evening night a.m. "
    "p.m.".split()
)
_WH = frozenset("who whom whose which where when".split())
#: Words of a dateline beside its date ("on Tuesday, 16 December 2008 13:45 GMT").
_STAMP = frozenset("on at am pm gmt utc bst cet cest est edt pst pdt updated published".split())
_ARGS = ("nsubjpass", "dobj", "attr", "oprd")
_CONTENT = ("NOUN", "PROPN", "VERB", "NUM")
_PLACES = ("GPE", "LOC", "FAC")


@dataclass
class EventClause:
    """The clause a date belongs to.

    Attributes:
        start: Character offset of the clause in the article text.
        end: Its end.
        words: Content words (first letters of lemmas), less date words and the clauses of the
            sentence's other dates.
        core: The words that say what happened and who did it: the date's verb with its
            subject, object and prepositional objects (and those of the verb it completes or
            that completes it), the noun the date modifies ("the collapse on March 3"), the
            noun a relative clause describes.
        heads: ``core`` less the active subjects: what happened, not who did it.
        sentence: Start of the clause's sentence.
        anchor: The common noun the date modifies ("coup" in "a coup in July 2023"), or "".
        places: The words that name a place: a place name ("Halvik") and the noun it names
            ("the port of Halvik", "the Halvik port").
        reported: The words of the attribution: speech verbs and the subjects of those that
            report another clause ("..., the union said"), "according to ..." phrases.
    """

    start: int
    end: int
    words: set[str]
    core: set[str]
    heads: set[str]
    sentence: int
    anchor: str = ""
    places: set[str] = field(default_factory=set)
    reported: set[str] = field(default_factory=set)


_VERBS = ("VERB", "AUX")
_NOMINAL = ("NOUN", "PROPN")


def _verb_of(tok: Token) -> Token | None:
    """The verb that governs ``tok`` (itself when it is one), None when none does."""
    while tok.pos_ not in _VERBS and tok.head.i != tok.i:
        tok = tok.head
    return tok if tok.pos_ in _VERBS else None


def _clause_head(verb: Token) -> Token:
    """The head of the clause a verb sits in: up through open complements and auxiliaries
    ("is to start", "was due to close": the clause is headed by "is", "was")."""
    while verb.dep_ in ("xcomp", "acomp", "aux", "auxpass") and verb.head.i != verb.i:
        verb = verb.head
    return verb


def _relative(verb: Token) -> tuple[int, int, Token] | None:
    """Token bounds of a relative clause or participle phrase with the noun it describes (the
    date may sit in a clause below it: "who has led the crew since it sailed in 2019")."""
    head = _clause_head(verb)
    while head.dep_ in ("advcl", "ccomp") and head.head.pos_ in _VERBS:
        head = _clause_head(head.head)
    if head.head.pos_ not in _NOMINAL + ("PRON",):
        return None
    if head.dep_ != "relcl" and not (head.dep_ == "acl" and head.tag_ in ("VBN", "VBG")):
        return None  # an infinitive ("plans to visit on Friday") stays with its sentence
    doc = head.doc
    if head.dep_ == "acl" and (head.left_edge.i == 0 or doc[head.left_edge.i - 1].text != ","):
        # A participle not set off by commas names the noun ("in a memo released on Monday,
        # the minister ordered ..."): the sentence tells the event, not the phrase.
        return None
    noun = head.head
    return noun.left_edge.i, head.right_edge.i + 1, noun


def _set_off(
    sent: Span, first: int, last: int, date_toks: set[int], verb: Token | None
) -> tuple[int, int, Token] | None:
    """Token bounds of a noun with the comma-set stretch holding tokens ``first..last``, when
    that stretch is a non-restrictive relative clause (", whose ..." whose first verb is the
    date's ``verb``) or an apposition (", the port's director since 2020,"); None otherwise."""
    doc = sent.doc
    commas = [i for i in range(first - 1, sent.start, -1) if doc[i].text == ","]
    open_ = None
    if commas and commas[0] + 1 < first and _apposition(doc[commas[0] + 1 : first]):
        open_ = commas[0]
    for i in commas:
        lead = doc[i + 1]
        first_verb = next((t for t in doc[i + 1 : first] if t.pos_ in _VERBS), verb)
        same = verb is not None and first_verb is not None
        same = same and _clause_head(first_verb).i == _clause_head(verb).i  # type: ignore[arg-type]
        if open_ is None and lead.lower_ in _WH and same:
            open_ = i
    if open_ is None:
        return None
    before = doc[open_ - 1]
    if before.pos_ not in _NOMINAL or before.i in date_toks:
        return None
    close = next((i for i in range(last + 1, sent.end) if doc[i].text in (",", ";")), sent.end)
    lo = before.i
    while lo > sent.start and doc[lo - 1].dep_ in ("compound", "det", "amod", "poss", "case"):
        lo -= 1
    return lo, close, before


def _apposition(stretch: Span) -> bool:
    """Whether a stretch after a comma reads as a noun phrase (no verb, no conjunction, not led
    by a preposition): ", the port's director since 2020"."""
    lead = stretch[0]
    if lead.pos_ in ("ADP", "ADV", "SCONJ", "CCONJ", "PUNCT") or lead.lower_ in _WH:
        return False
    # a verb makes it a clause; "and" a list ("a judge, a deputy and an agent in the ...")
    return not any(t.pos_ in _VERBS or t.pos_ == "CCONJ" for t in stretch)


def _other_clauses(keep: Token, others: list[Token]) -> list[tuple[int, int]]:
    """Token bounds of the clauses that hold the sentence's other dates and not ``keep``: for
    each other date, the highest verb above it whose subtree leaves ``keep`` out."""
    out = []
    for tok in others:
        top = None
        while not tok.left_edge.i <= keep.i <= tok.right_edge.i:
            if tok.pos_ in _VERBS:
                top = tok
            if tok.head.i == tok.i:
                break
            tok = tok.head
        if top is not None:
            out.append((top.left_edge.i, top.right_edge.i + 1))
    return out


def _trim_coordinated(verb: Token, hi: int, keep: Token) -> int:
    """End of a clause less the clauses coordinated after ``verb`` with their own subject
    ("..., and the company cancelled sailings")."""
    for child in verb.children:
        if child.dep_ != "conj" or child.pos_ not in _VERBS or child.left_edge.i <= keep.i:
            continue
        if any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in child.children):
            hi = min(hi, child.left_edge.i)
    return hi


def event_clause(
    doc: Doc, start: int, end: int, dates: list[tuple[int, int]], text: str
) -> EventClause | None:
    """The event clause that the date at ``start..end`` belongs to.

    Args:
        doc: The parsed article.
        start: Start of the date expression.
        end: Its end.
        dates: Every date expression of the article, as ``(start, end)``.
        text: The text the doc was parsed from.

    Returns:
        The clause, or None when the date gives no event (a dateline, a bare date, a clause
        under three words).
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    sent = span.sent
    other_spans = [
        doc.char_span(s, e, alignment_mode="expand")
        for s, e in dates
        if sent.start_char <= s < sent.end_char and (s, e) != (start, end)
    ]
    others = [o.root for o in other_spans if o is not None and not span.start <= o.root.i < span.end]
    date_toks = {t.i for o in [span, *other_spans] if o is not None for t in o}
    lo, hi = sent.start, sent.end
    # A blank line always ends a sentence (``nlp.sentence_marks``), but a headline followed by
    # a single line break is still glued to the first sentence, whose words may then hang from
    # the headline's verb: the date's line counts on its own.
    line_lo, line_hi = _line_bounds(text, start, end)
    line = [t for t in sent if line_lo <= t.idx < line_hi and not t.is_space]
    loose = [t for t in line if not line[0].i <= t.head.i <= line[-1].i]
    verb = _verb_of(span.root)
    bounds = _relative(verb) if verb is not None else None
    if bounds is None:
        bounds = _set_off(sent, span.start, span.end - 1, date_toks, verb)
    if bounds is not None:
        lo, hi = bounds[0], bounds[1]
    elif verb is not None and others:
        sub = [t.i for t in verb.subtree]
        if max(sub) - min(sub) >= 4:
            lo, hi = max(lo, min(sub)), min(hi, max(sub) + 1)
        if line and verb.dep_ != "conj" and any(line[0].i <= t.i < lo for t in loose):
            # The subject hangs from a glued headline; a verb coordinated after the first one
            # has it too, but taking it would take the first verb's clause with it.
            lo = line[0].i
        hi = max(lo, _trim_coordinated(verb, hi, span.root))
    skip = set(date_toks)
    attribution = _attribution(doc[lo:hi], verb)
    for c_lo, c_hi in _other_clauses(span.root, others):
        if c_lo > span.root.i:
            hi = max(lo, min(hi, c_lo))
        skip.update(range(c_lo, c_hi))
    toks = _finish(doc, lo, hi, start, end, text)
    if toks is None:
        return None
    words = {_stem(t) for t in toks if _content(t) and t.i not in skip}
    coordinated = [t for t in loose if t.pos_ in _VERBS] if not others else []
    heads, agents = _core(span, verb, bounds[2] if bounds is not None else None, not others)
    if verb is not None and any(t.i == verb.i for t in coordinated):
        for other in coordinated:  # the line's clauses, hung from a glued headline
            more_heads, more_agents = _core(span, other, None, False)
            heads.extend(more_heads)
            agents.extend(more_agents)
    head_words = {_stem(t) for t in heads if _content(t) and t.i not in skip} & words
    agent_words = {_stem(t) for t in agents if _content(t) and t.i not in skip} & words
    anchor = _anchor(span)
    noun = _stem(anchor) if anchor is not None and anchor.pos_ == "NOUN" else ""
    last = toks[-1]
    places = {_stem(t) for t in toks if _place(t)} & words
    said = {_stem(t) for t in toks if t.i in attribution}
    reported = said - {_stem(t) for t in toks if t.i not in attribution and t.i not in skip}
    return EventClause(
        toks[0].idx, last.idx + len(last.text), words, head_words | agent_words, head_words,
        sent.start_char, noun if noun in words else "", places, reported & words,
    )


def _line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Character bounds of the line holding ``start..end`` (without its line breaks)."""
    line_hi = text.find("\n", end)
    return text.rfind("\n", 0, start) + 1, len(text) if line_hi == -1 else line_hi


def _attribution(tokens: Span, verb: Token | None) -> set[int]:
    """Indices of the tokens that say who reported the clause: speech verbs ("said",
    "announced"), the subjects of those that report another verb's clause ("..., the union
    said"; not when the date is the speech's own: "firefighters said on Wednesday that ..."
    is what firefighters did that day), and "according to ..." phrases."""
    out: set[int] = set()
    own = _clause_head(verb).i if verb is not None else -1
    for tok in tokens:
        if tok.pos_ in _VERBS and tok.lemma_.lower() in SPEECH_VERBS:
            out.add(tok.i)
            if _clause_head(tok).i == own:
                continue
            for child in tok.children:
                if child.dep_ in ("nsubj", "nsubjpass"):
                    out.update(t.i for t in child.subtree)
        elif tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.nbor().lower_ == "to":
            out.update(t.i for t in tok.subtree)
    return out


def _place(tok: Token) -> bool:
    """Whether a token names a place: part of a place name, or the noun a place name completes
    ("port" in "the port of Halvik" or "the Halvik port")."""
    if tok.ent_type_ in _PLACES:
        return True
    if tok.pos_ != "NOUN":
        return False
    for child in tok.children:
        if child.dep_ == "compound" and child.ent_type_ in _PLACES:
            return True
        of = child.dep_ == "prep" and child.lower_ == "of"
        if of and any(g.dep_ == "pobj" and g.ent_type_ in _PLACES for g in child.children):
            return True
    return False


def _stem(tok: Token) -> str:
    return tok.lemma_.lower()[:_STEM]


def _content(tok: Token) -> bool:
    return tok.pos_ in _CONTENT and not tok.is_stop and tok.lemma_.lower() not in _DATE_WORDS


def _core(
    date: Span, verb: Token | None, described: Token | None, whole: bool
) -> tuple[list[Token], list[Token]]:
    """The tokens that say what happened at a date, and those that say who did it (see
    :class:`EventClause`); with ``whole`` (the sentence's only date), the verbs coordinated
    with the date's verb count too ("met on Tuesday, but the talks ended")."""
    heads, agents = [], []
    anchor = _anchor(date)
    if anchor is not None:
        heads.append(anchor)
    if described is not None:
        heads.append(described)
    if verb is not None:
        verbs = [verb, *(c for c in verb.children if c.dep_ in ("xcomp", "ccomp") or _to(c))]
        if whole:
            verbs.extend(c for c in verb.children if c.dep_ == "conj" and c.pos_ in _VERBS)
        if verb.dep_ == "xcomp":
            verbs.append(verb.head)
        for v in verbs:
            heads.append(v)
            # The subject of a verb without an object is what happened to ("the bridge
            # collapsed", "hearings open"); with one, it is who acted ("NorLink suspended").
            transitive = any(c.dep_ == "dobj" for c in v.children)
            for c in v.children:
                if c.dep_ in _ARGS or (c.dep_ == "nsubj" and not transitive):
                    heads.append(c)
                elif c.dep_ == "nsubj":
                    agents.append(c)
                elif c.dep_ == "agent":  # "by the board"
                    agents.extend(g for g in c.children if g.dep_ == "pobj")
    return heads, agents


def _anchor(date: Span) -> Token | None:
    """The noun the date modifies, before any verb: "the collapse on March 3", "a July 2023
    coup"."""
    tok = date.root
    while tok.head.i != tok.i and tok.head.pos_ not in _VERBS:
        tok = tok.head
        if tok.pos_ in _NOMINAL and not date.start <= tok.i < date.end:
            return tok
    return None


def _to(tok: Token) -> bool:
    """An infinitive adverbial clause ("wants on Friday to visit")."""
    return tok.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def _finish(doc: Doc, lo: int, hi: int, start: int, end: int, text: str) -> list[Token] | None:
    """The clause's tokens ``lo..hi`` kept within the date's line and trimmed of edge
    punctuation and conjunctions; None for a dateline, a bare date or under three words."""
    # Never let a clause run across a line break (a headline glued to the first sentence).
    line_lo, line_hi = _line_bounds(text, start, end)
    line = text[line_lo:line_hi]
    rest = (text[line_lo:start] + " " + text[end:line_hi]).lower()
    said = [w for w in re.findall(r"[a-z]+", rest) if w not in _DATE_WORDS and w not in _STAMP]
    if _DATELINE.match(line) or len(line.split()) <= 4 or len(said) <= 1:
        return None  # the page's dateline or a bare date ("Sunday, 9 June 2013 15:14"): no event
    toks = [t for t in doc[lo:hi] if not t.is_space and line_lo <= t.idx < line_hi]
    while toks and (toks[0].is_punct or toks[0].pos_ in ("CCONJ", "SCONJ")):
        toks = toks[1:]
    while toks and (toks[-1].is_punct or toks[-1].pos_ == "CCONJ") and toks[-1].text not in (
        ".", "!", "?", "”", '"'
    ):
        toks = toks[:-1]
    return toks if len(toks) >= 3 else None
