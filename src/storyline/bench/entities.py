"""``storyline bench entities``: cross-document coreference of gold entity mentions.

Reads ECB+ (Cybulska setup: ``cybulska_setup/ECB_<Split>_Entity_gold_mentions.json`` and
``ECB_<Split>_corpus.txt``) or NewsWCL50 (``cdcr_parsed/NewsWCL50.conll`` with
``train_val_test_split.json``), clusters the gold mentions of each topic across its documents
with Storyline's canonicalisation (:mod:`storyline.extract.crossdoc`) and with a same-head-lemma
baseline, and prints MUC, B³, CEAF-e and CoNLL F1 for both.

With ``--events`` (ECB+ only) it also clusters the gold *event* mentions (their boundaries, not
their chains) with :class:`storyline.extract.eventcoref.EventCoref` beside a same-lemma baseline.

The data sets are read by :mod:`storyline.bench.coref_data`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..extract.coref_model import PairwiseCoref
from ..extract.crossdoc import NAME_LABELS, CorefMention, cluster_mentions, split_events
from ..extract.embed import Embedder
from ..extract.embed import available as embed_available
from ..extract.eventcoref import EventCoref, EventMention, event_mention
from ..extract.eventcoref import lemma_baseline as event_lemma_baseline
from ..extract.names import ROLE_NOUNS, fold
from ..extract.roles import appos_head, role_phrases
from .coref_data import CorefData, GoldMention, detect, load_ecbplus, load_newswcl50
from .coref_metrics import PRF, conll_scores

__all__ = ["LAYER", "CorefData", "GoldMention", "detect", "load_ecbplus", "load_newswcl50", "run"]

#: (event split distance, pairwise merge threshold). ECB+: picked by two-fold cross-validation
#: over the train topics (each fold fitted on the other fold + dev); NewsWCL50: picked on its dev
#: topic (see docs/benchmarks/entities.md). NewsWCL50 topics are one event each: no split.
THRESHOLDS = {"ecbplus": (0.95, 0.7), "newswcl50": (2.0, 0.6)}
#: Average-link threshold of the ECB+ event coreference layer (picked on dev, fitted on train).
EVENT_THRESHOLD = 0.4
#: Pairwise layer settings per data set: MiniLM embedding features, bagged classifiers, leaf size,
#: the learned pronoun ranker, head-lemma pair statistics, the predicate clustering threshold of
#: the shared-predicate features (None: off). ECB+: picked by the mean CoNLL F1 over the two
#: cross-validation folds and dev; NewsWCL50 keeps the first configuration (embeddings, ranker,
#: lemma statistics and predicates were not tried on its dev topic).
LAYER: dict[str, dict[str, Any]] = {
    "ecbplus": {
        "embed": True, "bags": 5, "min_samples_leaf": 100, "pronoun_ranker": True,
        "lexical": True, "predicates": 0.7,
    },
    "newswcl50": {
        "embed": False, "bags": 1, "min_samples_leaf": 20, "pronoun_ranker": False,
        "lexical": False, "predicates": None,
    },
}  # fmt: skip


def parse_mentions(
    data: CorefData, model: str | None = None, embedder: Embedder | None = None
) -> list[CorefMention]:
    """Parse every sentence (pre-tokenised) and describe each gold mention for clustering.

    Args:
        data: The sentences and gold mentions.
        model: spaCy model name (default: the configured one).
        embedder: When given, each mention also gets MiniLM embeddings (its words and head in
            context, its text alone) for the pairwise layer.

    Returns:
        One :class:`CorefMention` per gold mention, in order.
    """
    return parse_corpus(data, model, embedder)[0]


def parse_corpus(
    data: CorefData, model: str | None = None, embedder: Embedder | None = None
) -> tuple[list[CorefMention], list[EventMention]]:
    """:func:`parse_mentions`, plus one :class:`EventMention` per gold event mention.

    The sentences of the entity and event mentions are parsed and embedded in one pass.
    """
    from spacy.tokens import Doc

    from ..extract.nlp import load_nlp

    nlp = load_nlp(model)
    keys = sorted({(m.doc, m.sent) for m in data.mentions + data.events})
    raw = [Doc(nlp.vocab, words=[w or "_" for w in data.sentences[k]]) for k in keys]
    parsed = dict(zip(keys, nlp.pipe(raw, batch_size=64), strict=True))
    word_vecs: dict[tuple[str, int], Any] = {}
    text_vecs: dict[str, Any] = {}
    doc_vecs: dict[str, Any] = {}
    if embedder is not None:
        word_vecs = dict(zip(keys, embedder.words([data.sentences[k] for k in keys]), strict=True))
        texts = sorted({_mention_text(data, m) for m in data.mentions})
        text_vecs = dict(zip(texts, embedder.texts(texts), strict=True))
        docs = sorted({m.doc for m in data.mentions + data.events})
        doc_vecs = dict(zip(docs, embedder.texts([_doc_text(data, d) for d in docs]), strict=True))
    out = []
    for m in data.mentions:
        doc = parsed[(m.doc, m.sent)]
        lo, hi = min(m.tokens), max(m.tokens) + 1
        span = doc[lo:hi]
        head = span.root
        if head.pos_ == "ADP":  # "in the Gulf of Aden": the place, not the preposition
            objects = [c for c in head.children if c.dep_ == "pobj" and lo <= c.i < hi]
            head = objects[0] if objects else head
        elif not any(t.pos_ == "ADP" for t in span) and span[-1].pos_ in ("NOUN", "PROPN"):
            head = span[-1]  # an English noun phrase ends with its head ("surgeon general")
        if head.pos_ == "PRON" and len(span) > 1:  # "Doctor Who": a title, not a pronoun
            nouns = [t for t in span if t.pos_ in ("NOUN", "PROPN")]
            head = nouns[-1] if nouns else head
        gov, rel = _governor(head)
        gov_i = _governor_index(head)
        name_span, label = _name_in(span, head)
        if name_span is not None and fold(name_span.text).replace(" ", "") in ROLE_NOUNS:
            name_span, label = None, None  # "President", "Coach": a title, not a name
        name = name_span.text if name_span is not None else None
        words = frozenset(t.lemma_.lower() for t in span if t.is_alpha and not t.is_stop)
        roles: frozenset[str] = frozenset()
        if name_span is not None and label in (None, "PERSON") and m.kind in ("HUM", ""):
            # The head noun of each role phrase ("Philadelphia 76ers coach" -> "coach").
            heads = [
                [t for t in phrase if t.pos_ == "NOUN" or fold(t.text) in ROLE_NOUNS]
                for phrase in role_phrases(name_span)
            ]
            roles = frozenset(h[-1].lemma_.lower() for h in heads if h)
        out.append(
            CorefMention(
                doc=m.doc, topic=m.topic, pos=m.sent * 1000 + lo, text=span.text,
                head_lemma=head.lemma_.lower(), head_pos=head.pos_, name=name, label=label,
                kind=m.kind, words=words, roles=roles, head_i=head.i, links=_links(head),
                plural=head.tag_ in ("NNS", "NNPS"), governor=gov, role=rel,
                vector=tuple(float(x) for x in doc.tensor[head.i]) if doc.tensor.size else (),
                gov_i=-1 if gov_i is None else gov_i,
                **_embeddings(word_vecs, text_vecs, doc_vecs, data, m, head.i, gov_i),
            )
        )  # fmt: skip
    events = [
        event_mention(
            parsed[(e.doc, e.sent)], e.tokens, (e.topic, e.doc, e.sent),
            word_vecs.get((e.doc, e.sent)), doc_vecs.get(e.doc),
        )
        for e in data.events
    ]  # fmt: skip
    return out, events


def _mention_text(data: CorefData, m: GoldMention) -> str:
    words = data.sentences[(m.doc, m.sent)]
    return " ".join(words[min(m.tokens) : max(m.tokens) + 1])


def _doc_text(data: CorefData, doc: str) -> str:
    """A document's full text where the data set has it, else its annotated sentences."""
    if doc in data.texts:
        return data.texts[doc]
    keys = sorted(k for k in data.sentences if k[0] == doc)
    return " ".join(" ".join(data.sentences[k]) for k in keys)


