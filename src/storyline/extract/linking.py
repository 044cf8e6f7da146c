"""Linking name mentions into referents: one cluster per real-world entity.

Works on plain :class:`NameItem` records (text, label, document, position) so the same logic
serves the story entity pass and the cross-document coreference benchmark. Steps:

1. full person names are merged when they can be the same person (``names.persons_match``), and a
   merge is refused when any two full names across the clusters disagree (so "Joe Lindqvist" and
   "Anna Lindqvist" never end up in one cluster through a third form);
2. other names merge on folded text, acronyms, gazetteer aliases, word order and close spelling;
3. a lone surname joins the only full name it fits; when several people share it, the one named
   nearest before it in the same document wins (else the nearest after); with no such evidence it
   stays on its own rather than being guessed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .gazetteer import lookup
from .names import (
    fold,
    names_match,
    persons_match,
    spelling_variant,
    split_person,
    surname_matches,
)


@dataclass(frozen=True)
class NameItem:
    """One name mention to link: its text, NER label, document and position in the document."""

    text: str
    label: str
    doc: str
    pos: int


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def form_key(text: str, label: str) -> str:
    """The key under which mentions of one surface form are grouped before linking."""
    if label == "PERSON":
        return "PERSON|" + fold(split_person(text).name)
    if label in ("GPE", "LOC"):
        place = lookup(text)
        if place is not None:
            return "GPE|" + fold(place.name)
    return label + "|" + fold(text).removeprefix("the ")


def link(items: Sequence[NameItem]) -> list[int]:
    """Cluster name mentions; returns a cluster number per item (numbers are 0..k-1).

    Args:
        items: The mentions, from any number of documents.

    Returns:
        ``labels[i]`` is the cluster of ``items[i]``; clusters are numbered by first appearance.
    """
    keys = [form_key(it.text, it.label) for it in items]
    forms = list(dict.fromkeys(keys))  # distinct keys in order of first appearance
    index = {k: i for i, k in enumerate(forms)}
    form_text: dict[str, str] = {}
    for it, k in zip(items, keys, strict=True):
        form_text.setdefault(k, it.text)
    label_of = {k: k.split("|", 1)[0] for k in forms}
    person = {k: split_person(form_text[k]) for k in forms if label_of[k] == "PERSON"}
    uf = _UnionFind(len(forms))

    # 1. Full person names, refusing merges that would join two incompatible names.
    full = [k for k in forms if k in person and person[k].full]
    members: dict[int, list[str]] = {index[k]: [k] for k in full}
    for i, a in enumerate(full):
        for b in full[i + 1 :]:
            ra, rb = uf.find(index[a]), uf.find(index[b])
            if ra == rb or not persons_match(person[a], person[b]):
                continue
            if all(persons_match(person[x], person[y]) for x in members[ra] for y in members[rb]):
                uf.union(ra, rb)
                root = uf.find(ra)
                members[root] = members.pop(ra, []) + members.pop(rb, [])
                members[root] = sorted(set(members[root]), key=index.__getitem__)

    # 2. Other names of the same label.
    by_label: dict[str, list[str]] = defaultdict(list)
    for k in forms:
        if k not in person:
            by_label[label_of[k]].append(k)
    for label, ks in by_label.items():
        for i, a in enumerate(ks):
            for b in ks[i + 1 :]:
                if uf.find(index[a]) != uf.find(index[b]) and names_match(
                    form_text[a], form_text[b], label
                ):
                    uf.union(index[a], index[b])

    # Lone person names that are spelling variants of each other (with no full name to decide).
    singles = [k for k in forms if k in person and not person[k].full]
    for i, a in enumerate(singles):
        for b in singles[i + 1 :]:
            if spelling_variant(person[a].last, person[b].last, strict=True):
                uf.union(index[a], index[b])

    # 3. Lone surnames join a full name, per mention, using co-occurrence to break ties.
    cluster_of = [uf.find(index[k]) for k in keys]
    full_roots: dict[int, list[str]] = defaultdict(list)
    for k in full:
        full_roots[uf.find(index[k])].append(k)
    seen_in_doc: dict[tuple[str, int], list[int]] = defaultdict(list)
    for n, (it, k) in enumerate(zip(items, keys, strict=True)):
        if k in person and person[k].full:
            seen_in_doc[(it.doc, uf.find(index[k]))].append(n)
    fitting: dict[str, list[int]] = {}  # lone surname -> the full-name clusters it fits
    for n, (it, k) in enumerate(zip(items, keys, strict=True)):
        if k not in person or person[k].full:
            continue
        lone = person[k]
        candidates = fitting.get(lone.last)
        if candidates is None:
            candidates = fitting[lone.last] = [
                r
                for r, ks in full_roots.items()
                if any(surname_matches(lone.last, person[x]) for x in ks)
            ]
        if len(candidates) == 1:
            cluster_of[n] = candidates[0]
        elif len(candidates) > 1:
            cluster_of[n] = _nearest(candidates, it, items, seen_in_doc, cluster_of[n])

    # Renumber by first appearance.
    numbering: dict[int, int] = {}
    return [numbering.setdefault(c, len(numbering)) for c in cluster_of]


def _nearest(
    candidates: list[int],
    item: NameItem,
    items: Sequence[NameItem],
    seen_in_doc: dict[tuple[str, int], list[int]],
    default: int,
) -> int:
    """The candidate named closest before the mention in its document (else closest after)."""
    best: tuple[int, int, int] | None = None  # (after?, distance, root)
    for root in candidates:
        for n in seen_in_doc.get((item.doc, root), []):
            other = items[n].pos
            after = 1 if other > item.pos else 0
            key = (after, abs(other - item.pos), root)
            if best is None or key < best:
                best = key
    return best[2] if best is not None else default


def vote_labels(
    texts: Sequence[str], labels: Sequence[str], weights: Sequence[int] | None = None
) -> list[str]:
    """Correct NER labels: gazetteer places win, else the majority label of the same name.

    A lone name that is the last name of a full person name elsewhere in the set becomes a
    person (unless it is a country or capital). Mentions with weight 0 do not vote unless no
    mention of that name has weight.
    """
    weights = weights if weights is not None else [1] * len(texts)
    folded = [
        fold(split_person(t).name) if lab == "PERSON" else fold(t)
        for t, lab in zip(texts, labels, strict=True)
    ]
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for f, lab, w in zip(folded, labels, weights, strict=True):
        votes[f][lab] += w * 10 + 1  # weight-0 votes only break ties
    surnames = {
        fold(split_person(t).last)
        for t, lab in zip(texts, labels, strict=True)
        if lab == "PERSON" and split_person(t).full
    }
    out = []
    for t, f, lab in zip(texts, folded, labels, strict=True):
        place = lookup(t, allow_codes=lab in ("GPE", "LOC"))
        if place is not None and (place.strong or lab in ("GPE", "LOC", "ORG")):
            out.append(place.label)
            continue
        if f in surnames and len(f.split()) == 1:
            out.append("PERSON")
            continue
        out.append(votes[f].most_common(1)[0][0])
    return out
