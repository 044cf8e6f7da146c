"""Shorter forms of a sentence that still read well: each one a contiguous span of the sentence.

A news sentence often carries a main clause and a tail that a summary can do without: a trailing
participial clause (", smashing the daily record …", ", marking an escalation …"), a trailing source
(", according to figures released Saturday"), or a dateline before it ("WASHINGTON (AP) — ").
:func:`compressions` gives the shorter forms; the ranking may pick one of them instead of the whole
sentence. Every form is one contiguous span of the article (``text[start:end]``), so the summary keeps
exact evidence; when a tail is cut, the summary shows the kept words with a full stop after them.

Cuts are made only where the kept part stands as a sentence: not inside quotation marks or
parentheses, not after an opening subordinate clause ("After the vote, …"), not leaving a
function word at the end ("… spending and."), and never below :data:`MIN_KEPT_WORDS` words. Attribution
tails with a speaker (", he said.") are not cut: a claim keeps its speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import DANGLING_STARTS, word_count

#: A shortened sentence keeps at least this many words.
MIN_KEPT_WORDS = 8

# first words of an opening subordinate clause or phrase: a cut after it would keep only the opener
_OPENERS = frozenset(
    """after amid as when while although though despite if because since following before during
    in on with without unlike like until once upon given whether""".split()
)
# words a sentence cannot end on
_FUNCTION_WORDS = frozenset(
    """a an the and or but nor of to in on at by for from with as than that which who whose whom
    its their his her our my your this these those is are was were be been has have had""".split()
)
_COMMA = re.compile(r",\s+")
# a non-restrictive clause opened and not closed before the end of the kept part
_OPEN_ASIDE = re.compile(r",\s+(?:which|who|whose|whom|where)\b[^,]*$")
# a tail starts after ", " with a trailing source or a participle ("smashing", "including" ...)
_TAIL = re.compile(r",\s+(?=(?:according\s+to\b|[a-z]{3,}ing\b))")
# a participle that is a noun or preposition more often than a clause opener: the cut reads wrong
_NOT_CLAUSE = frozenset(
    """thing something nothing anything everything morning evening king""".split()
)
# "WASHINGTON (AP) — ", "Washington (CNN) - ", "(Reuters) - ", "(CNN)" before the sentence proper
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z .',-]{1,40}?\s*)?(?P<agency>\([A-Z][A-Za-z. ]{1,25}\))"
    r"\s*(?P<dash>—|--|–|-)?\s*(?=[A-Z\"“])"
)
_DASHED = re.compile(r"^(?P<place>[A-Z][A-Z .',-]{1,40}?)\s*(?:—|--|–|-)\s*(?=[A-Z\"“])")


@dataclass(frozen=True)
class Compression:
    """A shorter form of a sentence: the span kept and the text the summary shows."""

    start: int
    end: int
    text: str


def _balanced(s: str) -> bool:
    return (
        s.count('"') % 2 == 0
        and s.count("“") == s.count("”")
        and s.count("(") == s.count(")")
        and s.count("[") == s.count("]")
    )


def _opens_with_clause(sentence: str) -> bool:
    words = sentence.split()
    return bool(words) and words[0].strip('"“(').lower() in _OPENERS


def dateline_length(sentence: str) -> int:
    """Characters of the dateline that opens a sentence ("WASHINGTON (AP) — "), else 0.

    A dateline is a place in capitals, an agency in parentheses, or both, followed by a dash (the dash
    may be missing after an agency: "(CNN)The House …").
    """
    m = _DATELINE.match(sentence)
    if m:
        return m.end()
    m = _DASHED.match(sentence)
    return m.end() if m and sum(ch.isalpha() for ch in m.group("place")) >= 3 else 0


def tail_cuts(sentence: str) -> list[int]:
    """Offsets in ``sentence`` where a droppable tail begins (at its comma).

    Args:
        sentence: One sentence, ending in a full stop or an exclamation mark.

    Returns:
        Cut offsets, in order; ``sentence[:cut]`` is the kept part (without the comma).
    """
    t = sentence.rstrip()
    if not t.rstrip("\"”’')]").endswith((".", "!")):
        return []
    if _opens_with_clause(t):
        return []
    cuts = []
    for m in _TAIL.finditer(t):
        head = t[: m.start()]
        nxt = t[m.end() :].split(None, 1)[0].lower()
        if nxt in _NOT_CLAUSE or not _balanced(head) or word_count(head) < MIN_KEPT_WORDS:
            continue
        last = head.split()[-1].strip("\"”’')]").lower()
        if last in _FUNCTION_WORDS or head.rstrip().endswith(('"', "”", "’", "'")):
            continue
        if last.endswith("ing") and nxt.endswith("ing"):
            continue  # a list ("kissing, hugging and waving"), not a clause
        if _OPEN_ASIDE.search(head):
            continue  # "The video, which got 14 million views": the main verb comes after the cut
        cuts.append(m.start())
    return cuts


def opener_length(sentence: str) -> int:
    """Characters of an opening phrase a sentence can do without ("Amid new threats, "), else 0.

    Only an opening subordinate clause or prepositional phrase, when the rest starts with a
    capitalised word that is not a pronoun ("After the vote, Senator Lee said …" → "Senator Lee
    said …").
    """
    if not _opens_with_clause(sentence):
        return 0
    for m in _COMMA.finditer(sentence):
        head = sentence[: m.start()]
        if not _balanced(head):
            continue
        rest = sentence[m.end() :].split()
        nxt = rest[0].strip("\"“‘'") if rest else ""
        # "Until then, Lee wrote, there …": the rest must not open with an attribution aside
        aside = any(w.endswith(",") for w in rest[:3])
        if nxt[:1].isupper() and nxt.lower() not in DANGLING_STARTS and nxt != "I" and not aside:
            return m.end()
        return 0
    return 0


def compressions(text: str, start: int, end: int) -> list[Compression]:
    """Shorter forms of the sentence ``text[start:end]``: dateline, opening phrase or tail dropped.

    Args:
        text: The article text.
        start: Where the sentence starts.
        end: Where it ends.

    Returns:
        Every shorter form (the whole sentence is not among them); each ``text[c.start:c.end]`` is the
        kept span and ``c.text`` what a summary shows (the span, with a full stop if a tail was cut).
    """
    sentence = text[start:end]
    skip = dateline_length(sentence)
    starts = [skip]
    opener = opener_length(sentence[skip:])
    if opener:
        starts.append(skip + opener)
    out: list[Compression] = []
    for s0 in starts:
        rest = sentence[s0:]
        if s0 and word_count(rest) >= MIN_KEPT_WORDS:
            out.append(Compression(start + s0, end, rest))
        for cut in tail_cuts(rest):
            out.append(Compression(start + s0, start + s0 + cut, rest[:cut] + "."))
    return out