def _embeddings(
    word_vecs: dict[tuple[str, int], Any],
    text_vecs: dict[str, Any],
    doc_vecs: dict[str, Any],
    data: CorefData,
    m: GoldMention,
    head_i: int,
    gov_i: int | None,
) -> dict[str, tuple[float, ...]]:
    """The embedding fields of a mention (none when no embedder ran)."""
    if not word_vecs:
        return {}
    vecs = word_vecs[(m.doc, m.sent)]
    lo, hi = min(m.tokens), max(m.tokens) + 1

    def tup(v: Any) -> tuple[float, ...]:
        return tuple(float(x) for x in v)

    return {
        "span_vec": tup(vecs[lo:hi].mean(axis=0)),
        "head_vec": tup(vecs[head_i]),
        "text_vec": tup(text_vecs[_mention_text(data, m)]),
        "gov_vec": tup(vecs[gov_i]) if gov_i is not None else (),
        "sent_vec": tup(vecs.mean(axis=0)),
        "doc_vec": tup(doc_vecs[m.doc]),
    }


def _governor_index(head: Any) -> int | None:
    """Index of the word a mention is an argument of (through a preposition), if any."""
    gov = head.head
    if head.dep_ == "pobj" and gov.dep_ == "prep":
        gov = gov.head
    return None if gov.i == head.i else int(gov.i)


