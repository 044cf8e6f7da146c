"""Roles of a person read from the parse: title phrases and appositions around a name.

"Harbour Authority spokesman Capt. Rolf Ekdahl" gives "Harbour Authority spokesman" and
"Capt."; "the harbour master, Dana Whitlock," and "Dana Whitlock, the harbour master," both
give "harbour master"; "Peru's Prime Minister Ana Rojas" gives "Peru's Prime Minister". An
apposition after the name ends at its first comma, bracket or relative clause, without a
closing place ("Dana Whitlock, director of the Port Agency (PA) in Brennvik, who ..." gives
"director of the Port Agency"); a role phrase closed by a comma right before the name counts
however the parser hung the name on it ("the ministry's top official for the islands, Dana
Whitlock, said ...").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .names import HONORIFICS, ROLE_NOUNS, TITLE_WORDS, fold

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

_MAX_ROLE_TOKENS = 10
_DROP_EDGE = {"det", "punct", "cc", "mark", "case"}
#: Where an apposition after a name ends: a comma, a bracket, a dash or a semicolon.
_APPOS_END = frozenset({",", "(", ";", "—", "–", "--", ":"})
#: What separates a name from the apposition right after it ("Dana X, the harbour master").
_APPOS_OPEN = frozenset({",", "(", "—", "–", "--"})
#: Nouns for people that are neither title words nor end like one ("official", "aide").
_PERSON_NOUNS = frozenset(
    "official aide leader envoy delegate representative head chief boss expert analyst".split()
)
_PERSON_ENDINGS = ("er", "or", "ist", "ian", "man", "woman", "person", "ess")


def _clean(tokens: list[Token]) -> list[Token]:
    """Trim determiners, punctuation and conjunctions from both ends."""
    while tokens and (tokens[0].dep_ in _DROP_EDGE or tokens[0].pos_ in {"DET", "PUNCT"}):
        tokens = tokens[1:]
    while tokens and (
        tokens[-1].pos_ in {"PUNCT", "DET", "CCONJ", "ADP"} or tokens[-1].text == "'s"
    ):
        tokens = tokens[:-1]
    return tokens


def _text(tokens: list[Token]) -> str:
    if not tokens:
        return ""
    doc = tokens[0].doc
    return doc[tokens[0].i : tokens[-1].i + 1].text


def _is_role(tokens: list[Token]) -> bool:
    """A role has a common noun or a title word, and is not just an honorific or a name."""
    if not tokens or len(tokens) > _MAX_ROLE_TOKENS:
        return False
    if any(t.pos_ in {"VERB", "AUX", "PRON"} and t.dep_ not in {"amod"} for t in tokens):
        return False
    words = [fold(t.text) for t in tokens if t.is_alpha or t.text.endswith(".")]
    if not words or all(w.replace(" ", "") in HONORIFICS for w in words):
        return False
    has_noun = any(t.pos_ == "NOUN" for t in tokens)
    has_title = any(w.replace(" ", "") in TITLE_WORDS for w in words)
    return has_noun or has_title


def _split_rank(tokens: list[Token]) -> list[list[Token]]:
    """Split trailing abbreviated ranks off a title phrase ("harbour spokesman Lt. Cmdr.")."""
    i = len(tokens)
    while i > 0:
        tok = tokens[i - 1]
        nxt = tokens[i] if i < len(tokens) else None
        titled = fold(tok.text).replace(" ", "") in TITLE_WORDS
        abbreviated = tok.text.endswith(".") or (nxt is not None and nxt.text == ".")
        if tok.text == "." or (titled and abbreviated):
            i -= 1
            continue
        break
    if 0 < i < len(tokens):
        return [tokens[:i], tokens[i:]]
    return _split_capitalised_title(tokens)


def _split_capitalised_title(tokens: list[Token]) -> list[list[Token]]:
    """Split a capitalised title run off a lowercase role ("police spokeswoman Chief Inspector").

    The run must follow a lowercase common noun for a person and hold a title word, so
    "deputy Prime Minister" and "Harbour Authority spokesman" stay whole.
    """
    i = len(tokens)
    while i > 0 and tokens[i - 1].text[:1].isupper() and tokens[i - 1].is_alpha:
        i -= 1
    run = tokens[i:]
    if (0 < i < len(tokens) and tokens[i - 1].text.islower() and person_noun(tokens[i - 1])
            and any(fold(t.text) in TITLE_WORDS for t in run)):
        return [tokens[:i], run]
    return [tokens]


def _after_last_break(tokens: list[Token]) -> list[Token]:
    """Keep what follows the last conjunction or comma ("council and Chilean President")."""
    for k in range(len(tokens) - 1, -1, -1):
        if tokens[k].pos_ == "CCONJ" or tokens[k].text in {",", ";", ":", "(", ")", '"', "“", "”"}:
            return tokens[k + 1 :]
    return tokens


def appos_head(root: Token) -> Token:
    """The noun a name is in apposition to, looking past a place the parser hung it on.

    In "the ambassador to Peru, Laura X" the small model often attaches the name to "Peru";
    the role noun is then the head of the preposition ("ambassador").
    """
    head = root.head
    for _ in range(3):
        if fold(head.text) in ROLE_NOUNS or head.pos_ != "PROPN":
            break
        if head.dep_ == "pobj" and head.head.dep_ == "prep":
            head = head.head.head
        else:
            break
    return head


def role_phrases(name: SpacySpan, title_tokens: list[Token] | None = None) -> list[list[Token]]:
    """The token lists of the role phrases attached to a person mention (see :func:`roles_of`)."""
    root = name.root
    phrases: list[list[Token]] = []
    if title_tokens:
        phrases.append(list(title_tokens))
    # Left modifiers of the name's head that sit right before the name: its title phrase.
    left: list[Token] = []
    for child in root.lefts:
        if child.i >= name.start:
            continue
        left.extend(child.subtree)
    left = sorted({t.i: t for t in left if t.i < name.start}.values(), key=lambda t: t.i)
    if title_tokens:
        left = [t for t in left if t.i < title_tokens[0].i]
    edge = title_tokens[0].i if title_tokens else name.start
    if left and left[-1].i == edge - 1:
        phrases.append(_after_last_break(left))
    # "the harbour master, Dana Whitlock": the name is an apposition of the role noun.
    if root.dep_ == "appos" and root.head.i < name.start:
        head = appos_head(root)
        toks = [t for t in head.subtree if t.i < name.start]
        phrases.append(_after_last_break(_clean(toks)))
    elif (before := _role_before_comma(name)) is not None:
        phrases.append(before)
    # "Dana Whitlock, the harbour master,": an apposition after the name.
    for child in root.rights:
        if (child.dep_ == "appos" and child.i >= name.end and child.ent_type_ != "PERSON"
                and child.pos_ in ("NOUN", "PROPN")  # not "one of the …", not an age
                and _next_to(name, child)):
            phrases.append(_apposition_tokens(child))
    out: list[list[Token]] = []
    for phrase in phrases:
        for part in _split_rank(_clean(phrase)):
            part = _clean(part)
            if _is_role(part) and _text(part) != name.text:
                out.append(part)
    return out


def _next_to(name: SpacySpan, appos: Token) -> bool:
    """Whether an apposition follows the name, separated only by punctuation, brackets, the
    name's own prepositional phrase and the appositions before it ("Dana X (D-Vell), the chair
    of …", "Dana X of Vell, the chair of …"), not by other words of the sentence ("X and other
    rioters forcing their way to the doors — the hallway …")."""
    doc = name.doc
    start = appos.left_edge.i
    gap = [t for t in doc[name.end : start] if not t.is_space]
    if not gap or gap[-1].text not in _APPOS_OPEN or len(gap) > 12:
        return False
    own = {t.i for c in name.root.rights if c.i < appos.i and c.dep_ in ("appos", "prep")
           for t in c.subtree}
    depth = 0
    for t in gap:
        depth += (t.text == "(") - (t.text == ")")
        if not (t.is_punct or depth > 0 or t.i in own):
            return False
    return True


