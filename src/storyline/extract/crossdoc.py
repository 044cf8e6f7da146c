"""Cross-document coreference of given mentions (names, nominals, pronouns), for benchmarking the
entity canonicalisation outside a story.

The story pass (:mod:`storyline.extract.entities`) links *names*. Coreference data also holds
common nouns ("the suspect") and pronouns, so this module wraps the same name linking
(:func:`storyline.extract.linking.link`) with what a story gives for free:

1. documents of a topic are split into events by TF-IDF similarity (a story is one event);
2. names are linked with the story logic (variants, short forms, titles, acronyms, gazetteer);
3. a pronoun joins the nearest compatible mention before it in its document;
4. a common noun joins the mentions with the same head lemma in its event; if its head lemma
   is a person's role or a place that a name in the same event carries, it joins that name.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .linking import NameItem, link, vote_labels

#: NER labels treated as names.
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW"})
_HUMAN_PRONOUNS = frozenset(
    "he she him her his hers himself herself they them their theirs themselves who whom whose "
    "i me my we us our you your".split()
)
_THING_PRONOUNS = frozenset("it its itself which that this these those".split())
_PLACE_PRONOUNS = frozenset("there here where".split())


@dataclass
class CorefMention:
    """A mention to cluster, with what the parse says about it.

    Attributes:
        doc: Document id.
        topic: Topic id (clustering never crosses topics).
        pos: Position in the document (sentence * 1000 + token), for "nearest before".
        text: The mention's words.
        head_lemma: Lemma of the mention's syntactic head.
        head_pos: Coarse part of speech of the head (``PROPN``, ``NOUN``, ``PRON``...).
        name: The proper name inside the mention (NER span or compound of proper nouns), if any.
        label: NER label of the name, if any.
        kind: A coarse type from the data set or the caller (``HUM``, ``LOC``, ``NON``, ``TIM``).
        words: Lower-cased lemmas of the mention's content words (modifiers included).
        roles: Lemmas of the role nouns the parse attaches to the name ("coach", "host").
        head_i: Index of the head token in its sentence.
        links: Heads (token indices in the same sentence) this mention is in apposition to or
            equated with by a copula ("Dana, the host"; "Dana is the host").
        plural: Whether the head is a plural noun.
        governor: Lemma of the word that governs the mention (the verb it is an argument of).
        role: The mention's relation to its governor (``nsubj``, ``dobj``, ``pobj:in``...).
        vector: The parser's contextual vector of the head token (for similarity only).
        span_vec: Contextual embedding of the mention's words in their sentence (mean of the
            MiniLM word vectors, :mod:`storyline.extract.embed`); empty without embeddings.
        head_vec: Contextual embedding of the head word in its sentence; empty without them.
        text_vec: Embedding of the mention's text on its own; empty without embeddings.
        gov_vec: Contextual embedding of the governing word (the event the mention takes part
            in: "arrested" / "detained"); empty without embeddings or a governor.
        sent_vec: Mean contextual embedding of the mention's sentence; empty without them.
        doc_vec: Embedding of the start of the mention's document; empty without them.
        gov_i: Index of the governing word in the sentence (through a preposition); -1 if none.
    """

    doc: str
    topic: str
    pos: int
    text: str
    head_lemma: str
    head_pos: str
    name: str | None = None
    label: str | None = None
    kind: str = ""
    words: frozenset[str] = field(default_factory=frozenset)
    roles: frozenset[str] = field(default_factory=frozenset)
    head_i: int = -1
    links: frozenset[int] = field(default_factory=frozenset)
    plural: bool = False
    governor: str = ""
    role: str = ""
    vector: tuple[float, ...] = ()
    span_vec: tuple[float, ...] = ()
    head_vec: tuple[float, ...] = ()
    text_vec: tuple[float, ...] = ()
    gov_vec: tuple[float, ...] = ()
    sent_vec: tuple[float, ...] = ()
    doc_vec: tuple[float, ...] = ()
    gov_i: int = -1


def split_events(
    doc_texts: dict[str, str], doc_topic: dict[str, str], threshold: float
) -> dict[str, str]:
    """Split each topic's documents into events by complete-link clustering of TF-IDF vectors.

    The vectorizer (sublinear TF, English stop words, words and word pairs seen in at least two
    documents, in at most half of them) is fitted on all documents; clustering stays inside a
    topic.

    Args:
        doc_texts: Text of each document.
        doc_topic: Topic of each document.
        threshold: Cosine distance above which two groups are not merged (>= 1 never splits).

    Returns:
        An event id for every document (``"<topic>/<n>"``).
    """
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs_all = sorted(doc_texts)
    vec = TfidfVectorizer(
        stop_words="english", sublinear_tf=True, min_df=2, max_df=0.5, ngram_range=(1, 2)
    )
    matrix = vec.fit_transform([doc_texts[d] for d in docs_all])
    row = {d: i for i, d in enumerate(docs_all)}
    by_topic: dict[str, list[str]] = defaultdict(list)
    for d in docs_all:
        by_topic[doc_topic[d]].append(d)
    out: dict[str, str] = {}
    for topic, docs in by_topic.items():
        if len(docs) == 1 or threshold >= 1:
            out.update({d: f"{topic}/0" for d in docs})
            continue
        x = matrix[[row[d] for d in docs]].toarray()
        model = AgglomerativeClustering(
            n_clusters=None, metric="cosine", linkage="complete", distance_threshold=threshold
        )
        for d, lab in zip(docs, model.fit_predict(x), strict=True):
            out[d] = f"{topic}/{lab}"
    return out


def compatible_pronoun(pron: str, m: CorefMention) -> bool:
    """Whether a pronoun (lower-cased) can refer to a mention: person, place or thing."""
    if pron in _HUMAN_PRONOUNS:
        return m.kind == "HUM" or m.label in ("PERSON", "NORP")
    if pron in _PLACE_PRONOUNS:
        return m.kind == "LOC" or m.label in ("GPE", "LOC", "FAC")
    return (m.kind in ("NON", "") or m.label == "ORG") and m.label != "PERSON"


def cluster_mentions(
    mentions: Sequence[CorefMention],
    events: dict[str, str],
    pronoun_window: int = 2,
    pronoun_fallback: bool = True,
    role_margin: float = 2.0,
) -> list[int]:
    """Cluster mentions across documents (see the module docstring).

    Args:
        mentions: The mentions, any order.
        events: Event id of each document (from :func:`split_events`, or the topic).
        pronoun_window: How many sentences back a pronoun looks for its antecedent.
        pronoun_fallback: A pronoun with no antecedent joins the same pronoun in its event.
        role_margin: A common noun joins the named person whose role it is only when that person
            carries the role this many times more often than anyone else in the event.

    Returns:
        A cluster number per mention.
    """
    n = len(mentions)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    by_event: dict[str, list[int]] = defaultdict(list)
    by_topic: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        by_event[events[m.doc]].append(i)
        by_topic[m.topic].append(i)

    # Names denote the same referent across events of a topic (the same president, the same sea).
    for idx in by_topic.values():
        named = [i for i in idx if mentions[i].name and mentions[i].head_pos != "PRON"]
        texts = [mentions[i].name or "" for i in named]
        labels = vote_labels(texts, [_label(mentions[i]) for i in named])
        items = [
            NameItem(t, lab, mentions[i].doc, mentions[i].pos)
            for i, t, lab in zip(named, texts, labels, strict=True)
        ]
        rep: dict[int, int] = {}
        for i, c in zip(named, link(items), strict=True):
            if c in rep:
                union(rep[c], i)
            else:
                rep[c] = i

    for idx in by_event.values():
        # Common nouns: same head lemma within the event ("the man" is not the same man twice
        # in two different events).
        by_lemma: dict[str, int] = {}
        for i in idx:
            m = mentions[i]
            if m.head_pos == "PRON":
                continue
            if m.head_lemma in by_lemma:
                union(by_lemma[m.head_lemma], i)
            else:
                by_lemma[m.head_lemma] = i
        _join_roles(mentions, idx, find, union, role_margin)

    # Apposition and copula inside a sentence: "a woman, Raj X," / "X is the new host".
    by_sentence: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        by_sentence[(m.doc, m.pos // 1000)].append(i)
    for idx in by_sentence.values():
        heads = {mentions[i].head_i: i for i in idx}
        for i in idx:
            for h in mentions[i].links:
                j = heads.get(h)
                if j is None or mentions[j].head_pos == "PRON":
                    continue
                if mentions[i].name and mentions[j].name:
                    continue  # "Dana X, Robin Y": a list the parser read as an apposition
                union(i, j)

    _resolve_pronouns(mentions, events, union, pronoun_window, pronoun_fallback)
    numbering: dict[int, int] = {}
    return [numbering.setdefault(find(i), len(numbering)) for i in range(n)]


def _join_roles(
    mentions: Sequence[CorefMention],
    idx: list[int],
    find: Callable[[int], int],
    union: Callable[[int, int], None],
    margin: float,
) -> None:
    """ "the coach" joins Maurice Cheeks when the event calls him "coach Maurice Cheeks"."""
    carriers: dict[str, Counter[int]] = defaultdict(Counter)
    for i in idx:
        m = mentions[i]
        if m.name:
            for role in m.roles:
                carriers[role][find(i)] += 1
    for i in idx:
        m = mentions[i]
        if m.name or m.head_pos in ("PRON", "PROPN") or m.kind not in ("HUM", ""):
            continue
        counts = carriers.get(m.head_lemma)
        if not counts:
            continue
        ranked = counts.most_common(2)
        if len(ranked) == 1 or ranked[0][1] >= margin * ranked[1][1]:
            union(ranked[0][0], i)


def resolve_pronoun_links(
    mentions: Sequence[CorefMention], events: dict[str, str], labels: Sequence[int]
) -> list[int]:
    """Attach pronouns to their antecedents' clusters, starting from given cluster labels."""
    parent = list(range(len(mentions)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    first: dict[int, int] = {}
    for i, lab in enumerate(labels):
        if lab in first:
            union(first[lab], i)
        else:
            first[lab] = i
    _resolve_pronouns(mentions, events, union, 2, True)
    numbering: dict[int, int] = {}
    return [numbering.setdefault(find(i), len(numbering)) for i in range(len(mentions))]


def _label(m: CorefMention) -> str:
    """The NER label of a name, with the data set's coarse type where NER has none."""
    if m.kind == "HUM" and m.label in (None, "GPE", "LOC", "FAC", "PRODUCT"):
        return "PERSON"
    return m.label or {"HUM": "PERSON", "LOC": "GPE"}.get(m.kind, "ORG")


def _resolve_pronouns(
    mentions: Sequence[CorefMention],
    events: dict[str, str],
    union: Callable[[int, int], None],
    window: int,
    fallback: bool,
) -> None:
    """A pronoun joins the nearest compatible non-pronoun before it in its document."""
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        by_doc[m.doc].append(i)
    orphans: dict[tuple[str, str], int] = {}
    for idx in by_doc.values():
        idx.sort(key=lambda i: mentions[i].pos)
        for k, i in enumerate(idx):
            m = mentions[i]
            if m.head_pos != "PRON":
                continue
            pron = m.head_lemma.lower()
            for j in reversed(idx[:k]):
                o = mentions[j]
                if (m.pos // 1000) - (o.pos // 1000) > window:
                    break
                if o.head_pos != "PRON" and compatible_pronoun(pron, o):
                    union(i, j)
                    break
            else:
                if fallback:
                    key = (events[m.doc], pron)
                    if key in orphans:
                        union(orphans[key], i)
                    else:
                        orphans[key] = i
