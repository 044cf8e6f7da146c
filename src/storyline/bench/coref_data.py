"""Loading the gold coreference data sets of ``storyline bench entities``: ECB+ and NewsWCL50.

ECB+ is read in the Cybulska setup (``cybulska_setup/ECB_<Split>_Entity_gold_mentions.json``,
``..._Event_gold_mentions.json`` and ``ECB_<Split>_corpus.txt``, plus the full texts of
``docs.jsonl`` when present); NewsWCL50 from ``cdcr_parsed/NewsWCL50.conll`` with
``train_val_test_split.json``. Both come out as one :class:`CorefData`: sentences as token lists
and gold mentions over them.

NewsWCL50 entity mentions are the chains of types ACTOR, ACTOR-I, COUNTRY, GROUP and OBJECT
(EVENT, ACTION and MISC chains are events or abstract concepts).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import click

NEWSWCL_ENTITY_TYPES = frozenset({"ACTOR", "ACTOR-I", "COUNTRY", "GROUP", "OBJECT"})
_NEWSWCL_KIND = {"ACTOR": "HUM", "ACTOR-I": "HUM", "GROUP": "HUM", "COUNTRY": "LOC"}


@dataclass
class GoldMention:
    """A gold mention: where it is, its gold chain and coarse type."""

    topic: str
    doc: str
    sent: int
    tokens: list[int]
    chain: str
    kind: str


@dataclass
class CorefData:
    """Sentences (as token lists) and the gold mentions over them."""

    name: str
    sentences: dict[tuple[str, int], list[str]]
    mentions: list[GoldMention]
    #: Full document texts where the data set has them (ECB+ ``docs.jsonl``), for event splits.
    texts: dict[str, str] = field(default_factory=dict)
    #: Gold event mentions (ECB+; ``kind`` is ACT or NEG), read only when asked for.
    events: list[GoldMention] = field(default_factory=list)


def load_ecbplus(root: Path, split: str, events: bool = False) -> CorefData:
    """ECB+ gold entity mentions of a split (``train``, ``dev``, ``test``); event ones if asked."""
    setup = root / "cybulska_setup"
    cap = split.capitalize()
    sentences: dict[tuple[str, int], list[str]] = defaultdict(list)
    with open(setup / f"ECB_{cap}_corpus.txt", encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 4:
                continue
            sentences[(parts[0], int(parts[1]))].append(parts[3])

    def gold(kind: str) -> list[GoldMention]:
        raw = json.loads((setup / f"ECB_{cap}_{kind}_gold_mentions.json").read_text("utf-8"))
        return [
            GoldMention(
                m["doc_id"].split("_")[0], m["doc_id"], int(m["sent_id"]),
                sorted(m["tokens_number"]), m["coref_chain"], m["mention_type"],
            )
            for m in raw
            if (m["doc_id"], int(m["sent_id"])) in sentences
        ]  # fmt: skip

    mentions = gold("Entity")
    event_mentions = gold("Event") if events else []
    texts: dict[str, str] = {}
    docs_file = root / "docs.jsonl"
    if docs_file.is_file():
        wanted = {m.doc for m in mentions}
        with open(docs_file, encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                if rec["doc_id"] in wanted:
                    texts[rec["doc_id"]] = rec["text"]
    return CorefData("ecbplus", dict(sentences), mentions, texts, event_mentions)


def load_newswcl50(root: Path, split: str) -> CorefData:
    """NewsWCL50 entity mentions of the topics in one split (``train``, ``val``/``dev``, ``test``)."""
    base = root / "cdcr_parsed"
    splits = json.loads((base / "train_val_test_split.json").read_text("utf-8"))
    topics = set(splits["val" if split == "dev" else split])
    sentences: dict[tuple[str, int], list[str]] = defaultdict(list)
    mentions: list[GoldMention] = []
    open_at: dict[tuple[str, int, str], list[int]] = defaultdict(list)
    with open(base / "NewsWCL50.conll", encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 5 or line.startswith("#"):
                continue
            doc = parts[0].split("/")[-1]
            topic = parts[0].split("/")[0]
            if topic not in topics:
                continue
            sent, tok = int(parts[1]), int(parts[2])
            word = "\n" if parts[3] == "\\n" else parts[3]
            sentences[(doc, sent)].append(word)
            for tag in (t.strip() for t in parts[4].split("|")):
                if tag in ("", "-"):
                    continue
                chain = tag.strip("()")
                if tag.startswith("("):
                    open_at[(doc, sent, chain)].append(tok)
                if tag.endswith(")") and open_at.get((doc, sent, chain)):
                    start = open_at[(doc, sent, chain)].pop()
                    etype = chain.rsplit("_", 1)[-1]
                    if etype in NEWSWCL_ENTITY_TYPES:
                        mentions.append(
                            GoldMention(
                                topic, doc, sent, list(range(start, tok + 1)), chain,
                                _NEWSWCL_KIND.get(etype, "NON"),
                            )
                        )  # fmt: skip
    return CorefData("newswcl50", dict(sentences), mentions)


def detect(path: Path) -> str:
    """Which data set a folder holds."""
    if (path / "cybulska_setup").is_dir():
        return "ecbplus"
    if (path / "cdcr_parsed").is_dir():
        return "newswcl50"
    raise click.UsageError(
        f"{path} holds neither ECB+ (cybulska_setup/) nor NewsWCL50 (cdcr_parsed/)"
    )
