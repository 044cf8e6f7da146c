"""Names in roles across sources: who holds the role, according to each source?

A person named with a title — before the name ("Prime Minister Jane Roe", "the company's chief
executive, Jane Roe") or after it ("Jane Roe, the foreign minister") — gives a reading for that
role. The role's key is the set of its title words (:data:`TITLE_WORDS`, so "minister of foreign
affairs" and "foreign minister" are one role) plus who it belongs to when the text says so (a
possessive or "of" + place/organisation: "Freedonia's prime minister").

Two readings of one role agree when they name the same person: the same entity of the story when the
entity component has run, otherwise names that match loosely (spelling variants, short forms). A
conflict — two different people for one role — is raised only when both readings say whose role it
is and say the same; roles with a time qualifier ("former", "outgoing", "then") are left out,
because two people can hold one role at different times.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..extract.entities import is_demonym
from ..extract.gazetteer import country_keys
from ..models import Article, Entity, Fact
from .sources import canonical_place, norm_ent
from .status import Reading, decide_status

if TYPE_CHECKING:
    from ..brief import StoryContext

#: Words that make a role (the head of a title and the words that tell titles apart).
TITLE_WORDS = {
    "president", "minister", "secretary", "spokesman", "spokeswoman", "spokesperson", "ambassador",
    "chancellor", "governor", "mayor", "director", "chief", "ceo", "chairman", "chairwoman",
    "chair", "commander", "general", "king", "queen", "premier", "senator", "judge", "prosecutor",
    "attorney", "head", "leader", "envoy", "coach", "captain", "manager", "executive", "officer",
    "prime", "deputy", "vice", "foreign", "defence", "defense", "interior", "finance", "justice",
    "health", "state", "press", "home", "treasury", "education", "energy", "trade", "economy",
    "police", "army", "fire", "assistant", "principal", "founder", "owner", "master",
    "inspector", "commissioner", "superintendent",
}  # fmt: skip
#: The head words: a title must contain one of these.
HEAD_WORDS = TITLE_WORDS - {
    "prime", "deputy", "vice", "foreign", "defence", "defense", "interior", "finance", "justice",
    "health", "state", "press", "home", "treasury", "education", "energy", "trade", "economy",
    "police", "army", "fire", "assistant", "principal",
}  # fmt: skip
#: Words that put a role in the past or the future: such readings are not compared.
TIME_WORDS = {"former", "ex", "late", "then", "previous", "outgoing", "incoming", "ousted",
              "deposed", "exiled", "elected", "designate", "acting", "interim", "future", "new"}  # fmt: skip
#: Names that match at least this well (rapidfuzz token_sort_ratio) are one person.
SAME_PERSON_RATIO = 80.0

_STOP = {"the", "a", "an", "its", "his", "her", "their", "of", "and", "for", "to"}


@lru_cache(maxsize=1)
def _country_heads() -> frozenset[str]:
    """The first four letters of every country name in the gazetteer ("thai", "gree")."""
    return frozenset(key[:4] for key in country_keys() if len(key) >= 4)


def _owner_word(t: Any) -> bool:
    """Whether a token names whose role it is: a place, an organisation or a nationality.

    The small model also tags capitalised title words as nationalities ("Harbour" in
    "Harbour Master"): a "nationality" counts only as an adjective ("French"), a demonym of a
    gazetteer country ("Malian") or a word that starts like a country's name ("Thai").
    """
    if t.ent_type_ in {"GPE", "ORG"}:
        return True
    if t.ent_type_ != "NORP":
        return False
    return t.pos_ == "ADJ" or is_demonym(t.text) or t.lower_[:4] in _country_heads()


def _title_before(doc: Any, ent: Any) -> tuple[list[Any], list[Any]]:
    """Title tokens (and owner tokens) right before a name: "Freedonia's Prime Minister <name>"."""
    i = ent.start - 1
    if i >= 0 and doc[i].text == ",":
        i -= 1  # "the foreign minister, <name>"
    toks: list[Any] = []
    while i >= 0 and len(toks) < 8:
        t = doc[i]
        if t.is_punct and t.text not in {"-", "’s", "'s"}:
            break
        if t.pos_ in {"VERB", "AUX", "PRON", "CCONJ", "SCONJ"} or t.ent_type_ == "PERSON":
            break
        toks.insert(0, t)
        i -= 1
    words = [t for t in toks if t.lower_ in TITLE_WORDS]
    owners = [t for t in toks if _owner_word(t) and t.lower_ not in TITLE_WORDS]
    return (toks if words else []), owners


def _title_after(doc: Any, ent: Any) -> tuple[list[Any], list[Any]]:
    """Title tokens after a name: "<name>, the foreign minister of Freedonia,"."""
    i = ent.end
    if i >= len(doc) or doc[i].text != ",":
        return [], []
    toks: list[Any] = []
    i += 1
    while i < len(doc) and len(toks) < 10:
        t = doc[i]
        if t.is_punct and t.text not in {"-", "’s", "'s"} or t.pos_ in {"VERB", "AUX", "PRON"}:
            break
        toks.append(t)
        i += 1
    words = [t for t in toks if t.lower_ in TITLE_WORDS]
    owners = [t for t in toks if _owner_word(t) and t.lower_ not in TITLE_WORDS]
    if not words or (
        toks
        and toks[0].lower_ not in {"the", "a", "an"} | TITLE_WORDS
        and not _owner_word(toks[0])
    ):
        return [], []
    return toks, owners


def _role(toks: list[Any]) -> tuple[frozenset[str], str] | None:
    """The role's key (title words, and capitalised words of a formal title) and its text."""
    words = [t.lower_ for t in toks]
    if any(w.strip("-") in TIME_WORDS or w.split("-")[0] in TIME_WORDS for w in words):
        return None
    # "Maritime Affairs Minister": capitalised words belong to the title unless they name
    # whose role it is (a place or organisation); lower-case adjectives ("council-appointed") do not
    in_title = [
        t
        for t in toks
        if t.lower_ in TITLE_WORDS
        or (t.text[:1].isupper() and not _owner_word(t) and t.is_alpha)
    ]
    in_title = [t for t in in_title if t.lower_ not in _STOP]
    key = frozenset(t.lower_ for t in in_title)
    if not key & HEAD_WORDS:
        return None
    # the readable title: from the first title word to the last one, as written
    first = min(toks.index(t) for t in in_title)
    last = max(toks.index(t) for t in toks if t.lower_ in TITLE_WORDS)
    text = " ".join(t.text for t in toks[first : last + 1]).lower()
    return key, text