def _apposition_tokens(head: Token) -> list[Token]:
    """An apposition's words up to its first comma, bracket or relative clause, without a place
    closing it ("director of the Port Agency (PA) in Brennvik, who ..." → "director of the
    Port Agency"); a comma inside a list of the role's own words does not end it ("director of
    race, ethnicity and outreach")."""
    doc = head.doc
    clause = {t.i for c in head.subtree if c.dep_ in ("relcl", "acl") and c.i > head.i
              for t in c.subtree}
    inside = {t.i for t in head.subtree}
    toks: list[Token] = []
    for t in head.subtree:
        if t.i > head.i and t.i in clause:
            break
        if t.i > head.i and t.text in _APPOS_END:
            nxt = doc[t.i + 1] if t.i + 1 < len(doc) else None
            listed = (nxt is not None and nxt.i in inside and nxt.i not in clause
                      and nxt.dep_ in ("conj", "cc") and nxt.head.i in inside)
            if t.text != "," or not listed:
                break
        toks.append(t)
    # A closing "in" + place is where the person works, not part of the role ("at" + a name is
    # often the employer: "chief of operations at Vell Fire Rescue").
    for t in toks:
        obj = next((c for c in t.children if c.dep_ == "pobj"), None)
        if (t.i > head.i + 1 and t.dep_ == "prep" and t.lower_ == "in" and obj is not None
                and obj.i == toks[-1].i and obj.ent_type_ in ("GPE", "LOC")):
            return [u for u in toks if u.i < t.i]
    return toks


