"""Sentence splitting, words for comparison, and the "reads well out of context" test.

The splitter is a regular expression with an abbreviation guard; the benchmark uses it for every
method (Storyline and the baselines), and the story path uses the sentences of the spaCy parse
instead. Words are lower-cased, stop words dropped and suffixes lightly stripped, so "ferries" and
"ferry" count as one word.
"""

from __future__ import annotations

import re

#: English function words, left out when comparing sentences.
STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can can't cannot could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just let me more most my myself no nor not now of off on once only or other
    our ours ourselves out over own said same says she should so some such than that the their theirs
    them themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    would could may might must shall s t told say tell according new one two""".split()
)
_ABBREV = (
    r"(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Cmdr|Adm|Maj|St|Jr|Sr|Inc|Ltd|Co|Corp|"
    r"vs|etc|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|No|Mt|Ft|[A-Z])"
)
_BOUNDARY = re.compile(r"(?<=[.!?])[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9])")
_ABBREV_END = re.compile(rf"(?:\b{_ABBREV}|\b(?:[A-Z]\.){{1,3}}[A-Z]?)\.$")
# letters and digits only, as ROUGE tokenizes: "Jong-un" is two words, "McConnell's" one
_WORD = re.compile(r"[A-Za-z0-9]+")
#: First words after which a sentence leans on the one before it.
DANGLING_STARTS = frozenset(
    """but and or so yet still however also meanwhile moreover instead then thus hence therefore
    furthermore besides nonetheless nevertheless otherwise similarly likewise this that these those
    it its he she they him her his their them we i you there here such""".split()
)


_SAYS = (
    r"(?:said|says|added|adds|told|tells|wrote|writes|explained|continued|noted|argued|insisted|"
    r"stated|declared|recalled|warned|replied|responded|claimed|acknowledged|admitted)"
)
# an attribution whose speaker the sentence alone does not name: '"…," he said.', '…, she added',
# '"…," said the minister.' (which minister?)
_UNNAMED_SPEAKER = re.compile(
    rf"(?:[,!?][\"”’']|,)\s+(?:(?:he|she|they|we|i)\s+(?:\w+ly\s+)?{_SAYS}\b"
    rf"|{_SAYS}\s+(?:he|she|they|we|the\s+[a-z]+(?:\s+[a-z]+){{0,2}})\s*[,.!])"
    rf"|[,!?][\"”’']\s+the\s+[a-z]+(?:\s+[a-z]+){{0,2}}\s+{_SAYS}\b",
    re.I,
)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text`` (trimmed; never empty).

    Args:
        text: Plain text; line breaks also end sentences.

    Returns:
        ``(start, end)`` pairs in text order.
    """
    spans: list[tuple[int, int]] = []
    for block in re.finditer(r"[^\n]+", text):
        start = block.start()
        cuts = []
        for m in _BOUNDARY.finditer(block.group()):
            before = block.group()[: m.start()].rstrip("\"”’')]")
            if _ABBREV_END.search(before):
                continue
            cuts.append(block.start() + m.end())
        bounds = [start, *cuts, block.end()]
        for s, e in zip(bounds, bounds[1:], strict=False):
            seg = text[s:e]
            ls = len(seg) - len(seg.lstrip())
            rs = len(seg.rstrip())
            if rs > ls:
                spans.append((s + ls, s + rs))
    return spans


def stem(word: str) -> str:
    """A light suffix stripper: "boats"→"boat", "talks"→"talk", "agreed"→"agre"."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    for suf, rep, min_len in (("ies", "y", 5), ("sses", "ss", 5), ("ing", "", 6), ("ed", "", 5)):
        if w.endswith(suf) and len(w) >= min_len:
            return w[: -len(suf)] + rep
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        return w[:-1]
    return w


def content_words(text: str) -> list[str]:
    """The stemmed content words of a text (stop words and one-letter words dropped)."""
    out = []
    for m in _WORD.finditer(text):
        w = m.group().lower()
        if len(w) > 1 and w not in STOP_WORDS:
            out.append(stem(w))
    return out


def word_count(text: str) -> int:
    """Words as the budget counts them (whitespace-separated)."""
    return len(text.split())


def reads_alone(text: str, min_words: int = 6, max_words: int = 60) -> bool:
    """Whether a sentence reads well out of context.

    Rejects sentences that lean on the one before ("But …", "He said …", "This …"), attributions to
    a speaker they do not name ('"…," he said.'), questions, fragments (no end punctuation,
    lower-case start), unbalanced quotes, and very short or very long sentences.
    """
    t = text.strip()
    words = t.split()
    if not (min_words <= len(words) <= max_words):
        return False
    quoted = t[0] in "\"“‘'"
    first = words[0].rstrip(",;:").lower()
    # a pronoun inside an opening quote is the speaker's, not a reference to the sentence before
    if not quoted and first in DANGLING_STARTS:
        return False
    if not t[0].isupper() and t[0] not in "\"“‘'(0123456789":
        return False
    if t.endswith("?") or t.rstrip("\"”’')").endswith(("?", ":")):
        return False
    if not t.rstrip("\"”’')]").endswith((".", "!")):
        return False
    straight = t.count('"') % 2 == 1
    curly = t.count("“") != t.count("”")
    return not (straight or curly or has_unnamed_speaker(t))


def has_unnamed_speaker(text: str) -> bool:
    """Whether a sentence attributes words to a speaker it does not name.

    '"We are safe," he said.' and '"…," said the minister.' lean on an earlier sentence for who
    speaks; '"We are safe," Mayor Ann Lee said.' does not.
    """
    m = _UNNAMED_SPEAKER.search(text)
    if not m:
        return False
    # "said the" + a capitalised name ("said the Rev. Al Sharp") names the speaker; re.I hides case
    return not any(w[:1].isupper() for w in m.group().split()[2:] if w.lower() != "the")