def _owner(owners: list[Any]) -> str:
    if not owners:
        return ""
    text = " ".join(t.text for t in owners)
    text = re.sub(r"\s*['’]s$", "", text)
    return canonical_place(text) if text else ""


def _same_person(a: str, b: str, entity_of: dict[str, str]) -> bool:
    from rapidfuzz import fuzz

    ea, eb = entity_of.get(norm_ent(a)), entity_of.get(norm_ent(b))
    if ea and eb:
        return ea == eb
    na, nb = norm_ent(a), norm_ent(b)
    ta, tb = set(na.split()), set(nb.split())
    if ta <= tb or tb <= ta:
        return True
    return fuzz.token_sort_ratio(na, nb) >= SAME_PERSON_RATIO


def _entity_index(entities: list[Entity]) -> dict[str, str]:
    out: dict[str, str] = {}
    for e in entities:
        if e.type == "PERSON":
            for v in [e.name, *e.variants]:
                out[norm_ent(v)] = e.id
    return out


def _readings(a: Article, doc: Any, source: str) -> list[tuple[frozenset[str], str, str, Reading]]:
    out = []
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        for toks, owners in (_title_before(doc, ent), _title_after(doc, ent)):
            role = _role(toks) if toks else None
            if role is None:
                continue
            key, title = role
            name = ent.text
            r = Reading(
                article=a,
                source=source,
                start=ent.start_char,
                end=ent.end_char,
                value=name,
                meaning=name,
                key=norm_ent(name),
            )
            out.append((key, _owner(owners), title, r))
            break
    return out


def role_facts(ctx: StoryContext, source_of: dict[str, str]) -> list[Fact]:
    """Align who holds each role across the story's articles.

    Args:
        ctx: The story context (``ctx.story.entities`` is used when filled).
        source_of: Article id → its independent report.

    Returns:
        One fact (kind ``name``) per role that at least two articles fill.
    """
    entity_of = _entity_index(ctx.story.entities)
    found = []
    for a in ctx.articles:
        found.extend(_readings(a, ctx.docs.get(a), source_of.get(a.id, a.id)))
    # rows: (role key, owner); readings without an owner join a row of the same person
    rows: dict[tuple[frozenset[str], str], list[tuple[str, Reading]]] = defaultdict(list)
    for key, owner, title, r in sorted(found, key=lambda x: x[1] == ""):
        if not owner:
            match = next(
                (
                    k
                    for k, rs in rows.items()
                    if k[0] == key
                    and any(_same_person(str(r.value), str(o.value), entity_of) for _, o in rs)
                ),
                None,
            )
            if match is None:
                match = next(
                    (
                        k
                        for k, rs in rows.items()
                        if k[0] == key
                        and k[1].startswith("~")
                        and _same_person(str(r.value), str(rs[0][1].value), entity_of)
                    ),
                    (key, f"~{norm_ent(str(r.value))}"),
                )
            rows[match].append((title, r))
        else:
            rows[(key, owner)].append((title, r))
    facts = []
    for (_key, owner), items in rows.items():
        readings = [r for _, r in items]
        if len({r.article.id for r in readings}) < 2:
            continue
        title = max(
            {t for t, _ in items}, key=lambda t: (sum(1 for u, _ in items if u == t), -len(t))
        )
        status, why = decide_status(
            readings,
            lambda x, y: _same_person(str(x.value), str(y.value), entity_of),
            agree=lambda rs: all(
                _same_person(str(rs[0].value), str(o.value), entity_of) for o in rs
            ),
        )
        if status == "agreed":
            names = sorted({str(r.value) for r in readings})
            why = (
                f"{len({r.source for r in readings})} independent reports name the same person"
                + (f" (spelled {' / '.join(names)})." if len(names) > 1 else f", {names[0]}.")
            )
        label = (
            title
            if owner.startswith("~") or not owner
            else f"{title} ({owner.upper() if len(owner) == 2 else owner})"
        )
        facts.append(
            Fact(
                id="",
                label=label,
                kind="name",
                status=status,
                values=[r.to_value() for r in readings],
                explanation=why,
            )
        )
    return facts