def person_noun(tok: Token) -> bool:
    """Whether a token is a common noun for a person ("director", "official", "spokeswoman")."""
    word = fold(tok.text)
    return tok.pos_ == "NOUN" and (word in ROLE_NOUNS or word in _PERSON_NOUNS
                                   or tok.lemma_.lower() in _PERSON_NOUNS
                                   or word.endswith(_PERSON_ENDINGS))


def _role_before_comma(name: SpacySpan) -> list[Token] | None:
    """A role phrase ending with a comma right before the name, when the parser did not make
    the name its apposition ("the ministry's top official for the islands, Dana Whitlock, said").

    The phrase's head is a person noun (the place inside it is looked past, as in
    :func:`appos_head`), and punctuation closes the apposition after the name (not "and": "the
    director, Dana Whitlock and Ivo Sarn" is a list; nor a verb: "the negotiator, Dana Whitlock
    said, ...").
    """
    doc = name.doc
    s = name.start
    if s < 2 or doc[s - 1].text != ",":
        return None
    if name.end < len(doc) and doc[name.end].text not in (",", ".", ";", ":", ")"):
        return None
    head = doc[s - 2]
    for _ in range(3):
        if head.dep_ == "pobj" and head.head.dep_ == "prep" and head.head.head.i < head.i:
            head = head.head.head
        else:
            break
    if not person_noun(head) or head.ent_type_:
        return None
    return _after_last_break([t for t in head.subtree if t.i < s - 1])


def roles_of(name: SpacySpan, title_tokens: list[Token] | None = None) -> list[str]:
    """The role phrases attached to a person mention.

    Args:
        name: The person's name as a spaCy span (title words already peeled off).
        title_tokens: Title tokens peeled off the NER span, if any.

    Returns:
        Role strings in text order, without determiners, each a substring of the article text.
    """
    out: list[str] = []
    for part in role_phrases(name, title_tokens):
        text = _text(part)
        if text and text not in out:
            out.append(text)
    return out