def _governor(head: Any) -> tuple[str, str]:
    """The word a mention is an argument of, and how ("hijack", "nsubj"; "arrest", "pobj:in")."""
    rel = head.dep_
    gov = head.head
    if rel == "pobj" and gov.dep_ == "prep":
        rel = f"pobj:{gov.lower_}"
        gov = gov.head
    if gov.i == head.i:
        return "", rel
    return gov.lemma_.lower(), rel


def _links(head: Any) -> frozenset[int]:
    """Heads this mention is in apposition to or equated with ("X, the host"; "X is the host")."""
    out = {c.i for c in head.children if c.dep_ == "appos"}
    if head.dep_ == "appos":
        out.add(appos_head(head).i)
    if head.dep_ == "attr" and head.head.lemma_ == "be":
        out.update(c.i for c in head.head.children if c.dep_ == "nsubj")
    return frozenset(out)


def _name_in(span: Any, head: Any) -> tuple[Any | None, str | None]:
    """The proper name carried by a mention: the NER entity at its head, or its proper nouns."""
    for ent in span.doc.ents:
        if ent.start <= head.i < ent.end and ent.label_ in NAME_LABELS:
            lo, hi = max(ent.start, span.start), min(ent.end, span.end)
            return span.doc[lo:hi], ent.label_
    if head.pos_ == "PROPN":
        toks = [t for t in span if t.pos_ == "PROPN" and (t.i == head.i or t.head.i == head.i)]
        if toks:
            return span.doc[toks[0].i : toks[-1].i + 1], None
    return None, None


def lemma_baseline(mentions: list[CorefMention]) -> list[int]:
    """Same-head-lemma baseline: mentions of a topic with the same head lemma are one cluster."""
    numbering: dict[tuple[str, str], int] = {}
    return [numbering.setdefault((m.topic, m.head_lemma), len(numbering)) for m in mentions]


def doc_events(data: CorefData, threshold: float) -> dict[str, str]:
    """Event id per document: each topic's documents split by TF-IDF similarity."""
    texts: dict[str, str] = {}
    for (doc, _sent), words in sorted(data.sentences.items()):
        texts[doc] = texts.get(doc, "") + " " + " ".join(words)
    texts.update(data.texts)  # full articles where the data set has them
    # every document with a gold mention, event mentions included (a document may have only those)
    doc_topic = {m.doc: m.topic for m in [*data.mentions, *data.events]}
    return split_events({d: texts.get(d, "") for d in doc_topic}, doc_topic, threshold)


def run(
    path: Path, split: str, model: str | None = None, embed: bool = True, events: bool = False
) -> dict[str, Any]:
    """Score Storyline and the lemma baseline on one split of a data set; returns the figures.

    The pairwise layer is fitted on ``train`` (and on ``dev`` too when scoring ``test``); its
    thresholds were picked on ``dev`` with a model fitted on ``train``.

    Args:
        path: The data set folder.
        split: ``train``, ``dev`` or ``test``.
        model: spaCy model name (default: the configured one).
        embed: Use MiniLM embeddings in the pairwise layer when the data set's configuration
            (:data:`LAYER`) does and they are installed; ``False`` turns them off.
        events: Also score event coreference of the gold event mentions (ECB+ only), under
            ``"events"``.
    """
    name = detect(path)
    events = events and name == "ecbplus"
    loader: Callable[[Path, str], CorefData] = (
        (lambda p, s: load_ecbplus(p, s, events)) if name == "ecbplus" else load_newswcl50
    )
    t0 = time.perf_counter()
    event_thr, pair_thr = THRESHOLDS[name]
    layer = LAYER[name]
    embedder = Embedder() if embed and layer["embed"] and embed_available() else None
    fit_mentions: list[CorefMention] = []
    chains: list[str] = []
    events_fit: dict[str, str] = {}
    fit_events: list[EventMention] = []
    event_chains: list[str] = []
    for part in ("train", "dev") if split == "test" else ("train",):
        train = loader(path, part)
        parsed, parsed_events = parse_corpus(train, model, embedder)
        fit_mentions += parsed
        fit_events += parsed_events
        chains += [f"{part}:{m.chain}" for m in train.mentions]
        event_chains += [f"{part}:{e.chain}" for e in train.events]
        events_fit.update(doc_events(train, event_thr))
    learner = PairwiseCoref(
        threshold=pair_thr,
        bags=layer["bags"],
        min_samples_leaf=layer["min_samples_leaf"],
        pronoun_ranker=layer["pronoun_ranker"],
        lexical=layer["lexical"],
        predicates=layer["predicates"],
    ).fit(fit_mentions, chains, events_fit)
    data = loader(path, split)
    mentions, event_mentions = parse_corpus(data, model, embedder)
    key = [m.chain for m in data.mentions]
    splits = doc_events(data, event_thr)
    out: dict[str, Any] = {}
    if events:
        t1 = time.perf_counter()
        event_model = EventCoref(threshold=EVENT_THRESHOLD)
        event_model.fit(fit_events, event_chains, fit_mentions, events_fit)
        event_key = [e.chain for e in data.events]
        out["events"] = {
            "mentions": len(event_mentions),
            "storyline": conll_scores(
                event_key, event_model.predict(event_mentions, mentions, splits)
            ),
            "lemma": conll_scores(event_key, event_lemma_baseline(event_mentions)),
            "seconds": time.perf_counter() - t1,
        }
    return out | {
        "data": name,
        "split": split,
        "mentions": len(mentions),
        "documents": len({m.doc for m in data.mentions}),
        "topics": len({m.topic for m in data.mentions}),
        "storyline": conll_scores(key, learner.predict(mentions, splits)),
        "rules": conll_scores(key, cluster_mentions(mentions, splits)),
        "lemma": conll_scores(key, lemma_baseline(mentions)),
        "embeddings": embedder is not None,
        "seconds": time.perf_counter() - t0,
    }


def _row(label: str, s: dict[str, Any]) -> str:
    cells = []
    for metric in ("muc", "b3", "ceafe"):
        v: PRF = s[metric]
        cells.append(f"{100 * v.p:5.1f} {100 * v.r:5.1f} {100 * v.f1:5.1f}")
    return f"{label:<22} " + " | ".join(cells) + f" | {100 * s['conll']:5.1f}"


@click.command("entities")
@click.option(
    "--data",
    "data_path",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="ecbplus or newswcl50 folder",
)
@click.option(
    "--split", default="test", type=click.Choice(["train", "dev", "test"]), show_default=True
)
@click.option("--model", default=None, help="spaCy model (default: the configured one)")
@click.option(
    "--no-embed", is_flag=True, help="leave the MiniLM embedding features out of the layer"
)
@click.option(
    "--events", is_flag=True,
    help="ECB+: also score event coreference of the gold event mentions beside a same-lemma baseline",
)  # fmt: skip
def command(data_path: Path, split: str, model: str | None, no_embed: bool, events: bool) -> None:
    """Cross-document entity coreference on gold mentions, beside a same-head-lemma baseline.

    Example: storyline bench entities --data ../shared/datasets/ecbplus
    """
    r = run(data_path, split, model, embed=not no_embed, events=events)
    click.echo(
        f"{r['data']} {r['split']}: {r['mentions']} gold entity mentions, {r['documents']} "
        f"documents, {r['topics']} topics ({r['seconds']:.1f}s; MiniLM embeddings "
        f"{'on' if r['embeddings'] else 'off'})"
    )
    click.echo(
        f"{'':<22} {'MUC  P     R     F1':<17} | {'B3   P     R     F1':<17} | {'CEAF-e P   R     F1':<17} | CoNLL F1"
    )
    click.echo(_row("storyline", r["storyline"]))
    click.echo(_row("storyline, rules only", r["rules"]))
    click.echo(_row("same-head-lemma", r["lemma"]))
    click.echo(
        f"difference (CoNLL F1): {100 * (r['storyline']['conll'] - r['lemma']['conll']):+.1f}"
    )
    if "events" in r:
        ev = r["events"]
        click.echo(f"events: {ev['mentions']} gold event mentions ({ev['seconds']:.1f}s)")
        click.echo(_row("storyline events", ev["storyline"]))
        click.echo(_row("same-lemma events", ev["lemma"]))
        click.echo(
            f"difference (CoNLL F1): {100 * (ev['storyline']['conll'] - ev['lemma']['conll']):+.1f}"
        )
